//! `/equipe/seances/:id/annuler` and `/equipe/seances/:id/dupliquer`: two short forms about one
//! session, posted to their own page like the session form.

use crate::assets::IslandScripts;
use crate::components::{PageHead, Refusal};
use crate::forms::{FieldError, FormSummary, FormToken, SubmitButton, TextArea, described_by, invalid, typed};
use crate::functions::fetch_staff_session;
use crate::models::{StaffSession, UiError};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use toile_shared::{SessionId, paths};

fn session_of_the_address() -> Resource<Result<StaffSession, UiError>> {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<SessionId>().ok());
    Resource::new(id, |id| async move {
        match id {
            Some(id) => fetch_staff_session(id).await,
            None => Err(UiError::not_found()),
        }
    })
}

/// A page about one session: its title, a way back, then `form` for it.
#[component]
fn AboutSession(heading: &'static str, form: fn(StaffSession) -> AnyView) -> impl IntoView {
    let session = session_of_the_address();
    view! {
        <PageHead title=heading />
        <main id="contenu" class="page">
            <h1>{heading}</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match session.await {
                        Ok(session) => {
                            let id = session.row.id;
                            view! {
                                <p class="about">
                                    <a href=paths::staff_session(id)>{session.row.title.clone()}</a>
                                    {format!(", {}", session.row.when_label)}
                                </p>
                                <FormSummary />
                                {form(session)}
                            }
                                .into_any()
                        }
                        Err(error) => view! { <Refusal error heading=None /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn CancelSessionPage() -> impl IntoView {
    view! { <AboutSession heading="Annuler la séance" form=cancel_form /> }
}

fn cancel_form(session: StaffSession) -> AnyView {
    let people = session.row.seats_taken + session.row.waitlist_count;
    let warning = match people {
        0 => "Personne n'est inscrit pour l'instant.".to_string(),
        1 => "1 personne est inscrite ou en attente : elle verra la raison sur sa page.".to_string(),
        n => format!("{n} personnes sont inscrites ou en attente : elles verront la raison sur leur page."),
    };
    view! {
        <p>{warning}</p>
        <form method="post">
            <TextArea name="reason" label="Raison, en mots simples (facultatif)" rows=3 max_chars=500 />
            <button type="submit" class="button-danger">
                "Annuler la séance"
            </button>
        </form>
    }
    .into_any()
}

#[component]
pub fn DuplicateSessionPage() -> impl IntoView {
    view! { <AboutSession heading="Dupliquer la séance" form=duplicate_form /> }
}

fn duplicate_form(_session: StaffSession) -> AnyView {
    view! {
        <p>"La copie reprend tout, sauf les inscriptions, aux mêmes heures, le jour choisi."</p>
        <form method="post">
            <div class="field">
                <label for="date">"Jour de la copie"</label>
                <input
                    id="date"
                    name="date"
                    type="date"
                    required
                    value=typed("date").unwrap_or_default()
                    aria-describedby=described_by("date")
                    aria-invalid=invalid("date")
                />
                <FieldError field="date" />
            </div>
            <FormToken />
            <SubmitButton label="Dupliquer".to_string() />
        </form>
        <IslandScripts />
    }
    .into_any()
}
