//! `/equipe/seances/:id/presences`: taking attendance on the day, on a phone held in one hand.
//! Each person has three large buttons; each button is its own form, so a tap records at once,
//! with or without JavaScript, and the page comes back to the same person.

use crate::components::SiteHeader;
use crate::forms::FormSummary;
use crate::functions::fetch_staff_session;
use crate::models::{Choice, RosterPerson, StaffSession, UiError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use toile_shared::{Attendance, SessionId, paths};

const CHOICES: [Attendance; 3] = [Attendance::Present, Attendance::Absent, Attendance::Excused];

#[component]
fn Choices(person: RosterPerson) -> impl IntoView {
    view! {
        <li id=format!("p-{}", person.participant_id) class="roll-person">
            <p class="roll-name">{person.name.clone()}</p>
            <p class="muted">{person.structure.clone()}</p>
            <form method="post" class="roll-choices">
                <input type="hidden" name="participant" value=person.participant_id.to_string() />
                {CHOICES
                    .into_iter()
                    .map(|choice| {
                        let pressed = person.attendance == choice;
                        view! {
                            <button
                                type="submit"
                                name="status"
                                value=choice.code()
                                class=format!("roll-{}", choice.code())
                                aria-pressed=if pressed { "true" } else { "false" }
                            >
                                {choice.label()}
                                <span class="visually-hidden">{format!(" : {}", person.name)}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </form>
        </li>
    }
}

/// Someone came without being enrolled: they take a seat (beyond capacity if none is free).
#[component]
fn WalkIn(enrollable: Vec<Choice>) -> impl IntoView {
    (!enrollable.is_empty()).then(|| {
        view! {
            <form method="post" class="panel">
                <input type="hidden" name="action" value="walk_in" />
                <div class="field">
                    <label for="venu">"Quelqu'un est venu sans être inscrit"</label>
                    <select id="venu" name="participant">
                        {enrollable
                            .into_iter()
                            .map(|c| view! { <option value=c.value>{c.label}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button-secondary">
                    "L'ajouter, présent·e"
                </button>
            </form>
        }
    })
}

#[component]
fn Roll(session: StaffSession) -> impl IntoView {
    let roster = session.roster;
    let id = session.row.id;
    let total = roster.confirmed.len();
    let summary = format!(
        "{} présentes · {} absentes · {} excusées · {} à noter, sur {total} inscrites",
        roster.present, roster.absent, roster.excused, roster.unknown
    );
    view! {
        <Title text=format!("Présences : {}", session.row.title) />
        <h1>"Présences"</h1>
        <p class="about">
            <a href=paths::staff_session(id)>{session.row.title.clone()}</a>
            {format!(", {} ({})", session.row.when_label, session.row.time_label)}
        </p>
        <p class="roll-count" role="status">
            {summary}
        </p>
        <div id="feuille">
            {(!roster.seal.is_empty())
                .then(|| {
                    let class = if roster.seal_warning { "alert" } else { "news" };
                    view! { <p class=class>{roster.seal.clone()}</p> }
                })}
        </div>
        <FormSummary />
        {if !roster.may_take_attendance {
            view! {
                <p role="alert" class="alert">
                    "Seule l'équipe qui anime ou organise la séance note les présences."
                </p>
            }
                .into_any()
        } else if total == 0 {
            view! {
                <p>"Personne n'est inscrit à cette séance."</p>
                <WalkIn enrollable=roster.enrollable.clone() />
            }
                .into_any()
        } else {
            view! {
                <ul class="roll">
                    {roster.confirmed.into_iter().map(|person| view! { <Choices person /> }).collect_view()}
                </ul>
                <WalkIn enrollable=roster.enrollable.clone() />
                {roster
                    .may_close
                    .then(|| {
                        view! {
                            <form method="post" class="panel">
                                <input type="hidden" name="action" value="close" />
                                <p>
                                    "Une fois tout le monde noté, closez la feuille : son contenu est scellé. Une correction plus tard la rouvre, et l'historique le garde."
                                </p>
                                <button type="submit" class="button-primary">
                                    "Clore la feuille"
                                </button>
                            </form>
                        }
                    })}
                {roster
                    .may_print_sheet
                    .then(|| {
                        view! {
                            <p>
                                <a href=paths::sign_in_sheet(id, "pdf") download>
                                    "Feuille d'émargement (PDF)"
                                </a>
                            </p>
                        }
                    })}
            }
                .into_any()
        }}
    }
}

#[component]
pub fn AttendancePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<SessionId>().ok());
    let session = Resource::new(id, |id| async move {
        match id {
            Some(id) => fetch_staff_session(id).await,
            None => Err(UiError::not_found()),
        }
    });
    view! {
        <SiteHeader />
        <main id="contenu" class="page">
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match session.await {
                        Ok(session) => view! { <Roll session /> }.into_any(),
                        Err(e) => {
                            view! {
                                <Title text="Présences" />
                                <h1>"Présences"</h1>
                                <p role="alert" class="alert">{e.message}</p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}
