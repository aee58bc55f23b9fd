//! Staff pages: the programme, a staff member's desk, a session's page.

use super::french;
use super::words::{kind_label, utc};
use crate::core::views::SessionView;
use crate::core::{
    Change, Core, CoreResult, ProgrammeEntry, ProgrammeFilter, SessionOverview, StaffHome, StaffMember, paris,
};
use chrono::{Datelike, NaiveDate};
use toile_app::models::*;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::{LocationKind, SessionStatus};

/// The place in a few words: the site's address, the address typed, or "En visio".
fn place(session: &SessionView) -> String {
    match &session.location {
        Some(location) if location.kind == LocationKind::Video => "En visio".into(),
        Some(location) => location.text.clone(),
        None => String::new(),
    }
}

pub(super) fn row(entry: &ProgrammeEntry) -> ProgrammeRow {
    let s = &entry.session;
    ProgrammeRow {
        id: s.id,
        title: s.title.clone(),
        kind: s.kind,
        kind_label: kind_label(s.kind, s.theme),
        when_label: french::short_date(utc(s.starts_at)),
        time_label: french::time_range(utc(s.starts_at), utc(s.ends_at)),
        organiser: entry.organiser_name.clone(),
        facilitators: entry.facilitator_names.clone(),
        place: place(s),
        status: s.status,
        capacity: s.capacity,
        seats_taken: s.seats_taken,
        waitlist_count: s.waitlist_count,
        at_risk: entry.at_risk,
        full_with_waitlist: entry.full_with_waitlist,
        addable_to_calendar: s.status != SessionStatus::Draft,
    }
}

pub(super) fn desk(home: StaffHome, actor: &Actor) -> StaffDesk {
    let rows = |entries: Vec<ProgrammeEntry>| entries.iter().map(row).collect();
    StaffDesk {
        next: rows(home.next),
        soon: rows(home.soon),
        seats_and_waiting: rows(home.seats_and_waiting),
        drafts: rows(home.drafts),
        may_propose: actor.is_staff(),
    }
}

/// The first day of the month `2026-12`, or of this month for anything else.
fn month_start(code: &str, today: NaiveDate) -> NaiveDate {
    let mut parts = code.split('-');
    let year = parts.next().and_then(|y| y.parse().ok());
    let month = parts.next().and_then(|m| m.parse().ok());
    match (year, month) {
        (Some(year), Some(month)) => NaiveDate::from_ymd_opt(year, month, 1),
        _ => None,
    }
    .filter(|d| (2000..3000).contains(&d.year()))
    .unwrap_or_else(|| today.with_day(1).expect("the first of a month"))
}

fn months_later(first: NaiveDate, months: i32) -> NaiveDate {
    let index = first.year() * 12 + first.month0() as i32 + months;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).expect("a valid month")
}

/// The programme page: the filters offered and chosen, the sessions by week, or one month day
/// by day.
pub(super) async fn programme(core: &Core, actor: &Actor, query: ProgrammeQuery) -> CoreResult<Programme> {
    let mut filter = ProgrammeFilter {
        structure: query.structure,
        kind: query.kind,
        facilitator: query.facilitator,
        site: query.site,
        open_to_mine: query.mine_only,
        ..Default::default()
    };
    let month = query.month.as_deref().map(|code| month_start(code, paris::day_of(core.now())));
    if let Some(first) = month {
        filter.from = Some(paris::midnight(first));
        filter.to = Some(paris::midnight(months_later(first, 1)));
    }
    let entries = core.programme(actor, &filter).await?;
    let mut groups: Vec<ProgrammeGroup> = Vec::new();
    for entry in &entries {
        let starts = utc(entry.session.starts_at);
        let label = match month {
            Some(_) => french::date(starts),
            None => format!("Semaine du {}", french::date(french::monday_of(starts))),
        };
        match groups.last_mut().filter(|group| group.label == label) {
            Some(group) => group.rows.push(row(entry)),
            None => groups.push(ProgrammeGroup { label, rows: vec![row(entry)] }),
        }
    }
    let code = |day: NaiveDate| format!("{:04}-{:02}", day.year(), day.month());
    Ok(Programme {
        structures: core
            .structures(actor)
            .await?
            .into_iter()
            .map(|s| Choice { value: s.id.to_string(), label: s.name })
            .collect(),
        facilitators: core
            .staff_directory(actor)
            .await?
            .into_iter()
            .map(|s| Choice { value: s.id.to_string(), label: s.name })
            .collect(),
        sites: core
            .sites(actor)
            .await?
            .into_iter()
            .map(|s| Choice { value: s.id.to_string(), label: s.label })
            .collect(),
        month_label: month.map(|first| french::month_and_year(paris::midnight(first))),
        previous_month: month.map(|first| code(months_later(first, -1))),
        next_month: month.map(|first| code(months_later(first, 1))),
        filter: ProgrammeQuery { month: month.map(code), ..query },
        groups,
    })
}

