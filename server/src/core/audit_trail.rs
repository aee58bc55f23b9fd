//! Reading the audit trail: coordinators read their structure's part (what its staff did, what
//! happened to its participants and to the sessions it organises), group coordinators and admins
//! all of it, filtered by date, session, participant or staff member. A participant of another
//! structure is never named. Exporting the trail is itself recorded.

use super::audit::Entry;
use super::store::audit::{self as stored, TrailFilter, TrailRow};
use super::store::{from_ts, to_ts};
use super::{Core, CoreError, CoreResult, paris};
use chrono::{DateTime, NaiveDate, Utc};
use toile_shared::audit::AuditAction;
use toile_shared::authz::{Actor, AuditScope};
use toile_shared::{ParticipantId, SessionId, UserId};

/// At most this many entries in one export (the CSV file): narrow the dates for older ones.
pub const AUDIT_LINES_SHOWN: usize = 500;

/// Entries on one page of the journal: a phone shows each as a block, and 500 of them made a
/// page 135,000 px long. Older ones are a link away.
pub const AUDIT_PAGE_LINES: usize = 50;

/// What to read: dates are Paris days, both included.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub session: Option<SessionId>,
    pub participant: Option<ParticipantId>,
    pub staff: Option<UserId>,
}

/// Where a page of the journal starts: just before this entry (the last of the page before).
/// Written in the page's address as `<at>-<id>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditCursor {
    at: i64,
    id: i64,
}

impl AuditCursor {
    pub fn parse(text: &str) -> Option<AuditCursor> {
        let (at, id) = text.split_once('-')?;
        Some(AuditCursor { at: at.parse().ok()?, id: id.parse().ok()? })
    }
}

impl std::fmt::Display for AuditCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.at, self.id)
    }
}

/// A file of personal data downloaded.
#[derive(Clone, Copy, Debug)]
pub enum Download {
    SignInSheet { session: SessionId, format: &'static str },
    History { participant: ParticipantId },
}

/// One entry as the reader may see it.
#[derive(Clone, Debug)]
pub struct AuditLine {
    pub at: DateTime<Utc>,
    /// `user:<id>`, `participant:<id>`, `operator`, `system` or `anonymous`.
    pub actor: String,
    /// The staff member who acted, by name.
    pub actor_name: Option<String>,
    /// The stored code: an `AuditAction`'s, or one an older release wrote.
    pub action: String,
    pub session: Option<(SessionId, String)>,
    /// The participant concerned, named only when the reader may see their structure's people.
    pub participant: Option<(ParticipantId, Option<String>)>,
    pub details: String,
}

impl Core {
    /// The entries `query` asks for, newest first, and whether there were more than shown.
    pub async fn audit_trail(&self, actor: &Actor, query: &AuditQuery) -> CoreResult<(Vec<AuditLine>, bool)> {
        let filter = self.trail_filter(actor, query)?;
        let mut conn = self.store.read().await?;
        let mut rows = stored::trail(&mut conn, &filter, AUDIT_LINES_SHOWN as i64 + 1).await?;
        let capped = rows.len() > AUDIT_LINES_SHOWN;
        rows.truncate(AUDIT_LINES_SHOWN);
        Ok((rows.into_iter().map(|row| line(actor, row)).collect(), capped))
    }

    /// One page of the journal: the `AUDIT_PAGE_LINES` entries `query` keeps that come before
    /// `before` (the newest when `None`), newest first, and where the next page starts when
    /// there are older ones.
    pub async fn audit_trail_page(
        &self,
        actor: &Actor,
        query: &AuditQuery,
        before: Option<AuditCursor>,
    ) -> CoreResult<(Vec<AuditLine>, Option<AuditCursor>)> {
        let mut filter = self.trail_filter(actor, query)?;
        filter.before = before.map(|cursor| (cursor.at, cursor.id));
        let mut conn = self.store.read().await?;
        let mut rows = stored::trail(&mut conn, &filter, AUDIT_PAGE_LINES as i64 + 1).await?;
        let older = rows.len() > AUDIT_PAGE_LINES;
        rows.truncate(AUDIT_PAGE_LINES);
        let next = rows.last().filter(|_| older).map(|row| AuditCursor { at: row.at, id: row.id });
        Ok((rows.into_iter().map(|row| line(actor, row)).collect(), next))
    }

    /// The same entries for a file, the export recorded in the trail with its filters.
    pub async fn export_audit_trail(&self, actor: &Actor, query: &AuditQuery) -> CoreResult<(Vec<AuditLine>, bool)> {
        let read = self.audit_trail(actor, query).await?;
        let mut tx = self.store.write(self.clock.now()).await?;
        Entry::new(actor, AuditAction::AuditExported).details(describe(query)).write(&mut tx).await?;
        tx.commit().await?;
        Ok(read)
    }

    /// A file of personal data has left Toile (a sign-in sheet, a person's history): recorded,
    /// after the read that checked the reader's right to it.
    pub async fn record_download(&self, actor: &Actor, download: Download) -> CoreResult<()> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let entry = match download {
            Download::SignInSheet { session, format } => {
                Entry::new(actor, AuditAction::SignInSheetDownloaded).session(session).details(format)
            }
            Download::History { participant } => {
                Entry::new(actor, AuditAction::HistoryExported).participant(participant)
            }
        };
        entry.write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    fn trail_filter(&self, actor: &Actor, query: &AuditQuery) -> CoreResult<TrailFilter> {
        let structure = match actor.audit_scope() {
            Some(AuditScope::Everything) => None,
            Some(AuditScope::Structure(structure)) => Some(structure),
            None => return Err(CoreError::Forbidden),
        };
        if let (Some(from), Some(to)) = (query.from, query.to)
            && from > to
        {
            return Err(CoreError::invalid("au", "La date de fin est avant la date de début."));
        }
        Ok(TrailFilter {
            structure,
            from: query.from.map(|day| to_ts(paris::midnight(day))),
            until: query.to.and_then(|to| to.succ_opt()).map(|day| to_ts(paris::midnight(day))),
            session: query.session,
            participant: query.participant,
            staff: query.staff,
            before: None,
        })
    }
}

fn line(reader: &Actor, row: TrailRow) -> AuditLine {
    let named = row.participant_structure_id.is_some_and(|structure| reader.may_manage_participants_of(structure));
    let name = match (row.participant_first_name, row.participant_last_name) {
        (Some(first), Some(last)) if named => Some(format!("{first} {last}")),
        _ => None,
    };
    AuditLine {
        at: from_ts(row.at),
        actor: row.actor,
        actor_name: row.actor_name,
        action: row.action,
        session: row.session_id.map(|id| (id, row.session_title.unwrap_or_default())),
        participant: row.participant_id.map(|id| (id, name)),
        details: row.details,
    }
}

fn describe(query: &AuditQuery) -> String {
    let parts = [
        query.from.map(|d| format!("du {d}")),
        query.to.map(|d| format!("au {d}")),
        query.session.map(|id| format!("séance {id}")),
        query.participant.map(|id| format!("participant:{id}")),
        query.staff.map(|id| format!("user:{id}")),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(", ")
}
