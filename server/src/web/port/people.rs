//! Staff pages about participants: the list, a record, registering, the code card.

use super::calendars::links;
use super::french;
use super::session_form::refusal;
use crate::config::Config;
use crate::core::{
    Core, CoreError, CoreResult, NewParticipant, PARTICIPANTS_SHOWN, ParticipantEntry, SessionFilter, SessionLine,
};
use qrcode::{Color, EcLevel, QrCode as Qr};
use toile_app::models::*;
use toile_shared::authz::Actor;
use toile_shared::{Attendance, EnrolmentStatus, ParticipantId, SessionStatus, access_code, paths};

fn status_words(line: &SessionLine) -> &'static str {
    match (line.session_status, line.status) {
        (SessionStatus::Cancelled, _) => "Séance annulée",
        (_, EnrolmentStatus::Confirmed) => "Inscrite",
        (_, EnrolmentStatus::Waitlisted) => "En attente",
        (_, EnrolmentStatus::CancelledByParticipant) => "S'est désinscrite",
        (_, EnrolmentStatus::CancelledByStaff) => "Désinscrite par l'équipe",
    }
}

pub(crate) fn record_line(line: &SessionLine) -> RecordLine {
    RecordLine {
        session_id: line.session_id,
        when: french::date_with_year(line.starts_at),
        title: line.title.clone(),
        status: status_words(line).to_string(),
        attendance: match line.attendance {
            Attendance::Unknown => String::new(),
            other => other.label().to_string(),
        },
        enrolled_by: line.enrolled_by.as_ref().map(|name| format!("Inscription faite par {name}")).unwrap_or_default(),
    }
}

fn row(entry: &ParticipantEntry) -> ParticipantRow {
    ParticipantRow {
        id: entry.id,
        name: format!("{} {}", entry.last_name, entry.first_name),
        structure: entry.structure_name.clone(),
        referent: entry.referent_name.clone().unwrap_or_default(),
        coming: entry.coming.iter().map(|c| format!("{} : {}", french::short_date(c.starts_at), c.title)).collect(),
    }
}

pub(super) async fn list(core: &Core, actor: &Actor, search: String) -> CoreResult<ParticipantsPage> {
    let entries = core.find_participants(actor, &search).await?;
    Ok(ParticipantsPage {
        capped: entries.len() as i64 >= PARTICIPANTS_SHOWN,
        rows: entries.iter().map(row).collect(),
        search,
    })
}

/// How far ahead a participant's page offers sessions to enrol them in.
const OPEN_SESSIONS_WEEKS: i64 = 8;
/// At most this many: the programme has the rest.
const OPEN_SESSIONS_SHOWN: usize = 20;

/// Sessions to come open to the person's structure that they are not in yet.
async fn open_sessions(core: &Core, actor: &Actor, entry: &ParticipantEntry) -> CoreResult<Vec<(i64, String)>> {
    if !entry.active {
        return Ok(vec![]);
    }
    let now = core.now();
    let filter = SessionFilter {
        from: Some(now),
        to: Some(now + chrono::Duration::weeks(OPEN_SESSIONS_WEEKS)),
        structure_id: Some(entry.structure_id),
    };
    let sessions = core.list_sessions(actor, &filter).await?;
    Ok(sessions
        .into_iter()
        .filter(|s| s.status == SessionStatus::Published && s.audience.includes(entry.structure_id))
        .filter(|s| !entry.coming.iter().any(|c| c.session_id == s.id))
        .take(OPEN_SESSIONS_SHOWN)
        .map(|s| {
            let free = s.capacity.saturating_sub(s.seats_taken);
            let seats = match free {
                0 => "complet : liste d'attente".to_string(),
                1 => "1 place".to_string(),
                n => format!("{n} places"),
            };
            (s.id, format!("{} : {} ({seats})", french::short_date_time(super::words::utc(s.starts_at)), s.title))
        })
        .collect())
}

pub(super) async fn record(core: &Core, actor: &Actor, id: ParticipantId) -> CoreResult<ParticipantPage> {
    let record = core.participant_record(actor, id).await?;
    let open_sessions = open_sessions(core, actor, &record.entry).await?;
    let e = &record.entry;
    Ok(ParticipantPage {
        id: e.id,
        name: format!("{} {}", e.first_name, e.last_name),
        structure: e.structure_name.clone(),
        referent: e.referent_name.clone().unwrap_or_default(),
        phone: e.phone.clone().unwrap_or_default(),
        email: e.email.clone().unwrap_or_default(),
        active: e.active,
        coming: e.coming.iter().map(record_line).collect(),
        history: record.history.iter().map(record_line).collect(),
        open_sessions,
        audit_link: actor.audit_scope().map(|_| format!("{}?{}={}", paths::AUDIT, AuditFilters::PARTICIPANT, e.id)),
        data_requests: actor.may_answer_data_request_of(e.structure_id) && !e.anonymised,
        anonymised: e.anonymised,
    })
}

pub(super) async fn registration_form(core: &Core, actor: &Actor) -> CoreResult<RegistrationForm> {
    let structures: Vec<Choice> = core
        .structures(actor)
        .await?
        .into_iter()
        .filter(|s| actor.may_manage_participants_of(s.id))
        .map(|s| Choice { value: s.id.to_string(), label: s.name })
        .collect();
    if structures.is_empty() {
        return Err(CoreError::Forbidden);
    }
    let referents = core
        .staff_directory(actor)
        .await?
        .into_iter()
        .filter(|s| s.structure_id.is_some_and(|id| actor.may_manage_participants_of(id)))
        .map(|s| Choice {
            value: s.id.to_string(),
            label: format!("{} ({})", s.name, s.structure_name.unwrap_or_default()),
        })
        .collect();
    Ok(RegistrationForm {
        structures,
        referents,
        default_referent: actor.staff_user_id().map(|id| id.to_string()).unwrap_or_default(),
    })
}

