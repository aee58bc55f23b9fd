//! Changing a session: any field but its organiser, with the calendar SEQUENCE raised when
//! time, place or status change, and people waiting promoted when seats open up.

use super::super::audit::Entry;
use super::super::notifications::{self, Messaging, Notice};
use super::super::store::sessions::{self as stored, Changed, LoadedSession};
use super::super::store::{WriteTx, enrolments, from_ts, seats, staff, to_ts};
use super::super::views::SessionView;
use super::super::waitlist::promote_waiting;
use super::super::{Core, CoreError, CoreResult};
use super::edit::{self, Edit, EditedMeanwhile, SessionField};
use super::patch::SessionPatch;
use super::propose::{check_references, same_paris_time_later};
use super::{scope, view, visible};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use toile_shared::ErrorCode;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::session_input::SessionInput;
use toile_shared::{SessionId, SessionStatus};

/// Which sessions of a weekly series a change applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeriesScope {
    /// This session only.
    #[default]
    ThisSession,
    /// This session and the later ones of its series (the earlier ones stay as they are).
    ThisAndFollowing,
}

impl Core {
    /// Changes a session, or it and the later sessions of its series.
    pub async fn update_session(
        &self,
        actor: &Actor,
        id: SessionId,
        patch: SessionPatch,
        series: SeriesScope,
    ) -> CoreResult<SessionView> {
        self.update_session_if(actor, id, patch, series, None).await
    }

    /// The same, only while the session is at one of the versions `if_match` names when given
    /// (an API client's `If-Match`): else nothing is written (`PreconditionFailed`).
    pub async fn update_session_if(
        &self,
        actor: &Actor,
        id: SessionId,
        patch: SessionPatch,
        series: SeriesScope,
        if_match: Option<Vec<i64>>,
    ) -> CoreResult<SessionView> {
        self.change_session(actor, id, series, |current| match if_match {
            Some(versions) if !versions.contains(&current.row.version) => {
                // A change the rules refuse is said so first (422): it would be at any version.
                patch.apply(current.input()).validate().map_err(Stale::Invalid)?;
                Err(Stale::Precondition)
            }
            _ => Ok(patch),
        })
        .await
    }

    /// An editor's change from a form: what they changed from what the form showed, merged
    /// with what others changed since (`edit::merge`); refused, nothing written, when both
    /// changed a field differently (`EditedMeanwhile`, naming who changed what and when).
    pub async fn edit_session(
        &self,
        actor: &Actor,
        id: SessionId,
        edit: Edit,
        series: SeriesScope,
    ) -> CoreResult<SessionView> {
        self.change_session(actor, id, series, |current| {
            edit::merge(&edit, &current.input(), current.row.version)
                .map_err(|fields| Stale::Edited { fields, mine: Box::new(edit.wanted.clone()) })
        })
        .await
    }

    /// Changes a session with the patch `decide` makes of it as it is now (under its lock),
    /// then the later sessions of its series when asked.
    async fn change_session(
        &self,
        actor: &Actor,
        id: SessionId,
        series: SeriesScope,
        decide: impl FnOnce(&LoadedSession) -> Result<SessionPatch, Stale>,
    ) -> CoreResult<SessionView> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let current = editable(&mut tx, actor, id).await?;
        let patch = match decide(&current) {
            Ok(patch) => patch,
            Err(Stale::Precondition) => return Err(CoreError::PreconditionFailed),
            Err(Stale::Invalid(errors)) => return Err(CoreError::Invalid(errors)),
            Err(Stale::Edited { fields, mine }) => {
                let by = match current.row.updated_by {
                    Some(user) => staff::one(&mut tx, user).await?.map(|u| u.display_name),
                    None => None,
                };
                return Err(CoreError::EditedMeanwhile(Box::new(EditedMeanwhile {
                    by,
                    at: from_ts(current.row.updated_at),
                    fields,
                    theirs: current.input(),
                    mine: *mine,
                    version: current.row.version,
                })));
            }
        };
        let before = current.input();
        let after = patch.apply(before.clone());
        write_change(&mut tx, &self.settings.messaging, actor, &current, after.clone()).await?;
        if let (SeriesScope::ThisAndFollowing, Some(series_id)) = (series, current.row.series_id) {
            let here = paris_wall_clock(before.starts_at);
            for (later, starts_at, status) in stored::series(&mut tx, series_id).await? {
                if starts_at <= to_ts(before.starts_at) || later == id || status == SessionStatus::Cancelled {
                    continue;
                }
                let offset = paris_wall_clock(from_ts(starts_at)) - here;
                let own = editable(&mut tx, actor, later).await?;
                let followed = follow(&patch, &after, offset, own.input());
                write_change(&mut tx, &self.settings.messaging, actor, &own, followed).await?;
            }
        }
        let session = stored::load_one(&mut tx, id).await?.expect("still there");
        tx.commit().await?;
        Ok(view(&session))
    }
}

