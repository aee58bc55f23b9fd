//! `/equipe/seances/nouvelle` and `/equipe/seances/:id/modifier`: the form that proposes or
//! changes a session. It posts to its own page: refused, it comes back with everything typed and
//! a message next to each field at fault (with or without JavaScript); accepted, it leads to the
//! session's page. The one island helps find co-facilitators by name.

use crate::assets::IslandScripts;
use crate::components::{HintedLabel, Loaded, PageHead};
use crate::forms::{FieldError, FormSummary, FormToken, SubmitButton, answer, described_by, invalid, options};
use crate::functions::fetch_session_form;
use crate::models::{Choice, FacilitatorOption, SessionFormPage, SessionFormValues, SiteOption, UiError};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use toile_shared::session_input::{MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use toile_shared::{SessionId, SessionKind, WorkshopTheme};

/// `/equipe/seances/nouvelle`
#[component]
pub fn NewSessionPage() -> impl IntoView {
    let form = Resource::new(|| (), |_| fetch_session_form(None));
    view! { <FormPage form heading="Proposer une séance" /> }
}

/// `/equipe/seances/:id/modifier`
#[component]
pub fn EditSessionPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<SessionId>().ok());
    let form = Resource::new(id, |id| async move {
        match id {
            Some(id) => fetch_session_form(Some(id)).await,
            None => Err(UiError::not_found()),
        }
    });
    view! { <FormPage form heading="Modifier la séance" /> }
}

#[component]
fn FormPage(form: Resource<Result<SessionFormPage, UiError>>, heading: &'static str) -> impl IntoView {
    view! {
        <PageHead title=heading />
        <main id="contenu" class="page">
            <h1>{heading}</h1>
            <Loaded resource=form body=move |page| view! { <SessionForm page /> } />
        </main>
    }
}

