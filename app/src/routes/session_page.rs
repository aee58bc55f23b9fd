//! `/seances/:id`: one session, with the "M'inscrire" / "Me désinscrire" buttons.
//!
//! Without JS the forms post to the server functions, which redirect back here; the page then
//! reads the new state from `session_detail`. With JS the actions run in place, the detail is
//! fetched again, and the outcome is announced in a status live region.

use crate::components::{Alert, SiteHeader, StatusLine, action_error};
use crate::functions::{CancelEnrolment, Enrol, fetch_session};
use crate::models::{SessionDetail, UiError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use toile_shared::SessionId;
use toile_shared::paths;

#[component]
pub fn SessionPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<SessionId>().ok());
    let enrol = ServerAction::<Enrol>::new();
    let cancel = ServerAction::<CancelEnrolment>::new();
    // Reading the action versions makes the detail reload after each enrol / cancel.
    let detail = Resource::new(
        move || (id(), enrol.version().get(), cancel.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => fetch_session(id).await,
                None => Err(UiError::not_found()),
            }
        },
    );

    let news = RwSignal::new(None::<String>);
    Effect::new(move || {
        if let Some(Ok(outcome)) = enrol.value().get() {
            news.set(Some(outcome.message));
        }
    });
    Effect::new(move || {
        if let Some(Ok(())) = cancel.value().get() {
            news.set(Some("Votre inscription est annulée.".to_owned()));
        }
    });

    view! {
        <SiteHeader />
        <main id="contenu" class="page">
            <p class="back">
                <a href=paths::PARTICIPANT_SESSIONS>
                    <span aria-hidden="true">"← "</span>
                    "Mes séances"
                </a>
            </p>
            // `Transition` keeps the current content on screen while the detail reloads.
            <Transition fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! { <Detail detail enrol cancel /> }.into_any(),
                        Err(e) => {
                            view! {
                                <Title text="Séance" />
                                <h1>"Séance"</h1>
                                <div role="alert" class="alert">
                                    <p>{e.message}</p>
                                </div>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
            // Outside the transition so they stay in the page, and screen readers announce changes.
            <Alert error=action_error(enrol) />
            <Alert error=action_error(cancel) />
            <div role="status" class="news">
                {move || news.get().map(|m| view! { <p>{m}</p> })}
            </div>
        </main>
    }
}

#[component]
fn Detail(detail: SessionDetail, enrol: ServerAction<Enrol>, cancel: ServerAction<CancelEnrolment>) -> impl IntoView {
    let SessionDetail {
        card,
        description,
        company_name,
        speaker,
        cancellation_label,
        cancelled,
        cannot_enrol_reason,
        can_cancel,
    } = detail;
    let id = card.id;
    let enrolled = card.mine.as_ref().is_some_and(|m| m.status.is_active());

    let action = if enrolled {
        can_cancel.then(|| {
            view! {
                <ActionForm action=cancel>
                    <input type="hidden" name="session_id" value=id />
                    <button type="submit" class="button-secondary">
                        "Me désinscrire"
                    </button>
                </ActionForm>
            }
            .into_any()
        })
    } else if let Some(reason) = cannot_enrol_reason {
        Some(view! { <p class="reason">{reason}</p> }.into_any())
    } else {
        Some(
            view! {
                <ActionForm action=enrol>
                    <input type="hidden" name="session_id" value=id />
                    <button type="submit" class="button-primary">
                        "M'inscrire"
                    </button>
                </ActionForm>
            }
            .into_any(),
        )
    };

    // A plain download link (the router leaves `download` links to the browser): the phone
    // offers to add the session to its calendar.
    let add_to_calendar = enrolled.then(|| {
        view! {
            <p class="add-to-calendar">
                <a class="button-link-secondary" href=paths::session_calendar(id) download>
                    "Ajouter à mon agenda"
                </a>
            </p>
        }
    });

    view! {
        <Title text=card.title.clone() />
        <article class="session">
            <h1>{card.title}</h1>
            <p class="kind">{card.kind_label}</p>
            {cancelled.then(|| view! { <p class="cancelled">"Cette séance est annulée."</p> })}
            <StatusLine mine=card.mine seats_left=card.seats_left long=true />
            <dl class="facts">
                <dt>"Date"</dt>
                <dd>{card.date_label}</dd>
                <dt>"Heure"</dt>
                <dd>{card.time_label}</dd>
                <dt>"Lieu"</dt>
                <dd>{card.place_label}</dd>
                {company_name.map(|c| view! { <dt>"Entreprise"</dt><dd>{c}</dd> })}
                {speaker.map(|s| view! { <dt>"Intervenant·e"</dt><dd>{s}</dd> })}
            </dl>
            <h2>"Au programme"</h2>
            <p class="description">{description}</p>
            {cancellation_label.map(|l| view! { <p class="deadline">{l}</p> })}
            <div class="actions">{action}</div>
            {add_to_calendar}
        </article>
    }
}
