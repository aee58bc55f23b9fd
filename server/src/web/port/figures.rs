//! The figures page in words: the filters of the address read, the core's figures turned into
//! sentences, chart rows and tables; the CSV files are built from the same tables.

use crate::core::{Core, CoreError, CoreResult, Figures, FiguresQuery, Tally};
use crate::french;
use chrono::{Datelike, Months, NaiveDate};
use chrono_tz::Europe::Paris;
use toile_app::models::{
    Choice, CompanyRow, ExchangeRow, FiguresFilters, FiguresPage, Headline, PeriodLink, PoolingTable, ReachRow,
    TallyRow, UnderHalfRow,
};
use toile_shared::authz::{Actor, FiguresScope};
use toile_shared::{SessionKind, WorkshopTheme};

/// The filters as the core takes them, the period defaulting to the last three full months; a
/// date or choice that does not read is the person's mistake, said in French.
pub(crate) fn query(filters: &FiguresFilters, today: NaiveDate) -> CoreResult<FiguresQuery> {
    fn date(field: &str, text: &str) -> CoreResult<Option<NaiveDate>> {
        match text.trim() {
            "" => Ok(None),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| {
                CoreError::invalid(field, "Cette date n'est pas lisible : choisissez-la dans le calendrier.")
            }),
        }
    }
    fn choice<T>(field: &str, text: &str, parse: impl Fn(&str) -> Option<T>) -> CoreResult<Option<T>> {
        match text.trim() {
            "" => Ok(None),
            text => parse(text).map(Some).ok_or_else(|| CoreError::invalid(field, "Ce filtre n'est pas valable.")),
        }
    }
    let default = FiguresQuery::last_three_months(today);
    Ok(FiguresQuery {
        from: date(FiguresFilters::FROM, &filters.from)?.unwrap_or(default.from),
        to: date(FiguresFilters::TO, &filters.to)?.unwrap_or(default.to),
        structure: choice(FiguresFilters::STRUCTURE, &filters.structure, |t| t.parse().ok())?,
        kind: choice(FiguresFilters::KIND, &filters.kind, SessionKind::parse)?,
        theme: choice(FiguresFilters::THEME, &filters.theme, WorkshopTheme::parse)?,
    })
}

/// Today in Paris, as the core's clock says.
pub(crate) fn today(core: &Core) -> NaiveDate {
    crate::core::paris::day_of(core.now())
}

/// The figures `filters` ask for, read by `actor`, in words.
pub(crate) async fn page(core: &Core, actor: &Actor, filters: FiguresFilters) -> CoreResult<FiguresPage> {
    let today = today(core);
    let query = query(&filters, today)?;
    let figures = core.figures(actor, &query).await?;
    Ok(words(&figures, actor, today))
}

