//! `/seances`: a participant's start page. Their own sessions first ("Mes inscriptions"), then
//! the sessions open to them, week by week, with a filter by kind that works as a plain form.
//! At the end, whether they get SMS, with a button to stop them. No script: every action is a
//! link or a form.

use crate::components::{Changes, Loaded, PageHead, Pictogram, PostButton, StatusLine};
use crate::functions::{NO, SetSms, YES, fetch_participant_home};
use crate::models::{ParticipantHome, SessionCard, SmsChoice, Week};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use toile_shared::{SessionKind, paths};

/// The query parameter of the kind filter: `/seances?type=workshop`.
const KIND_QUERY: &str = "type";

#[component]
pub fn ParticipantSessionsPage() -> impl IntoView {
    let query = use_query_map();
    let kind = move || query.read().get(KIND_QUERY).and_then(|code| SessionKind::parse(&code));
    let home = Resource::new(kind, |kind| fetch_participant_home(kind.map(|k| k.code().to_owned())));
    view! {
        <PageHead title="Mes séances" />
        <main id="contenu" class="page">
            <h1>"Mes séances"</h1>
            <Loaded resource=home body=move |home| view! { <Home home /> } />
        </main>
    }
}

#[component]
fn Home(home: ParticipantHome) -> impl IntoView {
    let ParticipantHome { mine, weeks, kinds, kind, sms } = home;
    let mine = if mine.is_empty() {
        view! { <p>"Vous n'avez pas encore de séance. Choisissez-en une plus bas."</p> }.into_any()
    } else {
        view! {
            <ul class="cards">
                {mine.into_iter().map(|card| view! { <Card card level=3 /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="titre-mes-seances">
            <h2 id="titre-mes-seances">"Mes inscriptions"</h2>
            {mine}
        </section>
        <section aria-labelledby="titre-ouvertes">
            <h2 id="titre-ouvertes">"Séances ouvertes"</h2>
            <KindFilter kinds kind />
            {if weeks.is_empty() {
                view! { <p>"Pas d'autre séance pour le moment. Revenez bientôt."</p> }.into_any()
            } else {
                weeks.into_iter().map(|week| view! { <WeekList week /> }).collect_view().into_any()
            }}
        </section>
        <SmsSection sms />
    }
}

/// Whether the person gets SMS, and a button to stop them (or start them again): a plain form.
#[component]
fn SmsSection(sms: SmsChoice) -> impl IntoView {
    let set_sms = ServerAction::<SetSms>::new();
    let (said, stop, label) = match sms {
        SmsChoice::NoPhone => return None,
        SmsChoice::Receiving => (
            "Vous recevez un SMS la veille de vos séances, et quand une place se libère pour vous.",
            YES,
            "Ne plus recevoir de SMS",
        ),
        SmsChoice::Stopped => ("Vous ne recevez plus de SMS de Toile.", NO, "Recevoir à nouveau les SMS"),
    };
    Some(view! {
        <section aria-labelledby="titre-sms">
            <h2 id="titre-sms">"Mes SMS"</h2>
            <p>{said}</p>
            <ActionForm action=set_sms>
                <PostButton name="arreter" value=stop class="button-secondary">
                    {label}
                </PostButton>
            </ActionForm>
        </section>
    })
}

/// A plain GET form: it works without JavaScript and the chosen kind stays in the address.
#[component]
fn KindFilter(kinds: Vec<SessionKind>, kind: Option<SessionKind>) -> impl IntoView {
    (kinds.len() > 1).then(|| {
        view! {
            <form method="get" action=paths::PARTICIPANT_SESSIONS class="filter">
                <label for="type">"Type de séance"</label>
                <select id="type" name=KIND_QUERY>
                    <option value="" selected=kind.is_none()>
                        "Tous les types"
                    </option>
                    {kinds
                        .into_iter()
                        .map(|k| {
                            view! {
                                <option value=k.code() selected=kind == Some(k)>
                                    {k.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button-secondary">
                    "Afficher"
                </button>
            </form>
        }
    })
}

#[component]
fn WeekList(week: Week) -> impl IntoView {
    view! {
        <h3 class="week">{week.label}</h3>
        <ul class="cards">
            {week.sessions.into_iter().map(|card| view! { <Card card level=4 /> }).collect_view()}
        </ul>
    }
}

/// One session; its title is a heading of `level` (3 under "Mes inscriptions", 4 under a week).
#[component]
fn Card(card: SessionCard, level: u8) -> impl IntoView {
    // The link covers the whole card (see `.card a::after`) for an easy thumb tap.
    let link = view! { <a href=paths::session(card.id)>{card.title.clone()}</a> };
    let title = match level {
        3 => view! { <h3 class="card-title">{link}</h3> }.into_any(),
        _ => view! { <h4 class="card-title">{link}</h4> }.into_any(),
    };
    view! {
        <li class="card">
            {title}
            <p class="kind">
                <Pictogram kind=card.kind />
                {card.kind_label.clone()}
            </p>
            <p>
                {card.date_label.clone()}", "<span class="nowrap">{card.time_label.clone()}</span>
            </p>
            <p>{card.place_label.clone()}</p>
            <Changes card=card.clone() />
            <StatusLine card />
        </li>
    }
}
