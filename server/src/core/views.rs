//! What the core returns: plain data, typed with the domain's vocabularies, that adapters
//! serialise (every enum serialises to its stable snake_case code) or put in words. Every field
//! is always sent: an optional one as `null` (hence `required` in the OpenAPI document).

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use toile_shared::{
    Attendance, Audience, CalendarScope, EnrolmentStatus, LocationKind, ParticipantId, Role, SessionId, SessionKind,
    SessionStatus, StructureId, StructureKind, UserId, WorkshopTheme,
};
use utoipa::ToSchema;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StructureView {
    pub id: StructureId,
    pub name: String,
    pub kind: StructureKind,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ParticipantView {
    pub id: ParticipantId,
    pub first_name: String,
    pub last_name: String,
    pub structure_id: StructureId,
    #[schema(required = true)]
    pub referent_id: Option<UserId>,
    pub active: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LocationView {
    pub kind: LocationKind,
    #[schema(required = true)]
    pub site_id: Option<i64>,
    /// The full address, or the video link.
    pub text: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReservationView {
    pub structure_id: StructureId,
    pub seats: u32,
    /// How many of those seats the structure's people fill (never more than `seats`).
    pub taken: u32,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: SessionId,
    #[schema(required = true)]
    pub series_id: Option<i64>,
    pub title: String,
    pub kind: SessionKind,
    #[schema(required = true)]
    pub theme: Option<WorkshopTheme>,
    pub description: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub capacity: u32,
    pub seats_taken: u32,
    pub waitlist_count: u32,
    pub status: SessionStatus,
    pub organiser_structure_id: StructureId,
    #[schema(required = true)]
    pub location: Option<LocationView>,
    pub audience: Audience,
    pub reserved_seats: Vec<ReservationView>,
    #[schema(required = true)]
    pub reserved_until: Option<DateTime<FixedOffset>>,
    #[schema(required = true)]
    pub enrolment_opens_at: Option<DateTime<FixedOffset>>,
    #[schema(required = true)]
    pub enrolment_closes_at: Option<DateTime<FixedOffset>>,
    #[schema(required = true)]
    pub cancellation_deadline: Option<DateTime<FixedOffset>>,
    pub facilitator_ids: Vec<UserId>,
    #[schema(required = true)]
    pub company_name: Option<String>,
    #[schema(required = true)]
    pub speaker: Option<String>,
    /// Raised whenever time, place or status change (iCalendar SEQUENCE).
    pub sequence: i64,
    /// Raised by every change and by the cancellation (enrolments leave it alone): the `ETag`
    /// of `GET /api/v1/sessions/{id}`, for `If-Match` on `PATCH`.
    pub version: i64,
    pub updated_at: DateTime<FixedOffset>,
    /// Why the session was cancelled, when it is and a reason was given.
    #[schema(required = true)]
    pub cancel_reason: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EnrolmentView {
    pub session_id: SessionId,
    pub participant_id: ParticipantId,
    pub status: EnrolmentStatus,
    /// 1-based, for waitlisted enrolments.
    #[schema(required = true)]
    pub waitlist_position: Option<u32>,
    /// `participant` when they enrolled themselves, else `user:<id>` of the staff member.
    pub enrolled_by: String,
    pub attendance: Attendance,
    /// Confirmed beyond capacity by an explicit staff override.
    pub overbooked: bool,
    pub enrolled_at: DateTime<FixedOffset>,
}

/// Whether `/me` describes a staff member or a participant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeKind {
    Staff,
    Participant,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MeView {
    pub kind: MeKind,
    pub id: i64,
    pub display_name: String,
    #[schema(required = true)]
    pub email: Option<String>,
    #[schema(required = true)]
    pub role: Option<Role>,
    #[schema(required = true)]
    pub structure_id: Option<StructureId>,
}

/// A calendar feed, as its owner sees it: never its secret token.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FeedView {
    pub id: i64,
    pub scope: CalendarScope,
    #[schema(required = true)]
    pub structure_id: Option<StructureId>,
    #[schema(required = true)]
    pub user_id: Option<UserId>,
    #[schema(required = true)]
    pub participant_id: Option<ParticipantId>,
    /// Only sessions of this kind, when set.
    #[schema(required = true)]
    pub kind: Option<SessionKind>,
    /// The calendar's name in calendar apps, e.g. "Toile — programme du groupe".
    pub name: String,
    pub created_at: DateTime<FixedOffset>,
}

/// Who reads a calendar: it decides which page its events link to and whether they show counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CalendarReader {
    /// A participant's own sessions: links to `/seances/{id}`.
    Participant,
    /// Staff programmes: links to the session's staff page `/equipe/seances/{id}`, with how many people enrolled (never who).
    Staff,
}

/// What a calendar shows of one session: no person's name, ever.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarSession {
    pub id: SessionId,
    pub kind: SessionKind,
    pub theme: Option<WorkshopTheme>,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The site's full address, the address typed, or the video link; `None` when there is no
    /// place yet, or for a video link this reader does not get.
    pub place: Option<String>,
    pub is_video: bool,
    pub capacity: u32,
    pub seats_taken: u32,
    pub company_name: Option<String>,
    pub speaker: Option<String>,
    pub cancelled: bool,
    /// iCalendar SEQUENCE: raised when time, place or status change.
    pub sequence: i64,
    pub updated_at: DateTime<Utc>,
}

impl CalendarSession {
    /// What changes whenever anything shown of the session does (see `SessionStamp`).
    pub fn stamp(&self) -> SessionStamp {
        SessionStamp { id: self.id, updated_at: self.updated_at.timestamp(), seats_taken: i64::from(self.seats_taken) }
    }
}

/// A session's version, read without its text: every change of a session moves `updated_at`,
/// except enrolments, which move `seats_taken`. Feeds use the stamps of their sessions as a
/// cheap cache key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct SessionStamp {
    pub id: SessionId,
    pub updated_at: i64,
    pub seats_taken: i64,
}

/// One session for "Ajouter à mon agenda", with who organises it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionCalendarEntry {
    pub session: CalendarSession,
    pub reader: CalendarReader,
    /// The organiser structure's name (the event's ORGANIZER).
    pub organiser_name: String,
}

/// The time as people in the group read it, with its offset (RFC 3339 in the API).
pub fn paris(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&chrono_tz::Europe::Paris).fixed_offset()
}
