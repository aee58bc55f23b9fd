//! `/equipe/journal`: the audit trail for coordinators (their structure's part) and group-wide
//! staff (all of it): who did what and when, filtered by dates, session, participant or staff
//! member, newest first, with the same entries as a CSV file. The filters are a plain GET form;
//! a session's page and a participant's record link here with their filter set.

use super::programme::FilterSelect;
use crate::components::{Loaded, PageHead};
use crate::functions::fetch_audit;
use crate::models::{AuditEntry, AuditFilters, AuditPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use toile_shared::paths;

const FROM: &str = AuditFilters::FROM;
const TO: &str = AuditFilters::TO;
const SESSION: &str = AuditFilters::SESSION;
const PARTICIPANT: &str = AuditFilters::PARTICIPANT;
const STAFF: &str = AuditFilters::STAFF;

#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let query = query.read();
        AuditFilters::from_query(|name| query.get(name))
    };
    let page = Resource::new(filters, fetch_audit);
    view! {
        <PageHead title="Journal des actions" />
        <main id="contenu" class="page page-wide">
            <h1>"Journal des actions"</h1>
            <Loaded resource=page body=move |page| view! { <Trail page /> } />
        </main>
    }
}

#[component]
fn Trail(page: AuditPage) -> impl IntoView {
    let AuditPage { scope, entries, older, newest, staff, filters, csv_query } = page;
    let csv = format!("{}{csv_query}", paths::AUDIT_CSV);
    let chosen_staff = Some(filters.staff.clone()).filter(|s| !s.is_empty());
    view! {
        <p class="muted">{scope}</p>
        <form method="get" action=paths::AUDIT class="filters">
            <div class="filter-field">
                <label for="filtre-du">"Du"</label>
                <input id="filtre-du" name=FROM type="date" value=filters.from />
            </div>
            <div class="filter-field">
                <label for="filtre-au">"Au"</label>
                <input id="filtre-au" name=TO type="date" value=filters.to />
            </div>
            <FilterSelect name=STAFF label="Fait par" all="Tout le monde" choices=staff chosen=chosen_staff />
            {(!filters.session.is_empty()).then(|| view! { <input type="hidden" name=SESSION value=filters.session.clone() /> })}
            {(!filters.participant.is_empty())
                .then(|| view! { <input type="hidden" name=PARTICIPANT value=filters.participant.clone() /> })}
            <button type="submit" class="button-secondary">
                "Filtrer"
            </button>
        </form>
        <p>
            <a class="button-link-secondary" href=csv download>
                "Télécharger ce journal (CSV)"
            </a>
        </p>
        {newest.map(|href| view! { <p><a href=href>"Revenir aux actions les plus récentes"</a></p> })}
        {if entries.is_empty() {
            view! { <p>"Aucune action ne correspond."</p> }.into_any()
        } else {
            view! { <Entries entries /> }.into_any()
        }}
        {older.map(|href| view! { <p><a class="button-link-secondary" href=href>"Actions plus anciennes"</a></p> })}
    }
}

#[component]
fn Entries(entries: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <table class="stack">
            <caption class="visually-hidden">"Actions, de la plus récente à la plus ancienne"</caption>
            <thead>
                <tr>
                    <th scope="col">"Quand"</th>
                    <th scope="col">"Qui"</th>
                    <th scope="col">"Quoi"</th>
                    <th scope="col">"Séance"</th>
                    <th scope="col">"Personne accompagnée"</th>
                    <th scope="col">"Détails"</th>
                </tr>
            </thead>
            <tbody>
                {entries
                    .into_iter()
                    .map(|entry| {
                        view! {
                            <tr>
                                <td data-label="Quand">{entry.when}</td>
                                <td data-label="Qui">{entry.who}</td>
                                <td data-label="Quoi">{entry.what}</td>
                                <td data-label="Séance">
                                    {entry.session.map(|(id, title)| view! { <a href=paths::staff_session(id)>{title}</a> })}
                                </td>
                                <td data-label="Personne accompagnée">
                                    {entry
                                        .participant
                                        .map(|(id, name)| match name {
                                            Some(name) => view! { <a href=paths::participant(id)>{name}</a> }.into_any(),
                                            None => view! { <span>"une personne d'une autre structure"</span> }.into_any(),
                                        })}
                                </td>
                                <td data-label="Détails">{entry.details}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
