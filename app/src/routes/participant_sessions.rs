//! `/seances`: the participant's sessions, soonest first, as big tappable cards.

use crate::components::{SiteHeader, StatusLine};
use crate::functions::participant_sessions;
use crate::models::SessionCard;
use leptos::prelude::*;
use leptos_meta::Title;
use toile_shared::paths;

#[component]
pub fn ParticipantSessionsPage() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| participant_sessions());
    view! {
        <Title text="Mes séances" />
        <SiteHeader />
        <main id="contenu" class="page">
            <h1>"Mes séances"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(cards) if cards.is_empty() => {
                            view! { <p>"Aucune séance pour le moment. Revenez bientôt."</p> }
                                .into_any()
                        }
                        Ok(cards) => {
                            view! {
                                <ul class="cards">
                                    {cards
                                        .into_iter()
                                        .map(|card| view! { <Card card /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
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

#[component]
fn Card(card: SessionCard) -> impl IntoView {
    view! {
        <li class="card">
            <h2>
                // The link covers the whole card (see `.card a::after`) for an easy thumb tap.
                <a href=paths::session(card.id)>{card.title}</a>
            </h2>
            <p class="kind">{card.kind_label}</p>
            <p>
                {card.date_label}", "<span class="nowrap">{card.time_label}</span>
            </p>
            <p>{card.place_label}</p>
            <StatusLine mine=card.mine seats_left=card.seats_left />
        </li>
    }
}