#[component]
fn SessionForm(page: SessionFormPage) -> impl IntoView {
    let v = shown_values(&page);
    let new = page.editing.is_none();
    let submit = if new { "Enregistrer la séance" } else { "Enregistrer les changements" };
    view! {
        <FormSummary />
        <form method="post" class="session-form" novalidate>
            <fieldset>
                <legend>"La séance"</legend>
                <Select name="kind" label="Type de séance" choices=kind_choices() chosen=v.kind.clone() />
                <Select
                    name="theme"
                    label="Thème (pour un atelier)"
                    choices=theme_choices()
                    chosen=v.theme.clone()
                    empty="Pas de thème"
                />
                <Text name="title" label="Titre" value=v.title.clone() max=MAX_TITLE_CHARS required=true />
                <div class="field">
                    <HintedLabel
                        field="description"
                        label="Description, en mots simples"
                        hint="Ce que les participants y feront. Des phrases courtes."
                    />
                    <textarea
                        id="description"
                        name="description"
                        rows="5"
                        maxlength=MAX_TEXT_CHARS
                        aria-describedby=described_by("description")
                            .map_or_else(|| "description-aide".to_string(), |e| format!("description-aide {e}"))
                        aria-invalid=invalid("description")
                    >
                        {v.description.clone()}
                    </textarea>
                    <FieldError field="description" />
                </div>
                {(page.organisers.len() > 1)
                    .then(|| {
                        view! {
                            <Select
                                name="organiser"
                                label="Structure organisatrice"
                                choices=page.organisers.clone()
                                chosen=v.organiser.clone()
                                error="organiser_structure_id"
                            />
                        }
                    })}
                {(page.organisers.len() == 1)
                    .then(|| view! { <input type="hidden" name="organiser" value=page.organisers[0].value.clone() /> })}
            </fieldset>
            <fieldset>
                <legend>"Quand"</legend>
                <Text name="date" label="Date" value=v.date.clone() kind="date" required=true error="starts_at" />
                <div class="field-row">
                    <Text name="start" label="Début" value=v.start.clone() kind="time" required=true error="starts_at" />
                    <Text name="end" label="Fin" value=v.end.clone() kind="time" required=true error="ends_at" />
                </div>
                {new
                    .then(|| {
                        view! {
                            <Text
                                name="weeks"
                                label="Nombre de semaines (1 : une seule séance)"
                                value=v.weeks.clone()
                                kind="number"
                                error="weekly_occurrences"
                            />
                        }
                    })}
                {page
                    .in_series
                    .then(|| {
                        view! {
                            <fieldset class="choices">
                                <legend>"Ce changement concerne"</legend>
                                <Radio name="series" value="this" label="Cette séance" chosen=v.series.clone() />
                                <Radio
                                    name="series"
                                    value="following"
                                    label="Cette séance et les suivantes de la série"
                                    chosen=v.series.clone()
                                />
                            </fieldset>
                        }
                    })}
            </fieldset>
            <Place values=v.clone() sites=page.sites.clone() />
            <fieldset>
                <legend>"Places et animation"</legend>
                <Text name="capacity" label="Nombre de places" value=v.capacity.clone() kind="number" required=true />
                <FacilitatorPicker options=page.facilitators.clone() chosen=v.facilitators.clone() />
                <FieldError field="facilitator_ids" />
                <Text
                    name="company_name"
                    label="Entreprise (intervention ou visite d'entreprise)"
                    value=v.company_name.clone()
                    max=MAX_TITLE_CHARS
                />
                <Text name="speaker" label="Qui présente" value=v.speaker.clone() max=MAX_TITLE_CHARS />
            </fieldset>
            <Audience values=v.clone() structures=page.structures.clone() />
            <fieldset>
                <legend>"Inscriptions"</legend>
                <DateTime prefix="opens" label="Ouverture des inscriptions (facultatif)" values=v.clone() error="enrolment_opens_at" />
                <DateTime prefix="closes" label="Clôture des inscriptions (facultatif)" values=v.clone() error="enrolment_closes_at" />
                <DateTime
                    prefix="deadline"
                    label="Date limite pour se désinscrire (facultatif)"
                    values=v.clone()
                    error="cancellation_deadline"
                />
            </fieldset>
            <fieldset class="choices">
                <legend>"Statut"</legend>
                <Radio name="status" value="published" label="Publiée : les participants la voient" chosen=v.status.clone() />
                <Radio name="status" value="draft" label="Brouillon : pas encore visible" chosen=v.status.clone() />
                <FieldError field="status" />
            </fieldset>
            {new.then(|| view! { <FormToken /> })}
            {(!new)
                .then(|| {
                    view! {
                        <input type="hidden" name="version" value=v.version.clone() />
                        <input type="hidden" name="shown" value=v.shown.clone() />
                    }
                })}
            <SubmitButton label=submit.to_string() />
            <TheirValues />
        </form>
        <IslandScripts />
    }
}

/// What the form shows. A refused form comes back with what was typed and the version and
/// values it first showed (so the next save still knows what this editor changed); refused
/// because someone else changed the same fields, it shows this editor's changes over the session
/// as stored now, and starts from the stored version.
fn shown_values(page: &SessionFormPage) -> SessionFormValues {
    let Some(answer) = answer() else { return page.values.clone() };
    let typed = SessionFormValues::from_pairs(&answer.pairs);
    #[cfg(feature = "ssr")]
    if answer.refusal.code == crate::models::EDITED_MEANWHILE {
        return typed.merged(&page.values);
    }
    if typed.shown.is_empty() {
        return SessionFormValues { version: page.values.version.clone(), shown: page.values.shown.clone(), ..typed };
    }
    typed
}

/// After another editor changed the same fields: the other way to choose, their values for
/// those fields (this editor's other changes saved all the same).
#[component]
fn TheirValues() -> impl IntoView {
    let refusal = answer().map(|answer| answer.refusal).filter(|r| r.code == crate::models::EDITED_MEANWHILE);
    refusal.map(|refusal| {
        view! {
            {refusal
                .fields
                .into_iter()
                .map(|(field, _)| view! { <input type="hidden" name="theirs" value=field /> })
                .collect_view()}
            <button type="submit" name="choice" value="theirs" class="button-secondary">
                "Reprendre leurs valeurs pour ces champs, et enregistrer le reste"
            </button>
        }
    })
}

