//! The session form: its choices and defaults, a stored session as form values, and the values
//! typed back into what the core takes. Times are typed in Paris and stored in UTC; every check
//! of a session's content stays in the core (`SessionInput::validate`), this file only reads.

use super::edit_conflict;
use super::words::utc;
use crate::core::views::SessionView;
use crate::core::{Core, CoreError, CoreResult, Edit, SeriesScope};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use toile_app::models::*;
use toile_shared::ErrorCode;
use toile_shared::authz::{Actor, SessionScope};
use toile_shared::session_input::{Location, ReservedSeats, SessionInput};
use toile_shared::{Audience, LocationKind, SessionId, SessionKind, SessionStatus, WorkshopTheme};

/// The form page: empty with the defaults of a new session, or filled with a stored one.
pub(super) async fn page(core: &Core, actor: &Actor, editing: Option<SessionId>) -> CoreResult<SessionFormPage> {
    let structures = core.structures(actor).await?;
    let stored = match editing {
        Some(id) => Some(editable(core, actor, id).await?),
        None => None,
    };
    let organisers = structures
        .iter()
        .filter(|s| match &stored {
            // The organiser of a session does not change.
            Some(session) => s.id == session.organiser_structure_id,
            None => actor.may_create_session(s.id),
        })
        .map(|s| Choice { value: s.id.to_string(), label: s.name.clone() })
        .collect::<Vec<_>>();
    if organisers.is_empty() {
        return Err(CoreError::Forbidden);
    }
    let values = match &stored {
        Some(session) => values_of(session),
        None => defaults(core.now(), &organisers[0].value),
    };
    Ok(SessionFormPage {
        editing,
        in_series: stored.as_ref().is_some_and(|s| s.series_id.is_some()),
        values,
        organisers,
        structures: structures.into_iter().map(|s| Choice { value: s.id.to_string(), label: s.name }).collect(),
        sites: core
            .sites(actor)
            .await?
            .into_iter()
            .map(|s| SiteOption { id: s.id, label: s.label, structure: s.structure_name })
            .collect(),
        facilitators: core
            .staff_directory(actor)
            .await?
            .into_iter()
            .map(|s| FacilitatorOption { id: s.id, name: s.name, structure: s.structure_name.unwrap_or_default() })
            .collect(),
    })
}

/// A session the actor may change, or why not.
async fn editable(core: &Core, actor: &Actor, id: SessionId) -> CoreResult<SessionView> {
    let session = core.session(actor, id).await?;
    let scope = SessionScope {
        organiser_structure_id: session.organiser_structure_id,
        facilitator_ids: &session.facilitator_ids,
    };
    if !actor.may_manage_session(&scope) {
        return Err(CoreError::Forbidden);
    }
    if session.status == SessionStatus::Cancelled {
        return Err(CoreError::conflict(
            ErrorCode::SessionCancelled,
            "Cette séance est annulée : elle ne peut plus être modifiée.",
        ));
    }
    Ok(session)
}

/// A new session: published, on the next weekday from 9:30 to 11:30, 12 seats, open to all.
fn defaults(now: DateTime<Utc>, organiser: &str) -> SessionFormValues {
    let mut day = crate::core::paris::day_of(now).succ_opt().expect("a next day");
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = day.succ_opt().expect("a next day");
    }
    SessionFormValues {
        kind: SessionKind::Workshop.code().into(),
        date: day.format("%Y-%m-%d").to_string(),
        start: "09:30".into(),
        end: "11:30".into(),
        place: "site".into(),
        capacity: "12".into(),
        organiser: organiser.into(),
        audience: "all".into(),
        status: SessionStatus::Published.code().into(),
        weeks: "1".into(),
        series: "this".into(),
        ..Default::default()
    }
}

/// `2026-12-03` and `09:30` on the Paris wall clock.
fn local(at: DateTime<Utc>) -> (String, String) {
    let local = at.with_timezone(&Paris);
    (local.format("%Y-%m-%d").to_string(), local.format("%H:%M").to_string())
}

fn local_or_empty(at: Option<chrono::DateTime<chrono::FixedOffset>>) -> (String, String) {
    at.map(|at| local(utc(at))).unwrap_or_default()
}

/// A stored session as the form shows it, carrying its version and the values shown (so a
/// save knows what this editor changed).
fn values_of(session: &SessionView) -> SessionFormValues {
    let shown = shown_values(session);
    SessionFormValues {
        version: session.version.to_string(),
        shown: serde_json::to_string(&shown).expect("form values serialise"),
        ..shown
    }
}

