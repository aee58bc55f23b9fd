//! `/equipe/seances/:id/presences`: taking attendance on the day, on a phone held in one hand.
//! Each person has three large buttons, a form: without JavaScript a tap records and the page
//! comes back to the same person; with it the tap shows at once and is sent in the background,
//! again and again while the network is gone (`RollCall`).

use super::signature::{OwnSignature, SignatureImage, SignaturePad};
use crate::assets::IslandScripts;
use crate::components::{Loaded, SiteHeader};
use crate::forms::{FormSummary, PersonField};
use crate::functions::{fetch_staff_session, mark_attendance};
use crate::models::{Choice, SignatureMark, StaffSession, StaffSignatureLine, UiError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toile_shared::{Attendance, ParticipantId, SessionId, paths};

const CHOICES: [Attendance; 3] = [Attendance::Present, Attendance::Absent, Attendance::Excused];

/// One person to mark, as the island receives them (only what it shows).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RollLine {
    pub participant_id: ParticipantId,
    pub name: String,
    pub structure: String,
    pub attendance: Attendance,
    pub signature: Option<SignatureMark>,
}

/// How long a mark the network did not take waits before it is sent again (also sent as soon
/// as the phone says it is back online).
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(4);

/// "1 présentes · 0 absentes · 0 excusées · 1 à noter, sur 2 inscrites"
fn count(marks: &BTreeMap<ParticipantId, Attendance>) -> String {
    let of = |wanted: Attendance| marks.values().filter(|mark| **mark == wanted).count();
    format!(
        "{} présentes · {} absentes · {} excusées · {} à noter, sur {} inscrites",
        of(Attendance::Present),
        of(Attendance::Absent),
        of(Attendance::Excused),
        of(Attendance::Unknown),
        marks.len()
    )
}