fn kind_choices() -> Vec<Choice> {
    SessionKind::ALL.iter().map(|k| Choice { value: k.code().into(), label: k.label().into() }).collect()
}

fn theme_choices() -> Vec<Choice> {
    WorkshopTheme::ALL.iter().map(|t| Choice { value: t.code().into(), label: t.label().into() }).collect()
}

/// Where: a site of the group, another address, or a video link.
#[component]
fn Place(values: SessionFormValues, sites: Vec<SiteOption>) -> impl IntoView {
    let chosen = values.place.clone();
    view! {
        <fieldset class="choices" aria-describedby=described_by("location")>
            <legend>"Où"</legend>
            <FieldError field="location" />
            <Radio name="place" value="site" label="Dans un lieu du groupe" chosen=chosen.clone() />
            <div class="field nested">
                <label for="site_id">"Lieu"</label>
                <select id="site_id" name="site_id">
                    {sites
                        .into_iter()
                        .map(|site| {
                            let selected = values.site_id == site.id.to_string();
                            view! {
                                <option value=site.id selected=selected>
                                    {format!("{} — {}", site.structure, site.label)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <Radio name="place" value="address" label="À une autre adresse" chosen=chosen.clone() />
            <div class="field nested">
                <label for="address">"Adresse"</label>
                <textarea id="address" name="address" rows="2">
                    {values.address.clone()}
                </textarea>
            </div>
            <Radio name="place" value="video" label="En visio" chosen=chosen />
            <div class="field nested">
                <label for="video_url">"Lien de la visio (https://…)"</label>
                <input id="video_url" name="video_url" type="url" value=values.video_url.clone() />
            </div>
        </fieldset>
    }
}

/// Who may enrol, and the seats kept for some structures until a date.
#[component]
fn Audience(values: SessionFormValues, structures: Vec<Choice>) -> impl IntoView {
    let chosen = values.audience.clone();
    let listed = values.audience_ids.clone();
    view! {
        <fieldset class="choices">
            <legend>"Qui peut s'inscrire"</legend>
            <FieldError field="audience" />
            <Radio name="audience" value="all" label="Tout le groupe" chosen=chosen.clone() />
            <Radio name="audience" value="list" label="Seulement ces structures :" chosen=chosen />
            <div class="nested">
                {structures
                    .iter()
                    .map(|s| {
                        let id = format!("audience-{}", s.value);
                        let checked = listed.contains(&s.value);
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name="audience_ids" value=s.value.clone() checked=checked />
                                <label for=id>{s.label.clone()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
        <fieldset>
            <legend>"Places réservées (facultatif)"</legend>
            <p class="hint">
                "Des places gardées pour une structure jusqu'à une date ; ensuite, les places non prises s'ouvrent à tous."
            </p>
            <FieldError field="reserved_seats" />
            {structures
                .into_iter()
                .map(|s| {
                    let name = format!("{}{}", crate::models::RESERVED_PREFIX, s.value);
                    let value = values.reserved_for(&s.value).to_string();
                    view! {
                        <div class="field field-inline">
                            <label for=name.clone()>{s.label}</label>
                            <input id=name.clone() name=name type="number" min="0" value=value inputmode="numeric" />
                        </div>
                    }
                })
                .collect_view()}
            <DateTime prefix="reserved_until" label="Gardées jusqu'au" values=values.clone() error="reserved_until" />
        </fieldset>
    }
}

/// A date and a time, both optional, named `<prefix>_date` and `<prefix>_time`.
#[component]
fn DateTime(
    prefix: &'static str,
    label: &'static str,
    values: SessionFormValues,
    error: &'static str,
) -> impl IntoView {
    let (date, time) = match prefix {
        "opens" => (values.opens_date, values.opens_time),
        "closes" => (values.closes_date, values.closes_time),
        "deadline" => (values.deadline_date, values.deadline_time),
        _ => (values.reserved_until_date, values.reserved_until_time),
    };
    let date_name = format!("{prefix}_date");
    let time_name = format!("{prefix}_time");
    view! {
        <fieldset class="field-row" aria-describedby=described_by(error)>
            <legend>{label}</legend>
            <div class="field">
                <label for=date_name.clone()>"Date"</label>
                <input id=date_name.clone() name=date_name type="date" value=date aria-invalid=invalid(error) />
            </div>
            <div class="field">
                <label for=time_name.clone()>"Heure"</label>
                <input id=time_name.clone() name=time_name type="time" value=time aria-invalid=invalid(error) />
            </div>
            <FieldError field=error />
        </fieldset>
    }
}

/// A one-line field with its label and its message. `error` names the field in messages when
/// it differs from `name`.
#[component]
fn Text(
    name: &'static str,
    label: &'static str,
    value: String,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] max: Option<usize>,
    #[prop(optional)] required: bool,
    #[prop(optional)] error: Option<&'static str>,
) -> impl IntoView {
    let error = error.unwrap_or(name);
    let numeric = (kind == Some("number")).then_some("numeric");
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <input
                id=name
                name=name
                type=kind.unwrap_or("text")
                value=value
                maxlength=max
                required=required
                inputmode=numeric
                aria-describedby=described_by(error)
                aria-invalid=invalid(error)
            />
            <FieldError field=error />
        </div>
    }
}

#[component]
fn Select(
    name: &'static str,
    label: &'static str,
    choices: Vec<Choice>,
    chosen: String,
    #[prop(optional)] empty: Option<&'static str>,
    #[prop(optional)] error: Option<&'static str>,
) -> impl IntoView {
    let error = error.unwrap_or(name);
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=name aria-describedby=described_by(error) aria-invalid=invalid(error)>
                {empty.map(|text| view! { <option value="" selected=chosen.is_empty()>{text}</option> })}
                {options(choices, Some(chosen.as_str()))}
            </select>
            <FieldError field=error />
        </div>
    }
}

#[component]
fn Radio(name: &'static str, value: &'static str, label: &'static str, chosen: String) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="choice">
            <input type="radio" id=id.clone() name=name value=value checked=chosen == value />
            <label for=id>{label}</label>
        </div>
    }
}

/// Co-facilitators from any structure, as checkboxes; with JavaScript, a search box filters
/// them by name or structure as one types.
#[island]
fn FacilitatorPicker(options: Vec<FacilitatorOption>, chosen: Vec<String>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let alive = RwSignal::new(false);
    Effect::new(move || alive.set(true));
    let matches = move |option: &FacilitatorOption| {
        let wanted = search.get().to_lowercase();
        wanted.is_empty()
            || option.name.to_lowercase().contains(&wanted)
            || option.structure.to_lowercase().contains(&wanted)
    };
    view! {
        <fieldset class="choices facilitators">
            <legend>"Animation (vous, et d'autres de n'importe quelle structure)"</legend>
            <div class="field" hidden=move || !alive.get()>
                <label for="recherche-animation">"Chercher par nom ou structure"</label>
                <input
                    id="recherche-animation"
                    type="search"
                    autocomplete="off"
                    on:input=move |event| search.set(event_target_value(&event))
                />
            </div>
            <div class="facilitator-list">
                {options
                    .into_iter()
                    .map(|option| {
                        let id = format!("animation-{}", option.id);
                        let checked = chosen.contains(&option.id.to_string());
                        let shown = option.clone();
                        view! {
                            <div class="choice" hidden=move || !matches(&shown)>
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    name="facilitators"
                                    value=option.id
                                    checked=checked
                                />
                                <label for=id>{format!("{} ({})", option.name, option.structure)}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}