/// The figures as the page shows them.
fn words(f: &Figures, actor: &Actor, today: NaiveDate) -> FiguresPage {
    let q = &f.query;
    let filters = FiguresFilters {
        from: q.from.format("%Y-%m-%d").to_string(),
        to: q.to.format("%Y-%m-%d").to_string(),
        structure: if actor.figures_scope() == Some(FiguresScope::Group) {
            q.structure.map(|s| s.to_string()).unwrap_or_default()
        } else {
            String::new()
        },
        kind: q.kind.map(|k| k.code().to_string()).unwrap_or_default(),
        theme: q.theme.map(|t| t.code().to_string()).unwrap_or_default(),
    };
    let scope = match q.structure {
        Some(structure) => f.structure_name(structure).to_string(),
        None => "Tout le groupe".to_string(),
    };
    let structures = match actor.figures_scope() {
        Some(FiguresScope::Group) => {
            f.structures.iter().map(|(id, name)| Choice { value: id.to_string(), label: name.clone() }).collect()
        }
        _ => vec![],
    };
    let everyone = f.reach.iter().find(|r| r.structure.is_none());
    let people = everyone.map_or(0, |r| r.people);
    let mut headlines = vec![
        headline(f.held.to_string(), plural(f.held, "séance tenue", "séances tenues")),
        headline(hours(f.minutes), "d'ateliers et de rencontres".into()),
        headline(percent_text(f.total.fill_percent()), "des places occupées".into()),
        headline(percent_text(f.total.attendance_percent()), "des inscrits présents".into()),
        headline(people.to_string(), plural(people, "personne venue", "personnes venues")),
    ];
    if q.structure.is_none() {
        headlines.push(headline(percent_text(f.crossed_percent()), "des présences dans une autre structure".into()));
    }
    let month_rows: Vec<TallyRow> = f.by_month.iter().map(|(month, t)| tally_row(&month_label(*month), t)).collect();
    let organiser_rows: Vec<TallyRow> =
        f.by_organiser.iter().map(|(id, t)| tally_row(f.structure_name(*id), t)).collect();
    let kind_rows: Vec<TallyRow> = f.by_kind.iter().map(|(kind, t)| tally_row(kind.label(), t)).collect();
    FiguresPage {
        period: period_label(q),
        periods: periods(&filters, today),
        scope,
        structures,
        kinds: SessionKind::ALL.iter().map(|k| Choice { value: k.code().into(), label: k.label().into() }).collect(),
        themes: WorkshopTheme::ALL.iter().map(|t| Choice { value: t.code().into(), label: t.label().into() }).collect(),
        headlines,
        fill_summary: fill_summary(f),
        attendance_summary: attendance_summary(&f.total),
        by_month: month_rows,
        organiser_summary: spread(&organiser_rows, "la structure"),
        by_organiser: organiser_rows,
        kind_summary: spread(&kind_rows, "le type de séance"),
        by_kind: kind_rows,
        under_half: f
            .under_half
            .iter()
            .map(|s| UnderHalfRow {
                session_id: s.session,
                when: french::short_date(s.starts_at) + &format!(" {}", s.starts_at.with_timezone(&Paris).year()),
                title: s.title.clone(),
                organiser: f.structure_name(s.organiser).to_string(),
                seated: s.seated,
                capacity: s.capacity,
            })
            .collect(),
        waiting_summary: match f.sessions_with_waiting {
            0 => "Aucune séance n'a commencé avec une liste d'attente.".into(),
            n => format!(
                "{n} {} avec des personnes en liste d'attente ({} {} en attente au début).",
                if n == 1 { "séance a commencé" } else { "séances ont commencé" },
                f.waiting_at_start,
                plural(f.waiting_at_start, "personne", "personnes")
            ),
        },
        declined_summary: match f.declined {
            0 => "Aucune place rendue la veille par le lien « Je ne peux pas venir ».".into(),
            1 => "1 place rendue la veille par le lien « Je ne peux pas venir ».".into(),
            n => format!("{n} places rendues la veille par le lien « Je ne peux pas venir »."),
        },
        pooling_summary: match f.crossed_percent() {
            None => "Aucune présence sur la période.".into(),
            Some(share) => format!(
                "{share} % des présences ont eu lieu dans une séance d'une autre structure ({} sur {}).",
                f.crossed, f.attendances
            ),
        },
        pooling: pooling_table(f),
        exchanges: f
            .exchanges
            .iter()
            .map(|e| ExchangeRow {
                structure: f.structure_name(e.structure).to_string(),
                own: e.own,
                given: e.given,
                received: e.received,
            })
            .collect(),
        co_facilitated_summary: match f.co_facilitated {
            0 => "Aucune séance animée par plusieurs structures.".into(),
            1 => "1 séance animée par plusieurs structures ensemble.".into(),
            n => format!("{n} séances animées par plusieurs structures ensemble."),
        },
        reach: f
            .reach
            .iter()
            .map(|r| ReachRow {
                label: match r.structure {
                    Some(id) => f.structure_name(id).to_string(),
                    None if q.structure.is_some() => "Total".into(),
                    None => "Tout le groupe (une personne comptée une fois)".into(),
                },
                people: r.people,
                attendances: r.attendances,
                per_person: per_person(r.attendances, r.people),
            })
            .collect(),
        companies_summary: {
            let sessions: u32 = f.companies.iter().map(|c| c.sessions).sum();
            let attendances: u32 = f.companies.iter().map(|c| c.attendances).sum();
            match sessions {
                0 => "Aucune rencontre ni visite d'entreprise sur la période.".into(),
                n => format!(
                    "{n} {} avec des entreprises, {attendances} {}.",
                    if n == 1 { "rencontre ou visite" } else { "rencontres et visites" },
                    if attendances == 1 { "présence" } else { "présences" }
                ),
            }
        },
        companies: f
            .companies
            .iter()
            .map(|c| CompanyRow {
                company: c.company.clone().unwrap_or_else(|| "Entreprise non précisée".into()),
                sessions: c.sessions,
                attendances: c.attendances,
            })
            .collect(),
        filters,
    }
}

