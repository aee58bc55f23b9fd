//! `/r/:secret`: the page of a participant's answer link, from a reminder or a seat offer.
//! Two big buttons, "Je viens" and "Je ne peux pas venir", for one session, without signing
//! in. No script: the buttons are a plain form that comes back here with the new state.

use crate::components::{Alert, action_error};
use crate::functions::{Answer, NO, YES, fetch_answer};
use crate::models::{AnswerPage, AnswerStatus, UiError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use toile_shared::paths;

#[component]
pub fn AnswerLinkPage() -> impl IntoView {
    let params = use_params_map();
    let secret = move || params.read().get("secret").unwrap_or_default();
    let page = Resource::new(secret, fetch_answer);
    let answer = ServerAction::<Answer>::new();
    view! {
        <Title text="Vous venez ?" />
        <header class="site-header">
            <span class="brand">"Toile"</span>
        </header>
        <main id="contenu" class="page">
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Answered page secret=secret() answer /> }.into_any(),
                        Err(e) => view! { <Refused error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <Alert error=action_error(answer) />
        </main>
    }
}

/// A link that does not work (unknown, or its session ended): the words say why, with the
/// answer's status (404, 410), never an error of ours.
#[component]
fn Refused(error: UiError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::functions::request::set_page_status(&error);
    view! {
        <h1>"Ce lien ne marche pas"</h1>
        <p role="alert" class="alert">{error.message}</p>
        <p>
            <a href=paths::PARTICIPANT_SESSIONS>"Ouvrir mes séances"</a>
        </p>
    }
}

#[component]
fn Answered(page: AnswerPage, secret: String, answer: ServerAction<Answer>) -> impl IntoView {
    let AnswerPage { title, date_label, time_label, place_label, video_link, status } = page;
    let (heading, said) = match status {
        AnswerStatus::Seated => ("Vous venez ?", "Vous êtes inscrit·e à cette séance."),
        AnswerStatus::Coming => ("Merci, à bientôt !", "Vous avez dit que vous venez."),
        AnswerStatus::Declined => {
            ("C'est noté", "Vous ne venez pas. Votre place est donnée à une autre personne. Merci de l'avoir dit.")
        }
        AnswerStatus::Waiting => ("Vous êtes sur la liste d'attente", "Si une place se libère, elle est pour vous."),
        AnswerStatus::NotEnrolled => ("Vous n'êtes plus inscrit·e", "Vous n'avez pas de place à cette séance."),
        AnswerStatus::SessionCancelled => ("Séance annulée", "Cette séance n'aura pas lieu."),
        AnswerStatus::Started => {
            ("La séance a commencé", "Si vous avez un problème, appelez votre conseiller ou votre conseillère.")
        }
    };
    let button = |value: &'static str, label: &'static str, class: &'static str| {
        let secret = secret.clone();
        view! {
            <ActionForm action=answer>
                <input type="hidden" name="secret" value=secret />
                <input type="hidden" name="reponse" value=value />
                <button type="submit" class=class>
                    {label}
                </button>
            </ActionForm>
        }
    };
    let buttons = match status {
        AnswerStatus::Seated => Some(
            view! {
                {button(YES, "Je viens", "button-primary")}
                {button(NO, "Je ne peux pas venir", "button-secondary")}
                <p class="hint">"Si vous ne pouvez pas venir, votre place ira tout de suite à la personne suivante."</p>
            }
            .into_any(),
        ),
        AnswerStatus::Coming => Some(view! { {button(NO, "Je ne peux plus venir", "button-secondary")} }.into_any()),
        AnswerStatus::Waiting => {
            Some(view! { {button(NO, "Je ne veux plus attendre", "button-secondary")} }.into_any())
        }
        _ => None,
    };
    let video = video_link.map(|link| view! { <p><a href=link.clone()>{format!("En visio : {link}")}</a></p> });
    view! {
        <h1>{heading}</h1>
        <p role="status">{said}</p>
        <section class="card" aria-label="La séance">
            <h2>{title}</h2>
            <p>{date_label}", "{time_label}</p>
            <p>{place_label}</p>
            {video}
        </section>
        <div class="actions">{buttons}</div>
        <p>
            <a href=paths::PARTICIPANT_SESSIONS>"Voir mes séances"</a>
        </p>
    }
}
