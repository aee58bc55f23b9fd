//! `/equipe/notifications`: what was sent to participants by SMS and e-mail (and to staff by
//! e-mail: declines, the facilitators' digest), what waits (the
//! quiet hours, a provider down for a while) and what failed, failures first with the
//! provider's words, so that staff can reach the person another way.

use crate::components::{Loaded, PageHead};
use crate::functions::fetch_notifications;
use crate::models::{NotificationRow, NotificationsPage};
use leptos::prelude::*;
use toile_shared::paths;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| fetch_notifications());
    view! {
        <PageHead title="Messages envoyés" />
        <main id="contenu" class="page page-wide">
            <h1>"Messages envoyés"</h1>
            <Loaded resource=page body=move |page| view! { <Sent page /> } />
        </main>
    }
}

#[component]
fn Sent(page: NotificationsPage) -> impl IntoView {
    let NotificationsPage { scope, rows, failed, shown_at_most, channels } = page;
    view! {
        <p class="about">
            {format!(
                "{scope} : les SMS et e-mails envoyés aux personnes accompagnées (rappel de la veille, place libérée pour elles, séance changée ou annulée) et les e-mails à l'équipe (désistements, séances du lendemain). Les {shown_at_most} plus récents."
            )}
        </p>
        <p class="muted">{channels}</p>
        {(failed > 0)
            .then(|| {
                view! {
                    <p role="alert" class="alert">
                        {match failed {
                            1 => "1 message n'a pas pu partir : prévenez la personne autrement.".to_string(),
                            n => format!("{n} messages n'ont pas pu partir : prévenez ces personnes autrement."),
                        }}
                    </p>
                }
            })}
        {if rows.is_empty() {
            view! { <p>"Aucun message pour le moment."</p> }.into_any()
        } else {
            view! { <Rows rows /> }.into_any()
        }}
    }
}

#[component]
fn Rows(rows: Vec<NotificationRow>) -> impl IntoView {
    view! {
        <table class="stack">
            <caption class="visually-hidden">"Messages, les échecs d'abord, puis du plus récent au plus ancien"</caption>
            <thead>
                <tr>
                    <th scope="col">"Quand"</th>
                    <th scope="col">"Pour"</th>
                    <th scope="col">"Séance"</th>
                    <th scope="col">"Quoi"</th>
                    <th scope="col">"Par"</th>
                    <th scope="col">"Où en est-il"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let error = (!row.error.is_empty()).then(|| view! { <br /><span class="muted">{row.error.clone()}</span> });
                        view! {
                            <tr class:failed=row.failed>
                                <td data-label="Quand">{row.when}</td>
                                <td data-label="Pour">
                                    {match row.participant_id {
                                        Some(id) => view! { <a href=paths::participant(id)>{row.recipient}</a> }.into_any(),
                                        None => view! { <span>{row.recipient}" (équipe)"</span> }.into_any(),
                                    }}
                                </td>
                                <td data-label="Séance">
                                    {match row.session_id {
                                        Some(id) => view! { <a href=paths::staff_session(id)>{row.session}</a> }.into_any(),
                                        None => view! { <span>"séances du lendemain"</span> }.into_any(),
                                    }}
                                </td>
                                <td data-label="Quoi">
                                    {row.what}
                                    <details>
                                        <summary>"Lire le message"</summary>
                                        {row.text.lines().map(|line| view! { {line.to_string()}<br /> }).collect_view()}
                                    </details>
                                </td>
                                <td data-label="Par">{row.channel}</td>
                                <td data-label="Où en est-il">{row.status}{error}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
