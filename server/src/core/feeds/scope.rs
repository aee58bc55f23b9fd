//! What a feed follows, who may follow it, and its name in calendar apps.

use super::super::store::feeds::{FeedRow, Followed};
use super::super::store::from_ts;
use super::super::views::{CalendarReader, FeedView, paris};
use toile_shared::authz::Actor;
use toile_shared::{CalendarScope, ParticipantId, SessionKind, StructureId, UserId};

/// Whose sessions a feed lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeedScope {
    Group,
    /// Sessions the structure organises or that are open to it.
    Structure(StructureId),
    /// Sessions the staff member facilitates, and those their participants attend.
    Staff(UserId),
    /// The participant's confirmed sessions.
    Participant(ParticipantId),
}

impl FeedScope {
    pub fn kind(self) -> CalendarScope {
        match self {
            FeedScope::Group => CalendarScope::Group,
            FeedScope::Structure(_) => CalendarScope::Structure,
            FeedScope::Staff(_) => CalendarScope::Staff,
            FeedScope::Participant(_) => CalendarScope::Participant,
        }
    }

    /// (structure_id, user_id, participant_id) as stored.
    pub(super) fn ids(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            FeedScope::Group => (None, None, None),
            FeedScope::Structure(id) => (Some(id), None, None),
            FeedScope::Staff(id) => (None, Some(id), None),
            FeedScope::Participant(id) => (None, None, Some(id)),
        }
    }

    pub fn reader(self) -> CalendarReader {
        match self {
            FeedScope::Participant(_) => CalendarReader::Participant,
            _ => CalendarReader::Staff,
        }
    }

    pub(super) fn followed(self) -> Followed {
        match self {
            FeedScope::Group => Followed::Group,
            FeedScope::Structure(id) => Followed::Structure(id),
            FeedScope::Staff(id) => Followed::Staff(id),
            FeedScope::Participant(id) => Followed::Participant(id),
        }
    }
}

/// What a feed is about, with the facts its permission and name depend on.
#[derive(Clone, Debug)]
pub(super) enum Target {
    Group,
    Structure { id: StructureId, name: String },
    Staff { id: UserId, structure_id: Option<StructureId>, name: String },
    Participant { id: ParticipantId, structure_id: StructureId },
}

pub(super) fn may_follow(actor: &Actor, target: &Target) -> bool {
    match target {
        Target::Group => actor.may_follow_group_calendar(),
        Target::Structure { id, .. } => actor.may_follow_structure_calendar(*id),
        Target::Staff { id, structure_id, .. } => actor.may_follow_staff_calendar(*id, *structure_id),
        Target::Participant { id, structure_id } => actor.may_act_for_participant(*id, *structure_id),
    }
}

/// The calendar's name in French. A participant's feed carries no name at all.
pub(super) fn feed_name(target: &Target, kind: Option<SessionKind>, owner_user: Option<UserId>) -> String {
    let base = match target {
        Target::Group => "Toile — programme du groupe".to_string(),
        Target::Structure { name, .. } => format!("Toile — {name}"),
        Target::Staff { id, name, .. } if owner_user == Some(*id) => format!("Toile — mes séances ({name})"),
        Target::Staff { name, .. } => format!("Toile — séances de {name}"),
        Target::Participant { .. } => "Toile — mes ateliers".to_string(),
    };
    match kind {
        Some(kind) => format!("{base} · {}", kind.label()),
        None => base,
    }
}

/// A stored feed, read with its owner and subject as they are today.
pub(super) struct StoredFeed(pub FeedRow);

impl StoredFeed {
    pub fn scope(&self) -> Option<FeedScope> {
        let row = &self.0;
        match CalendarScope::parse(&row.scope)? {
            CalendarScope::Group => Some(FeedScope::Group),
            CalendarScope::Structure => row.structure_id.map(FeedScope::Structure),
            CalendarScope::Staff => row.user_id.map(FeedScope::Staff),
            CalendarScope::Participant => row.participant_id.map(FeedScope::Participant),
        }
    }

    /// `Err` for a code this build does not know.
    pub fn kind(&self) -> Result<Option<SessionKind>, ()> {
        self.0.kind.as_deref().map(|code| SessionKind::parse(code).ok_or(())).transpose()
    }

    /// What the feed is about, if it still exists (a deactivated person is gone).
    pub fn target(&self) -> Option<Target> {
        let row = &self.0;
        Some(match self.scope()? {
            FeedScope::Group => Target::Group,
            FeedScope::Structure(id) => Target::Structure { id, name: row.structure_name.clone()? },
            FeedScope::Staff(id) => {
                (row.user_active == Some(1)).then_some(())?;
                Target::Staff { id, structure_id: row.user_structure_id, name: row.user_name.clone()? }
            }
            FeedScope::Participant(id) => {
                (row.participant_active == Some(1)).then_some(())?;
                Target::Participant { id, structure_id: row.participant_structure_id? }
            }
        })
    }

    /// The owner as they act today, if still active.
    pub fn owner(&self) -> Option<Actor> {
        let row = &self.0;
        match (row.owner_user_id, row.owner_participant_id) {
            (Some(user_id), _) if row.owner_user_active == Some(1) => {
                Some(Actor::Staff { user_id, role: row.owner_role?, structure_id: row.owner_structure_id })
            }
            (None, Some(participant_id)) if row.owner_participant_active == Some(1) => {
                Some(Actor::Participant { participant_id, structure_id: row.owner_participant_structure_id? })
            }
            _ => None,
        }
    }

    pub fn view(&self) -> FeedView {
        let row = &self.0;
        let name = match (self.target(), self.kind()) {
            (Some(target), Ok(kind)) => feed_name(&target, kind, row.owner_user_id),
            _ => "Toile — agenda".to_string(),
        };
        FeedView {
            id: row.id,
            scope: CalendarScope::parse(&row.scope).unwrap_or(CalendarScope::Group),
            structure_id: row.structure_id,
            user_id: row.user_id,
            participant_id: row.participant_id,
            kind: self.kind().ok().flatten(),
            name,
            created_at: paris(from_ts(row.created_at)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_names_never_carry_a_participants_name() {
        let participant = Target::Participant { id: 5, structure_id: 1 };
        assert_eq!(feed_name(&participant, None, Some(10)), "Toile — mes ateliers");
        let claire = Target::Staff { id: 10, structure_id: Some(1), name: "Claire Martin".into() };
        assert_eq!(feed_name(&claire, None, Some(10)), "Toile — mes séances (Claire Martin)");
        assert_eq!(feed_name(&claire, None, Some(11)), "Toile — séances de Claire Martin");
        assert_eq!(
            feed_name(&Target::Group, Some(SessionKind::JobDating), None),
            "Toile — programme du groupe · Job dating"
        );
    }
}