/// The values the form shows for a stored session.
fn shown_values(session: &SessionView) -> SessionFormValues {
    let (date, start) = local(utc(session.starts_at));
    let (_, end) = local(utc(session.ends_at));
    let (reserved_until_date, reserved_until_time) = local_or_empty(session.reserved_until);
    let (opens_date, opens_time) = local_or_empty(session.enrolment_opens_at);
    let (closes_date, closes_time) = local_or_empty(session.enrolment_closes_at);
    let (deadline_date, deadline_time) = local_or_empty(session.cancellation_deadline);
    let location = session.location.as_ref();
    let text_if = |kind: LocationKind| location.filter(|l| l.kind == kind).map(|l| l.text.clone()).unwrap_or_default();
    let (audience, audience_ids) = match &session.audience {
        Audience::Structures { structure_ids } => ("list", structure_ids.iter().map(i64::to_string).collect()),
        Audience::All { .. } => ("all", vec![]),
    };
    SessionFormValues {
        kind: session.kind.code().into(),
        theme: session.theme.map(|t| t.code().to_string()).unwrap_or_default(),
        title: session.title.clone(),
        description: session.description.clone(),
        date,
        start,
        end,
        place: match location.map(|l| l.kind) {
            Some(LocationKind::Site) => "site",
            Some(LocationKind::Address) => "address",
            Some(LocationKind::Video) => "video",
            None => "",
        }
        .into(),
        site_id: location.and_then(|l| l.site_id).map(|id| id.to_string()).unwrap_or_default(),
        address: text_if(LocationKind::Address),
        video_url: text_if(LocationKind::Video),
        capacity: session.capacity.to_string(),
        organiser: session.organiser_structure_id.to_string(),
        facilitators: session.facilitator_ids.iter().map(i64::to_string).collect(),
        company_name: session.company_name.clone().unwrap_or_default(),
        speaker: session.speaker.clone().unwrap_or_default(),
        audience: audience.into(),
        audience_ids,
        reserved: session.reserved_seats.iter().map(|r| (r.structure_id.to_string(), r.seats.to_string())).collect(),
        reserved_until_date,
        reserved_until_time,
        opens_date,
        opens_time,
        closes_date,
        closes_time,
        deadline_date,
        deadline_time,
        status: session.status.code().into(),
        weeks: "1".into(),
        series: "this".into(),
        ..Default::default()
    }
}

/// What the form asks for, read; or a message per field that could not be read.
pub(super) struct Typed {
    pub input: SessionInput,
    pub weeks: u32,
    pub series: SeriesScope,
}

/// Reads what was typed. Only reading fails here (a date that is not a date, a number that is
/// not a number); what the values mean is for the core to judge.
fn read(values: &SessionFormValues) -> Result<Typed, Vec<(String, String)>> {
    let mut errors = Errors::default();
    let kind = SessionKind::parse(&values.kind).unwrap_or_else(|| {
        errors.add("kind", "Choisissez le type de séance.");
        SessionKind::Other
    });
    let theme = match values.theme.as_str() {
        "" => None,
        code => WorkshopTheme::parse(code).or_else(|| errors.none("theme", "Choisissez un thème de la liste.")),
    };
    let starts_at = errors.instant("starts_at", &values.date, &values.start, "Indiquez la date et l'heure de début.");
    let ends_at = errors.instant("ends_at", &values.date, &values.end, "Indiquez l'heure de fin.");
    let location = match values.place.as_str() {
        "site" => values
            .site_id
            .parse()
            .map(|site_id| Location::Site { site_id })
            .ok()
            .or_else(|| errors.none("location", "Choisissez un lieu du groupe.")),
        "address" => Some(Location::Address { address: values.address.trim().to_string() }),
        "video" => Some(Location::Video { video_url: values.video_url.trim().to_string() }),
        _ => None,
    };
    let capacity = errors.number("capacity", &values.capacity, "Indiquez le nombre de places (un nombre entier).");
    let organiser_structure_id = values
        .organiser
        .parse()
        .ok()
        .unwrap_or_else(|| errors.zero("organiser_structure_id", "Choisissez la structure."));
    let facilitator_ids = values.facilitators.iter().filter_map(|id| id.parse().ok()).collect();
    let audience = match values.audience.as_str() {
        "list" => Audience::only(values.audience_ids.iter().filter_map(|id| id.parse().ok()).collect()),
        _ => Audience::all(),
    };
    let mut reserved_seats = Vec::new();
    for (structure, seats) in &values.reserved {
        let seats = seats.trim();
        if seats.is_empty() || seats == "0" {
            continue;
        }
        match (structure.parse(), seats.parse()) {
            (Ok(structure_id), Ok(seats)) => reserved_seats.push(ReservedSeats { structure_id, seats }),
            _ => errors.add("reserved_seats", "Les places réservées sont des nombres entiers."),
        }
    }
    let optional = |errors: &mut Errors, field: &str, date: &str, time: &str| {
        if date.trim().is_empty() && time.trim().is_empty() {
            None
        } else {
            errors.instant(field, date, time, "Indiquez la date et l'heure, ou laissez les deux vides.")
        }
    };
    let reserved_until =
        optional(&mut errors, "reserved_until", &values.reserved_until_date, &values.reserved_until_time);
    let enrolment_opens_at = optional(&mut errors, "enrolment_opens_at", &values.opens_date, &values.opens_time);
    let enrolment_closes_at = optional(&mut errors, "enrolment_closes_at", &values.closes_date, &values.closes_time);
    let cancellation_deadline =
        optional(&mut errors, "cancellation_deadline", &values.deadline_date, &values.deadline_time);
    let weeks = match values.weeks.trim() {
        "" => 1,
        weeks => errors.number("weekly_occurrences", weeks, "Indiquez un nombre de semaines, de 1 à 52."),
    };
    let status = match values.status.as_str() {
        "draft" => SessionStatus::Draft,
        _ => SessionStatus::Published,
    };
    let text = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    if !errors.0.is_empty() {
        return Err(errors.0);
    }
    let now = Utc::now();
    Ok(Typed {
        input: SessionInput {
            title: values.title.trim().to_string(),
            kind,
            theme,
            description: values.description.trim_end().to_string(),
            starts_at: starts_at.unwrap_or(now),
            ends_at: ends_at.unwrap_or(now),
            capacity,
            organiser_structure_id,
            location,
            audience,
            reserved_seats,
            reserved_until,
            enrolment_opens_at,
            enrolment_closes_at,
            cancellation_deadline,
            facilitator_ids,
            company_name: text(&values.company_name),
            speaker: text(&values.speaker),
            status,
        },
        weeks,
        series: if values.series == "following" { SeriesScope::ThisAndFollowing } else { SeriesScope::ThisSession },
    })
}

