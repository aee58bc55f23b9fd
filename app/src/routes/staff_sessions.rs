//! `/equipe/seances`: upcoming sessions of the group and how full they are.

use crate::components::SiteHeader;
use crate::functions::staff_sessions;
use crate::models::StaffSessionRow;
use leptos::prelude::*;
use leptos_meta::Title;
use toile_shared::paths;

#[component]
pub fn StaffSessionsPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| staff_sessions());
    view! {
        <Title text="Séances à venir" />
        <SiteHeader />
        <main id="contenu" class="page page-wide">
            <h1>"Séances à venir"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => {
                            view! { <p>"Aucune séance à venir."</p> }.into_any()
                        }
                        Ok(rows) => view! { <SessionsTable rows /> }.into_any(),
                        Err(e) => {
                            view! {
                                <div role="alert" class="alert">
                                    <p>{e.message}</p>
                                </div>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

/// On narrow screens CSS stacks each row into a block; the explicit ARIA roles keep the table
/// semantics that browsers drop when table elements are no longer `display: table`.
#[component]
fn SessionsTable(rows: Vec<StaffSessionRow>) -> impl IntoView {
    view! {
        <table class="stack" role="table">
            <caption>"Séances à venir, de la plus proche à la plus lointaine"</caption>
            <thead role="rowgroup">
                <tr role="row">
                    <th scope="col" role="columnheader">"Date"</th>
                    <th scope="col" role="columnheader">"Séance"</th>
                    <th scope="col" role="columnheader">"Type"</th>
                    <th scope="col" role="columnheader">"Organisée par"</th>
                    <th scope="col" role="columnheader">"Statut"</th>
                    <th scope="col" role="columnheader">"Places prises / capacité"</th>
                    <th scope="col" role="columnheader">"Liste d'attente"</th>
                    <th scope="col" role="columnheader">"Agenda"</th>
                </tr>
            </thead>
            <tbody role="rowgroup">
                {rows
                    .into_iter()
                    .map(|row| {
                        // A download the browser handles (the router leaves `download` links alone).
                        let add_to_calendar = if row.addable_to_calendar {
                            view! {
                                <a href=paths::session_calendar(row.id) download>
                                    "Ajouter à mon agenda"
                                    <span class="visually-hidden">{format!(" : {}", row.title)}</span>
                                </a>
                            }
                                .into_any()
                        } else {
                            "Pas avant sa publication".into_any()
                        };
                        view! {
                            <tr role="row">
                                <td role="cell" data-label="Date">{row.when_label}</td>
                                <th scope="row" role="rowheader" data-label="Séance">{row.title}</th>
                                <td role="cell" data-label="Type">{row.kind_label}</td>
                                <td role="cell" data-label="Organisée par">{row.organiser}</td>
                                <td role="cell" data-label="Statut">{row.status_label}</td>
                                <td role="cell" data-label="Places">
                                    {format!("{} / {}", row.seats_taken, row.capacity)}
                                </td>
                                <td role="cell" data-label="Liste d'attente">{row.waitlist_count}</td>
                                <td role="cell" data-label="Agenda">{add_to_calendar}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
