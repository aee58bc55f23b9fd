//! The one line that tells a participant where they stand in a session, in plain words without
//! the median dot (screen readers stumble on it; easy-to-read French advises against it).

use crate::models::{MyEnrolment, SessionCard};
use leptos::prelude::*;
use toile_shared::EnrolmentStatus;

/// French ordinal for a waiting-list position: 1ʳᵉ, 2ᵉ, 3ᵉ…
pub fn ordinal(n: u32) -> String {
    if n == 1 { "1ʳᵉ".to_owned() } else { format!("{n}ᵉ") }
}

fn people(n: u32) -> String {
    match n {
        0 => "personne pour l'instant".to_owned(),
        1 => "1 personne".to_owned(),
        n => format!("{n} personnes"),
    }
}

/// Text and style class. `long` is the wording of the session page, short the list's.
fn status(card: &SessionCard, long: bool) -> (String, &'static str) {
    if card.cancelled {
        return ("Séance annulée".to_owned(), "status-full");
    }
    match card.mine.as_ref().map(|m: &MyEnrolment| (m.status, m.waitlist_position)) {
        Some((EnrolmentStatus::Confirmed, _)) => ("Vous avez une place".to_owned(), "status-in"),
        Some((EnrolmentStatus::Waitlisted, position)) => {
            let text = match (position, long) {
                (Some(p), true) => format!("Vous êtes sur la liste d'attente, en {} position", ordinal(p)),
                (Some(p), false) => format!("Liste d'attente : vous êtes {}", ordinal(p)),
                (None, _) => "Vous êtes sur la liste d'attente".to_owned(),
            };
            (text, "status-waiting")
        }
        // Not enrolled (or no longer): what is left to take.
        _ => match card.seats_left {
            0 => (format!("Complet — liste d'attente : {}", people(card.waiting)), "status-full"),
            1 => ("Il reste 1 place".to_owned(), "status-open"),
            n => (format!("Il reste {n} places"), "status-open"),
        },
    }
}

#[component]
pub fn StatusLine(card: SessionCard, #[prop(optional)] long: bool) -> impl IntoView {
    let (text, class) = status(&card, long);
    view! { <p class=format!("status {class}")>{text}</p> }
}

/// What changed since the participant enrolled: the reason of a cancellation, or a new time or
/// place, said before anything else about the session.
#[component]
pub fn Changes(card: SessionCard) -> impl IntoView {
    let text = match (card.cancelled, card.cancel_reason) {
        (true, Some(reason)) => Some(format!("Raison de l'annulation : {reason}")),
        (true, None) => None,
        (false, _) if card.schedule_changed => {
            Some("Horaire modifié : regardez bien la date, l'heure et le lieu.".into())
        }
        (false, _) => None,
    };
    text.map(|text| view! { <p class="reason">{text}</p> })
}

#[cfg(test)]
mod tests {
    use super::*;
    use toile_shared::SessionKind;

    fn card(seats_left: u32, waiting: u32, mine: Option<MyEnrolment>) -> SessionCard {
        SessionCard {
            id: 1,
            title: "Atelier CV".into(),
            kind: SessionKind::Workshop,
            kind_label: "Atelier CV".into(),
            date_label: "mardi 3 mars".into(),
            time_label: "9 h 00 – 11 h 00".into(),
            place_label: "Lille".into(),
            seats_left,
            waiting,
            mine,
            cancelled: false,
            cancel_reason: None,
            schedule_changed: false,
        }
    }

    fn waiting(p: u32) -> Option<MyEnrolment> {
        Some(MyEnrolment { status: EnrolmentStatus::Waitlisted, waitlist_position: Some(p) })
    }

    #[test]
    fn the_status_says_in_plain_words_what_is_left_and_where_one_stands() {
        assert_eq!(status(&card(4, 0, None), false).0, "Il reste 4 places");
        assert_eq!(status(&card(1, 0, None), false).0, "Il reste 1 place");
        assert_eq!(status(&card(0, 2, None), false).0, "Complet — liste d'attente : 2 personnes");
        assert_eq!(status(&card(0, 0, None), false).0, "Complet — liste d'attente : personne pour l'instant");
        assert_eq!(status(&card(0, 3, waiting(3)), false).0, "Liste d'attente : vous êtes 3ᵉ");
        assert_eq!(status(&card(0, 1, waiting(1)), true).0, "Vous êtes sur la liste d'attente, en 1ʳᵉ position");
        let confirmed = Some(MyEnrolment { status: EnrolmentStatus::Confirmed, waitlist_position: None });
        assert_eq!(status(&card(0, 0, confirmed), true).0, "Vous avez une place");
    }

    #[test]
    fn no_median_dot_on_a_participants_status() {
        for card in [card(3, 0, None), card(0, 2, waiting(2)), card(0, 0, None)] {
            for long in [false, true] {
                assert!(!status(&card, long).0.contains('·'));
            }
        }
    }
}