/// Messages gathered while reading, one per field.
#[derive(Default)]
struct Errors(Vec<(String, String)>);

impl Errors {
    fn add(&mut self, field: &str, message: &str) {
        if !self.0.iter().any(|(name, _)| name == field) {
            self.0.push((field.into(), message.into()));
        }
    }

    fn none<T>(&mut self, field: &str, message: &str) -> Option<T> {
        self.add(field, message);
        None
    }

    fn zero<T: Default>(&mut self, field: &str, message: &str) -> T {
        self.add(field, message);
        T::default()
    }

    fn number(&mut self, field: &str, typed: &str, message: &str) -> u32 {
        typed.trim().parse().unwrap_or_else(|_| self.zero(field, message))
    }

    /// A Paris date and time as an instant.
    fn instant(&mut self, field: &str, date: &str, time: &str, message: &str) -> Option<DateTime<Utc>> {
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d");
        let time = NaiveTime::parse_from_str(time.trim(), "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"));
        let (Ok(date), Ok(time)) = (date, time) else {
            return self.none(field, message);
        };
        match Paris.from_local_datetime(&date.and_time(time)).earliest() {
            Some(at) => Some(at.with_timezone(&Utc)),
            None => self.none(field, "Cette heure n'existe pas ce jour-là (passage à l'heure d'été)."),
        }
    }
}

/// Proposes a session (or a weekly series) from the form.
pub(super) async fn propose(core: &Core, actor: &Actor, values: &SessionFormValues) -> Result<SessionId, FormRefusal> {
    let typed = read(values).map_err(refused_fields)?;
    let created = core.create_session(actor, typed.input, typed.weeks).await.map_err(refusal)?;
    Ok(created.id)
}

/// Changes a session (or it and the later ones of its series) from the form: only what this
/// editor changed (the values posted against the values the form showed) is applied, merged with
/// what others changed meanwhile (`core::sessions::edit`), so the later sessions keep what
/// differs in them and nobody's change is written back over.
pub(super) async fn change(
    core: &Core,
    actor: &Actor,
    id: SessionId,
    values: &SessionFormValues,
) -> Result<SessionId, FormRefusal> {
    editable(core, actor, id).await.map_err(refusal)?;
    let typed = read(values).map_err(refused_fields)?;
    let (Ok(version), Ok(shown)) =
        (values.version.trim().parse::<i64>(), serde_json::from_str::<SessionFormValues>(&values.shown))
    else {
        return Err(outdated());
    };
    let shown = read(&shown).map_err(|_| outdated())?.input;
    let mut wanted = typed.input;
    if values.choice == "theirs" {
        // Told another editor changed these fields, this editor takes the values stored now.
        for field in values.theirs.iter().flat_map(|name| edit_conflict::fields_named(name)) {
            field.take(&shown, &mut wanted);
        }
    }
    let edit = Edit { version, shown, wanted };
    match core.edit_session(actor, id, edit, typed.series).await {
        Ok(_) => Ok(id),
        Err(CoreError::EditedMeanwhile(conflict)) => Err(edit_conflict::refusal(core, actor, &conflict).await),
        Err(other) => Err(refusal(other)),
    }
}

