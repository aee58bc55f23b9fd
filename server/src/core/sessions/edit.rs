//! Two editors of one session: a form carries the version and the values it showed, so a save
//! applies what this editor changed (the values posted against the values shown), never the
//! rest of a stale form. When someone changed the session meanwhile, the editor's change is
//! applied on top of theirs if they touched other fields, and refused (nothing written) if both
//! changed a field differently: the editor then chooses, seeing both values.

use super::patch::SessionPatch;
use chrono::{DateTime, Utc};
use toile_shared::Audience;
use toile_shared::session_input::SessionInput;

/// What an editor changes from a form: the version and values it showed, the values posted.
#[derive(Clone, Debug)]
pub struct Edit {
    pub version: i64,
    pub shown: SessionInput,
    pub wanted: SessionInput,
}

/// A field of a session an editor may change (its organiser never changes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionField {
    Title,
    Kind,
    Theme,
    Description,
    StartsAt,
    EndsAt,
    Capacity,
    Location,
    Audience,
    ReservedSeats,
    ReservedUntil,
    EnrolmentOpensAt,
    EnrolmentClosesAt,
    CancellationDeadline,
    Facilitators,
    CompanyName,
    Speaker,
    Status,
}

/// A change refused because another editor changed the same fields since the form was shown.
#[derive(Clone, Debug)]
pub struct EditedMeanwhile {
    /// Who made the last change (`None`: the operator, or a change older than versions).
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    /// The fields both changed, to different values.
    pub fields: Vec<SessionField>,
    /// The session as it is now.
    pub theirs: SessionInput,
    /// The values this editor posted.
    pub mine: SessionInput,
    /// The version it is at now.
    pub version: i64,
}

impl SessionField {
    pub const ALL: [SessionField; 18] = [
        SessionField::Title,
        SessionField::Kind,
        SessionField::Theme,
        SessionField::Description,
        SessionField::StartsAt,
        SessionField::EndsAt,
        SessionField::Capacity,
        SessionField::Location,
        SessionField::Audience,
        SessionField::ReservedSeats,
        SessionField::ReservedUntil,
        SessionField::EnrolmentOpensAt,
        SessionField::EnrolmentClosesAt,
        SessionField::CancellationDeadline,
        SessionField::Facilitators,
        SessionField::CompanyName,
        SessionField::Speaker,
        SessionField::Status,
    ];

    /// Whether `a` and `b` hold the same value here; lists that are sets compare as sets.
    fn same(self, a: &SessionInput, b: &SessionInput) -> bool {
        use SessionField as F;
        match self {
            F::Title => a.title == b.title,
            F::Kind => a.kind == b.kind,
            F::Theme => a.theme == b.theme,
            F::Description => a.description == b.description,
            F::StartsAt => a.starts_at == b.starts_at,
            F::EndsAt => a.ends_at == b.ends_at,
            F::Capacity => a.capacity == b.capacity,
            F::Location => a.location == b.location,
            F::Audience => audience_set(&a.audience) == audience_set(&b.audience),
            F::ReservedSeats => {
                let seats = |input: &SessionInput| {
                    let mut seats: Vec<(i64, u32)> =
                        input.reserved_seats.iter().map(|r| (r.structure_id, r.seats)).collect();
                    seats.sort_unstable();
                    seats
                };
                seats(a) == seats(b)
            }
            F::ReservedUntil => a.reserved_until == b.reserved_until,
            F::EnrolmentOpensAt => a.enrolment_opens_at == b.enrolment_opens_at,
            F::EnrolmentClosesAt => a.enrolment_closes_at == b.enrolment_closes_at,
            F::CancellationDeadline => a.cancellation_deadline == b.cancellation_deadline,
            F::Facilitators => set(&a.facilitator_ids) == set(&b.facilitator_ids),
            F::CompanyName => a.company_name == b.company_name,
            F::Speaker => a.speaker == b.speaker,
            F::Status => a.status == b.status,
        }
    }

    /// Gives `into` this field's value in `from`.
    pub fn take(self, from: &SessionInput, into: &mut SessionInput) {
        let mut patch = SessionPatch::default();
        self.copy(from, &mut patch);
        *into = patch.apply(into.clone());
    }

    /// Names this field in `patch` with its value in `from`.
    fn copy(self, from: &SessionInput, patch: &mut SessionPatch) {
        use SessionField as F;
        match self {
            F::Title => patch.title = Some(from.title.clone()),
            F::Kind => patch.kind = Some(from.kind),
            F::Theme => patch.theme = Some(from.theme),
            F::Description => patch.description = Some(from.description.clone()),
            F::StartsAt => patch.starts_at = Some(from.starts_at),
            F::EndsAt => patch.ends_at = Some(from.ends_at),
            F::Capacity => patch.capacity = Some(from.capacity),
            F::Location => patch.location = Some(from.location.clone()),
            F::Audience => patch.audience = Some(from.audience.clone()),
            F::ReservedSeats => patch.reserved_seats = Some(from.reserved_seats.clone()),
            F::ReservedUntil => patch.reserved_until = Some(from.reserved_until),
            F::EnrolmentOpensAt => patch.enrolment_opens_at = Some(from.enrolment_opens_at),
            F::EnrolmentClosesAt => patch.enrolment_closes_at = Some(from.enrolment_closes_at),
            F::CancellationDeadline => patch.cancellation_deadline = Some(from.cancellation_deadline),
            F::Facilitators => patch.facilitator_ids = Some(from.facilitator_ids.clone()),
            F::CompanyName => patch.company_name = Some(from.company_name.clone()),
            F::Speaker => patch.speaker = Some(from.speaker.clone()),
            F::Status => patch.status = Some(from.status),
        }
    }
}

