//! `/seances/:id`: one session, with the "M'inscrire" / "Me désinscrire" buttons.
//!
//! The forms post to the server functions, which send the browser back here with what happened
//! (`?message=…`); the page then shows the new state. No script is needed; a tiny one
//! (`lire.js`) offers to read the page aloud where the phone can.

use crate::assets::asset;
use crate::components::{
    Alert, BackLink, Changes, Loaded, Pictogram, PostButton, SiteHeader, StatusLine, action_error,
};
use crate::functions::{CancelEnrolment, Enrol, fetch_session};
use crate::models::{SessionDetail, UiError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use toile_shared::done::Outcome;
use toile_shared::{SessionId, paths};

#[component]
pub fn SessionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<SessionId>().ok());
    let enrol = ServerAction::<Enrol>::new();
    let cancel = ServerAction::<CancelEnrolment>::new();
    let detail = Resource::new(id, |id| async move {
        match id {
            Some(id) => fetch_session(id).await,
            None => Err(UiError::not_found()),
        }
    });
    let outcome = move || query.read().get(Outcome::QUERY).and_then(|code| Outcome::parse(&code));

    view! {
        <SiteHeader />
        <main id="contenu" class="page">
            <BackLink href=paths::PARTICIPANT_SESSIONS label="Mes séances" />
            <Loaded resource=detail body=move |detail| view! { <Detail detail enrol cancel /> } heading="Séance" />
            <Alert error=action_error(enrol) />
            <Alert error=action_error(cancel) />
            <div role="status" class="news">
                {move || outcome().map(|o| view! { <p>{o.label()}</p> })}
            </div>
        </main>
        <script src=asset("lire.js") defer></script>
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
        video_link,
        can_cancel,
    } = detail;
    let id = card.id;
    let enrolled = card.mine.as_ref().is_some_and(|m| m.status.is_active());
    let full = card.seats_left == 0;

    let action = if enrolled {
        can_cancel.then(|| {
            view! {
                <ActionForm action=cancel>
                    <PostButton name="session_id" value=id class="button-secondary">
                        "Me désinscrire"
                    </PostButton>
                </ActionForm>
            }
            .into_any()
        })
    } else if let Some(reason) = cannot_enrol_reason {
        Some(view! { <p class="reason">{reason}</p> }.into_any())
    } else {
        let label = if full { "M'inscrire sur la liste d'attente" } else { "M'inscrire" };
        Some(
            view! {
                <ActionForm action=enrol>
                    <PostButton name="session_id" value=id class="button-primary">
                        {label}
                    </PostButton>
                </ActionForm>
            }
            .into_any(),
        )
    };

    // A plain download link: the phone offers to add the session to its calendar.
    let add_to_calendar = enrolled.then(|| {
        view! {
            <p class="add-to-calendar">
                <a class="button-link-secondary" href=paths::session_calendar(id) download>
                    "Ajouter à mon agenda"
                </a>
            </p>
        }
    });
    let place = match video_link {
        Some(link) => view! { <a href=link.clone()>{format!("En visio : {link}")}</a> }.into_any(),
        None => card.place_label.clone().into_any(),
    };

    view! {
        <Title text=card.title.clone() />
        <article class="session">
            // What `lire.js` reads aloud.
            <div data-lire>
                <h1>{card.title.clone()}</h1>
                <p class="kind">
                    <Pictogram kind=card.kind />
                    {card.kind_label.clone()}
                </p>
                {cancelled.then(|| view! { <p class="cancelled">"Cette séance est annulée."</p> })}
                <Changes card=card.clone() />
                <StatusLine card=card.clone() long=true />
                <dl class="facts">
                    <dt>"Date"</dt>
                    <dd>{card.date_label.clone()}</dd>
                    <dt>"Heure"</dt>
                    <dd>{card.time_label.clone()}</dd>
                    <dt>"Lieu"</dt>
                    <dd>{place}</dd>
                    {company_name.map(|c| view! { <dt>"Entreprise"</dt><dd>{c}</dd> })}
                    {speaker.map(|s| view! { <dt>"Qui présente"</dt><dd>{s}</dd> })}
                </dl>
                <h2>"Au programme"</h2>
                <p class="description">{description}</p>
                {cancellation_label.map(|l| view! { <p class="deadline">{l}</p> })}
            </div>
            <p>
                <button type="button" class="button-secondary" id="lire" hidden>
                    "Lire à voix haute"
                </button>
            </p>
            <div class="actions">{action}</div>
            {add_to_calendar}
        </article>
    }
}