fn headline(value: String, label: String) -> Headline {
    Headline { value, label }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n <= 1 { one.into() } else { many.into() }
}

fn percent_text(percent: Option<u32>) -> String {
    percent.map_or_else(|| "–".into(), |p| format!("{p}\u{a0}%"))
}

/// "12 h" or "12 h 30".
pub(crate) fn hours(minutes: i64) -> String {
    match minutes % 60 {
        0 => format!("{}\u{a0}h", minutes / 60),
        rest => format!("{}\u{a0}h\u{a0}{rest:02}", minutes / 60),
    }
}

/// "1,8": attendances per person, one decimal, French style.
fn per_person(attendances: u32, people: u32) -> String {
    if people == 0 {
        return "–".into();
    }
    let tenths = (u64::from(attendances) * 20 + u64::from(people)) / (2 * u64::from(people));
    format!("{},{}", tenths / 10, tenths % 10)
}

fn tally_row(label: &str, t: &Tally) -> TallyRow {
    TallyRow {
        label: label.to_string(),
        sessions: t.sessions,
        capacity: t.capacity,
        seated: t.seated,
        present: t.present,
        absent: t.absent,
        excused: t.excused,
        unknown: t.unknown(),
        fill_percent: t.fill_percent(),
        attendance_percent: t.attendance_percent(),
        no_show_percent: t.no_show_percent(),
    }
}

/// "du 1er septembre 2026 au 30 novembre 2026"
pub(crate) fn period_label(query: &FiguresQuery) -> String {
    format!("du {} au {}", day_label(query.from), day_label(query.to))
}

/// "1er septembre 2026"
fn day_label(day: NaiveDate) -> String {
    let at = day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    let first = if day.day() == 1 { "1er".to_string() } else { day.day().to_string() };
    format!("{first} {}", french::month_and_year(at))
}

