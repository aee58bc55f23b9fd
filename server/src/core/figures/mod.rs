//! The figures coordinators show their directors, the group and funders: sessions held, how full
//! they were, who came, and how much the structures serve each other's people (pooling). Counts
//! only: no participant is ever named here.
//!
//! What is counted, so every adapter says the same:
//! - a session is *held* once it has started and was not cancelled; drafts never count;
//! - its *seats taken* are its confirmed enrolments (overbooked seats and walk-ins included, so a
//!   session can be over 100 % full); attendance is read among them;
//! - *still waiting* are the people on its waiting list when it started;
//! - a person counts for the structure they belonged to when seated (a person who moved since
//!   counts for their old structure in the old sessions);
//! - pooling counts attendances (present) by the participant's structure and the organiser's.

mod tally;

use super::store::figures::{self as stored, Period, SessionFacts};
use super::store::{structures, to_ts};
use super::{Core, CoreError, CoreResult, paris};
use chrono::{Datelike, Months, NaiveDate, Utc};
use toile_shared::authz::{Actor, FiguresScope};
use toile_shared::{SessionId, SessionKind, StructureId, WorkshopTheme};

/// The longest period one request reads: enough for a three-year report.
const MAX_FIGURES_DAYS: i64 = 366 * 5;

/// What to count: Paris days, both included; the whole group or one structure; a kind, a theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FiguresQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub structure: Option<StructureId>,
    pub kind: Option<SessionKind>,
    pub theme: Option<WorkshopTheme>,
}

impl FiguresQuery {
    /// The last three full months before `today`, for the whole group (or the reader's
    /// structure, decided when read).
    pub fn last_three_months(today: NaiveDate) -> FiguresQuery {
        let this_month = today.with_day(1).unwrap_or(today);
        let from = this_month.checked_sub_months(Months::new(3)).unwrap_or(this_month);
        let to = this_month.pred_opt().unwrap_or(this_month);
        FiguresQuery { from, to, structure: None, kind: None, theme: None }
    }
}

/// Seats and attendance of some sessions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Sessions held.
    pub sessions: u32,
    pub capacity: u32,
    pub seated: u32,
    pub present: u32,
    pub absent: u32,
    pub excused: u32,
}

impl Tally {
    /// Seated people whose attendance nobody took.
    pub fn unknown(&self) -> u32 {
        self.seated.saturating_sub(self.present + self.absent + self.excused)
    }

    /// Seats taken out of the capacity, in percent (rounded), when there was any.
    pub fn fill_percent(&self) -> Option<u32> {
        percent(self.seated, self.capacity)
    }

    /// Present out of seated, in percent.
    pub fn attendance_percent(&self) -> Option<u32> {
        percent(self.present, self.seated)
    }

    /// Absent without notice out of seated, in percent.
    pub fn no_show_percent(&self) -> Option<u32> {
        percent(self.absent, self.seated)
    }

    fn add(&mut self, session: &SessionFacts) {
        self.sessions += 1;
        self.capacity += count(session.capacity);
        self.seated += count(session.seated);
        self.present += count(session.present);
        self.absent += count(session.absent);
        self.excused += count(session.excused);
    }
}

/// `part` of `whole` in percent, rounded to the nearest.
pub fn percent(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| ((u64::from(part) * 200 + u64::from(whole)) / (2 * u64::from(whole))) as u32)
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

/// A held session: the funders' report lists them, the page those under half full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldSession {
    pub session: SessionId,
    pub title: String,
    pub kind: SessionKind,
    pub organiser: StructureId,
    pub starts_at: chrono::DateTime<Utc>,
    pub ends_at: chrono::DateTime<Utc>,
    pub capacity: u32,
    pub seated: u32,
    pub present: u32,
}

/// Attendances of one structure's people in another's (or its own) sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolingCell {
    pub participant_structure: StructureId,
    pub organiser: StructureId,
    pub attendances: u32,
}

/// What a structure's sessions gave the others' people, and what its people received.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exchange {
    pub structure: StructureId,
    /// Its people in its own sessions.
    pub own: u32,
    /// Others' people in its sessions.
    pub given: u32,
    /// Its people in others' sessions.
    pub received: u32,
}

/// Different people who came at least once; `structure` None is the whole scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reach {
    pub structure: Option<StructureId>,
    pub people: u32,
    pub attendances: u32,
}

/// A company met through talks, visits and job datings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompanyLine {
    /// None when the session did not say.
    pub company: Option<String>,
    pub sessions: u32,
    pub attendances: u32,
}

