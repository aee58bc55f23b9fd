//! Calendar feeds: secret-URL subscriptions to the sessions of a scope (a participant's own, a
//! staff member's, a structure's programme, the group's programme), who may create and manage
//! them (`scope`), and which sessions they list (`window`). Rendering them is the `feeds`
//! adapter's job.

mod scope;
mod window;

pub use scope::FeedScope;
pub use window::FeedWindow;

use super::audit::Entry;
use super::secrets::{hash_token, new_token};
use super::store::feeds::{self as stored, CALENDAR_COLUMNS, CalendarRow, FeedKey, NewFeed, STAMP_COLUMNS};
use super::store::{from_ts, participants, staff, structures, to_ts};
use super::views::{CalendarReader, CalendarSession, FeedView, SessionCalendarEntry, SessionStamp, paris};
use super::{Core, CoreError, CoreResult};
use scope::{StoredFeed, Target, feed_name, may_follow};
use sqlx::AnyConnection;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{LocationKind, SessionId, SessionKind, SessionStatus};

pub type FeedId = i64;

/// A feed just created or given a new token: the token is shown this once (stored hashed).
#[derive(Clone, Debug)]
pub struct CreatedFeed {
    pub feed: FeedView,
    pub token: String,
}

/// A feed found by its token, whose owner may still follow it: what serving it needs.
#[derive(Clone, Debug)]
pub struct ResolvedFeed {
    pub id: FeedId,
    pub token_hash: String,
    pub name: String,
    pub scope: FeedScope,
    pub kind: Option<SessionKind>,
    pub reader: CalendarReader,
}

impl From<CalendarRow> for CalendarSession {
    fn from(row: CalendarRow) -> Self {
        let place = match row.location_kind {
            Some(LocationKind::Site) => row.site_label,
            Some(_) => row.location_text,
            None => None,
        };
        CalendarSession {
            id: row.id,
            kind: row.kind,
            theme: row.theme,
            title: row.title,
            description: row.description,
            starts_at: from_ts(row.starts_at),
            ends_at: from_ts(row.ends_at),
            place,
            is_video: row.location_kind == Some(LocationKind::Video),
            capacity: u32::try_from(row.capacity).unwrap_or(0),
            seats_taken: u32::try_from(row.seats_taken).unwrap_or(0),
            company_name: row.company_name,
            speaker: row.speaker,
            cancelled: row.status == SessionStatus::Cancelled,
            sequence: row.sequence,
            updated_at: from_ts(row.updated_at),
        }
    }
}

/// What a new feed is about, checked to exist (422 on the field otherwise).
async fn target_of(conn: &mut AnyConnection, scope: FeedScope) -> CoreResult<Target> {
    Ok(match scope {
        FeedScope::Group => Target::Group,
        FeedScope::Structure(id) => {
            let structure = structures::one(conn, id).await?;
            let name =
                structure.ok_or_else(|| CoreError::invalid("structure_id", "Cette structure n'existe pas."))?.name;
            Target::Structure { id, name }
        }
        FeedScope::Staff(id) => {
            let user = staff::one(conn, id).await?.filter(|user| user.active != 0);
            let user = user.ok_or_else(|| CoreError::invalid("user_id", "Ce membre de l'équipe n'existe pas."))?;
            Target::Staff { id, structure_id: user.structure_id, name: user.display_name }
        }
        FeedScope::Participant(id) => {
            let person = participants::one(conn, id).await?.filter(|person| person.active != 0);
            let person = person.ok_or_else(|| CoreError::invalid("participant_id", "Cette personne n'existe pas."))?;
            Target::Participant { id, structure_id: person.structure_id }
        }
    })
}

