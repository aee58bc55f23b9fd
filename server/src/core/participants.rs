//! A structure's participants as their CIPs work with them: found by name, followed session by
//! session, given a new access code (which ends the old one everywhere), archived when they
//! leave. Registering is in `directory`.

use super::audit::Entry;
use super::secrets::new_access_code;
use super::store::participants::{self as stored, Attended, ListedParticipant};
use super::store::{from_ts, is_unique_violation, people, to_ts};
use super::{Core, CoreError, CoreResult};
use chrono::{DateTime, Utc};
use toile_shared::audit::AuditAction;
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
    ParticipantEntry {
        id: row.id,
        first_name: row.first_name,
        last_name: row.last_name,
        structure_id: row.structure_id,
        structure_name: row.structure_name,
        referent_name: row.referent_name,
        phone: row.phone,
        email: row.email,
        active: row.active != 0,
        anonymised: row.anonymised_at.is_some(),
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
        let ids: Vec<ParticipantId> = rows.iter().map(|row| row.id).collect();
        let mut coming = stored::coming(&mut conn, &ids, to_ts(self.now())).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let theirs = coming.extract_if(.., |c| c.participant_id == row.id).map(line).collect();
                entry(row, theirs)
            })
            .collect())
    }

    /// One participant's record, for staff of their structure and group-wide staff.
    pub async fn participant_record(&self, actor: &Actor, id: ParticipantId) -> CoreResult<ParticipantRecord> {
        let mut conn = self.store.read().await?;
        let row = stored::one(&mut conn, id).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.is_staff() || !actor.may_manage_participants_of(row.structure_id) {
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

    /// Draws a new access code for the person (to print on a new card): the old code stops
    /// working, and their browsers and calendar links are signed out. Returns the code, shown
    /// this once.
    pub async fn renew_access_code(&self, actor: &Actor, id: ParticipantId) -> CoreResult<String> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let person = people::participant(&mut tx, id).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.is_staff() || !actor.may_manage_participants_of(person.structure_id) {
            return Err(CoreError::NotFound("Participant"));
        }
        if person.active == 0 {
            return Err(CoreError::conflict("archived", "Cette personne est archivée : elle n'a plus de code."));
        }
        // A fresh code collides with another about once in 10^11: draw again.
        let mut code = None;
        let at = to_ts(tx.at);
        for _ in 0..5 {
            let candidate = new_access_code();
            sqlx::query("SAVEPOINT new_code").execute(&mut *tx).await?;
            match people::set_access_code_hash(&mut tx, id, &self.settings.secret_key.stored_code(&candidate), at).await
            {
                Ok(_) => {
                    code = Some(candidate);
                    break;
                }
                Err(e) if is_unique_violation(&e) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT new_code").execute(&mut *tx).await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        let code = code.ok_or_else(|| CoreError::Internal("could not draw a unique access code".into()))?;
        stored::sign_out_everywhere(&mut tx, id).await?;
        Entry::new(actor, AuditAction::AccessCodeRenewed).participant(id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(code)
    }

    /// Archives a participant who has left: they can no longer sign in, their places in
    /// sessions to come are given up (to the people waiting), their past stays in the figures.
    pub async fn archive_participant(&self, actor: &Actor, id: ParticipantId) -> CoreResult<()> {
        let record = self.participant_record(actor, id).await?;
        for session in &record.entry.coming {
            match self.unenrol(actor, session.session_id, id).await {
                Ok(_) | Err(CoreError::NotFound(_)) => {}
                Err(error) => return Err(error),
            }
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        let at = to_ts(tx.at);
        stored::archive(&mut tx, id, at).await?;
        stored::sign_out_everywhere(&mut tx, id).await?;
        Entry::new(actor, AuditAction::ParticipantArchived).participant(id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