/// "septembre 2026"
fn month_label(month: NaiveDate) -> String {
    french::month_and_year(month.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
}

fn fill_summary(f: &Figures) -> String {
    match f.total.fill_percent() {
        None => "Aucune séance tenue sur la période.".into(),
        Some(fill) => {
            let months: Vec<_> = f.by_month.iter().filter(|(_, t)| t.sessions > 0).collect();
            let when = match (months.first(), months.last()) {
                (Some((first, _)), Some((last, _))) if first != last => {
                    format!("de {} à {}", month_label(*first), month_label(*last))
                }
                (Some((only, _)), _) => format!("en {}", month_label(*only)),
                _ => String::new(),
            };
            format!("{fill} % des places occupées {when} ({} places prises sur {}).", f.total.seated, f.total.capacity)
        }
    }
}

/// How full the sessions were from one row to another: "De 45 % (Sud) à 92 % (Nord) des places
/// occupées selon la structure."
fn spread(rows: &[TallyRow], by: &str) -> String {
    let filled: Vec<(&TallyRow, u32)> = rows.iter().filter_map(|r| r.fill_percent.map(|p| (r, p))).collect();
    let least = filled.iter().min_by_key(|(_, p)| *p);
    let most = filled.iter().max_by_key(|(_, p)| *p);
    match (least, most) {
        (Some((low, l)), Some((high, h))) if l != h => {
            format!("De {l} % ({}) à {h} % ({}) des places occupées selon {by}.", low.label, high.label)
        }
        (Some((_, p)), _) => format!("{p} % des places occupées, quel que soit {by}."),
        _ => "Aucune séance tenue sur la période.".into(),
    }
}

fn attendance_summary(t: &Tally) -> String {
    match t.attendance_percent() {
        None => "Personne n'était inscrit aux séances tenues.".into(),
        Some(present) => format!(
            "{present} % des inscrits sont venus : {} présents, {} absents, {} excusés, {} sans présence notée.",
            t.present,
            t.absent,
            t.excused,
            t.unknown()
        ),
    }
}

/// Rows: the participants' structures; columns: the organisers'; each in the group's order.
fn pooling_table(f: &Figures) -> PoolingTable {
    let involved = |pick: &dyn Fn(&crate::core::PoolingCell) -> i64| -> Vec<i64> {
        f.structures.iter().map(|(id, _)| *id).filter(|id| f.pooling.iter().any(|c| pick(c) == *id)).collect()
    };
    let rows = involved(&|c| c.participant_structure);
    let columns = involved(&|c| c.organiser);
    let cells = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|column| {
                    f.pooling
                        .iter()
                        .find(|c| c.participant_structure == *row && c.organiser == *column)
                        .map_or(0, |c| c.attendances)
                })
                .collect()
        })
        .collect();
    PoolingTable {
        rows: rows.iter().map(|id| f.structure_name(*id).to_string()).collect(),
        columns: columns.iter().map(|id| f.structure_name(*id).to_string()).collect(),
        cells,
    }
}

/// Quick periods around `today`, keeping the other filters.
fn periods(filters: &FiguresFilters, today: NaiveDate) -> Vec<PeriodLink> {
    let this_month = today.with_day(1).unwrap_or(today);
    let months_back = |n: u32| this_month.checked_sub_months(Months::new(n)).unwrap_or(this_month);
    let day_before = |day: NaiveDate| day.pred_opt().unwrap_or(day);
    let quarter = this_month.with_month0(this_month.month0() / 3 * 3).unwrap_or(this_month);
    let last_quarter = quarter.checked_sub_months(Months::new(3)).unwrap_or(quarter);
    let january = this_month.with_month(1).unwrap_or(this_month);
    let last_january = january.with_year(january.year() - 1).unwrap_or(january);
    let choices = [
        ("Les 3 derniers mois", months_back(3), day_before(this_month)),
        ("Le mois dernier", months_back(1), day_before(this_month)),
        ("Le trimestre dernier", last_quarter, day_before(quarter)),
        ("Cette année", january, today),
        ("L'année dernière", last_january, day_before(january)),
    ];
    choices
        .into_iter()
        .map(|(label, from, to)| {
            let chosen = FiguresFilters {
                from: from.format("%Y-%m-%d").to_string(),
                to: to.format("%Y-%m-%d").to_string(),
                ..filters.clone()
            };
            PeriodLink {
                label: label.into(),
                href: format!("{}{}", toile_shared::paths::FIGURES, chosen.query_string()),
                current: chosen.from == filters.from && chosen.to == filters.to,
            }
        })
        .collect()
}

