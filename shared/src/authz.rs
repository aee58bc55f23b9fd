//! Who may do what. Every adapter (pages, API, CLI) asks these functions; none decides alone.

use crate::{ParticipantId, Role, StructureId, UserId};
use serde::{Deserialize, Serialize};

/// The person behind a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Staff {
        user_id: UserId,
        role: Role,
        structure_id: Option<StructureId>,
    },
    Participant {
        participant_id: ParticipantId,
        structure_id: StructureId,
    },
    /// Whoever runs the `toile` command on the server (setting up, demo data): they own the
    /// machine, so they administer the group, but they act for no participant.
    Operator,
}

/// The part of the audit trail someone may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditScope {
    /// Every entry: group coordinators, admins, the operator.
    Everything,
    /// The entries about a structure: made by its staff, about its participants, or about the
    /// sessions it organises (a structure's coordinator).
    Structure(StructureId),
}

/// Whose figures (fill, attendance, pooling) someone may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FiguresScope {
    /// The whole group, or any one structure of it: group coordinators, admins, the operator.
    Group,
    /// One structure's: its coordinators and CIPs, who run its sessions.
    Structure(StructureId),
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

    /// The staff member's account, if the actor is one.
    pub fn staff_user_id(&self) -> Option<UserId> {
        match self {
            Actor::Staff { user_id, .. } => Some(*user_id),
            _ => None,
        }
    }

    /// The participant, if the actor is one.
    pub fn participant_id(&self) -> Option<ParticipantId> {
        match self {
            Actor::Participant { participant_id, .. } => Some(*participant_id),
            _ => None,
        }
    }

    /// Group coordinators, admins and the operator act across the whole group.
    pub fn is_group_wide(&self) -> bool {
        matches!(self, Actor::Staff { role: Role::GroupCoordinator | Role::Admin, .. } | Actor::Operator)
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
            Actor::Operator => true,
            Actor::Participant { .. } => false,
        }
    }

    /// See everyone enrolled by name (others see their own structure's people by name and
    /// counts for the rest): the session's managers, whose facilitators run it and need every
    /// name on the sign-in sheet.
    pub fn may_see_roster_names(&self, session: &SessionScope) -> bool {
        self.may_manage_session(session)
    }

    /// Mark who came, on the day or afterwards.
    pub fn may_take_attendance(&self, session: &SessionScope) -> bool {
        self.may_manage_session(session)
    }

    /// Print the sign-in sheet (it names everyone enrolled).
    pub fn may_print_sign_in_sheet(&self, session: &SessionScope) -> bool {
        self.may_manage_session(session)
    }

    /// Give a waiting person a seat that is free for them.
    pub fn may_move_from_waitlist(&self, session: &SessionScope) -> bool {
        self.may_manage_session(session)
    }

    /// Enrol one person beyond capacity, with a reason: the session's managers only.
    pub fn may_overbook(&self, session: &SessionScope) -> bool {
        self.is_staff() && self.may_manage_session(session)
    }

    /// Cancel a session (or make it a draft again): its structure's staff and group-wide staff.
    /// A co-facilitator from another structure edits and takes attendance, but does not cancel.
    pub fn may_cancel_session(&self, session: &SessionScope) -> bool {
        self.is_group_wide() || self.is_staff_of(session.organiser_structure_id)
    }

    /// Enrol or unenrol this participant, see their details: themselves, or staff of their
    /// structure (their CIP or any CIP of the structure), or group-wide staff.
    pub fn may_act_for_participant(&self, participant: ParticipantId, participant_structure: StructureId) -> bool {
        match self {
            Actor::Participant { participant_id, .. } => *participant_id == participant,
            Actor::Staff { .. } => self.is_group_wide() || self.is_staff_of(participant_structure),
            Actor::Operator => false,
        }
    }

    /// List or register the participants of a structure.
    pub fn may_manage_participants_of(&self, structure: StructureId) -> bool {
        self.is_group_wide() || self.is_staff_of(structure)
    }

    /// Answer a person's request about their data (a copy of it, its erasure): a coordinator of
    /// their structure, or group-wide staff. A CIP passes the request on.
    pub fn may_answer_data_request_of(&self, structure: StructureId) -> bool {
        self.is_group_wide()
            || matches!(self, Actor::Staff { role: Role::Coordinator, .. } if self.is_staff_of(structure))
    }

    /// Staff see every published session of the group and the drafts they could manage.
    pub fn may_see_draft(&self, session: &SessionScope) -> bool {
        self.may_manage_session(session)
    }

    /// Read the audit trail: coordinators their structure's part, group-wide staff all of it;
    /// CIPs and participants none (a session's own history is on its page).
    pub fn audit_scope(&self) -> Option<AuditScope> {
        match self {
            _ if self.is_group_wide() => Some(AuditScope::Everything),
            Actor::Staff { role: Role::Coordinator, structure_id: Some(structure), .. } => {
                Some(AuditScope::Structure(*structure))
            }
            _ => None,
        }
    }

    /// Read the figures: group-wide staff the group's, a structure's staff their structure's;
    /// participants none (figures are counts about other people).
    pub fn figures_scope(&self) -> Option<FiguresScope> {
        match self {
            _ if self.is_group_wide() => Some(FiguresScope::Group),
            Actor::Staff { structure_id: Some(structure), .. } => Some(FiguresScope::Structure(*structure)),
            _ => None,
        }
    }

    /// Only admins (and the operator) create staff accounts and structures.
    pub fn may_administer(&self) -> bool {
        matches!(self, Actor::Staff { role: Role::Admin, .. } | Actor::Operator)
    }

    /// Subscribe to the whole group's programme: any staff member (a calendar is someone's).
    pub fn may_follow_group_calendar(&self) -> bool {
        self.is_staff()
    }

    /// Subscribe to a structure's programme: its staff, or group-wide staff.
    pub fn may_follow_structure_calendar(&self, structure: StructureId) -> bool {
        self.is_staff() && (self.is_group_wide() || self.is_staff_of(structure))
    }

    /// Subscribe to a staff member's sessions (those they facilitate and those their
    /// participants attend): themselves, group-wide staff, or a coordinator of their structure.
    pub fn may_follow_staff_calendar(&self, user: UserId, user_structure: Option<StructureId>) -> bool {
        match self {
            Actor::Staff { user_id, role, structure_id } => {
                *user_id == user
                    || self.is_group_wide()
                    || (*role == Role::Coordinator && structure_id.is_some() && *structure_id == user_structure)
            }
            Actor::Participant { .. } | Actor::Operator => false,
        }
    }

    /// Regenerate or delete a calendar feed: the person who created it, or an admin.
    pub fn may_manage_feed(&self, owner_user: Option<UserId>, owner_participant: Option<ParticipantId>) -> bool {
        match self {
            Actor::Staff { user_id, .. } => self.may_administer() || owner_user == Some(*user_id),
            Actor::Participant { participant_id, .. } => owner_participant == Some(*participant_id),
            Actor::Operator => true,
        }
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
    fn coordinators_read_their_structures_audit_trail_and_cips_none() {
        assert_eq!(coordinator(2).audit_scope(), Some(AuditScope::Structure(2)));
        assert_eq!(group_coordinator().audit_scope(), Some(AuditScope::Everything));
        assert_eq!(Actor::Operator.audit_scope(), Some(AuditScope::Everything));
        assert_eq!(cip(1).audit_scope(), None);
        assert_eq!(participant(5, 1).audit_scope(), None);
    }

    #[test]
    fn a_structures_staff_read_its_figures_group_wide_staff_the_groups_and_participants_none() {
        assert_eq!(cip(1).figures_scope(), Some(FiguresScope::Structure(1)));
        assert_eq!(coordinator(2).figures_scope(), Some(FiguresScope::Structure(2)));
        assert_eq!(group_coordinator().figures_scope(), Some(FiguresScope::Group));
        assert_eq!(Actor::Operator.figures_scope(), Some(FiguresScope::Group));
        assert_eq!(participant(5, 1).figures_scope(), None);
    }

    #[test]
    fn a_persons_data_requests_are_answered_by_their_structures_coordinator_or_group_wide_staff() {
        assert!(coordinator(1).may_answer_data_request_of(1));
        assert!(!coordinator(2).may_answer_data_request_of(1));
        assert!(!cip(1).may_answer_data_request_of(1), "a CIP passes the request on");
        assert!(group_coordinator().may_answer_data_request_of(1));
        assert!(!participant(5, 1).may_answer_data_request_of(1));
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
    fn a_co_facilitator_from_another_structure_edits_but_does_not_cancel() {
        let scope = SessionScope { organiser_structure_id: 2, facilitator_ids: &[10] };
        assert!(cip(1).may_manage_session(&scope));
        assert!(!cip(1).may_cancel_session(&scope));
        assert!(cip(2).may_cancel_session(&scope), "a CIP of the organising structure");
        assert!(coordinator(2).may_cancel_session(&scope));
        assert!(group_coordinator().may_cancel_session(&scope));
        assert!(!Actor::Participant { participant_id: 1, structure_id: 2 }.may_cancel_session(&scope));
    }

    #[test]
    fn a_participant_acts_only_for_themselves() {
        let me = Actor::Participant { participant_id: 5, structure_id: 1 };
        assert!(me.may_act_for_participant(5, 1));
        assert!(!me.may_act_for_participant(6, 1));
        assert!(!me.may_manage_session(&SessionScope { organiser_structure_id: 1, facilitator_ids: &[] }));
    }

    fn coordinator(structure: StructureId) -> Actor {
        Actor::Staff { user_id: 30, role: Role::Coordinator, structure_id: Some(structure) }
    }

    fn participant(id: ParticipantId, structure: StructureId) -> Actor {
        Actor::Participant { participant_id: id, structure_id: structure }
    }

    #[test]
    fn any_staff_member_follows_the_group_calendar_but_no_participant() {
        assert!(cip(1).may_follow_group_calendar());
        assert!(group_coordinator().may_follow_group_calendar());
        assert!(!participant(5, 1).may_follow_group_calendar());
    }

    #[test]
    fn a_structure_calendar_is_for_its_staff_and_group_wide_staff() {
        assert!(cip(1).may_follow_structure_calendar(1));
        assert!(!cip(1).may_follow_structure_calendar(2));
        assert!(!coordinator(1).may_follow_structure_calendar(2));
        assert!(group_coordinator().may_follow_structure_calendar(2));
        assert!(!participant(5, 1).may_follow_structure_calendar(1));
    }

    #[test]
    fn a_staff_calendar_is_for_them_their_structure_coordinator_and_group_wide_staff() {
        assert!(cip(1).may_follow_staff_calendar(10, Some(1)), "themselves");
        assert!(!cip(1).may_follow_staff_calendar(11, Some(1)), "a colleague CIP may not");
        assert!(coordinator(1).may_follow_staff_calendar(11, Some(1)));
        assert!(!coordinator(2).may_follow_staff_calendar(11, Some(1)));
        assert!(!coordinator(1).may_follow_staff_calendar(20, None), "not a group-wide user");
        assert!(group_coordinator().may_follow_staff_calendar(11, Some(1)));
        assert!(!participant(5, 1).may_follow_staff_calendar(10, Some(1)));
    }

    #[test]
    fn only_the_creator_or_an_admin_manages_a_feed() {
        let admin = Actor::Staff { user_id: 40, role: Role::Admin, structure_id: None };
        assert!(cip(1).may_manage_feed(Some(10), None));
        assert!(!cip(1).may_manage_feed(Some(11), None));
        assert!(!group_coordinator().may_manage_feed(Some(10), None));
        assert!(admin.may_manage_feed(Some(10), None));
        assert!(admin.may_manage_feed(None, Some(5)));
        assert!(participant(5, 1).may_manage_feed(None, Some(5)));
        assert!(!participant(5, 1).may_manage_feed(None, Some(6)));
        assert!(!participant(10, 1).may_manage_feed(Some(10), None), "ids of different kinds never match");
    }

    #[test]
    fn the_operator_administers_but_acts_for_no_participant() {
        assert!(Actor::Operator.may_administer());
        assert!(Actor::Operator.may_manage_participants_of(3));
        assert!(!Actor::Operator.may_act_for_participant(5, 1));
        assert!(!Actor::Operator.may_follow_group_calendar());
    }

    #[test]
    fn other_structures_see_only_a_first_name_and_initial() {
        assert!(!cip(2).sees_full_name_of(1));
        assert_eq!(first_name_and_initial("Amina", "benali"), "Amina B.");
    }
}
