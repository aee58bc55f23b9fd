//! Counting held sessions into figures, once their facts are read: by month, organiser and
//! kind, pooling across structures, reach and co-facilitation. No database here.

use super::super::paris;
use super::super::store::figures::{self as stored, Attendee, PoolingRow, SessionFacts};
use super::super::store::from_ts;
use super::{CompanyLine, Exchange, Figures, FiguresQuery, HeldSession, PoolingCell, Reach, Tally, count};
use chrono::{Datelike, Months, NaiveDate};
use std::collections::{BTreeMap, HashMap, HashSet};
use toile_shared::{SessionId, SessionKind, SessionStatus, StructureId};

/// The kinds of session through which participants meet employers.
const COMPANY_KINDS: [SessionKind; 3] = [SessionKind::CompanyTalk, SessionKind::CompanyVisit, SessionKind::JobDating];

/// The figures of `sessions`, each with its people counted (pooling, reach and co-facilitation
/// apart).
pub(super) fn tally(
    query: FiguresQuery,
    structures: Vec<(StructureId, String)>,
    sessions: &[SessionFacts],
    now: i64,
) -> Figures {
    let mut months: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut month = query.from.with_day(1).unwrap_or(query.from);
    while month <= query.to {
        months.insert(month, Tally::default());
        month = month.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
    }
    let mut figures = Figures {
        query,
        structures,
        held: 0,
        cancelled: 0,
        upcoming: 0,
        minutes: 0,
        total: Tally::default(),
        by_month: vec![],
        by_organiser: vec![],
        by_kind: vec![],
        under_half: vec![],
        sessions_with_waiting: 0,
        waiting_at_start: 0,
        declined: 0,
        pooling: vec![],
        exchanges: vec![],
        attendances: 0,
        crossed: 0,
        co_facilitated: 0,
        reach: vec![],
        companies: vec![],
        sessions: vec![],
    };
    let mut by_organiser: BTreeMap<StructureId, Tally> = BTreeMap::new();
    let mut by_kind: HashMap<SessionKind, Tally> = HashMap::new();
    let mut companies: BTreeMap<Option<String>, (u32, u32)> = BTreeMap::new();
    for session in sessions {
        match session.status {
            SessionStatus::Cancelled => figures.cancelled += 1,
            SessionStatus::Published if session.starts_at > now => figures.upcoming += 1,
            SessionStatus::Published => {
                figures.held += 1;
                figures.minutes += (session.ends_at - session.starts_at).max(0) / 60;
                let month = paris_month(session.starts_at);
                for tally in [
                    &mut figures.total,
                    months.entry(month).or_default(),
                    by_organiser.entry(session.organiser_structure_id).or_default(),
                    by_kind.entry(session.kind).or_default(),
                ] {
                    tally.add(session);
                }
                let held = HeldSession {
                    session: session.id,
                    title: session.title.clone(),
                    kind: session.kind,
                    organiser: session.organiser_structure_id,
                    starts_at: from_ts(session.starts_at),
                    ends_at: from_ts(session.ends_at),
                    capacity: count(session.capacity),
                    seated: count(session.seated),
                    present: count(session.present),
                };
                if held.seated * 2 < held.capacity {
                    figures.under_half.push(held.clone());
                }
                figures.sessions.push(held);
                if session.waiting > 0 {
                    figures.sessions_with_waiting += 1;
                    figures.waiting_at_start += count(session.waiting);
                }
                figures.declined += count(session.declined);
                if COMPANY_KINDS.contains(&session.kind) {
                    let line =
                        companies.entry(session.company_name.clone().filter(|c| !c.trim().is_empty())).or_default();
                    line.0 += 1;
                    line.1 += count(session.present);
                }
            }
            SessionStatus::Draft => {}
        }
    }
    figures.by_month = months.into_iter().collect();
    figures.by_organiser = by_organiser.into_iter().collect();
    {
        let order = rank(&figures.structures);
        figures.by_organiser.sort_by_key(|(id, _)| order(*id));
    }
    figures.by_kind = by_kind.into_iter().collect();
    figures.by_kind.sort_by_key(|(kind, _)| SessionKind::ALL.iter().position(|k| k == kind));
    figures.companies = companies
        .into_iter()
        .map(|(company, (sessions, attendances))| CompanyLine { company, sessions, attendances })
        .collect();
    figures.companies.sort_by(|a, b| b.sessions.cmp(&a.sessions).then_with(|| a.company.cmp(&b.company)));
    figures
}

