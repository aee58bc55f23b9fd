//! The people of a session on its staff page: counts per structure, the confirmed list and the
//! waiting list (by name as far as the viewer may know them), and the forms that enrol, overbook,
//! cancel or give a seat. Each form posts to the session's page (`form_posts`).

use crate::forms::{LineButton, PersonField, TextArea, invalid};
use crate::models::{RosterPerson, StaffRoster};
use leptos::prelude::*;
use toile_shared::{Attendance, SessionId, paths};

/// "3 inscrites, 1 en attente"
fn counted(confirmed: u32, waiting: u32) -> String {
    let people = if confirmed > 1 { format!("{confirmed} inscrites") } else { format!("{confirmed} inscrite") };
    match waiting {
        0 => people,
        n => format!("{people}, {n} en attente"),
    }
}

/// A small form with one button about one person.
#[component]
fn PersonButton(action: &'static str, label: &'static str, person: RosterPerson) -> impl IntoView {
    view! { <LineButton action field="participant" value=person.participant_id.to_string() label which=person.name /> }
}

#[component]
fn Person(person: RosterPerson) -> impl IntoView {
    let attendance = (person.attendance != Attendance::Unknown).then(|| format!(" · {}", person.attendance.label()));
    let position = person.waitlist_position.map(|n| format!("{n}. "));
    view! {
        <li class="roster-person">
            <p>
                {position}
                <strong>{person.name.clone()}</strong>
                {format!(" · {}", person.structure)}
                {attendance}
                {person.overbooked.then(|| view! { <span class="badge badge-risk">"Surnombre"</span> })}
                {person.said_coming.then(|| view! { <span class="badge badge-coming">"A répondu : je viens"</span> })}
            </p>
            {(!person.enrolled_by.is_empty()).then(|| view! { <p class="muted">{person.enrolled_by.clone()}</p> })}
            <div class="roster-actions">
                {person
                    .may_take_free_seat
                    .then(|| view! { <PersonButton action="donner-place" label="Donner la place" person=person.clone() /> })}
                {person
                    .may_cancel
                    .then(|| view! { <PersonButton action="desinscrire" label="Désinscrire" person=person.clone() /> })}
            </div>
        </li>
    }
}

#[component]
pub fn Roster(id: SessionId, roster: StaffRoster) -> impl IntoView {
    let StaffRoster {
        confirmed,
        waiting,
        counts,
        names_of_everyone,
        may_take_attendance,
        may_print_sheet,
        may_overbook,
        enrollable,
        ..
    } = roster;
    let has_enrollable = !enrollable.is_empty();
    view! {
        <section id="inscriptions" aria-labelledby="inscriptions-titre">
            <h2 id="inscriptions-titre">"Inscriptions"</h2>
            {(!counts.is_empty())
                .then(|| {
                    view! {
                        <ul class="counts">
                            {counts
                                .iter()
                                .map(|c| view! { <li>{format!("{} : {}", c.structure, counted(c.confirmed, c.waiting))}</li> })
                                .collect_view()}
                        </ul>
                    }
                })}
            {(!names_of_everyone)
                .then(|| {
                    view! {
                        <p class="muted">
                            "Vous voyez le nom des personnes de votre structure ; pour les autres structures, leur nombre."
                        </p>
                    }
                })}
            <div class="actions staff-actions">
                {may_take_attendance
                    .then(|| view! { <a class="button-link" href=paths::attendance(id)>"Faire l'appel"</a> })}
                {may_print_sheet
                    .then(|| {
                        view! {
                            <a class="button-link-secondary" href=paths::sign_in_sheet(id, "pdf") download>
                                "Feuille d'émargement (PDF)"
                            </a>
                            <a class="button-link-secondary" href=paths::sign_in_sheet(id, "csv") download>
                                "Liste pour tableur (CSV)"
                            </a>
                        }
                    })}
            </div>
            <h3>{format!("Inscrites ({})", confirmed.len())}</h3>
            {if confirmed.is_empty() {
                view! { <p>"Personne pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ul class="roster">
                        {confirmed.into_iter().map(|person| view! { <Person person /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {(!waiting.is_empty())
                .then(|| {
                    view! {
                        <h3>{format!("Liste d'attente ({})", waiting.len())}</h3>
                        <ul class="roster">
                            {waiting.into_iter().map(|person| view! { <Person person /> }).collect_view()}
                        </ul>
                    }
                })}
            {has_enrollable
                .then(|| {
                    view! {
                        <form method="post" class="panel">
                            <input type="hidden" name="action" value="inscrire" />
                            <PersonField id="participant" label="Inscrire une personne" choices=enrollable.clone() />
                            <button type="submit" class="button-primary">
                                "Inscrire"
                            </button>
                        </form>
                    }
                })}
            {(has_enrollable && may_overbook)
                .then(|| {
                    view! {
                        <details open=invalid("reason").is_some()>
                            <summary>"Inscrire en surnombre"</summary>
                            <form method="post">
                                <input type="hidden" name="action" value="surnombre" />
                                <PersonField id="participant-surnombre" label="Personne" choices=enrollable.clone() />
                                <TextArea
                                    name="reason"
                                    label="Pourquoi, en quelques mots (noté dans l'historique)"
                                    rows=2
                                    max_chars=300
                                />
                                <button type="submit" class="button-secondary">
                                    "Inscrire en surnombre"
                                </button>
                            </form>
                        </details>
                    }
                })}
        </section>
    }
}