/// A session's page for staff.
pub(super) fn staff_session(overview: SessionOverview, roster: StaffRoster) -> StaffSession {
    let s = &overview.entry.session;
    let mut facts = vec![
        Fact { label: "Date".into(), value: french::date_with_year(utc(s.starts_at)) },
        Fact { label: "Heure".into(), value: french::time_range(utc(s.starts_at), utc(s.ends_at)) },
        Fact {
            label: "Lieu".into(),
            value: s.location.as_ref().map_or_else(|| "Pas encore précisé".to_string(), |l| l.text.clone()),
        },
        Fact { label: "Organisée par".into(), value: overview.organiser_name.clone() },
        Fact {
            label: "Qui peut s'inscrire".into(),
            value: if overview.audience_names.is_empty() {
                "Tout le groupe".into()
            } else {
                overview.audience_names.join(", ")
            },
        },
    ];
    let optional = [
        ("Entreprise", s.company_name.clone()),
        ("Qui présente", s.speaker.clone()),
        ("Ouverture des inscriptions", s.enrolment_opens_at.map(|at| french::date_and_time(utc(at)))),
        ("Clôture des inscriptions", s.enrolment_closes_at.map(|at| french::date_and_time(utc(at)))),
        ("Désinscription possible jusqu'au", s.cancellation_deadline.map(|at| french::date_and_time(utc(at)))),
    ];
    facts.extend(optional.into_iter().filter_map(|(label, value)| Some(Fact { label: label.into(), value: value? })));
    let until = s.reserved_until.map(|at| format!(", jusqu'au {}", french::date_and_time(utc(at)))).unwrap_or_default();
    let reservations = overview
        .reserved
        .iter()
        .map(|r| format!("{} pour {} ({} prises){until}", seats(r.seats), r.structure_name, r.taken))
        .collect();
    StaffSession {
        row: row(&overview.entry),
        description: s.description.clone(),
        facts,
        facilitators: overview.facilitators.iter().map(StaffMember::label).collect(),
        reservations,
        cancel_reason: s.cancel_reason.clone(),
        series: overview
            .series
            .iter()
            .map(|o| SeriesLine {
                id: o.id,
                when: french::short_date_time(o.starts_at),
                status: o.status,
                is_this_one: o.id == s.id,
            })
            .collect(),
        history: overview.history.iter().map(history_line).collect(),
        audit_link: None,
        may_edit: overview.may_edit,
        may_cancel: overview.may_cancel,
        may_duplicate: overview.may_duplicate,
        roster,
    }
}

fn seats(n: u32) -> String {
    if n == 1 { "1 place".into() } else { format!("{n} places") }
}

/// A line of history in French, naming staff but never a participant.
fn history_line(change: &Change) -> HistoryLine {
    let who = match (&change.by_staff, change.by.as_str()) {
        (Some(name), _) => name.clone(),
        (None, "participant") => "Une personne accompagnée".into(),
        (None, "operator") => "Administration (ligne de commande)".into(),
        _ => "Toile, automatiquement".into(),
    };
    let what = AuditAction::label_of(&change.action).to_string();
    HistoryLine { when: french::short_date_time(change.at), who, what }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_roll_over_the_year_both_ways() {
        let december = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(months_later(december, 1), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(months_later(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), -1), december);
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(month_start("2026-12", today), december);
        assert_eq!(month_start("n'importe quoi", today), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    }
}
