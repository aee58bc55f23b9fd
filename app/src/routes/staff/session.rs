//! `/equipe/seances/:id`: a session at a glance for staff: its facts, fill and reserved seats,
//! who runs it, its series, what happened to it, and what the viewer may do.

use super::roster::Roster;
use crate::components::{BackLink, Loaded, Pictogram, SiteHeader, fill};
use crate::forms::FormSummary;
use crate::functions::fetch_staff_session;
use crate::models::{ALREADY_DONE, StaffSession, UiError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use toile_shared::done::{Done, DonePage};
use toile_shared::{SessionId, SessionStatus, paths};

/// What a form just did, said on the page it comes back to (`?fait=…`).
pub const DONE: &str = Done::QUERY;

fn done_message(code: &str) -> Option<&'static str> {
    match code {
        ALREADY_DONE => {
            Some("Ce formulaire était déjà enregistré : voici la séance qu'il a faite, rien n'a été fait en double.")
        }
        code => Done::said_on(DonePage::Session, code),
    }
}

#[component]
pub fn StaffSessionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<SessionId>().ok());
    let session = Resource::new(id, |id| async move {
        match id {
            Some(id) => fetch_staff_session(id).await,
            None => Err(UiError::not_found()),
        }
    });
    let done = move || query.read().get(DONE).and_then(|code| done_message(&code));
    view! {
        <SiteHeader />
        <main id="contenu" class="page page-wide">
            <BackLink href=paths::PROGRAMME label="Programme du groupe" />
            <div role="status" class="news">
                {move || done().map(|m| view! { <p>{m}</p> })}
            </div>
            <FormSummary />
            <Loaded resource=session body=move |session| view! { <Overview session /> } heading="Séance" />
        </main>
    }
}

#[component]
fn Overview(session: StaffSession) -> impl IntoView {
    let StaffSession {
        row,
        description,
        facts,
        facilitators,
        reservations,
        cancel_reason,
        series,
        history,
        audit_link,
        may_edit,
        may_cancel,
        may_duplicate,
        roster,
    } = session;
    let id = row.id;
    let status = match row.status {
        SessionStatus::Draft => Some("Brouillon : les participants ne la voient pas encore."),
        SessionStatus::Cancelled => Some("Séance annulée."),
        SessionStatus::Published => None,
    };
    view! {
        <Title text=row.title.clone() />
        <h1>{row.title.clone()}</h1>
        <p class="kind">
            <Pictogram kind=row.kind />
            {row.kind_label.clone()}
        </p>
        {status.map(|s| view! { <p class="cancelled">{s}</p> })}
        {cancel_reason.map(|r| view! { <p>{format!("Raison : {r}")}</p> })}
        <p class="fill">
            {fill(&row)}
            {row.at_risk.then(|| view! { <span class="badge badge-risk">"À risque : moins de la moitié des places prises"</span> })}
            {row.full_with_waitlist.then(|| view! { <span class="badge badge-full">"Complet, liste d'attente"</span> })}
        </p>
        <div class="actions staff-actions">
            {may_edit.then(|| view! { <a class="button-link" href=paths::edit_session(id)>"Modifier"</a> })}
            {may_duplicate
                .then(|| {
                    view! { <a class="button-link-secondary" href=paths::duplicate_session(id)>"Dupliquer"</a> }
                })}
            {(row.addable_to_calendar)
                .then(|| {
                    view! {
                        <a class="button-link-secondary" href=paths::session_calendar(id) download>
                            "Ajouter à mon agenda"
                        </a>
                    }
                })}
            {may_cancel.then(|| view! { <a class="button-link-danger" href=paths::cancel_session(id)>"Annuler la séance"</a> })}
        </div>
        <dl class="facts">
            {facts.into_iter().map(|f| view! { <dt>{f.label}</dt><dd>{f.value}</dd> }).collect_view()}
        </dl>
        <Roster id roster />
        <h2>"Animation"</h2>
        <ul>{facilitators.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
        {(!reservations.is_empty())
            .then(|| {
                view! {
                    <h2>"Places réservées"</h2>
                    <ul>{reservations.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                }
            })}
        <h2>"Au programme"</h2>
        <p class="description">{description}</p>
        {(!series.is_empty())
            .then(|| {
                view! {
                    <h2>"Les séances de la série"</h2>
                    <ul class="series">
                        {series
                            .into_iter()
                            .map(|line| {
                                let label = match line.status {
                                    SessionStatus::Cancelled => format!("{} (annulée)", line.when),
                                    SessionStatus::Draft => format!("{} (brouillon)", line.when),
                                    SessionStatus::Published => line.when.clone(),
                                };
                                if line.is_this_one {
                                    view! { <li aria-current="page">{format!("{label} : cette séance")}</li> }.into_any()
                                } else {
                                    view! {
                                        <li>
                                            <a href=paths::staff_session(line.id)>{label}</a>
                                        </li>
                                    }
                                        .into_any()
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
        <h2>"Historique"</h2>
        <ul class="history">
            {history
                .into_iter()
                .map(|h| view! { <li>{format!("{} — {} : {}", h.when, h.who, h.what)}</li> })
                .collect_view()}
        </ul>
        {audit_link.map(|href| view! { <p><a href=href>"Tout le journal de cette séance"</a></p> })}
    }
}
