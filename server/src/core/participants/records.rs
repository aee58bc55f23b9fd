//! A structure's participants as their CIPs work with them: a page of them, found by name,
//! followed session by session in their record.

use crate::core::store::participants::{self as stored, Attended, ListedParticipant, ParticipantRow};
use crate::core::store::{from_ts, to_ts};
use crate::core::views::ParticipantView;
use crate::core::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use toile_shared::authz::Actor;
use toile_shared::{Attendance, EnrolmentStatus, ParticipantId, SessionId, SessionStatus, StructureId};

/// The most people a search shows: type more of the name to find someone further down.
pub const PARTICIPANTS_SHOWN: i64 = 200;

/// A participant as their structure's staff see them in a list.
#[derive(Clone, Debug)]
pub struct ParticipantEntry {
    pub id: ParticipantId,
    pub first_name: String,
    pub last_name: String,
    pub structure_id: StructureId,
    pub structure_name: String,
    pub referent_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    /// Their data was erased (on request, or after the retention period): only what they
    /// attended is left, under their structure.
    pub anonymised: bool,
    /// Sessions to come they are in or waiting for, soonest first.
    pub coming: Vec<SessionLine>,
}

/// A session in a participant's record.
#[derive(Clone, Debug)]
pub struct SessionLine {
    pub session_id: SessionId,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub session_status: SessionStatus,
    pub status: EnrolmentStatus,
    pub attendance: Attendance,
    /// The staff member who enrolled them on their behalf.
    pub enrolled_by: Option<String>,
}

/// One participant with every session they were in, latest first.
#[derive(Clone, Debug)]
pub struct ParticipantRecord {
    pub entry: ParticipantEntry,
    pub history: Vec<SessionLine>,
}

fn line(row: Attended) -> SessionLine {
    SessionLine {
        session_id: row.session_id,
        title: row.title,
        starts_at: from_ts(row.starts_at),
        session_status: row.session_status,
        status: row.status,
        attendance: row.attendance,
        enrolled_by: row.enrolled_by,
    }
}

fn entry(row: ListedParticipant, coming: Vec<SessionLine>) -> ParticipantEntry {
    let ListedParticipant { person, structure_name, referent_name, phone, email, anonymised_at } = row;
    ParticipantEntry {
        id: person.id,
        first_name: person.first_name,
        last_name: person.last_name,
        structure_id: person.structure_id,
        structure_name,
        referent_name,
        phone,
        email,
        active: person.active != 0,
        anonymised: anonymised_at.is_some(),
        coming,
    }
}

impl Core {
    /// The participants the actor works with (their structure's; everyone's for group-wide
    /// staff) whose name contains `search`, by last name.
    pub async fn find_participants(&self, actor: &Actor, search: &str) -> CoreResult<Vec<ParticipantEntry>> {
        let structure = match actor {
            _ if actor.is_group_wide() => None,
            Actor::Staff { structure_id: Some(own), .. } if actor.may_manage_participants_of(*own) => Some(*own),
            _ => return Err(CoreError::Forbidden),
        };
        let mut conn = self.store.read().await?;
        let rows = stored::search(&mut conn, structure, search, PARTICIPANTS_SHOWN).await?;
        let ids: Vec<ParticipantId> = rows.iter().map(|row| row.person.id).collect();
        let mut coming = stored::coming(&mut conn, &ids, to_ts(self.now())).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let theirs = coming.extract_if(.., |c| c.participant_id == row.person.id).map(line).collect();
                entry(row, theirs)
            })
            .collect())
    }

    /// One participant's record, for staff of their structure and group-wide staff.
    pub async fn participant_record(&self, actor: &Actor, id: ParticipantId) -> CoreResult<ParticipantRecord> {
        let mut conn = self.store.read().await?;
        let row = stored::listed(&mut conn, id).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.is_staff() || !actor.may_manage_participants_of(row.person.structure_id) {
            // Someone else's participant is not there for them.
            return Err(CoreError::NotFound("Participant"));
        }
        let history: Vec<SessionLine> = stored::history(&mut conn, id).await?.into_iter().map(line).collect();
        let now = self.now();
        let coming = history
            .iter()
            .filter(|l| l.starts_at >= now && l.status.is_active() && l.session_status != SessionStatus::Cancelled)
            .cloned()
            .rev()
            .collect();
        Ok(ParticipantRecord { entry: entry(row, coming), history })
    }

    /// A page of a structure's participants (the actor's, or everyone's for group-wide staff),
    /// by name: at most `limit` (up to `MAX_PAGE_SIZE`) after `after`, and the last one's id
    /// when there are more.
    pub async fn participants(
        &self,
        actor: &Actor,
        structure_id: Option<StructureId>,
        after: Option<ParticipantId>,
        limit: u32,
    ) -> CoreResult<(Vec<ParticipantView>, Option<ParticipantId>)> {
        let structure_id = match (structure_id, actor) {
            (Some(id), _) => Some(id),
            (None, Actor::Staff { structure_id: Some(own), .. }) => Some(*own),
            (None, _) if actor.is_group_wide() => None,
            (None, _) => return Err(CoreError::Forbidden),
        };
        if let Some(structure) = structure_id
            && !actor.may_manage_participants_of(structure)
        {
            return Err(CoreError::Forbidden);
        }
        let limit = limit.clamp(1, crate::core::MAX_PAGE_SIZE) as usize;
        let mut conn = self.store.read().await?;
        let mut rows = stored::page(&mut conn, structure_id, after, limit as i64 + 1).await?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = rows.last().filter(|_| more).map(|last| last.id);
        Ok((rows.into_iter().map(Into::into).collect(), next))
    }
}

impl From<ParticipantRow> for ParticipantView {
    fn from(row: ParticipantRow) -> Self {
        ParticipantView {
            id: row.id,
            first_name: row.first_name,
            last_name: row.last_name,
            structure_id: row.structure_id,
            referent_id: row.referent_id,
            active: row.active != 0,
        }
    }
}
