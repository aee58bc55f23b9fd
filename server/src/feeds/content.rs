//! Sessions as calendar events, in plain French. Nothing here names a person: staff calendars
//! say how many enrolled, never who.

use crate::core::views::{CalendarReader, CalendarSession, SessionCalendarEntry};
use crate::links::Links;
use toile_calendar::{CalendarEvent, FeedMeta, Organizer};
use toile_shared::paths;

/// The feed's header: its French name.
pub(super) fn meta(name: &str) -> FeedMeta {
    FeedMeta::new(name)
}

/// One session of a feed.
pub(super) fn event(session: &CalendarSession, reader: CalendarReader, links: &Links) -> CalendarEvent {
    CalendarEvent {
        uid: format!("session-{}@{}", session.id, links.uid_domain),
        sequence: u32::try_from(session.sequence).unwrap_or(0),
        last_modified: session.updated_at,
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        summary: session.title.clone(),
        location: place(session),
        description: description(session, reader),
        url: Some(page_url(session, reader, links)),
        categories: vec![session.kind.label().to_string()],
        cancelled: session.cancelled,
        organizer: None,
    }
}

/// One session for "Ajouter à mon agenda": the organiser structure, with a no-reply address.
pub(super) fn single_event(entry: &SessionCalendarEntry, links: &Links) -> CalendarEvent {
    CalendarEvent {
        organizer: Some(Organizer {
            name: entry.organiser_name.clone(),
            email: format!("noreply@{}", links.mail_domain),
        }),
        ..event(&entry.session, entry.reader, links)
    }
}

fn place(session: &CalendarSession) -> Option<String> {
    match (&session.place, session.is_video) {
        (Some(place), _) => Some(place.clone()),
        (None, true) => Some("En visio (le lien est donné par votre conseiller·ère)".into()),
        (None, false) => None,
    }
}

fn page_url(session: &CalendarSession, reader: CalendarReader, links: &Links) -> String {
    match reader {
        CalendarReader::Participant => format!("{}{}", links.base, paths::session(session.id)),
        CalendarReader::Staff => format!("{}{}", links.base, paths::staff_session(session.id)),
    }
}

/// Kind, company and speaker, the count for staff, then the session's own description.
fn description(session: &CalendarSession, reader: CalendarReader) -> String {
    let mut lines = vec![];
    if session.cancelled {
        lines.push("Séance annulée.".to_string());
    }
    let kind = session.kind.label();
    lines.push(match session.theme {
        Some(theme) => format!("{kind} ({})", theme.label()),
        None => kind.to_string(),
    });
    if let Some(company) = session.company_name.as_deref().filter(|c| !c.trim().is_empty()) {
        lines.push(format!("Entreprise : {company}"));
    }
    if let Some(speaker) = session.speaker.as_deref().filter(|s| !s.trim().is_empty()) {
        lines.push(format!("Intervenant·e : {speaker}"));
    }
    if reader == CalendarReader::Staff {
        lines.push(format!("{}/{} inscrits", session.seats_taken, session.capacity));
    }
    let mut text = lines.join("\n");
    let own = session.description.trim();
    if !own.is_empty() {
        text.push_str("\n\n");
        text.push_str(own);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn session() -> CalendarSession {
        CalendarSession {
            id: 42,
            kind: toile_shared::SessionKind::CompanyTalk,
            theme: None,
            title: "Rencontre Boulangerie".into(),
            description: "Venez curieux.".into(),
            starts_at: Utc.with_ymd_and_hms(2026, 5, 4, 7, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap(),
            place: Some("Siège, 1 rue A, 59000 Lille".into()),
            is_video: false,
            capacity: 12,
            seats_taken: 8,
            company_name: Some("Au bon pain".into()),
            speaker: Some("Mme Durand".into()),
            cancelled: false,
            sequence: 2,
            updated_at: Utc.with_ymd_and_hms(2026, 4, 1, 10, 0, 0).unwrap(),
        }
    }

    fn links() -> Links {
        Links { base: "https://t.fr".into(), uid_domain: "toile".into(), mail_domain: "t.fr".into() }
    }

    #[test]
    fn staff_events_count_seats_and_link_to_the_session_staff_page() {
        let event = event(&session(), CalendarReader::Staff, &links());
        assert_eq!(event.uid, "session-42@toile");
        assert_eq!(event.sequence, 2);
        assert_eq!(
            event.description,
            "Rencontre avec une entreprise\nEntreprise : Au bon pain\nIntervenant·e : Mme Durand\n8/12 inscrits\n\nVenez curieux."
        );
        assert_eq!(event.url.as_deref(), Some("https://t.fr/equipe/seances/42"));
        assert_eq!(event.categories, ["Rencontre avec une entreprise"]);
        assert!(event.organizer.is_none());
    }

    #[test]
    fn participant_events_link_to_the_session_and_show_no_count() {
        let event = event(&session(), CalendarReader::Participant, &links());
        assert!(!event.description.contains("inscrits"));
        assert_eq!(event.url.as_deref(), Some("https://t.fr/seances/42"));
    }

    #[test]
    fn a_video_link_withheld_is_said_in_words() {
        let withheld = CalendarSession { place: None, is_video: true, ..session() };
        assert_eq!(place(&withheld).as_deref(), Some("En visio (le lien est donné par votre conseiller·ère)"));
    }
}