/// A form without the values it showed: a page opened before this release, or not ours.
fn outdated() -> FormRefusal {
    FormRefusal {
        summary: "Ce formulaire ne dit pas ce qu'il montrait : rechargez la page, puis refaites vos changements."
            .into(),
        code: "form_outdated".into(),
        ..Default::default()
    }
}

/// Copies a session to the day typed (`2026-12-03`).
pub(super) async fn duplicate(core: &Core, actor: &Actor, id: SessionId, date: &str) -> Result<SessionId, FormRefusal> {
    let Ok(date) = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d") else {
        return Err(refused_fields(vec![("date".into(), "Choisissez une date.".into())]));
    };
    Ok(core.duplicate_session(actor, id, date).await.map_err(refusal)?.id)
}

/// Cancels a session with the reason typed (none if left empty).
pub(super) async fn cancel(core: &Core, actor: &Actor, id: SessionId, reason: String) -> Result<(), FormRefusal> {
    core.cancel_session(actor, id, Some(reason)).await.map(|_| ()).map_err(refusal)
}

fn refused_fields(fields: Vec<(String, String)>) -> FormRefusal {
    FormRefusal { fields, summary: "Certaines informations sont à corriger.".into(), ..Default::default() }
}

/// The core's refusal as the form shows it: next to the fields, or on top.
pub(super) fn refusal(error: CoreError) -> FormRefusal {
    match error {
        CoreError::Invalid(fields) => refused_fields(fields.into_iter().map(|f| (f.field, f.message)).collect()),
        CoreError::Conflict { code: ErrorCode::CapacityBelowTaken, message } => {
            FormRefusal { fields: vec![("capacity".into(), message.clone())], summary: message, ..Default::default() }
        }
        other => {
            let error = super::words::ui_error(other);
            FormRefusal { fields: vec![], summary: error.message, code: error.code }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> SessionFormValues {
        SessionFormValues {
            title: "Rencontre Boulangerie Paul".into(),
            date: "2026-03-24".into(),
            start: "09:30".into(),
            end: "11:30".into(),
            place: String::new(),
            ..defaults(Utc::now(), "1")
        }
    }

    #[test]
    fn a_new_session_starts_on_the_next_weekday_at_half_past_nine() {
        // Friday 27 November 2026, evening in Paris.
        let friday = Utc.with_ymd_and_hms(2026, 11, 27, 20, 0, 0).unwrap();
        let values = defaults(friday, "3");
        assert_eq!(
            (values.date.as_str(), values.start.as_str(), values.end.as_str()),
            ("2026-11-30", "09:30", "11:30")
        );
        assert_eq!(values.organiser, "3");
    }

    #[test]
    fn times_are_typed_in_paris_and_stored_in_utc() {
        let mut values = typed();
        let input = read(&values).ok().unwrap().input;
        // 24 March 2026 is still winter time in Paris (UTC+1).
        assert_eq!(input.starts_at, Utc.with_ymd_and_hms(2026, 3, 24, 8, 30, 0).unwrap());
        values.date = "2026-03-31".into();
        assert_eq!(read(&values).ok().unwrap().input.starts_at, Utc.with_ymd_and_hms(2026, 3, 31, 7, 30, 0).unwrap());
    }

    #[test]
    fn what_cannot_be_read_is_named_by_field_and_nothing_else_is_judged_here() {
        let mut values = typed();
        values.date = "demain".into();
        values.capacity = "douze".into();
        values.reserved = vec![("2".into(), "quatre".into())];
        values.title = String::new();
        let fields: Vec<String> = read(&values).err().unwrap().into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["starts_at", "ends_at", "capacity", "reserved_seats"]);
    }

    #[test]
    fn a_wall_time_skipped_by_the_spring_change_is_refused() {
        let mut values = typed();
        values.date = "2026-03-29".into();
        values.start = "02:30".into();
        let errors = read(&values).err().unwrap();
        assert_eq!(errors[0].0, "starts_at");
        assert!(errors[0].1.contains("heure d'été"));
    }
}