/// The QR code of `text` as one SVG path, with the 4-module quiet zone scanners need.
pub fn qr(text: &str) -> QrCode {
    let code = Qr::with_error_correction_level(text.as_bytes(), EcLevel::M).expect("a sign-in link fits a QR code");
    let width = code.width();
    let colors = code.to_colors();
    // One rectangle per run of dark modules in a row: a third of the bytes of one per module.
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
            if run > 0 {
                path.push_str(&format!("M{} {}h{run}v1h-{run}z", x + 4, y + 4));
            }
            x += run.max(1);
        }
    }
    QrCode { size: (width + 8) as u32, path }
}

/// The card for a code just drawn, with the sign-in address on this installation and, in its QR
/// code, a new single-use sign-in link (never the code: it would stay in the phone's history).
async fn card(
    core: &Core,
    actor: &Actor,
    (id, first_name): (ParticipantId, String),
    code: &str,
    config: &Config,
    origin: &RequestOrigin,
) -> Result<CodeCard, FormRefusal> {
    let base = links(config, origin).base;
    let secret = core.new_sign_in_link(actor, id).await.map_err(refusal)?;
    let link = format!("{base}{}", paths::card_sign_in(&secret));
    let address = format!("{base}{}", paths::SIGN_IN);
    let address = address.trim_start_matches("https://").trim_start_matches("http://").to_string();
    let code = access_code::display(code);
    Ok(CodeCard { participant_id: id, first_name, qr: qr(&link), code, address, link })
}

/// The core names the fields as the API does; the form names them in its own words.
fn form_refusal(error: CoreError) -> FormRefusal {
    let mut refused = refusal(error);
    for (name, _) in &mut refused.fields {
        *name = match name.as_str() {
            "structure_id" => "structure".into(),
            "referent_id" => "referent".into(),
            other => other.into(),
        };
    }
    refused
}

pub(super) async fn register(
    core: &Core,
    config: &Config,
    actor: &Actor,
    values: RegistrationValues,
    origin: &RequestOrigin,
) -> Result<CodeCard, FormRefusal> {
    let optional = |value: String| Some(value).filter(|v| !v.trim().is_empty());
    let Ok(structure_id) = values.structure.parse() else {
        return Err(FormRefusal {
            fields: vec![("structure".into(), "Choisissez la structure.".into())],
            summary: "Certaines informations sont à corriger.".into(),
            ..Default::default()
        });
    };
    let new = NewParticipant {
        first_name: values.first_name,
        last_name: values.last_name,
        structure_id,
        referent_id: optional(values.referent).and_then(|v| v.parse().ok()),
        phone: optional(values.phone),
        email: optional(values.email),
    };
    let (person, code) = core.register_participant(actor, new).await.map_err(form_refusal)?;
    card(core, actor, (person.id, person.first_name), &code, config, origin).await
}

pub(super) async fn renew(
    core: &Core,
    config: &Config,
    actor: &Actor,
    id: ParticipantId,
    origin: &RequestOrigin,
) -> Result<CodeCard, FormRefusal> {
    let code = core.renew_access_code(actor, id).await.map_err(refusal)?;
    let person = core.participant_record(actor, id).await.map_err(refusal)?;
    card(core, actor, (id, person.entry.first_name), &code, config, origin).await
}

pub(super) async fn archive(core: &Core, actor: &Actor, id: ParticipantId) -> Result<(), FormRefusal> {
    core.archive_participant(actor, id).await.map_err(refusal)
}

pub(super) async fn erase(core: &Core, actor: &Actor, id: ParticipantId, confirmed: bool) -> Result<(), FormRefusal> {
    if !confirmed {
        let message = "Cochez la case pour confirmer que la personne a demandé l'effacement.".to_string();
        return Err(FormRefusal {
            fields: vec![(toile_app::models::ERASE_CONFIRMATION.into(), message.clone())],
            summary: message,
            ..Default::default()
        });
    }
    core.erase_participant(actor, id).await.map_err(refusal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_has_its_quiet_zone_and_only_square_modules() {
        let code = qr(
            "https://toile.example.org/connexion/carte/6f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        );
        assert!(code.size >= 21 + 8, "{}", code.size);
        assert!(code.path.starts_with("M4 4h7v1h-7z"), "the finder pattern's top row: {}", &code.path[..20]);
        assert!(code.path.chars().all(|c| c.is_ascii_digit() || "Mhvz- ".contains(c)));
    }

    #[test]
    fn the_path_draws_exactly_the_dark_modules_of_the_code() {
        let text = "https://toile.example.org/connexion/carte/6f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
        let drawn = qr(text);
        let code = Qr::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let mut grid = vec![false; width * width];
        for rect in drawn.path.split('M').filter(|r| !r.is_empty()) {
            let (x, rest) = rect.split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            let (x, y): (usize, usize) = (x.parse::<usize>().unwrap() - 4, y.parse::<usize>().unwrap() - 4);
            for cell in &mut grid[y * width + x..y * width + x + run] {
                assert!(!*cell, "no module drawn twice");
                *cell = true;
            }
        }
        let dark: Vec<bool> = code.to_colors().iter().map(|c| *c == Color::Dark).collect();
        assert_eq!(grid, dark);
    }
}
