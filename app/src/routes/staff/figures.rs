//! `/equipe/chiffres`: what the group's sessions achieved over a period: sessions held, seats
//! taken, who came, how much the structures serve each other's people, who was reached, which
//! companies were met. Each chart is drawn on the server and followed by its table; each table
//! downloads as a CSV file. The filters are a plain GET form. Counts only, never a name.

use super::programme::FilterSelect;
use crate::components::{HeatMap, Loaded, PageHead, PercentBars};
use crate::functions::fetch_figures;
use crate::models::{FiguresFilters, FiguresPage, PoolingTable, TallyRow};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use toile_shared::paths;

#[component]
pub fn StaffFiguresPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let query = query.read();
        FiguresFilters::from_query(|name| query.get(name))
    };
    let page = Resource::new(filters, fetch_figures);
    view! {
        <PageHead title="Chiffres" />
        <main id="contenu" class="page page-wide figures">
            <h1>"Chiffres"</h1>
            <Loaded resource=page body=move |page| view! { <Figures page /> } />
        </main>
    }
}

#[component]
fn Figures(page: FiguresPage) -> impl IntoView {
    let csv =
        |table: &str| format!("{}?{}={table}{}", paths::FIGURES_CSV, FiguresFilters::TABLE, and_filters(&page.filters));
    let months: Vec<_> =
        page.by_month.iter().map(|r| (r.label.clone(), vec![r.fill_percent, r.attendance_percent])).collect();
    let organisers: Vec<_> = page.by_organiser.iter().map(|r| (r.label.clone(), vec![r.fill_percent])).collect();
    let kinds: Vec<_> =
        page.by_kind.iter().map(|r| (r.label.clone(), vec![r.fill_percent, r.attendance_percent])).collect();
    let under_half_count = page.under_half.len();
    view! {
        <p class="figures-scope">
            <strong>{page.scope.clone()}</strong>
            ", "
            {page.period.clone()}
        </p>
        <Filters page=page.clone() />
        <section aria-labelledby="en-bref">
            <h2 id="en-bref">"En bref"</h2>
            <ul class="headlines">
                {page
                    .headlines
                    .clone()
                    .into_iter()
                    .map(|h| {
                        view! {
                            <li>
                                <strong>{h.value}</strong>
                                " "
                                {h.label}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>{page.waiting_summary.clone()}</p>
            <p>{page.declined_summary.clone()}</p>
            // The words before the button: a button is a whole line on a phone, and a sentence
            // after it once began with a lone colon.
            <p>"Le bilan pour les financeurs donne les séances tenues, les heures, les personnes venues, et l'adresse de chaque feuille d'émargement."</p>
            <p>
                <a class="button-link" href=format!("{}{}", paths::FIGURES_PDF, page.filters.query_string()) download>
                    "Bilan pour les financeurs (PDF)"
                </a>
            </p>
        </section>

        <section aria-labelledby="remplissage">
            <h2 id="remplissage">"Remplissage et présence, mois par mois"</h2>
            <p>{page.fill_summary.clone()} " " {page.attendance_summary.clone()}</p>
            <PercentBars
                id="graphique-mois"
                title=page.fill_summary.clone()
                series=vec!["Places occupées", "Présents parmi les inscrits"]
                rows=months
            />
            <Tally caption="Remplissage et présence par mois" first="Mois" rows=page.by_month.clone() />
            <Download href=csv("mois") what="par mois" />
        </section>

        <section aria-labelledby="par-structure">
            <h2 id="par-structure">"Par structure organisatrice"</h2>
            <p>{page.organiser_summary.clone()}</p>
            <PercentBars
                id="graphique-structures"
                title=page.organiser_summary.clone()
                series=vec!["Places occupées"]
                rows=organisers
            />
            <Tally caption="Remplissage et présence par structure organisatrice" first="Structure" rows=page.by_organiser.clone() />
            <Download href=csv("structures") what="par structure" />
        </section>

        <section aria-labelledby="par-type">
            <h2 id="par-type">"Par type de séance"</h2>
            <p>{page.kind_summary.clone()}</p>
            <PercentBars
                id="graphique-types"
                title=page.kind_summary.clone()
                series=vec!["Places occupées", "Présents parmi les inscrits"]
                rows=kinds
            />
            <Tally caption="Remplissage et présence par type de séance" first="Type" rows=page.by_kind.clone() />
            <Download href=csv("types") what="par type" />
        </section>

        <section aria-labelledby="moins-de-la-moitie">
            <h2 id="moins-de-la-moitie">"Séances remplies à moins de la moitié"</h2>
            {if under_half_count == 0 {
                view! { <p>"Aucune : toutes les séances tenues étaient au moins à moitié pleines."</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{under_half_count} séance{} :", if under_half_count > 1 { "s" } else { "" })}</p>
                    <table class="stack">
                        <caption class="visually-hidden">"Séances remplies à moins de la moitié"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Date"</th>
                                <th scope="col">"Séance"</th>
                                <th scope="col">"Organisée par"</th>
                                <th scope="col">"Places prises"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page
                                .under_half
                                .iter()
                                .map(|s| {
                                    view! {
                                        <tr>
                                            <td data-label="Date">{s.when.clone()}</td>
                                            <td data-label="Séance">
                                                <a href=paths::staff_session(s.session_id)>{s.title.clone()}</a>
                                            </td>
                                            <td data-label="Organisée par">{s.organiser.clone()}</td>
                                            <td data-label="Places prises">{format!("{} sur {}", s.seated, s.capacity)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    <Download href=csv("moins-de-la-moitie") what="séances à moins de la moitié" />
                }
                    .into_any()
            }}
        </section>

        <section aria-labelledby="mutualisation">
            <h2 id="mutualisation">"Mutualisation entre structures"</h2>
            <p>{page.pooling_summary.clone()} " " {page.co_facilitated_summary.clone()}</p>
            {(!page.pooling.rows.is_empty())
                .then(|| {
                    view! {
                        <HeatMap
                            id="graphique-mutualisation"
                            title=page.pooling_summary.clone()
                            rows=page.pooling.rows.clone()
                            columns=page.pooling.columns.clone()
                            cells=page.pooling.cells.clone()
                        />
                        <Pooling table=page.pooling.clone() />
                        <Download href=csv("mutualisation") what="mutualisation" />
                    }
                })}
            <table class="stack">
                <caption>"Places données et reçues"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Structure"</th>
                        <th scope="col">"Ses participants chez elle"</th>
                        <th scope="col">"Données aux autres structures"</th>
                        <th scope="col">"Reçues des autres structures"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .exchanges
                        .iter()
                        .map(|e| {
                            view! {
                                <tr>
                                    <th scope="row" data-label="Structure">{e.structure.clone()}</th>
                                    <td data-label="Ses participants chez elle">{e.own}</td>
                                    <td data-label="Données aux autres structures">{e.given}</td>
                                    <td data-label="Reçues des autres structures">{e.received}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <Download href=csv("echanges") what="places données et reçues" />
        </section>

        <section aria-labelledby="personnes">
            <h2 id="personnes">"Personnes venues"</h2>
            <table class="stack">
                <caption class="visually-hidden">"Personnes venues au moins une fois, par structure"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Structure"</th>
                        <th scope="col">"Personnes venues"</th>
                        <th scope="col">"Présences"</th>
                        <th scope="col">"Séances par personne"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .reach
                        .iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <th scope="row" data-label="Structure">{r.label.clone()}</th>
                                    <td data-label="Personnes venues">{r.people}</td>
                                    <td data-label="Présences">{r.attendances}</td>
                                    <td data-label="Séances par personne">{r.per_person.clone()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <Download href=csv("personnes") what="personnes venues" />
        </section>

        <section aria-labelledby="entreprises">
            <h2 id="entreprises">"Rencontres et visites d'entreprises"</h2>
            <p>{page.companies_summary.clone()}</p>
            {(!page.companies.is_empty())
                .then(|| {
                    view! {
                        <table class="stack">
                            <caption class="visually-hidden">"Entreprises rencontrées"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Entreprise"</th>
                                    <th scope="col">"Séances"</th>
                                    <th scope="col">"Présences"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page
                                    .companies
                                    .iter()
                                    .map(|c| {
                                        view! {
                                            <tr>
                                                <th scope="row" data-label="Entreprise">{c.company.clone()}</th>
                                                <td data-label="Séances">{c.sessions}</td>
                                                <td data-label="Présences">{c.attendances}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <Download href=csv("entreprises") what="entreprises" />
                    }
                })}
        </section>
    }
}

/// `&du=…&au=…`: the page's filters after a first parameter.
fn and_filters(filters: &FiguresFilters) -> String {
    filters.query_string().replacen('?', "&", 1)
}

#[component]
fn Filters(page: FiguresPage) -> impl IntoView {
    let filters = page.filters;
    let chosen = |value: &str| Some(value.to_string()).filter(|v| !v.is_empty());
    view! {
        <nav aria-label="Périodes" class="periods">
            <ul>
                {page
                    .periods
                    .into_iter()
                    .map(|p| {
                        view! {
                            <li>
                                <a href=p.href aria-current=p.current.then_some("true")>
                                    {p.label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <form method="get" action=paths::FIGURES class="filters">
            <div class="filter-field">
                <label for="filtre-du">"Du"</label>
                <input id="filtre-du" name=FiguresFilters::FROM type="date" value=filters.from.clone() />
            </div>
            <div class="filter-field">
                <label for="filtre-au">"Au"</label>
                <input id="filtre-au" name=FiguresFilters::TO type="date" value=filters.to.clone() />
            </div>
            {(!page.structures.is_empty())
                .then(|| {
                    view! {
                        <FilterSelect
                            name=FiguresFilters::STRUCTURE
                            label="Structure"
                            all="Tout le groupe"
                            choices=page.structures.clone()
                            chosen=chosen(&filters.structure)
                        />
                    }
                })}
            <FilterSelect name=FiguresFilters::KIND label="Type" all="Tous les types" choices=page.kinds chosen=chosen(&filters.kind) />
            <FilterSelect
                name=FiguresFilters::THEME
                label="Thème d'atelier"
                all="Tous les thèmes"
                choices=page.themes
                chosen=chosen(&filters.theme)
            />
            <button type="submit" class="button-secondary">
                "Afficher"
            </button>
        </form>
    }
}

/// Seats and attendance, one line per month, structure or kind.
#[component]
fn Tally(caption: &'static str, first: &'static str, rows: Vec<TallyRow>) -> impl IntoView {
    let percent = |p: Option<u32>| p.map_or_else(|| "–".to_string(), |p| format!("{p}\u{a0}%"));
    view! {
        <table class="stack">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{first}</th>
                    <th scope="col">"Séances"</th>
                    <th scope="col">"Places prises"</th>
                    <th scope="col">"Remplissage"</th>
                    <th scope="col">"Présents"</th>
                    <th scope="col">"Absents"</th>
                    <th scope="col">"Excusés"</th>
                    <th scope="col">"Non notés"</th>
                    <th scope="col">"Présence"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <th scope="row" data-label=first>{r.label}</th>
                                <td data-label="Séances">{r.sessions}</td>
                                <td data-label="Places prises">{format!("{} sur {}", r.seated, r.capacity)}</td>
                                <td data-label="Remplissage">{percent(r.fill_percent)}</td>
                                <td data-label="Présents">{r.present}</td>
                                <td data-label="Absents">{r.absent}</td>
                                <td data-label="Excusés">{r.excused}</td>
                                <td data-label="Non notés">{r.unknown}</td>
                                <td data-label="Présence">{percent(r.attendance_percent)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The pooling table's numbers: rows the people's structure, columns the organiser.
#[component]
fn Pooling(table: PoolingTable) -> impl IntoView {
    view! {
        <div class="chart-scroll" tabindex="0" role="region" aria-label="Tableau de la mutualisation, qui défile sur le côté">
            <table>
                <caption>"Présences : en ligne la structure de la personne, en colonne la structure qui organise"</caption>
                <thead>
                    <tr>
                        <td></td>
                        {table.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {table
                        .rows
                        .iter()
                        .zip(table.cells.iter())
                        .map(|(row, cells)| {
                            view! {
                                <tr>
                                    <th scope="row">{row.clone()}</th>
                                    {cells.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Download(href: String, what: &'static str) -> impl IntoView {
    view! {
        <p>
            <a class="button-link-secondary" href=href download>
                {format!("Télécharger le tableau {what} (CSV)")}
            </a>
        </p>
    }
}
