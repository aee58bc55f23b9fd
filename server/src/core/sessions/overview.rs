//! A session's staff page: the session, who runs it, whose seats are reserved, its series, what
//! happened to it, and what the viewer may do.

use super::super::store::audit::{self, AuditRow};
use super::super::store::sessions::LoadedSession;
use super::super::store::{from_ts, staff, structures};
use super::super::{Core, CoreResult};
use super::programme::{ProgrammeEntry, entries};
use super::scope;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;
use toile_shared::authz::Actor;
use toile_shared::{SessionId, SessionStatus, StructureId, UserId};

/// A staff member as other staff see them: a name and a structure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub id: UserId,
    pub name: String,
    pub structure_id: Option<StructureId>,
    pub structure_name: Option<String>,
}

impl StaffMember {
    /// "Claire Martin (Tremplin)", or the name alone for group-wide staff.
    pub fn label(&self) -> String {
        match &self.structure_name {
            Some(structure) => format!("{} ({structure})", self.name),
            None => self.name.clone(),
        }
    }
}

/// Seats reserved for a structure, by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReservedFor {
    pub structure_name: String,
    pub seats: u32,
    pub taken: u32,
}

/// Another session of the same weekly series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub id: SessionId,
    pub starts_at: DateTime<Utc>,
    pub status: SessionStatus,
}

/// Who did what to the session, and when (the audit trail, without participants' names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub at: DateTime<Utc>,
    /// A staff member's name; `None` for a participant, the command line or Toile itself.
    pub by_staff: Option<String>,
    /// `participant`, `operator` or `system` when not a staff member.
    pub by: String,
    /// The stored `AuditAction` code: `session_created`, `session_updated`, `enrolled`…
    pub action: String,
    pub details: String,
}

#[derive(Clone, Debug)]
pub struct SessionOverview {
    /// The session as the programme shows it, with its markers.
    pub entry: ProgrammeEntry,
    pub organiser_name: String,
    /// The listed structures, when not the whole group.
    pub audience_names: Vec<String>,
    pub facilitators: Vec<StaffMember>,
    pub reserved: Vec<ReservedFor>,
    pub series: Vec<Occurrence>,
    pub history: Vec<Change>,
    pub may_edit: bool,
    pub may_cancel: bool,
    pub may_duplicate: bool,
}

/// The trail shown on a session's page: recent enough to read on a phone.
const HISTORY_SHOWN: i64 = 50;

impl Core {
    /// The overview of a session already read and checked: staff only, and visible to `actor`.
    pub(in crate::core) async fn overview_of(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        session: LoadedSession,
    ) -> CoreResult<SessionOverview> {
        let id = session.id();
        let structures = structures::all(conn).await?;
        let name_of = |id: StructureId| structures.iter().find(|s| s.id == id).map(|s| s.name.clone());
        let mut facilitators = Vec::new();
        for user in &session.facilitators {
            if let Some(row) = staff::one(conn, *user).await? {
                facilitators.push(StaffMember {
                    id: row.id,
                    name: row.display_name,
                    structure_name: row.structure_id.and_then(name_of),
                    structure_id: row.structure_id,
                });
            }
        }
        let state = session.seats.state();
        let reserved = state
            .reservations
            .iter()
            .map(|r| ReservedFor {
                structure_name: name_of(r.structure_id).unwrap_or_default(),
                seats: r.seats,
                taken: state.reserved_taken(r),
            })
            .collect();
        let series = match session.row.series_id {
            Some(series) => super::super::store::sessions::series(conn, series)
                .await?
                .into_iter()
                .map(|(id, starts_at, status)| Occurrence { id, starts_at: from_ts(starts_at), status })
                .collect(),
            None => vec![],
        };
        let history = audit::of_session(conn, id, HISTORY_SHOWN).await?.into_iter().map(change).collect();
        let organiser = session.seats.row.organiser_structure_id;
        let cancelled = session.seats.row.status == SessionStatus::Cancelled;
        Ok(SessionOverview {
            organiser_name: name_of(organiser).unwrap_or_default(),
            audience_names: session.seats.audience.iter().filter_map(|id| name_of(*id)).collect(),
            facilitators,
            reserved,
            series,
            history,
            may_edit: !cancelled && actor.may_manage_session(&scope(&session)),
            may_cancel: !cancelled && actor.may_cancel_session(&scope(&session)),
            may_duplicate: actor.may_create_session(organiser),
            entry: entries(conn, actor, vec![session], self.clock.now()).await?.pop().expect("visible"),
        })
    }
}

fn change(row: AuditRow) -> Change {
    let by = row.actor.split(':').next().unwrap_or_default().to_string();
    Change {
        at: from_ts(row.at),
        by_staff: row.actor_name,
        by: if by == "user" { "staff".into() } else { by },
        action: row.action,
        details: row.details,
    }
}
