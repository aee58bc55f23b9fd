//! `/equipe`: where staff land. Their next sessions, and what needs them: sessions of theirs in
//! the next 48 hours, free seats with people waiting, drafts.

use crate::components::{Loaded, PageHead, SessionRow};
use crate::functions::fetch_staff_desk;
use crate::models::{ProgrammeRow, StaffDesk};
use leptos::prelude::*;
use toile_shared::paths;

#[component]
pub fn StaffDeskPage() -> impl IntoView {
    let desk = Resource::new(|| (), |_| fetch_staff_desk());
    view! {
        <PageHead title="Mon espace" />
        <main id="contenu" class="page page-wide">
            <h1>"Mon espace"</h1>
            <p class="shortcuts">
                <a class="button-link" href=paths::NEW_SESSION>
                    "Proposer une séance"
                </a>
                <a class="button-link-secondary" href=paths::PROGRAMME>
                    "Programme du groupe"
                </a>
            </p>
            <Loaded resource=desk body=move |desk| view! { <Desk desk /> } />
            <p class="muted">
                <a href=paths::NOTIFICATIONS>"Messages envoyés"</a>
                " : les SMS et e-mails partis vers les personnes accompagnées, et ceux qui n'ont pas pu partir."
            </p>
            <p class="muted">
                <a href=paths::API_TOKENS>"Jetons d'API"</a>
                " : pour relier un tableur ou un logiciel à Toile."
            </p>
        </main>
    }
}

#[component]
fn Desk(desk: StaffDesk) -> impl IntoView {
    let StaffDesk { next, soon, seats_and_waiting, drafts, .. } = desk;
    let nothing_to_do = soon.is_empty() && seats_and_waiting.is_empty() && drafts.is_empty();
    view! {
        <section aria-labelledby="titre-a-faire">
            <h2 id="titre-a-faire">"Ce qui vous attend"</h2>
            {nothing_to_do.then(|| view! { <p>"Rien d'urgent pour le moment."</p> })}
            <Part id="bientot" title="Vos séances des prochaines 48 heures" rows=soon />
            <Part id="places" title="Places libres et personnes en attente" rows=seats_and_waiting />
            <Part id="brouillons" title="Brouillons à terminer" rows=drafts />
        </section>
        <section aria-labelledby="titre-prochaines">
            <h2 id="titre-prochaines">"Mes prochaines séances"</h2>
            {if next.is_empty() {
                view! { <p>"Vous n'animez aucune séance à venir."</p> }.into_any()
            } else {
                view! { <List rows=next /> }.into_any()
            }}
        </section>
    }
}

/// A heading and its sessions, left out when there are none.
#[component]
fn Part(id: &'static str, title: &'static str, rows: Vec<ProgrammeRow>) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        view! {
            <h3 id=id class="part">{title}</h3>
            <List rows />
        }
    })
}

#[component]
fn List(rows: Vec<ProgrammeRow>) -> impl IntoView {
    view! {
        <ul class="cards">
            {rows.into_iter().map(|row| view! { <SessionRow row /> }).collect_view()}
        </ul>
    }
}
