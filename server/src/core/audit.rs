//! The audit trail: who changed what, written in the same transaction as the change (through
//! the store's write path, so an entry exists exactly when its change does).

use super::store::WriteTx;
use super::store::audit as stored;
use super::store::to_ts;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{ParticipantId, SessionId};

/// `user:<id>`, `participant:<id>`, `operator` (the command line) or `system` (the server's own
/// jobs, such as giving released seats to people waiting); `anonymous` for someone not signed in
/// (a failed sign-in, see `Entry::anonymous`).
pub fn actor_label(actor: Option<&Actor>) -> String {
    match actor {
        Some(Actor::Staff { user_id, .. }) => format!("user:{user_id}"),
        Some(Actor::Participant { participant_id, .. }) => format!("participant:{participant_id}"),
        Some(Actor::Operator) => "operator".into(),
        None => "system".into(),
    }
}

/// One entry: `Entry::new(actor, AuditAction::Enrolled).session(id).participant(id).write(&mut tx)`.
pub struct Entry<'a> {
    actor: Option<&'a Actor>,
    anonymous: bool,
    action: AuditAction,
    session_id: Option<SessionId>,
    participant_id: Option<ParticipantId>,
    details: String,
}

impl<'a> Entry<'a> {
    pub fn new(actor: impl Into<Option<&'a Actor>>, action: AuditAction) -> Self {
        Entry {
            actor: actor.into(),
            anonymous: false,
            action,
            session_id: None,
            participant_id: None,
            details: String::new(),
        }
    }

    /// An entry for someone who is not signed in.
    pub fn anonymous(action: AuditAction) -> Self {
        Entry { anonymous: true, ..Entry::new(None, action) }
    }

    pub fn session(mut self, id: SessionId) -> Self {
        self.session_id = Some(id);
        self
    }

    pub fn participant(mut self, id: impl Into<Option<ParticipantId>>) -> Self {
        self.participant_id = id.into();
        self
    }

    pub fn details(mut self, details: impl Into<String>) -> Self {
        self.details = details.into();
        self
    }

    pub async fn write(self, tx: &mut WriteTx) -> Result<(), sqlx::Error> {
        let actor = if self.anonymous { "anonymous".into() } else { actor_label(self.actor) };
        let entry = stored::NewEntry {
            at: to_ts(tx.at),
            actor: &actor,
            action: self.action.code(),
            session_id: self.session_id,
            participant_id: self.participant_id,
            details: &self.details,
        };
        stored::insert(tx, entry).await
    }
}