/// Why a change is not made: the version asked for is gone (and the change would be refused
/// at any version: `Invalid`), or another editor changed the same fields.
enum Stale {
    Precondition,
    Invalid(Vec<toile_shared::session_input::FieldError>),
    Edited { fields: Vec<SessionField>, mine: Box<SessionInput> },
}

/// The session under its lock, if the actor may change it and it is not cancelled.
async fn editable(tx: &mut WriteTx, actor: &Actor, id: SessionId) -> CoreResult<LoadedSession> {
    seats::lock(tx, id).await?.ok_or(CoreError::NotFound("Séance"))?;
    let current = visible(tx, actor, id).await?;
    if !actor.may_manage_session(&scope(&current)) {
        return Err(CoreError::Forbidden);
    }
    if current.seats.row.status == SessionStatus::Cancelled {
        return Err(CoreError::conflict(
            ErrorCode::SessionCancelled,
            "Cette séance est annulée : elle ne peut plus être modifiée.",
        ));
    }
    Ok(current)
}

/// Writes one session's change under its lock: the rules, the write, the audit entry, the
/// people told of a new time or place, the promotions.
async fn write_change(
    tx: &mut WriteTx,
    messaging: &Messaging,
    actor: &Actor,
    current: &LoadedSession,
    after: SessionInput,
) -> CoreResult<()> {
    let id = current.id();
    let before = current.input();
    if after.status == SessionStatus::Cancelled {
        return Err(CoreError::invalid("status", "Pour annuler une séance, utilisez l'action d'annulation."));
    }
    after.validate().map_err(CoreError::Invalid)?;
    if after.organiser_structure_id != before.organiser_structure_id {
        return Err(CoreError::invalid("organiser_structure_id", "La structure organisatrice ne change pas."));
    }
    check_references(tx, &after).await?;
    let taken = u32::try_from(current.seats.row.seats_taken).unwrap_or(0);
    if after.capacity < taken {
        return Err(CoreError::conflict(
            ErrorCode::CapacityBelowTaken,
            format!("{taken} personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous."),
        ));
    }
    let people = taken + current.waitlist_count;
    if before.status == SessionStatus::Published && after.status == SessionStatus::Draft && people > 0 {
        return Err(CoreError::conflict(
            ErrorCode::SessionHasEnrolments,
            format!(
                "{people} personnes sont inscrites ou en attente : la séance ne peut pas redevenir un brouillon. \
                 Annulez-la si elle n'a plus lieu."
            ),
        ));
    }
    if !actor.may_cancel_session(&scope(current))
        && after.status == SessionStatus::Draft
        && before.status != after.status
    {
        return Err(CoreError::Forbidden);
    }
    let schedule =
        before.starts_at != after.starts_at || before.ends_at != after.ends_at || before.location != after.location;
    let changed = Changed { calendar: schedule || before.status != after.status, schedule };
    let at = to_ts(tx.at);
    stored::update(tx, id, &after, changed, (at, actor.staff_user_id())).await?;
    Entry::new(actor, AuditAction::SessionUpdated).session(id).write(tx).await?;
    if schedule && after.status == SessionStatus::Published {
        // Everyone in it or waiting learns the new time or place.
        let people = enrolments::people_in(tx, id).await?;
        notifications::queue(tx, messaging, Notice::SessionChanged, id, &people, at).await?;
    }
    // More seats, a wider audience or fewer reserved seats may let people in.
    promote_waiting(tx, messaging, id, Some(actor)).await?;
    Ok(())
}

/// The time on a wall clock in Paris.
fn paris_wall_clock(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&chrono_tz::Europe::Paris).naive_local()
}

/// The change as a later session of the series takes it: what the patch names, with its
/// times moved by `offset` on the Paris wall clock (the weeks between the two sessions).
fn follow(patch: &SessionPatch, changed: &SessionInput, offset: chrono::Duration, own: SessionInput) -> SessionInput {
    let shift = |at: DateTime<Utc>| same_paris_time_later(at, offset);
    let mut input = patch.apply(own);
    macro_rules! moved {
        ($($field:ident),+) => { $(if patch.$field.is_some() { input.$field = changed.$field.map(shift); })+ };
    }
    if patch.starts_at.is_some() {
        input.starts_at = shift(changed.starts_at);
    }
    if patch.ends_at.is_some() {
        input.ends_at = shift(changed.ends_at);
    }
    moved!(reserved_until, enrolment_opens_at, enrolment_closes_at, cancellation_deadline);
    input
}