/// One table of the page for a CSV file: its header and rows, or None for an unknown table.
pub(crate) fn table(page: &FiguresPage, name: &str) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let text = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let tally = |first: &str, rows: &[TallyRow]| {
        let header = text(&[
            first,
            "Séances tenues",
            "Places",
            "Places prises",
            "Remplissage (%)",
            "Présents",
            "Absents",
            "Excusés",
            "Non renseignés",
            "Présence (%)",
        ]);
        let rows = rows
            .iter()
            .map(|r| {
                vec![
                    r.label.clone(),
                    r.sessions.to_string(),
                    r.capacity.to_string(),
                    r.seated.to_string(),
                    r.fill_percent.map(|p| p.to_string()).unwrap_or_default(),
                    r.present.to_string(),
                    r.absent.to_string(),
                    r.excused.to_string(),
                    r.unknown.to_string(),
                    r.attendance_percent.map(|p| p.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        (header, rows)
    };
    Some(match name {
        "mois" => tally("Mois", &page.by_month),
        "structures" => tally("Structure organisatrice", &page.by_organiser),
        "types" => tally("Type de séance", &page.by_kind),
        "moins-de-la-moitie" => (
            text(&["Date", "Séance", "Structure organisatrice", "Places prises", "Places"]),
            page.under_half
                .iter()
                .map(|s| {
                    vec![
                        s.when.clone(),
                        s.title.clone(),
                        s.organiser.clone(),
                        s.seated.to_string(),
                        s.capacity.to_string(),
                    ]
                })
                .collect(),
        ),
        "mutualisation" => {
            let mut header = vec!["Structure de la personne \\ structure organisatrice".to_string()];
            header.extend(page.pooling.columns.iter().cloned());
            let rows = page
                .pooling
                .rows
                .iter()
                .zip(&page.pooling.cells)
                .map(|(row, cells)| {
                    let mut line = vec![row.clone()];
                    line.extend(cells.iter().map(u32::to_string));
                    line
                })
                .collect();
            (header, rows)
        }
        "echanges" => (
            text(&["Structure", "Ses participants chez elle", "Places données aux autres", "Places reçues des autres"]),
            page.exchanges
                .iter()
                .map(|e| vec![e.structure.clone(), e.own.to_string(), e.given.to_string(), e.received.to_string()])
                .collect(),
        ),
        "personnes" => (
            text(&["Structure", "Personnes venues", "Présences", "Séances par personne"]),
            page.reach
                .iter()
                .map(|r| vec![r.label.clone(), r.people.to_string(), r.attendances.to_string(), r.per_person.clone()])
                .collect(),
        ),
        "entreprises" => (
            text(&["Entreprise", "Séances", "Présences"]),
            page.companies
                .iter()
                .map(|c| vec![c.company.clone(), c.sessions.to_string(), c.attendances.to_string()])
                .collect(),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_per_person_read_with_a_french_decimal_comma() {
        assert_eq!(per_person(9, 5), "1,8");
        assert_eq!(per_person(1, 3), "0,3");
        assert_eq!(per_person(0, 0), "–");
    }

    #[test]
    fn an_unreadable_filter_is_the_persons_mistake_and_empty_ones_take_the_last_three_months() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let read = query(&FiguresFilters::default(), today).unwrap();
        assert_eq!(read.from, NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
        let bad = FiguresFilters { kind: "nope".into(), ..FiguresFilters::default() };
        assert!(matches!(query(&bad, today), Err(CoreError::Invalid(_))));
        let bad_date = FiguresFilters { from: "31/12/2026".into(), ..FiguresFilters::default() };
        assert!(matches!(query(&bad_date, today), Err(CoreError::Invalid(_))));
    }

    #[test]
    fn the_quick_periods_keep_the_other_filters() {
        let filters = FiguresFilters { kind: "workshop".into(), ..FiguresFilters::default() };
        let links = periods(&filters, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(links[2].href, "/equipe/chiffres?du=2026-07-01&au=2026-09-30&type=workshop");
        assert_eq!(links[4].href, "/equipe/chiffres?du=2025-01-01&au=2025-12-31&type=workshop");
    }
}