/// Everything the figures page, its files and the API show.
#[derive(Clone, Debug)]
pub struct Figures {
    /// The query as answered: a structure's staff always get their structure.
    pub query: FiguresQuery,
    /// Every structure of the group, by name, for the tables and the choices.
    pub structures: Vec<(StructureId, String)>,
    pub held: u32,
    pub cancelled: u32,
    /// Published sessions of the period still to come (not counted elsewhere).
    pub upcoming: u32,
    /// Minutes of collective sessions held.
    pub minutes: i64,
    pub total: Tally,
    /// Every month of the period, first day as key, empty ones included.
    pub by_month: Vec<(NaiveDate, Tally)>,
    pub by_organiser: Vec<(StructureId, Tally)>,
    pub by_kind: Vec<(SessionKind, Tally)>,
    /// The held sessions that ran under half full.
    pub under_half: Vec<HeldSession>,
    /// Held sessions with people still waiting when they started, and how many people.
    pub sessions_with_waiting: u32,
    pub waiting_at_start: u32,
    /// Seats given back through the day-before answer.
    pub declined: u32,
    pub pooling: Vec<PoolingCell>,
    pub exchanges: Vec<Exchange>,
    /// All attendances the pooling table counts, and those across structures.
    pub attendances: u32,
    pub crossed: u32,
    /// Held sessions facilitated by staff of more than one structure (the organiser's included).
    pub co_facilitated: u32,
    /// Per structure, then the whole scope (`structure: None`) last.
    pub reach: Vec<Reach>,
    pub companies: Vec<CompanyLine>,
    /// The held sessions, in time order.
    pub sessions: Vec<HeldSession>,
}

impl Figures {
    /// A structure's name, as the group calls it.
    pub fn structure_name(&self, id: StructureId) -> &str {
        self.structures.iter().find(|(s, _)| *s == id).map_or("Structure supprimée", |(_, name)| name.as_str())
    }

    /// Crossed attendances out of all, in percent.
    pub fn crossed_percent(&self) -> Option<u32> {
        percent(self.crossed, self.attendances)
    }
}

impl Core {
    /// The figures `query` asks for, as far as `actor` may read them: group-wide staff any
    /// structure's or the group's, a structure's staff their structure's only.
    pub async fn figures(&self, actor: &Actor, query: &FiguresQuery) -> CoreResult<Figures> {
        let structure = match (actor.figures_scope(), query.structure) {
            (None, _) => return Err(CoreError::Forbidden),
            (Some(FiguresScope::Group), asked) => asked,
            (Some(FiguresScope::Structure(own)), None) => Some(own),
            (Some(FiguresScope::Structure(own)), Some(asked)) if asked == own => Some(own),
            (Some(FiguresScope::Structure(_)), Some(_)) => return Err(CoreError::Forbidden),
        };
        if query.to < query.from {
            return Err(CoreError::invalid("to", "La fin de la période est avant son début."));
        }
        if (query.to - query.from).num_days() >= MAX_FIGURES_DAYS {
            return Err(CoreError::invalid("to", "Choisissez une période de cinq ans au plus."));
        }
        let period = Period {
            from: to_ts(paris::midnight(query.from)),
            until: to_ts(paris::midnight(query.to.succ_opt().unwrap_or(query.to))),
            kind: query.kind,
            theme: query.theme,
        };
        let now = to_ts(self.clock.now());
        // Five reads side by side, each on a connection of its own: on a year of a large group
        // each takes tens of milliseconds, together about as long as the longest (BENCHMARKS.md).
        let store = &self.store;
        let (structures, sessions, pooling, attendees, facilitators) = tokio::try_join!(
            async { structures::all(&mut *store.read().await?).await },
            async { stored::sessions(&mut *store.read().await?, &period, structure).await },
            async { stored::pooling(&mut *store.read().await?, &period, now, structure).await },
            async { stored::attendees(&mut *store.read().await?, &period, now, structure).await },
            async { stored::facilitator_structures(&mut *store.read().await?, &period, now).await },
        )?;
        let structures: Vec<_> = structures.into_iter().map(|s| (s.id, s.name)).collect();
        if let Some(asked) = structure
            && !structures.iter().any(|(id, _)| *id == asked)
        {
            return Err(CoreError::NotFound("Structure"));
        }

        let query = FiguresQuery { structure, ..query.clone() };
        let mut figures = tally::tally(query, structures, &sessions, now);
        tally::pool(&mut figures, &pooling);
        figures.reach = tally::reach(&attendees, &figures.structures);
        figures.co_facilitated = tally::co_facilitated(&facilitators, structure);
        Ok(figures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_period_is_the_last_three_full_months() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let query = FiguresQuery::last_three_months(today);
        assert_eq!(query.from, NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
        assert_eq!(query.to, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        let january = FiguresQuery::last_three_months(NaiveDate::from_ymd_opt(2027, 1, 15).unwrap());
        assert_eq!(
            (january.from, january.to),
            (NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())
        );
    }

    #[test]
    fn percentages_round_to_the_nearest_and_say_nothing_of_nothing() {
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(13, 12), Some(108));
        assert_eq!(percent(0, 0), None);
    }
}
