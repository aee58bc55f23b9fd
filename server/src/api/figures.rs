//! `GET /api/v1/figures`: the figures page's numbers for a period, for dashboards and reports.
//! Counts only, never a participant.

use super::error::ApiError;
use super::extract::{ApiCaller, Query};
use super::responses::{BadRequest, Forbidden, NotFound, Unauthorized, Unprocessable};
use crate::core::{Figures, FiguresQuery, Tally};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use toile_shared::{SessionKind, StructureId, WorkshopTheme};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct FiguresParams {
    /// First day counted (Paris), e.g. `2026-09-01`; with `to`, the last three full months by default.
    #[param(value_type = String, format = Date, required = false)]
    pub from: Option<NaiveDate>,
    /// Last day counted, included; at most five years after `from`.
    #[param(value_type = String, format = Date, required = false)]
    pub to: Option<NaiveDate>,
    /// One structure's figures: its sessions, its people's attendances. A structure's staff
    /// always get their own; group-wide staff the whole group by default.
    #[param(value_type = i64, required = false)]
    pub structure_id: Option<i64>,
    /// Only sessions of this kind.
    #[param(inline, required = false)]
    pub kind: Option<SessionKind>,
    /// Only workshops of this theme.
    #[param(inline, required = false)]
    pub theme: Option<WorkshopTheme>,
}

/// Held sessions' seats and attendance.
#[derive(Serialize, ToSchema)]
pub struct TallyView {
    /// Sessions held (started, not cancelled).
    pub sessions: u32,
    pub capacity: u32,
    /// Confirmed enrolments, overbooked seats and walk-ins included.
    pub seats_taken: u32,
    pub present: u32,
    pub absent: u32,
    pub excused: u32,
    /// Seated people whose attendance was not taken.
    pub unknown: u32,
    /// `seats_taken` out of `capacity`, rounded; `null` without sessions.
    pub fill_percent: Option<u32>,
    /// `absent` out of `seats_taken`, rounded.
    pub no_show_percent: Option<u32>,
}

