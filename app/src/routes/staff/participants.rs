//! `/equipe/participants` and `/equipe/participants/:id`: a structure's participants, found by
//! name, and one person's record (their sessions to come, their history, a new code, archiving,
//! a copy of their data and its erasure).

use crate::components::{BackLink, Loaded, PageHead, SiteHeader};
use crate::forms::{FieldError, FormSummary, described_by, invalid};
use crate::functions::{fetch_participant, fetch_participants};
use crate::models::{
    ALREADY_DONE, ERASE_ACTION, ERASE_CONFIRMATION, ParticipantPage, ParticipantsPage, RecordLine, UiError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use toile_shared::done::{Done, DonePage};
use toile_shared::{ParticipantId, paths};

use super::DONE;

#[component]
pub fn ParticipantsListPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let list = Resource::new(search, fetch_participants);
    let done = move || query.read().get(DONE).and_then(|code| Done::said_on(DonePage::Participants, &code));
    view! {
        <PageHead title="Participants" />
        <main id="contenu" class="page page-wide">
            <h1>"Participants"</h1>
            <div role="status" class="news">
                {move || done().map(|m| view! { <p>{m}</p> })}
            </div>
            <p>
                <a class="button-link" href=paths::NEW_PARTICIPANT>
                    "Inscrire une nouvelle personne"
                </a>
            </p>
            <form method="get" class="filters" role="search">
                <div class="field">
                    <label for="q">"Chercher par nom"</label>
                    <input id="q" name="q" type="search" value=search autocomplete="off" />
                </div>
                <button type="submit" class="button-secondary">
                    "Chercher"
                </button>
            </form>
            <Loaded resource=list body=move |page| view! { <List page /> } />
        </main>
    }
}