/// The pooling table and each structure's exchanges, from attendances.
pub(super) fn pool(figures: &mut Figures, rows: &[PoolingRow]) {
    let mut cells: BTreeMap<(StructureId, StructureId), u32> = BTreeMap::new();
    for row in rows {
        *cells.entry((row.structure_id, row.organiser_structure_id)).or_default() += count(row.attendances);
    }
    let mut exchanges: BTreeMap<StructureId, Exchange> = BTreeMap::new();
    for (&(participant_structure, organiser), &attendances) in &cells {
        figures.attendances += attendances;
        if participant_structure == organiser {
            exchange(&mut exchanges, organiser).own += attendances;
        } else {
            figures.crossed += attendances;
            exchange(&mut exchanges, organiser).given += attendances;
            exchange(&mut exchanges, participant_structure).received += attendances;
        }
        figures.pooling.push(PoolingCell { participant_structure, organiser, attendances });
    }
    // A structure's figures show its own exchanges only: the others' are theirs to read.
    figures.exchanges =
        exchanges.into_values().filter(|e| figures.query.structure.is_none_or(|s| s == e.structure)).collect();
    {
        let order = rank(&figures.structures);
        figures.exchanges.sort_by_key(|e| order(e.structure));
    }
}

/// People who came, per structure (in the group's order), then in all: a person who came for
/// two structures (they moved) is one person of the whole.
pub(super) fn reach(attendees: &[Attendee], structures: &[(StructureId, String)]) -> Vec<Reach> {
    let mut per_structure: BTreeMap<StructureId, Reach> = BTreeMap::new();
    let mut people = HashSet::new();
    let mut attendances = 0;
    for row in attendees {
        let line = per_structure.entry(row.structure_id).or_insert(Reach {
            structure: Some(row.structure_id),
            people: 0,
            attendances: 0,
        });
        line.people += 1;
        line.attendances += count(row.attendances);
        people.insert(row.participant_id);
        attendances += count(row.attendances);
    }
    let order = rank(structures);
    let mut lines: Vec<Reach> = per_structure.into_values().collect();
    lines.sort_by_key(|r| r.structure.map_or(usize::MAX, &order));
    lines.push(Reach { structure: None, people: people.len() as u32, attendances });
    lines
}

/// A structure's place in the group's list (by name, as the store reads it); unknown ones last.
fn rank(structures: &[(StructureId, String)]) -> impl Fn(StructureId) -> usize + '_ {
    |id| structures.iter().position(|(s, _)| *s == id).unwrap_or(usize::MAX)
}

fn exchange(exchanges: &mut BTreeMap<StructureId, Exchange>, structure: StructureId) -> &mut Exchange {
    exchanges.entry(structure).or_insert(Exchange { structure, ..Exchange::default() })
}

/// Held sessions whose facilitators and organiser span more than one structure; with a
/// structure, those it took part in.
pub(super) fn co_facilitated(rows: &[stored::FacilitatorStructure], structure: Option<StructureId>) -> u32 {
    let mut sessions: HashMap<SessionId, HashSet<StructureId>> = HashMap::new();
    for row in rows {
        let involved = sessions.entry(row.session_id).or_default();
        involved.insert(row.organiser_structure_id);
        involved.insert(row.structure_id);
    }
    sessions.values().filter(|s| s.len() > 1 && structure.is_none_or(|own| s.contains(&own))).count() as u32
}

/// The first day of the Paris month an instant falls in.
fn paris_month(at: i64) -> NaiveDate {
    let day = paris::day_of(from_ts(at));
    day.with_day(1).unwrap_or(day)
}
