//! A session changed by someone else while this editor had its form open, on the same fields:
//! the form comes back (409) saying who changed what and when, both values side by side, so the
//! editor chooses. Nothing was written.

use super::french;
use super::words::kind_label;
use crate::core::{Core, EditedMeanwhile, SessionField};
use chrono::{DateTime, Utc};
use toile_app::models::{EDITED_MEANWHILE, FormRefusal};
use toile_shared::authz::Actor;
use toile_shared::session_input::{Location, SessionInput};
use toile_shared::{Audience, SessionStatus};

/// The refusal the form shows: a sentence per field on top, both values next to each field.
pub(super) async fn refusal(core: &Core, actor: &Actor, conflict: &EditedMeanwhile) -> FormRefusal {
    let names = Names::load(core, actor).await;
    let who = conflict.by.clone().unwrap_or_else(|| "Quelqu'un".into());
    let when = when(conflict.at, core.now());
    let mut sentences = vec![];
    let mut fields = vec![];
    for field in grouped(&conflict.fields) {
        let theirs = names.value(field, &conflict.theirs, &conflict.mine);
        let mine = names.value(field, &conflict.mine, &conflict.theirs);
        sentences.push(format!("{who} a changé {} {when} : {theirs}. Vous aviez mis : {mine}.", words(field)));
        fields.push((form_field(field).to_string(), format!("Valeur de {who} : {theirs}. La vôtre : {mine}.")));
    }
    sentences.push(
        "Rien n'a été enregistré. Le formulaire montre vos valeurs pour ces champs et les siennes pour le reste : \
         enregistrez pour garder les vôtres, ou reprenez les siennes."
            .into(),
    );
    FormRefusal { fields, summary: sentences.join(" "), code: EDITED_MEANWHILE.into() }
}

/// The start and the end are one thing to people: the schedule.
fn grouped(fields: &[SessionField]) -> Vec<SessionField> {
    let mut grouped = vec![];
    for field in fields {
        let field = if *field == SessionField::EndsAt { SessionField::StartsAt } else { *field };
        if !grouped.contains(&field) {
            grouped.push(field);
        }
    }
    grouped
}

/// "à 10 h 04" today, "le lun. 7 décembre, 10 h 04" another day.
fn when(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if crate::core::paris::day_of(at) == crate::core::paris::day_of(now) {
        format!("à {}", french::time(at))
    } else {
        format!("le {}", french::short_date_time(at))
    }
}

fn words(field: SessionField) -> &'static str {
    use SessionField as F;
    match field {
        F::Title => "le titre",
        F::Kind => "le type",
        F::Theme => "le thème",
        F::Description => "la description",
        F::StartsAt | F::EndsAt => "l'horaire",
        F::Capacity => "le nombre de places",
        F::Location => "le lieu",
        F::Audience => "qui peut s'inscrire",
        F::ReservedSeats => "les places réservées",
        F::ReservedUntil => "la fin des places réservées",
        F::EnrolmentOpensAt => "l'ouverture des inscriptions",
        F::EnrolmentClosesAt => "la clôture des inscriptions",
        F::CancellationDeadline => "la date limite pour se désinscrire",
        F::Facilitators => "l'animation",
        F::CompanyName => "l'entreprise",
        F::Speaker => "qui présente",
        F::Status => "le statut",
    }
}

/// The field's name in the form's messages.
fn form_field(field: SessionField) -> &'static str {
    use SessionField as F;
    match field {
        F::Title => "title",
        F::Kind => "kind",
        F::Theme => "theme",
        F::Description => "description",
        F::StartsAt | F::EndsAt => "starts_at",
        F::Capacity => "capacity",
        F::Location => "location",
        F::Audience => "audience",
        F::ReservedSeats => "reserved_seats",
        F::ReservedUntil => "reserved_until",
        F::EnrolmentOpensAt => "enrolment_opens_at",
        F::EnrolmentClosesAt => "enrolment_closes_at",
        F::CancellationDeadline => "cancellation_deadline",
        F::Facilitators => "facilitator_ids",
        F::CompanyName => "company_name",
        F::Speaker => "speaker",
        F::Status => "status",
    }
}

