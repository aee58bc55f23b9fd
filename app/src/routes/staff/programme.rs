//! `/equipe/programme`: the group's sessions by week (or one month, day by day), filtered by
//! structure, kind, facilitator, place, and "open to my structure", each with its fill and a
//! marker for those at risk or full. The filters are a plain GET form.

use crate::components::{Loaded, PageHead, SessionRow};
use crate::forms::options;
use crate::functions::fetch_programme;
use crate::models::{Choice, Programme, ProgrammeGroup, ProgrammeQuery};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use toile_shared::{SessionKind, paths};

/// The filters' names in the address.
const STRUCTURE: &str = "structure";
const KIND: &str = "type";
const FACILITATOR: &str = "animation";
const SITE: &str = "lieu";
const MINE: &str = "ma_structure";
const MONTH: &str = "mois";
/// A month the server does not read as `2026-12` is the current one.
const THIS_MONTH: &str = "actuel";

#[component]
pub fn ProgrammePage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let query = query.read();
        let number = |name: &str| query.get(name).and_then(|v| v.parse().ok());
        ProgrammeQuery {
            structure: number(STRUCTURE),
            kind: query.get(KIND).and_then(|code| SessionKind::parse(&code)),
            facilitator: number(FACILITATOR),
            site: number(SITE),
            mine_only: query.get(MINE).is_some_and(|v| v == "1"),
            month: query.get(MONTH).filter(|m| !m.is_empty()),
        }
    };
    let programme = Resource::new(filter, fetch_programme);
    view! {
        <PageHead title="Programme du groupe" />
        <main id="contenu" class="page page-wide">
            <h1>"Programme du groupe"</h1>
            <Loaded resource=programme body=move |programme| view! { <Body programme /> } />
        </main>
    }
}

/// The old address of the staff's list of sessions.
#[component]
pub fn StaffSessionsRedirect() -> impl IntoView {
    view! { <Redirect path=paths::PROGRAMME /> }
}

#[component]
fn Body(programme: Programme) -> impl IntoView {
    let Programme { structures, facilitators, sites, filter, groups, month_label, previous_month, next_month } =
        programme;
    let heading = month_label.clone();
    let empty = groups.is_empty();
    view! {
        <Filters structures facilitators sites filter=filter.clone() />
        <p class="view-switch">
            {match &filter.month {
                Some(_) => {
                    view! { <a href=with_month(&filter, None)>"Voir par semaine"</a> }.into_any()
                }
                None => {
                    view! { <a href=with_month(&filter, Some(THIS_MONTH.into()))>"Voir un mois"</a> }
                        .into_any()
                }
            }}
        </p>
        {heading
            .map(|label| {
                view! {
                    <nav class="month-nav" aria-label="Mois">
                        {previous_month
                            .map(|m| view! { <a href=with_month(&filter, Some(m))>"← Mois précédent"</a> })}
                        <h2>{label}</h2>
                        {next_month
                            .map(|m| view! { <a href=with_month(&filter, Some(m))>"Mois suivant →"</a> })}
                    </nav>
                }
            })}
        {empty.then(|| view! { <p>"Aucune séance pour ces critères."</p> })}
        {groups.into_iter().map(|group| view! { <Group group /> }).collect_view()}
    }
}

#[component]
fn Group(group: ProgrammeGroup) -> impl IntoView {
    view! {
        <h2 class="week">{group.label}</h2>
        <ul class="cards">
            {group.rows.into_iter().map(|row| view! { <SessionRow row /> }).collect_view()}
        </ul>
    }
}

/// The programme's address with these filters and this month.
fn with_month(filter: &ProgrammeQuery, month: Option<String>) -> String {
    let mut pairs: Vec<(&str, String)> = vec![];
    if let Some(structure) = filter.structure {
        pairs.push((STRUCTURE, structure.to_string()));
    }
    if let Some(kind) = filter.kind {
        pairs.push((KIND, kind.code().to_string()));
    }
    if let Some(user) = filter.facilitator {
        pairs.push((FACILITATOR, user.to_string()));
    }
    if let Some(site) = filter.site {
        pairs.push((SITE, site.to_string()));
    }
    if filter.mine_only {
        pairs.push((MINE, "1".into()));
    }
    if let Some(month) = month {
        pairs.push((MONTH, month));
    }
    let query: Vec<String> = pairs.into_iter().map(|(name, value)| format!("{name}={value}")).collect();
    if query.is_empty() { paths::PROGRAMME.to_string() } else { format!("{}?{}", paths::PROGRAMME, query.join("&")) }
}

#[component]
fn Filters(
    structures: Vec<Choice>,
    facilitators: Vec<Choice>,
    sites: Vec<Choice>,
    filter: ProgrammeQuery,
) -> impl IntoView {
    let structure = filter.structure.map(|s| s.to_string());
    let facilitator = filter.facilitator.map(|s| s.to_string());
    let site = filter.site.map(|s| s.to_string());
    let kinds: Vec<Choice> =
        SessionKind::ALL.iter().map(|k| Choice { value: k.code().into(), label: k.label().into() }).collect();
    let kind = filter.kind.map(|k| k.code().to_string());
    view! {
        <form method="get" action=paths::PROGRAMME class="filters">
            <FilterSelect name=STRUCTURE label="Structure (organise ou co-anime)" all="Toutes" choices=structures chosen=structure />
            <FilterSelect name=KIND label="Type de séance" all="Tous" choices=kinds chosen=kind />
            <FilterSelect name=FACILITATOR label="Animée par" all="Tout le monde" choices=facilitators chosen=facilitator />
            <FilterSelect name=SITE label="Lieu" all="Tous les lieux" choices=sites chosen=site />
            <div class="choice">
                <input type="checkbox" id="ma-structure" name=MINE value="1" checked=filter.mine_only />
                <label for="ma-structure">"Ouvertes à ma structure"</label>
            </div>
            {filter.month.map(|month| view! { <input type="hidden" name=MONTH value=month /> })}
            <button type="submit" class="button-secondary">
                "Filtrer"
            </button>
        </form>
    }
}

#[component]
pub(super) fn FilterSelect(
    name: &'static str,
    label: &'static str,
    all: &'static str,
    choices: Vec<Choice>,
    chosen: Option<String>,
) -> impl IntoView {
    let id = format!("filtre-{name}");
    view! {
        <div class="filter-field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=chosen.is_none()>
                    {all}
                </option>
                {options(choices, chosen.as_deref())}
            </select>
        </div>
    }
}