impl Core {
    /// Creates a feed owned by `actor`; returns it with its token (shown this once).
    pub async fn create_feed(
        &self,
        actor: &Actor,
        scope: FeedScope,
        kind: Option<SessionKind>,
    ) -> CoreResult<CreatedFeed> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let target = target_of(&mut tx, scope).await?;
        if !may_follow(actor, &target) {
            return Err(CoreError::Forbidden);
        }
        let (owner_user, owner_participant) = (actor.staff_user_id(), actor.participant_id());
        let (structure_id, user_id, participant_id) = scope.ids();
        let token = new_token();
        let new = NewFeed {
            token_hash: &hash_token(&token),
            owner_user_id: owner_user,
            owner_participant_id: owner_participant,
            scope: scope.kind().code(),
            structure_id,
            user_id,
            participant_id,
            kind,
            at: to_ts(tx.at),
        };
        let id = stored::insert(&mut tx, &new).await?;
        Entry::new(actor, AuditAction::FeedCreated)
            .participant(participant_id)
            .details(format!("feed:{id} scope:{}", scope.kind().code()))
            .write(&mut tx)
            .await?;
        let created_at = paris(tx.at);
        tx.commit().await?;
        let feed = FeedView {
            id,
            scope: scope.kind(),
            structure_id,
            user_id,
            participant_id,
            kind,
            name: feed_name(&target, kind, owner_user),
            created_at,
        };
        Ok(CreatedFeed { feed, token })
    }

    /// The feeds `actor` created, oldest first, without their tokens.
    pub async fn list_feeds(&self, actor: &Actor) -> CoreResult<Vec<FeedView>> {
        let mut conn = self.store.read().await?;
        let rows = stored::owned(&mut conn, actor, None, None).await?;
        Ok(rows.into_iter().map(|row| StoredFeed(row).view()).collect())
    }

    /// A page of `list_feeds`: at most `limit`, after the feed `after`, and where the next page
    /// starts if there may be more.
    pub async fn feeds_page(
        &self,
        actor: &Actor,
        after: Option<FeedId>,
        limit: u32,
    ) -> CoreResult<(Vec<FeedView>, Option<FeedId>)> {
        let mut conn = self.store.read().await?;
        let limit = limit.clamp(1, super::MAX_PAGE_SIZE);
        let rows = stored::owned(&mut conn, actor, after, Some(limit)).await?;
        let next = (rows.len() == limit as usize).then(|| rows.last().map(|row| row.id)).flatten();
        Ok((rows.into_iter().map(|row| StoredFeed(row).view()).collect(), next))
    }

    /// Gives the feed a new token: its old URL stops working at once.
    pub async fn regenerate_feed(&self, actor: &Actor, id: FeedId) -> CoreResult<CreatedFeed> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let feed = managed_feed(&mut tx, actor, id).await?;
        let token = new_token();
        if !stored::set_token_hash(&mut tx, id, &hash_token(&token)).await? {
            return Err(CoreError::NotFound("Agenda"));
        }
        Entry::new(actor, AuditAction::FeedRegenerated)
            .participant(feed.0.participant_id)
            .details(format!("feed:{id}"))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(CreatedFeed { feed: feed.view(), token })
    }

    /// Deletes the feed: its URL answers 404 from now on.
    pub async fn delete_feed(&self, actor: &Actor, id: FeedId) -> CoreResult<()> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let feed = managed_feed(&mut tx, actor, id).await?;
        if !stored::delete(&mut tx, id).await? {
            return Err(CoreError::NotFound("Agenda"));
        }
        Entry::new(actor, AuditAction::FeedDeleted)
            .participant(feed.0.participant_id)
            .details(format!("feed:{id} scope:{}", feed.0.scope))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The feed behind a token, if it exists and its owner may still follow what it shows (an
    /// owner or subject who left, or a permission lost, turns the URL off).
    pub async fn resolve_feed(&self, token: &str) -> CoreResult<Option<ResolvedFeed>> {
        let token_hash = hash_token(token);
        let mut conn = self.store.read().await?;
        let Some(row) = stored::find(&mut conn, FeedKey::TokenHash(&token_hash)).await?.pop() else {
            return Ok(None);
        };
        let feed = StoredFeed(row);
        let (Some(owner), Some(target), Some(scope), Ok(kind)) =
            (feed.owner(), feed.target(), feed.scope(), feed.kind())
        else {
            return Ok(None);
        };
        if !may_follow(&owner, &target) {
            return Ok(None);
        }
        Ok(Some(ResolvedFeed {
            id: feed.0.id,
            token_hash,
            name: feed_name(&target, kind, feed.0.owner_user_id),
            scope,
            kind,
            reader: scope.reader(),
        }))
    }

    /// The window of the feeds served today.
    pub fn feed_window(&self) -> FeedWindow {
        FeedWindow::on(self.clock.now())
    }

    /// The versions of the feed's sessions in `window`, read without their text.
    pub async fn feed_stamps(&self, feed: &ResolvedFeed, window: &FeedWindow) -> CoreResult<Vec<SessionStamp>> {
        let sql = stored::feed_query(STAMP_COLUMNS, feed.scope.followed(), feed.kind, window.bounds());
        let mut conn = self.store.read().await?;
        Ok(sql.query_as().fetch_all(&mut *conn).await?)
    }

    /// The feed's sessions in `window`, soonest first.
    pub async fn feed_sessions(&self, feed: &ResolvedFeed, window: &FeedWindow) -> CoreResult<Vec<CalendarSession>> {
        let sql = stored::feed_query(CALENDAR_COLUMNS, feed.scope.followed(), feed.kind, window.bounds());
        let mut conn = self.store.read().await?;
        let rows: Vec<CalendarRow> = sql.query_as().fetch_all(&mut *conn).await?;
        Ok(rows.into_iter().map(CalendarSession::from).collect())
    }

    /// One session for the signed-in person's own calendar, if they may see it. Drafts are never
    /// offered; a participant gets a video link only when they hold a seat, as on the pages.
    pub async fn session_calendar_entry(&self, actor: &Actor, id: SessionId) -> CoreResult<SessionCalendarEntry> {
        let (view, place, reader) = match actor {
            Actor::Participant { .. } => {
                // Drafts are already refused here, and the video link left out without a seat.
                let item = self.participant_session(actor, id).await?;
                (item.session, item.place, CalendarReader::Participant)
            }
            _ => {
                let view = self.session(actor, id).await?;
                if view.status == SessionStatus::Draft {
                    return Err(CoreError::NotFound("Séance"));
                }
                let place = view.location.as_ref().map(|l| l.text.clone()).filter(|t| !t.is_empty());
                (view, place, CalendarReader::Staff)
            }
        };
        let session = CalendarSession {
            id: view.id,
            is_video: view.location.as_ref().is_some_and(|l| l.kind == LocationKind::Video),
            kind: view.kind,
            theme: view.theme,
            title: view.title,
            description: view.description,
            starts_at: view.starts_at.to_utc(),
            ends_at: view.ends_at.to_utc(),
            place,
            capacity: view.capacity,
            seats_taken: view.seats_taken,
            company_name: view.company_name,
            speaker: view.speaker,
            cancelled: view.status == SessionStatus::Cancelled,
            sequence: view.sequence,
            updated_at: view.updated_at.to_utc(),
        };
        let mut conn = self.store.read().await?;
        let organiser_name = stored::organiser_name(&mut conn, id).await?.ok_or(CoreError::NotFound("Séance"))?;
        Ok(SessionCalendarEntry { session, reader, organiser_name })
    }
}

/// The stored feed `id`, if `actor` may regenerate or delete it.
async fn managed_feed(conn: &mut AnyConnection, actor: &Actor, id: FeedId) -> CoreResult<StoredFeed> {
    let row = stored::find(conn, FeedKey::Id(id)).await?.pop().ok_or(CoreError::NotFound("Agenda"))?;
    if !actor.may_manage_feed(row.owner_user_id, row.owner_participant_id) {
        return Err(CoreError::Forbidden);
    }
    Ok(StoredFeed(row))
}