impl From<&Tally> for TallyView {
    fn from(tally: &Tally) -> Self {
        TallyView {
            sessions: tally.sessions,
            capacity: tally.capacity,
            seats_taken: tally.seated,
            present: tally.present,
            absent: tally.absent,
            excused: tally.excused,
            unknown: tally.unknown(),
            fill_percent: tally.fill_percent(),
            no_show_percent: tally.no_show_percent(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MonthView {
    /// `YYYY-MM`, Paris time.
    pub month: String,
    #[serde(flatten)]
    pub tally: TallyView,
}

#[derive(Serialize, ToSchema)]
pub struct StructureTallyView {
    pub structure_id: StructureId,
    pub structure_name: String,
    #[serde(flatten)]
    pub tally: TallyView,
}

#[derive(Serialize, ToSchema)]
pub struct KindTallyView {
    pub kind: SessionKind,
    #[serde(flatten)]
    pub tally: TallyView,
}

/// A held session that was less than half full.
#[derive(Serialize, ToSchema)]
pub struct UnderHalfView {
    pub session_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub organiser_structure_id: StructureId,
    pub seats_taken: u32,
    pub capacity: u32,
}

/// Attendances of a structure's participants in a structure's sessions.
#[derive(Serialize, ToSchema)]
pub struct PoolingCellView {
    pub participant_structure_id: StructureId,
    pub organiser_structure_id: StructureId,
    pub attendances: u32,
}

/// What a structure's sessions gave others' participants, and what its participants received.
#[derive(Serialize, ToSchema)]
pub struct ExchangeView {
    pub structure_id: StructureId,
    pub structure_name: String,
    /// Its participants in its own sessions.
    pub own: u32,
    /// Other structures' participants in its sessions.
    pub given: u32,
    /// Its participants in other structures' sessions.
    pub received: u32,
}

#[derive(Serialize, ToSchema)]
pub struct PoolingView {
    pub cells: Vec<PoolingCellView>,
    pub exchanges: Vec<ExchangeView>,
    /// Attendances counted in `cells`.
    pub attendances: u32,
    /// Those where the participant's structure is not the organiser.
    pub crossed: u32,
    pub crossed_percent: Option<u32>,
    /// Held sessions facilitated by staff of more than one structure.
    pub co_facilitated_sessions: u32,
}

/// Different participants present at least once.
#[derive(Serialize, ToSchema)]
pub struct ReachView {
    /// `null` for the whole scope (a participant who changed structure counts once).
    pub structure_id: Option<StructureId>,
    pub participants: u32,
    pub attendances: u32,
}

#[derive(Serialize, ToSchema)]
pub struct CompanyView {
    /// `null` when the sessions did not name it.
    pub company: Option<String>,
    pub sessions: u32,
    pub attendances: u32,
}

/// The figures of a period. Sessions count in the period by their start; a participant counts
/// for the structure they belonged to when seated.
#[derive(Serialize, ToSchema)]
pub struct FiguresView {
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    /// The structure counted, `null` for the whole group.
    pub structure_id: Option<StructureId>,
    pub kind: Option<SessionKind>,
    pub theme: Option<WorkshopTheme>,
    pub held: u32,
    pub cancelled: u32,
    /// Published sessions of the period not started yet (counted nowhere else).
    pub upcoming: u32,
    /// Hours of collective sessions held.
    pub hours: f64,
    pub total: TallyView,
    pub by_month: Vec<MonthView>,
    pub by_organiser: Vec<StructureTallyView>,
    pub by_kind: Vec<KindTallyView>,
    pub under_half: Vec<UnderHalfView>,
    /// Held sessions with people still on their waiting list when they started.
    pub sessions_with_waiting_list: u32,
    /// People still waiting when their session started.
    pub still_waiting_at_start: u32,
    /// Seats given back through the day-before answer link.
    pub declined_by_answer: u32,
    pub pooling: PoolingView,
    pub reach: Vec<ReachView>,
    /// Company talks, visits and job datings, by company.
    pub companies: Vec<CompanyView>,
}

impl From<&Figures> for FiguresView {
    fn from(f: &Figures) -> Self {
        let named = |id: StructureId| f.structure_name(id).to_string();
        FiguresView {
            from: f.query.from,
            to: f.query.to,
            structure_id: f.query.structure,
            kind: f.query.kind,
            theme: f.query.theme,
            held: f.held,
            cancelled: f.cancelled,
            upcoming: f.upcoming,
            hours: f.minutes as f64 / 60.0,
            total: (&f.total).into(),
            by_month: f
                .by_month
                .iter()
                .map(|(month, tally)| MonthView { month: month.format("%Y-%m").to_string(), tally: tally.into() })
                .collect(),
            by_organiser: f
                .by_organiser
                .iter()
                .map(|(id, tally)| StructureTallyView {
                    structure_id: *id,
                    structure_name: named(*id),
                    tally: tally.into(),
                })
                .collect(),
            by_kind: f.by_kind.iter().map(|(kind, tally)| KindTallyView { kind: *kind, tally: tally.into() }).collect(),
            under_half: f
                .under_half
                .iter()
                .map(|s| UnderHalfView {
                    session_id: s.session,
                    title: s.title.clone(),
                    starts_at: s.starts_at,
                    organiser_structure_id: s.organiser,
                    seats_taken: s.seated,
                    capacity: s.capacity,
                })
                .collect(),
            sessions_with_waiting_list: f.sessions_with_waiting,
            still_waiting_at_start: f.waiting_at_start,
            declined_by_answer: f.declined,
            pooling: PoolingView {
                cells: f
                    .pooling
                    .iter()
                    .map(|c| PoolingCellView {
                        participant_structure_id: c.participant_structure,
                        organiser_structure_id: c.organiser,
                        attendances: c.attendances,
                    })
                    .collect(),
                exchanges: f
                    .exchanges
                    .iter()
                    .map(|e| ExchangeView {
                        structure_id: e.structure,
                        structure_name: named(e.structure),
                        own: e.own,
                        given: e.given,
                        received: e.received,
                    })
                    .collect(),
                attendances: f.attendances,
                crossed: f.crossed,
                crossed_percent: f.crossed_percent(),
                co_facilitated_sessions: f.co_facilitated,
            },
            reach: f
                .reach
                .iter()
                .map(|r| ReachView { structure_id: r.structure, participants: r.people, attendances: r.attendances })
                .collect(),
            companies: f
                .companies
                .iter()
                .map(|c| CompanyView { company: c.company.clone(), sessions: c.sessions, attendances: c.attendances })
                .collect(),
        }
    }
}

/// Sessions held and cancelled, fill, attendance, pooling across structures, reach and
/// companies met, for a period (the last three full months by default). Group coordinators and
/// admins read the group's or any structure's; a structure's staff their structure's only.
#[utoipa::path(get, path = "/api/v1/figures", tag = "figures", params(FiguresParams),
    responses((status = 200, body = FiguresView), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable))]
pub async fn get(
    ApiCaller { core, actor }: ApiCaller,
    Query(params): Query<FiguresParams>,
) -> Result<Json<FiguresView>, ApiError> {
    let default = FiguresQuery::last_three_months(crate::core::paris::day_of(core.now()));
    let query = FiguresQuery {
        from: params.from.unwrap_or(default.from),
        to: params.to.unwrap_or(default.to),
        structure: params.structure_id,
        kind: params.kind,
        theme: params.theme,
    };
    let figures = core.figures(&actor, &query).await?;
    Ok(Json((&figures).into()))
}