/// The session's fields a form message names (`starts_at` names the schedule, start and end).
pub(super) fn fields_named(name: &str) -> Vec<SessionField> {
    SessionField::ALL.into_iter().filter(|field| form_field(*field) == name).collect()
}

/// The group's sites, structures and staff by id, to name them.
struct Names {
    sites: Vec<(i64, String)>,
    structures: Vec<(i64, String)>,
    staff: Vec<(i64, String)>,
}

impl Names {
    async fn load(core: &Core, actor: &Actor) -> Names {
        let sites = core.sites(actor).await.unwrap_or_default().into_iter().map(|s| (s.id, s.label)).collect();
        let structures = core.structures(actor).await.unwrap_or_default().into_iter().map(|s| (s.id, s.name)).collect();
        let staff = core.staff_directory(actor).await.unwrap_or_default().into_iter().map(|s| (s.id, s.name)).collect();
        Names { sites, structures, staff }
    }

    fn name(list: &[(i64, String)], id: i64) -> String {
        list.iter().find(|(known, _)| *known == id).map_or_else(|| format!("n° {id}"), |(_, name)| name.clone())
    }

    fn names(list: &[(i64, String)], ids: &[i64]) -> String {
        if ids.is_empty() {
            return "personne".into();
        }
        ids.iter().map(|id| Names::name(list, *id)).collect::<Vec<_>>().join(", ")
    }

    /// The field's value in `input`, in words; `other` is the value it is shown beside (the
    /// day of a schedule is said when the two differ in it).
    fn value(&self, field: SessionField, input: &SessionInput, other: &SessionInput) -> String {
        use SessionField as F;
        let text = |text: &str| {
            let short: String = text.chars().take(80).collect();
            let more = if text.chars().count() > 80 { "…" } else { "" };
            format!("« {short}{more} »")
        };
        let optional = |text_value: &Option<String>| text_value.as_deref().map_or_else(|| "rien".into(), text);
        let instant = |at: Option<DateTime<Utc>>| at.map_or_else(|| "aucune".into(), french::short_date_time);
        match field {
            F::Title => text(&input.title),
            F::Kind | F::Theme => kind_label(input.kind, input.theme),
            F::Description => text(&input.description),
            F::StartsAt | F::EndsAt => {
                let range = french::time_range(input.starts_at, input.ends_at);
                if crate::core::paris::day_of(input.starts_at) == crate::core::paris::day_of(other.starts_at) {
                    range
                } else {
                    format!("{}, {range}", french::date(input.starts_at))
                }
            }
            F::Capacity => format!("{} places", input.capacity),
            F::Location => match &input.location {
                None => "pas encore de lieu".into(),
                Some(Location::Site { site_id }) => Names::name(&self.sites, *site_id),
                Some(Location::Address { address }) => text(address),
                Some(Location::Video { video_url }) => format!("en visio ({})", text(video_url)),
            },
            F::Audience => match &input.audience {
                Audience::All { .. } => "tout le groupe".into(),
                Audience::Structures { structure_ids } => Names::names(&self.structures, structure_ids),
            },
            F::ReservedSeats if input.reserved_seats.is_empty() => "aucune".into(),
            F::ReservedSeats => input
                .reserved_seats
                .iter()
                .map(|r| format!("{} pour {}", r.seats, Names::name(&self.structures, r.structure_id)))
                .collect::<Vec<_>>()
                .join(", "),
            F::ReservedUntil => instant(input.reserved_until),
            F::EnrolmentOpensAt => instant(input.enrolment_opens_at),
            F::EnrolmentClosesAt => instant(input.enrolment_closes_at),
            F::CancellationDeadline => instant(input.cancellation_deadline),
            F::Facilitators => Names::names(&self.staff, &input.facilitator_ids),
            F::CompanyName => optional(&input.company_name),
            F::Speaker => optional(&input.speaker),
            F::Status if input.status == SessionStatus::Draft => "brouillon".into(),
            F::Status => "publiée".into(),
        }
    }
}