/// The people to mark and the count. Without JavaScript each person's buttons are a form (the
/// page comes back at the same person). With it a tap shows at once and is sent in the
/// background; when the hall's network is gone the mark waits, says so, and is sent again
/// until it goes through, the latest tap winning.
#[island]
fn RollCall(session: SessionId, people: Vec<RollLine>) -> impl IntoView {
    let marks = RwSignal::new(people.iter().map(|p| (p.participant_id, p.attendance)).collect::<BTreeMap<_, _>>());
    // The marks the server has recorded: what a refused tap goes back to.
    let recorded = StoredValue::new(marks.get_untracked());
    // Marks shown but not yet recorded by the server, and whether a retry is already planned.
    let waiting = RwSignal::new(BTreeMap::<ParticipantId, Attendance>::new());
    let retry_planned = StoredValue::new(false);
    // Counts the sends the network refused: each plans one retry of everything still waiting.
    let failures = RwSignal::new(0u32);
    let refused = RwSignal::new(None::<String>);
    // Signatures drawn on the sheet, and whose drawing area is open (one at a time).
    let signatures = RwSignal::new(
        people
            .iter()
            .filter_map(|p| p.signature.clone().map(|mark| (p.participant_id, mark)))
            .collect::<BTreeMap<_, _>>(),
    );
    let pad_for = RwSignal::new(None::<ParticipantId>);
    // Drawing needs the page's code: its buttons show once it runs.
    let alive = RwSignal::new(false);
    Effect::new(move || alive.set(true));

    let send = move |participant: ParticipantId, choice: Attendance| {
        leptos::task::spawn_local(async move {
            match mark_attendance(session, participant, choice.code().to_string()).await {
                Ok(()) => {
                    recorded.update_value(|r| {
                        r.insert(participant, choice);
                    });
                    // Someone no longer present has no signature on the sheet (the server took it off).
                    if choice != Attendance::Present {
                        signatures.update(|s| {
                            s.remove(&participant);
                        });
                    }
                    waiting.update(|w| {
                        if w.get(&participant) == Some(&choice) {
                            w.remove(&participant);
                        }
                    });
                }
                // Nothing reached the server, or it failed on its side: sent again later.
                Err(error) if matches!(error.code.as_str(), "network" | "internal") => failures.update(|n| *n += 1),
                Err(error) => {
                    waiting.update(|w| {
                        w.remove(&participant);
                    });
                    if let Some(before) = recorded.with_value(|r| r.get(&participant).copied()) {
                        marks.update(|m| {
                            m.insert(participant, before);
                        });
                    }
                    refused.set(Some(error.message));
                }
            }
        });
    };
    let send_waiting = move || {
        for (participant, choice) in waiting.get_untracked() {
            send(participant, choice);
        }
    };
    Effect::new(move || {
        if failures.get() > 0 && !retry_planned.get_value() {
            retry_planned.set_value(true);
            set_timeout(
                move || {
                    retry_planned.set_value(false);
                    send_waiting();
                },
                RETRY_AFTER,
            );
        }
    });
    Effect::new(move || {
        let back_online = window_event_listener(leptos::ev::online, move |_| send_waiting());
        on_cleanup(move || back_online.remove());
    });
    let choose = move |participant: ParticipantId, choice: Attendance| {
        refused.set(None);
        marks.update(|m| {
            m.insert(participant, choice);
        });
        waiting.update(|w| {
            w.insert(participant, choice);
        });
        send(participant, choice);
    };

    view! {
        <p class="roll-count" role="status">
            {move || marks.with(count)}
        </p>
        <p class="news" role="status" hidden=move || waiting.with(BTreeMap::is_empty)>
            {move || {
                let n = waiting.with(BTreeMap::len);
                format!(
                    "{n} {} en attente du réseau : envoyée{} dès que la connexion revient.",
                    if n > 1 { "présences" } else { "présence" },
                    if n > 1 { "s" } else { "" },
                )
            }}
        </p>
        <div role="alert">{move || refused.get().map(|message| view! { <p class="alert">{message}</p> })}</div>
        <ul class="roll">
            {people
                .into_iter()
                .map(|person| {
                    let id = person.participant_id;
                    let name = person.name.clone();
                    let who = StoredValue::new(person.name.clone());
                    let present = move || marks.with(|m| m.get(&id) == Some(&Attendance::Present));
                    view! {
                        <li id=format!("p-{id}") class="roll-person">
                            <p class="roll-name">{person.name}</p>
                            <p class="muted">{person.structure}</p>
                            <form method="post" class="roll-choices">
                                <input type="hidden" name="participant" value=id.to_string() />
                                {CHOICES
                                    .into_iter()
                                    .map(|choice| {
                                        let pressed = move || {
                                            let marked = marks.with(|m| m.get(&id) == Some(&choice));
                                            if marked { "true" } else { "false" }
                                        };
                                        view! {
                                            <button
                                                type="submit"
                                                name="status"
                                                value=choice.code()
                                                class=format!("roll-{}", choice.code())
                                                aria-pressed=pressed
                                                on:click=move |event| {
                                                    event.prevent_default();
                                                    choose(id, choice);
                                                }
                                            >
                                                {choice.label()}
                                                <span class="visually-hidden">{format!(" : {name}")}</span>
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                            </form>
                            <div class="roll-signature">
                                {move || {
                                    signatures
                                        .with(|s| s.get(&id).cloned())
                                        .map(|mark| view! { <SignatureImage mark who=who.get_value() /> })
                                }}
                                <button
                                    type="button"
                                    class="button-secondary"
                                    hidden=move || !alive.get() || !present() || pad_for.get() == Some(id)
                                    on:click=move |_| pad_for.set(Some(id))
                                >
                                    {move || {
                                        if signatures.with(|s| s.contains_key(&id)) {
                                            "Signer de nouveau"
                                        } else {
                                            "Faire signer"
                                        }
                                    }}
                                    <span class="visually-hidden">{move || format!(" : {}", who.get_value())}</span>
                                </button>
                                {move || {
                                    (pad_for.get() == Some(id) && present())
                                        .then(|| {
                                            view! {
                                                <SignaturePad
                                                    session
                                                    participant=Some(id)
                                                    label=format!("Signature de {}", who.get_value())
                                                    on_signed=Callback::new(move |mark| {
                                                        signatures.update(|s| {
                                                            s.insert(id, mark);
                                                        });
                                                        pad_for.set(None);
                                                    })
                                                    on_cancel=Callback::new(move |()| pad_for.set(None))
                                                />
                                            }
                                        })
                                }}
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The other staff who signed the sheet, named.
#[component]
fn OtherStaffSignatures(lines: Vec<StaffSignatureLine>) -> impl IntoView {
    let others: Vec<StaffSignatureLine> = lines.into_iter().filter(|line| !line.mine).collect();
    (!others.is_empty()).then(|| {
        view! {
            <section class="panel" aria-labelledby="autres-signatures">
                <h2 id="autres-signatures">"Ont aussi signé pour l'animation"</h2>
                {others
                    .into_iter()
                    .map(|line| {
                        view! {
                            <p class="roll-name">{line.name.clone()}</p>
                            <SignatureImage mark=line.mark who=line.name />
                        }
                    })
                    .collect_view()}
            </section>
        }
    })
}

/// Someone came without being enrolled: they take a seat (beyond capacity if none is free).
#[component]
fn WalkIn(enrollable: Vec<Choice>) -> impl IntoView {
    (!enrollable.is_empty()).then(|| {
        view! {
            <form method="post" class="panel">
                <input type="hidden" name="action" value="walk_in" />
                <PersonField id="venu" label="Quelqu'un est venu sans être inscrit" choices=enrollable />
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
    let people: Vec<RollLine> = roster
        .confirmed
        .iter()
        .map(|person| RollLine {
            participant_id: person.participant_id,
            name: person.name.clone(),
            structure: person.structure.clone(),
            attendance: person.attendance,
            signature: person.signature.clone(),
        })
        .collect();
    view! {
        <Title text=format!("Présences : {}", session.row.title) />
        <h1>"Présences"</h1>
        <p class="about">
            <a href=paths::staff_session(id)>{session.row.title.clone()}</a>
            {format!(", {} ({})", session.row.when_label, session.row.time_label)}
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
                <p class="roll-count">"Personne n'est inscrit à cette séance."</p>
                <WalkIn enrollable=roster.enrollable.clone() />
            }
                .into_any()
        } else {
            view! {
                <RollCall session=id people />
                <noscript>
                    <p>"Sans JavaScript, les personnes présentes signent la feuille imprimée (PDF)."</p>
                </noscript>
                <WalkIn enrollable=roster.enrollable.clone() />
                {roster
                    .may_sign
                    .then(|| {
                        let own = roster.staff_signatures.iter().find(|line| line.mine).map(|line| line.mark.clone());
                        view! { <OwnSignature session=id signed=own /> }
                    })}
                <OtherStaffSignatures lines=roster.staff_signatures.clone() />
                <IslandScripts />
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
            <Loaded resource=session body=move |session| view! { <Roll session /> } heading="Présences" />
        </main>
    }
}
