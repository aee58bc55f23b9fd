//! Who may do what. Every adapter (pages, API, CLI) asks these functions; none decides alone.

use crate::{ParticipantId, Role, StructureId, UserId};
use serde::{Deserialize, Serialize};

/// The person behind a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Staff { user_id: UserId, role: Role, structure_id: Option<StructureId> },
    Participant { participant_id: ParticipantId, structure_id: StructureId },
}

/// The facts about a session that permissions depend on.
#[derive(Clone, Debug)]
pub struct SessionScope<'a> {
    pub organiser_structure_id: StructureId,
    pub facilitator_ids: &'a [UserId],
}

impl Actor {
    pub fn is_staff(&self) -> bool {
        matches!(self, Actor::Staff { .. })
    }

    /// Group coordinators and admins act across the whole group.
    pub fn is_group_wide(&self) -> bool {
        matches!(self, Actor::Staff { role: Role::GroupCoordinator | Role::Admin, .. })
    }

    fn is_staff_of(&self, structure: StructureId) -> bool {
        matches!(self, Actor::Staff { structure_id: Some(own), .. } if *own == structure)
    }

    /// Propose a session organised by this structure.
    pub fn may_create_session(&self, organiser: StructureId) -> bool {
        self.is_group_wide() || self.is_staff_of(organiser)
    }

    /// Change, cancel, take attendance, see the full list of who enrolled.
    pub fn may_manage_session(&self, session: &SessionScope) -> bool {
        match self {
            Actor::Staff { user_id, .. } => {
                self.is_group_wide()
                    || self.is_staff_of(session.organiser_structure_id)
                    || session.facilitator_ids.contains(user_id)
            }
            Actor::Participant { .. } => false,
        }
    }

    /// Enrol or unenrol this participant, see their details: themselves, or staff of their
    /// structure (their CIP or any CIP of the structure), or group-wide staff.
    pub fn may_act_for_participant(
        &self,
        participant: ParticipantId,
        participant_structure: StructureId,
    ) -> bool {
        match self {
            Actor::Participant { participant_id, .. } => *participant_id == participant,
            Actor::Staff { .. } => self.is_group_wide() || self.is_staff_of(participant_structure),
        }
    }

    /// List or register the participants of a structure.
    pub fn may_manage_participants_of(&self, structure: StructureId) -> bool {
        self.is_group_wide() || self.is_staff_of(structure)
    }

    /// Staff see every published session of the group and the drafts they could manage.
    pub fn may_see_draft(&self, session: &SessionScope) -> bool {
        self.may_manage_session(session)
    }

    /// Only admins create staff accounts and structures.
    pub fn may_administer(&self) -> bool {
        matches!(self, Actor::Staff { role: Role::Admin, .. })
    }

    /// The participant's own name is shown in full to staff of their structure and group-wide
    /// staff; others see a first name and an initial.
    pub fn sees_full_name_of(&self, participant_structure: StructureId) -> bool {
        self.is_group_wide() || self.is_staff_of(participant_structure)
    }
}

/// "Amina B." — what other structures see of a participant.
pub fn first_name_and_initial(first_name: &str, last_name: &str) -> String {
    match last_name.trim().chars().next() {
        Some(initial) => format!("{} {}.", first_name.trim(), initial.to_uppercase()),
        None => first_name.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cip(structure: StructureId) -> Actor {
        Actor::Staff { user_id: 10, role: Role::Cip, structure_id: Some(structure) }
    }

    fn group_coordinator() -> Actor {
        Actor::Staff { user_id: 20, role: Role::GroupCoordinator, structure_id: None }
    }

    #[test]
    fn a_cip_creates_sessions_only_for_their_structure() {
        assert!(cip(1).may_create_session(1));
        assert!(!cip(1).may_create_session(2));
        assert!(group_coordinator().may_create_session(2));
    }

    #[test]
    fn a_co_facilitator_from_another_structure_may_manage_the_session() {
        let scope = SessionScope { organiser_structure_id: 2, facilitator_ids: &[10] };
        assert!(cip(1).may_manage_session(&scope));
        let not_facilitating = SessionScope { organiser_structure_id: 2, facilitator_ids: &[11] };
        assert!(!cip(1).may_manage_session(&not_facilitating));
    }

    #[test]
    fn any_cip_of_the_participants_structure_may_enrol_them() {
        assert!(cip(1).may_act_for_participant(5, 1));
        assert!(!cip(2).may_act_for_participant(5, 1));
    }

    #[test]
    fn a_participant_acts_only_for_themselves() {
        let me = Actor::Participant { participant_id: 5, structure_id: 1 };
        assert!(me.may_act_for_participant(5, 1));
        assert!(!me.may_act_for_participant(6, 1));
        assert!(!me.may_manage_session(&SessionScope { organiser_structure_id: 1, facilitator_ids: &[] }));
    }

    #[test]
    fn other_structures_see_only_a_first_name_and_initial() {
        assert!(!cip(2).sees_full_name_of(1));
        assert_eq!(first_name_and_initial("Amina", "benali"), "Amina B.");
    }
}
