//! The one line that tells a participant where they stand in a session.

use crate::models::MyEnrolment;
use leptos::prelude::*;
use toile_shared::EnrolmentStatus;

/// French ordinal for a waiting-list position: 1ʳᵉ, 2ᵉ, 3ᵉ…
fn ordinal(n: u32) -> String {
    if n == 1 { "1ʳᵉ".to_owned() } else { format!("{n}ᵉ") }
}

/// Text and style class. `long` is the wording of the session page, short the list's.
fn status(mine: Option<&MyEnrolment>, seats_left: u32, long: bool) -> (String, &'static str) {
    match mine.map(|m| (m.status, m.waitlist_position)) {
        Some((EnrolmentStatus::Confirmed, _)) => ("Vous êtes inscrit·e".to_owned(), "status-in"),
        Some((EnrolmentStatus::Waitlisted, position)) => {
            let text = match (position, long) {
                (Some(p), true) => {
                    format!("Vous êtes sur la liste d'attente : {} position", ordinal(p))
                }
                (Some(p), false) => format!("Liste d'attente : {}", ordinal(p)),
                (None, _) => "Vous êtes sur la liste d'attente".to_owned(),
            };
            (text, "status-waiting")
        }
        // Not enrolled (or no longer): what is left to take.
        _ => match seats_left {
            0 => ("Complet : liste d'attente".to_owned(), "status-full"),
            1 => ("1 place libre".to_owned(), "status-open"),
            n => (format!("{n} places libres"), "status-open"),
        },
    }
}

#[component]
pub fn StatusLine(mine: Option<MyEnrolment>, seats_left: u32, #[prop(optional)] long: bool) -> impl IntoView {
    let (text, class) = status(mine.as_ref(), seats_left, long);
    view! { <p class=format!("status {class}")>{text}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(p: u32) -> MyEnrolment {
        MyEnrolment { status: EnrolmentStatus::Waitlisted, waitlist_position: Some(p) }
    }

    #[test]
    fn wording() {
        assert_eq!(status(None, 4, false).0, "4 places libres");
        assert_eq!(status(None, 1, false).0, "1 place libre");
        assert_eq!(status(None, 0, false).0, "Complet : liste d'attente");
        assert_eq!(status(Some(&waiting(3)), 0, false).0, "Liste d'attente : 3ᵉ");
        assert_eq!(status(Some(&waiting(1)), 0, true).0, "Vous êtes sur la liste d'attente : 1ʳᵉ position");
        let confirmed = MyEnrolment { status: EnrolmentStatus::Confirmed, waitlist_position: None };
        assert_eq!(status(Some(&confirmed), 0, true).0, "Vous êtes inscrit·e");
    }
}