#[component]
fn List(page: ParticipantsPage) -> impl IntoView {
    if page.rows.is_empty() {
        let none = if page.search.trim().is_empty() {
            "Personne pour l'instant : inscrivez la première personne."
        } else {
            "Personne ne porte ce nom."
        };
        return view! { <p>{none}</p> }.into_any();
    }
    view! {
        {page.capped.then(|| view! { <p class="muted">"Seules les premières personnes sont affichées : précisez le nom."</p> })}
        <ul class="cards">
            {page
                .rows
                .into_iter()
                .map(|row| {
                    view! {
                        <li class="card">
                            <p class="card-title">
                                <a href=paths::participant(row.id)>{row.name.clone()}</a>
                            </p>
                            <p class="muted">
                                {if row.referent.is_empty() {
                                    row.structure.clone()
                                } else {
                                    format!("{} · suivi par {}", row.structure, row.referent)
                                }}
                            </p>
                            {if row.coming.is_empty() {
                                view! { <p>"Aucune séance à venir."</p> }.into_any()
                            } else {
                                view! { <ul>{row.coming.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }
                                    .into_any()
                            }}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

fn participant_of_the_address() -> Resource<Result<ParticipantPage, UiError>> {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<ParticipantId>().ok());
    Resource::new(id, |id| async move {
        match id {
            Some(id) => fetch_participant(id).await,
            None => Err(UiError::not_found()),
        }
    })
}

#[component]
fn Lines(lines: Vec<RecordLine>, empty: &'static str) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="roster">
            {lines
                .into_iter()
                .map(|line| {
                    let mut words = vec![line.status.clone()];
                    words.extend((!line.attendance.is_empty()).then(|| line.attendance.clone()));
                    view! {
                        <li class="roster-person">
                            <p>
                                {format!("{} · ", line.when)}
                                <a href=paths::staff_session(line.session_id)>{line.title.clone()}</a>
                                {format!(" · {}", words.join(" · "))}
                            </p>
                            {(!line.enrolled_by.is_empty()).then(|| view! { <p class="muted">{line.enrolled_by.clone()}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn ParticipantRecordPage() -> impl IntoView {
    let person = participant_of_the_address();
    let query = use_query_map();
    let again = move || query.read().get(DONE).is_some_and(|done| done == ALREADY_DONE);
    view! {
        <SiteHeader />
        <main id="contenu" class="page">
            <BackLink href=paths::PARTICIPANTS label="Participants" />
            <div role="status" class="news">
                {move || {
                    again()
                        .then(|| {
                            view! {
                                <p>
                                    "Cette personne était déjà inscrite par ce formulaire : rien n'a été fait en double. Son code ne se montre qu'une fois : pour imprimer une carte, donnez-lui un nouveau code."
                                </p>
                            }
                        })
                }}
            </div>
            <FormSummary />
            <Loaded resource=person body=move |person| view! { <Record person /> } heading="Participant" />
        </main>
    }
}

#[component]
fn Record(person: ParticipantPage) -> impl IntoView {
    let facts = [
        ("Structure", person.structure.clone()),
        ("Référent·e", person.referent.clone()),
        ("Téléphone", person.phone.clone()),
        ("E-mail", person.email.clone()),
    ];
    view! {
        <Title text=person.name.clone() />
        <h1>{person.name.clone()}</h1>
        {if person.anonymised {
            Some(view! { <p class="cancelled">"Données effacées : il ne reste que ses présences, sans son nom."</p> })
        } else {
            (!person.active).then(|| view! { <p class="cancelled">"Archivée : cette personne a quitté la structure."</p> })
        }}
        <dl class="facts">
            {facts
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                .collect_view()}
        </dl>
        {person
            .active
            .then(|| {
                view! {
                    <div class="actions staff-actions">
                        <a class="button-link-secondary" href=paths::participant_code(person.id)>
                            "Nouveau code et carte"
                        </a>
                    </div>
                }
            })}
        <h2>"Séances à venir"</h2>
        <Lines lines=person.coming empty="Aucune séance à venir." />
        {(!person.open_sessions.is_empty())
            .then(|| {
                let participant = person.id.to_string();
                view! {
                    <h2>"L'inscrire à une séance"</h2>
                    <ul class="roster">
                        {person
                            .open_sessions
                            .iter()
                            .map(|(session, label)| {
                                view! {
                                    <li class="roster-person">
                                        <form method="post" action=paths::staff_session(*session)>
                                            <input type="hidden" name="action" value="inscrire" />
                                            <input type="hidden" name="participant" value=participant.clone() />
                                            <p>{label.clone()}</p>
                                            <button type="submit" class="button-quiet">
                                                "Inscrire"
                                                <span class="visually-hidden">{format!(" : {label}")}</span>
                                            </button>
                                        </form>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
        <h2>"Historique"</h2>
        <Lines lines=person.history empty="Aucune séance pour l'instant." />
        <p>
            <a href=paths::participant_history_csv(person.id) download>
                "L'historique pour tableur (CSV)"
            </a>
        </p>
        {person.audit_link.clone().map(|href| view! { <p><a href=href>"Ce qui a été fait à son sujet (journal)"</a></p> })}
        {person.data_requests.then(|| view! { <PersonalData id=person.id /> })}
        {person
            .active
            .then(|| {
                view! {
                    <h2>"Départ de la structure"</h2>
                    <form method="post">
                        <p>
                            "Archiver libère ses places dans les séances à venir et arrête son code. Son historique reste dans les chiffres."
                        </p>
                        <button type="submit" class="button-danger">
                            "Archiver"
                        </button>
                    </form>
                }
            })}
    }
}

/// A person's rights over their data, for their structure's coordinator: a copy to hand over,
/// and erasure when they ask for it.
#[component]
fn PersonalData(id: ParticipantId) -> impl IntoView {
    view! {
        <h2>"Ses données personnelles"</h2>
        <p>"Si la personne demande ce que Toile sait d'elle, remettez-lui une copie :"</p>
        <ul>
            <li>
                <a href=paths::participant_data_html(id) download>
                    "Copie lisible (page à imprimer)"
                </a>
            </li>
            <li>
                <a href=paths::participant_data_json(id) download>
                    "Copie pour un logiciel (JSON)"
                </a>
            </li>
        </ul>
        <form method="post">
            <input type="hidden" name="action" value=ERASE_ACTION />
            <p>
                "Si elle demande l'effacement : son nom, ses coordonnées et son code sont effacés, ses places à venir libérées. Ses présences restent dans les chiffres, sans son nom. C'est définitif."
            </p>
            <div class="field">
                <input
                    id=ERASE_CONFIRMATION
                    name=ERASE_CONFIRMATION
                    type="checkbox"
                    value="oui"
                    required
                    aria-invalid=invalid(ERASE_CONFIRMATION)
                    aria-describedby=described_by(ERASE_CONFIRMATION)
                />
                <label for=ERASE_CONFIRMATION>"La personne a demandé l'effacement de ses données."</label>
                <FieldError field=ERASE_CONFIRMATION />
            </div>
            <button type="submit" class="button-danger">
                "Effacer ses données"
            </button>
        </form>
    }
}