fn set(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn audience_set(audience: &Audience) -> Option<Vec<i64>> {
    match audience {
        Audience::All { .. } => None,
        Audience::Structures { structure_ids } => Some(set(structure_ids)),
    }
}

/// The fields that differ from `before` to `after`.
pub fn changed_fields(before: &SessionInput, after: &SessionInput) -> Vec<SessionField> {
    SessionField::ALL.into_iter().filter(|field| !field.same(before, after)).collect()
}

/// The change naming `fields`, with their values in `from`.
fn patch_of(fields: &[SessionField], from: &SessionInput) -> SessionPatch {
    let mut patch = SessionPatch::default();
    for field in fields {
        field.copy(from, &mut patch);
    }
    patch
}

/// What an edit does to the session as it is now (at `version`): the fields this editor
/// changed, when nobody else changed them meanwhile; else the fields both changed differently.
pub fn merge(edit: &Edit, current: &SessionInput, version: i64) -> Result<SessionPatch, Vec<SessionField>> {
    let mine = changed_fields(&edit.shown, &edit.wanted);
    if version == edit.version {
        return Ok(patch_of(&mine, &edit.wanted));
    }
    let theirs = changed_fields(&edit.shown, current);
    let (overlapping, apart): (Vec<SessionField>, Vec<SessionField>) =
        mine.into_iter().partition(|field| theirs.contains(field));
    // Both made the same change: nothing left to do there.
    let clashing: Vec<SessionField> =
        overlapping.into_iter().filter(|field| !field.same(&edit.wanted, current)).collect();
    if clashing.is_empty() { Ok(patch_of(&apart, &edit.wanted)) } else { Err(clashing) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use toile_shared::{SessionKind, SessionStatus};

    fn stored() -> SessionInput {
        let starts_at = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap();
        SessionInput {
            title: "Atelier CV".into(),
            kind: SessionKind::Workshop,
            theme: None,
            description: String::new(),
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            capacity: 12,
            organiser_structure_id: 1,
            location: None,
            audience: Audience::only(vec![1, 2]),
            reserved_seats: vec![],
            reserved_until: None,
            enrolment_opens_at: None,
            enrolment_closes_at: None,
            cancellation_deadline: None,
            facilitator_ids: vec![3, 4],
            company_name: None,
            speaker: None,
            status: SessionStatus::Published,
        }
    }

    fn edit(version: i64, change: impl FnOnce(&mut SessionInput)) -> Edit {
        let mut wanted = stored();
        change(&mut wanted);
        Edit { version, shown: stored(), wanted }
    }

    #[test]
    fn a_change_names_only_what_the_form_changed() {
        let edit = edit(1, |s| {
            s.capacity = 8;
            s.starts_at += Duration::hours(1);
        });
        let patch = merge(&edit, &stored(), 1).unwrap();
        assert_eq!(patch.capacity, Some(8));
        assert!(patch.starts_at.is_some());
        assert!(patch.title.is_none() && patch.ends_at.is_none() && patch.location.is_none());
    }

    #[test]
    fn lists_in_another_order_are_no_change() {
        let edit = edit(1, |s| {
            s.facilitator_ids = vec![4, 3];
            s.audience = Audience::only(vec![2, 1]);
        });
        assert!(changed_fields(&edit.shown, &edit.wanted).is_empty());
    }

    #[test]
    fn a_stale_form_changes_only_what_its_editor_changed_on_top_of_the_other_change() {
        let mut now = stored();
        now.capacity = 16;
        now.starts_at += Duration::hours(1);
        let edit = edit(1, |s| s.title = "Atelier CV et lettre".into());
        let patch = merge(&edit, &now, 2).unwrap();
        assert_eq!(patch.title.as_deref(), Some("Atelier CV et lettre"));
        assert!(patch.capacity.is_none() && patch.starts_at.is_none());
    }

    #[test]
    fn both_changing_one_field_differently_is_a_conflict_and_the_same_change_is_not() {
        let mut now = stored();
        now.starts_at += Duration::hours(1);
        let later = edit(1, |s| s.starts_at += Duration::hours(2));
        assert_eq!(merge(&later, &now, 2).unwrap_err(), [SessionField::StartsAt]);
        let same = edit(1, |s| {
            s.starts_at += Duration::hours(1);
            s.capacity = 10;
        });
        let patch = merge(&same, &now, 2).unwrap();
        assert!(patch.starts_at.is_none());
        assert_eq!(patch.capacity, Some(10));
    }
}
