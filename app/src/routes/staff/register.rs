//! `/equipe/participants/nouvelle` and `/equipe/participants/:id/code`: registering a person with
//! the minimum, and giving them a new code. Both answer with the printable code card, shown this
//! once (the code is kept only as a hash).

use crate::assets::IslandScripts;
use crate::components::{BackLink, CodeCardView, Loaded, Refusal, SiteHeader};
use crate::forms::{FieldError, FormSummary, FormToken, SubmitButton, described_by, invalid, typed};
use crate::functions::{fetch_participant, fetch_registration_form};
use crate::models::{CodeCard, RegistrationForm, UiError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use toile_shared::{ParticipantId, paths};

/// The card just drawn, when the page answers the form that drew it.
fn issued_card() -> Option<CodeCard> {
    use_context::<CodeCard>()
}

/// The card, ready to print, and the way on.
#[component]
fn PrintableCard(card: CodeCard, heading: &'static str) -> impl IntoView {
    let id = card.participant_id;
    view! {
        <Title text=heading />
        <div class="no-print">
            <h1>{heading}</h1>
            <p role="status" class="news">
                "Imprimez cette page (elle tient sur une feuille A6) ou recopiez le code : il ne sera plus affiché."
            </p>
        </div>
        <CodeCardView card />
        <p class="no-print">
            <a href=paths::participant(id)>"Voir sa fiche"</a>
        </p>
    }
}

/// A text field with its purpose said next to it.
#[component]
fn Field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    required: bool,
    autocomplete: &'static str,
    #[prop(optional)] purpose: Option<&'static str>,
) -> impl IntoView {
    let hint = format!("{name}-aide");
    let described = match (purpose, described_by(name)) {
        (Some(_), Some(error)) => Some(format!("{hint} {error}")),
        (Some(_), None) => Some(hint.clone()),
        (None, error) => error,
    };
    view! {
        <div class="field">
            <label for=name>{label}</label>
            {purpose.map(|p| view! { <p class="hint" id=hint.clone()>{p}</p> })}
            <input
                id=name
                name=name
                type=kind
                required=required
                autocomplete=autocomplete
                value=typed(name).unwrap_or_default()
                aria-describedby=described
                aria-invalid=invalid(name)
            />
            <FieldError field=name />
        </div>
    }
}

#[component]
fn RegistrationFields(form: RegistrationForm) -> impl IntoView {
    let chosen = |field: &str, default: &str| typed(field).unwrap_or_else(|| default.to_string());
    let structure = chosen("structure", form.structures.first().map(|c| c.value.as_str()).unwrap_or_default());
    let referent = chosen("referent", &form.default_referent);
    view! {
        <FormSummary />
        <form method="post" class="session-form">
            <Field name="first_name" label="Prénom" kind="text" required=true autocomplete="off" />
            <Field name="last_name" label="Nom" kind="text" required=true autocomplete="off" />
            {(form.structures.len() > 1)
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="structure">"Structure"</label>
                            <select id="structure" name="structure" aria-invalid=invalid("structure")>
                                {form
                                    .structures
                                    .iter()
                                    .map(|c| {
                                        view! {
                                            <option value=c.value.clone() selected=c.value == structure>
                                                {c.label.clone()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <FieldError field="structure" />
                        </div>
                    }
                })}
            {(form.structures.len() == 1)
                .then(|| view! { <input type="hidden" name="structure" value=structure.clone() /> })}
            <div class="field">
                <label for="referent">"Référent·e"</label>
                <select id="referent" name="referent" aria-describedby=described_by("referent") aria-invalid=invalid("referent")>
                    {form
                        .referents
                        .iter()
                        .map(|c| view! { <option value=c.value.clone() selected=c.value == referent>{c.label.clone()}</option> })
                        .collect_view()}
                </select>
                <FieldError field="referent" />
            </div>
            <Field
                name="phone"
                label="Téléphone (facultatif)"
                kind="tel"
                required=false
                autocomplete="off"
                purpose="Pour lui envoyer un rappel par SMS avant une séance."
            />
            <Field
                name="email"
                label="E-mail (facultatif)"
                kind="email"
                required=false
                autocomplete="off"
                purpose="Pour lui envoyer un rappel par e-mail avant une séance."
            />
            <p class="hint">
                "Toile ne garde rien d'autre : pas de notes sur sa santé ou sa situation."
            </p>
            <FormToken />
            <SubmitButton label="Inscrire et imprimer sa carte".to_string() />
        </form>
    }
}

#[component]
pub fn NewParticipantPage() -> impl IntoView {
    let card = issued_card();
    let form = Resource::new(|| (), |_| fetch_registration_form());
    view! {
        <SiteHeader />
        <main id="contenu" class="page">
            {match card {
                Some(card) => view! { <PrintableCard card heading="Personne inscrite : sa carte" /> }.into_any(),
                None => {
                    view! {
                        <Title text="Inscrire une nouvelle personne" />
                        <BackLink href=paths::PARTICIPANTS label="Participants" />
                        <h1>"Inscrire une nouvelle personne"</h1>
                        <Loaded resource=form body=move |form| view! { <RegistrationFields form /> } />
                        <IslandScripts />
                    }
                        .into_any()
                }
            }}
        </main>
    }
}

#[component]
pub fn ParticipantCodePage() -> impl IntoView {
    let card = issued_card();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<ParticipantId>().ok());
    let person = Resource::new(id, |id| async move {
        match id {
            Some(id) => fetch_participant(id).await,
            None => Err(UiError::not_found()),
        }
    });
    view! {
        <SiteHeader />
        <main id="contenu" class="page">
            {match card {
                Some(card) => view! { <PrintableCard card heading="Nouveau code : sa carte" /> }.into_any(),
                None => {
                    view! {
                        <Title text="Nouveau code" />
                        <h1>"Nouveau code"</h1>
                        <FormSummary />
                        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                            {move || Suspend::new(async move {
                                match person.await {
                                    Ok(person) => {
                                        view! {
                                            <p class="about">
                                                <a href=paths::participant(person.id)>{person.name.clone()}</a>
                                            </p>
                                            <p>
                                                "Le code de chaque personne n'est affiché qu'une fois. Un nouveau code arrête l'ancien et déconnecte ses téléphones et ses agendas."
                                            </p>
                                            <form method="post">
                                                <button type="submit" class="button-primary">
                                                    "Donner un nouveau code"
                                                </button>
                                            </form>
                                        }
                                            .into_any()
                                    }
                                    Err(error) => view! { <Refusal error heading=None /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}
