//! A participant's pages: their sessions, one session, enrolling and cancelling.

use super::french;
use super::words::{kind_label, utc};
use crate::core::ParticipantSession;
use crate::core::views::EnrolmentView;
use toile_app::models::*;
use toile_shared::{LocationKind, SessionKind, SessionStatus};

pub(super) fn my_enrolment(view: &EnrolmentView) -> MyEnrolment {
    MyEnrolment { status: view.status, waitlist_position: view.waitlist_position }
}

pub(super) fn is_video(item: &ParticipantSession) -> bool {
    item.session.location.as_ref().is_some_and(|l| l.kind == LocationKind::Video)
}

pub(super) fn card(item: &ParticipantSession) -> SessionCard {
    let session = &item.session;
    let place = match (&item.place, is_video(item)) {
        // The core gives the link only to people with a seat; the card just says it is online.
        (_, true) => "En visio".to_string(),
        (Some(place), false) => place.clone(),
        (None, false) => "Lieu donné par votre conseiller ou votre conseillère".to_string(),
    };
    SessionCard {
        id: session.id,
        title: session.title.clone(),
        kind: session.kind,
        kind_label: kind_label(session.kind, session.theme),
        date_label: french::date(utc(session.starts_at)),
        time_label: french::time_range(utc(session.starts_at), utc(session.ends_at)),
        place_label: place,
        seats_left: item.free_seats,
        waiting: session.waitlist_count,
        mine: item.mine.as_ref().map(my_enrolment),
        cancelled: session.status == SessionStatus::Cancelled,
        cancel_reason: session.cancel_reason.clone(),
        schedule_changed: item.schedule_changed,
    }
}

/// The page of an answer link, in the participant's words.
pub(super) fn answer_page(view: crate::core::AnswerView) -> AnswerPage {
    let (starts, ends) = (view.starts_at.to_utc(), view.ends_at.to_utc());
    AnswerPage {
        title: view.title,
        date_label: french::date(starts),
        time_label: french::time_range(starts, ends),
        place_label: view.place.unwrap_or_else(|| "En visio".to_string()),
        video_link: view.video_link,
        status: view.state,
    }
}

/// The participant's own sessions first, then the others by week, of one kind if asked.
pub(super) fn home(programme: &[ParticipantSession], kind: Option<SessionKind>, sms: SmsChoice) -> ParticipantHome {
    let mut kinds: Vec<SessionKind> = Vec::new();
    let mut mine = Vec::new();
    let mut weeks: Vec<Week> = Vec::new();
    for item in programme {
        if item.mine.is_some() {
            mine.push(card(item));
            continue;
        }
        if item.session.status == SessionStatus::Cancelled {
            continue;
        }
        if !kinds.contains(&item.session.kind) {
            kinds.push(item.session.kind);
        }
        if kind.is_some_and(|kind| kind != item.session.kind) {
            continue;
        }
        let label = format!("Semaine du {}", french::date(french::monday_of(utc(item.session.starts_at))));
        match weeks.last_mut().filter(|week| week.label == label) {
            Some(week) => week.sessions.push(card(item)),
            None => weeks.push(Week { label, sessions: vec![card(item)] }),
        }
    }
    kinds.sort_by_key(|kind| SessionKind::ALL.iter().position(|k| k == kind));
    ParticipantHome { mine, weeks, kinds, kind, sms }
}
