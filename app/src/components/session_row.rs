//! A session as staff see it in a list: what, when, where, who runs it, how full, and whether it
//! needs attention. The title leads to the session's page.

use super::Pictogram;
use crate::models::ProgrammeRow;
use leptos::prelude::*;
use toile_shared::{SessionStatus, paths};

/// "9/12 places · 3 en attente"
pub fn fill(row: &ProgrammeRow) -> String {
    let seats = format!("{}/{} places", row.seats_taken, row.capacity);
    match row.waitlist_count {
        0 => seats,
        n => format!("{seats} · {n} en attente"),
    }
}

#[component]
pub fn SessionRow(row: ProgrammeRow) -> impl IntoView {
    let badge = match row.status {
        SessionStatus::Draft => Some(("Brouillon", "badge badge-draft")),
        SessionStatus::Cancelled => Some(("Annulée", "badge badge-cancelled")),
        SessionStatus::Published => None,
    };
    let attention = if row.at_risk {
        Some(("À risque : moins de la moitié des places prises", "badge badge-risk"))
    } else if row.full_with_waitlist {
        Some(("Complet, liste d'attente", "badge badge-full"))
    } else {
        None
    };
    let facilitators = (!row.facilitators.is_empty()).then(|| format!("Animation : {}", row.facilitators.join(", ")));
    view! {
        <li class="card session-row">
            <h3 class="card-title">
                <a href=paths::staff_session(row.id)>{row.title.clone()}</a>
            </h3>
            <p class="kind">
                <Pictogram kind=row.kind />
                {row.kind_label.clone()}
            </p>
            <p>
                {format!("{}, ", row.when_label)}
                <span class="nowrap">{row.time_label.clone()}</span>
            </p>
            {(!row.place.is_empty()).then(|| view! { <p>{row.place.clone()}</p> })}
            <p class="muted">{format!("Organisée par {}", row.organiser)}</p>
            {facilitators.map(|f| view! { <p class="muted">{f}</p> })}
            <p class="fill">
                {fill(&row)}
                {badge.map(|(text, class)| view! { <span class=class>{text}</span> })}
                {attention.map(|(text, class)| view! { <span class=class>{text}</span> })}
            </p>
            {row
                .addable_to_calendar
                .then(|| {
                    view! {
                        <p>
                            <a href=paths::session_calendar(row.id) download>
                                "Ajouter à mon agenda (.ics)"
                                <span class="visually-hidden">{format!(" : {}", row.title)}</span>
                            </a>
                        </p>
                    }
                })}
        </li>
    }
}
