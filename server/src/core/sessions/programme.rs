//! The group's programme for staff: every session they may see, with how full it is and whether
//! it needs attention; and a staff member's own desk (`staff_home`).

use super::super::store::sessions::{self as stored, Facilitators, LoadedSession};
use super::super::store::to_ts;
use super::super::store::{staff, structures};
use super::super::views::SessionView;
use super::super::{Core, CoreError, CoreResult};
use super::{may_see, scope, staff_only, view};
use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;
use std::collections::HashMap;
use toile_shared::authz::Actor;
use toile_shared::{SessionKind, SessionStatus, StructureId, UserId};

/// Which sessions of the programme to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgrammeFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Run by this structure: organised by it, or co-facilitated by its staff.
    pub structure: Option<StructureId>,
    pub kind: Option<SessionKind>,
    pub facilitator: Option<UserId>,
    /// At this site.
    pub site: Option<i64>,
    /// Only sessions the viewer's structure may enrol into.
    pub open_to_mine: bool,
}

/// A session in the programme, with what a coordinator looks for at a glance.
#[derive(Clone, Debug)]
pub struct ProgrammeEntry {
    pub session: SessionView,
    pub organiser_name: String,
    pub facilitator_names: Vec<String>,
    /// Fewer than half the seats taken three days before it starts.
    pub at_risk: bool,
    /// Every seat taken and people waiting.
    pub full_with_waitlist: bool,
    /// The viewer may change it.
    pub manageable: bool,
}

/// What a staff member should look at first.
#[derive(Clone, Debug)]
pub struct StaffHome {
    /// Sessions they facilitate, soonest first.
    pub next: Vec<ProgrammeEntry>,
    /// Theirs, starting within 48 hours.
    pub soon: Vec<ProgrammeEntry>,
    /// Sessions they manage where seats are free while people wait (reserved for a structure).
    pub seats_and_waiting: Vec<ProgrammeEntry>,
    /// Drafts they manage.
    pub drafts: Vec<ProgrammeEntry>,
}

/// How far ahead "at risk" looks, and "soon".
const AT_RISK_BEFORE: i64 = 3;
const SOON_HOURS: i64 = 48;
/// How many of their next sessions the desk lists.
const NEXT_SHOWN: usize = 8;

impl Core {
    pub async fn programme(&self, actor: &Actor, filter: &ProgrammeFilter) -> CoreResult<Vec<ProgrammeEntry>> {
        staff_only(actor)?;
        let now = self.clock.now();
        let mut conn = self.store.read().await?;
        let sessions = stored::load(&mut conn, Facilitators::Load, |sql| {
            sql.push("starts_at >= ").bind(to_ts(filter.from.unwrap_or(now - Duration::hours(12))));
            if let Some(to) = filter.to {
                sql.push(" AND starts_at < ").bind(to_ts(to));
            }
            if let Some(structure) = filter.structure {
                sql.push(" AND (organiser_structure_id = ").bind(structure);
                sql.push(
                    " OR id IN (SELECT f.session_id FROM session_facilitators f \
                     JOIN users u ON u.id = f.user_id WHERE u.structure_id = ",
                );
                sql.bind(structure).push("))");
            }
            if let Some(kind) = filter.kind {
                sql.push(" AND kind = ").bind(kind.code());
            }
            if let Some(site) = filter.site {
                sql.push(" AND site_id = ").bind(site);
            }
            if let Some(user) = filter.facilitator {
                sql.push(" AND id IN (SELECT session_id FROM session_facilitators WHERE user_id = ").bind(user);
                sql.push(")");
            }
            if let (true, Actor::Staff { structure_id: Some(own), .. }) = (filter.open_to_mine, actor) {
                sql.push(
                    " AND (audience_all = 1 OR id IN (SELECT session_id FROM session_audience WHERE structure_id = ",
                );
                sql.bind(*own).push("))");
            }
        })
        .await?;
        entries(&mut conn, actor, sessions, now).await
    }

    pub async fn staff_home(&self, actor: &Actor) -> CoreResult<StaffHome> {
        let Some(user) = actor.staff_user_id() else { return Err(CoreError::Forbidden) };
        let now = self.clock.now();
        let mine = self.programme(actor, &ProgrammeFilter { facilitator: Some(user), ..Default::default() }).await?;
        let all = self.programme(actor, &ProgrammeFilter::default()).await?;
        let live = |e: &ProgrammeEntry| e.session.status != SessionStatus::Cancelled;
        Ok(StaffHome {
            next: mine.iter().filter(|e| live(e)).take(NEXT_SHOWN).cloned().collect(),
            soon: mine
                .iter()
                .filter(|e| live(e) && e.session.starts_at.to_utc() <= now + Duration::hours(SOON_HOURS))
                .cloned()
                .collect(),
            seats_and_waiting: all
                .iter()
                .filter(|e| {
                    e.manageable
                        && e.session.status == SessionStatus::Published
                        && e.session.waitlist_count > 0
                        && e.session.seats_taken < e.session.capacity
                })
                .cloned()
                .collect(),
            drafts: all.into_iter().filter(|e| e.manageable && e.session.status == SessionStatus::Draft).collect(),
        })
    }
}

pub(super) async fn entries(
    conn: &mut AnyConnection,
    actor: &Actor,
    sessions: Vec<LoadedSession>,
    now: DateTime<Utc>,
) -> CoreResult<Vec<ProgrammeEntry>> {
    let structures: HashMap<StructureId, String> =
        structures::all(conn).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let staff: HashMap<UserId, String> = staff::all(conn).await?.into_iter().map(|s| (s.id, s.display_name)).collect();
    Ok(sessions
        .iter()
        .filter(|s| may_see(actor, s))
        .map(|session| {
            let view = view(session);
            let starts = view.starts_at.to_utc();
            let published = view.status == SessionStatus::Published;
            ProgrammeEntry {
                organiser_name: structures.get(&view.organiser_structure_id).cloned().unwrap_or_default(),
                facilitator_names: session.facilitators.iter().filter_map(|id| staff.get(id).cloned()).collect(),
                at_risk: published
                    && starts > now
                    && starts <= now + Duration::days(AT_RISK_BEFORE)
                    && view.seats_taken * 2 < view.capacity,
                full_with_waitlist: published && view.seats_taken >= view.capacity && view.waitlist_count > 0,
                manageable: actor.may_manage_session(&scope(session)),
                session: view,
            }
        })
        .collect())
}
