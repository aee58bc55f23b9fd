//! The pages' port implemented over the core: shapes and words the core's answers for people.

use super::french;
use crate::config::Config;
use crate::core::views::{EnrolmentView, FeedView};
use crate::core::{Core, CoreError, CreatedFeed, FeedScope, ParticipantSession, SessionFilter};
use crate::links::Links;
use axum::http::{HeaderMap, HeaderValue, header::HOST};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use toile_app::models::*;
use toile_app::port::{PagesPort, Visitor};
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::{EnrolmentStatus, LocationKind, SessionId, SessionKind, SessionStatus, WorkshopTheme, paths};

pub struct WebPort {
    pub core: Core,
    pub config: Arc<Config>,
}

fn ui_error(error: CoreError) -> UiError {
    let message = match &error {
        CoreError::Unauthenticated => return UiError::not_signed_in(),
        CoreError::Internal(detail) => {
            tracing::error!(%detail, "internal error on a page");
            "Un problème technique est survenu. Réessayez dans un moment.".to_string()
        }
        CoreError::BadCredentials => "Ce code ou ces identifiants ne sont pas reconnus. Vérifiez et réessayez.".into(),
        CoreError::Invalid(fields) if !fields.is_empty() => {
            fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" ")
        }
        other => other.to_string(),
    };
    UiError { code: error.code().to_string(), message }
}

fn viewer(actor: &Actor, display_name: String) -> Viewer {
    let kind = match actor {
        Actor::Staff { role, .. } => ViewerKind::Staff(*role),
        Actor::Participant { .. } => ViewerKind::Participant,
        Actor::Operator => ViewerKind::Staff(toile_shared::Role::Admin),
    };
    Viewer { display_name, kind }
}

fn utc(at: chrono::DateTime<chrono::FixedOffset>) -> DateTime<Utc> {
    at.with_timezone(&Utc)
}

fn kind_label(kind: SessionKind, theme: Option<WorkshopTheme>) -> String {
    match (kind, theme) {
        (SessionKind::Workshop, Some(theme)) => format!("Atelier {}", theme.label()),
        (kind, _) => kind.label().to_string(),
    }
}

fn my_enrolment(view: &EnrolmentView) -> MyEnrolment {
    MyEnrolment { status: view.status, waitlist_position: view.waitlist_position }
}

fn is_video(item: &ParticipantSession) -> bool {
    item.session.location.as_ref().is_some_and(|l| l.kind == LocationKind::Video)
}

fn card(item: &ParticipantSession) -> SessionCard {
    let session = &item.session;
    let place = match (&item.place, is_video(item)) {
        // The core gives the link only to people with a seat; the card just says it is online.
        (_, true) => "En visio".to_string(),
        (Some(place), false) => place.clone(),
        (None, false) => "Lieu donné par votre conseiller ou votre conseillère".to_string(),
    };
    SessionCard {
        id: session.id,
        title: session.title.clone(),
        kind: session.kind,
        kind_label: kind_label(session.kind, session.theme),
        date_label: french::date(utc(session.starts_at)),
        time_label: french::time_range(utc(session.starts_at), utc(session.ends_at)),
        place_label: place,
        seats_left: item.free_seats,
        waiting: session.waitlist_count,
        mine: item.mine.as_ref().map(my_enrolment),
        cancelled: session.status == SessionStatus::Cancelled,
    }
}

/// The participant's own sessions first, then the others by week, of one kind if asked.
fn home(programme: &[ParticipantSession], kind: Option<SessionKind>) -> ParticipantHome {
    let mut kinds: Vec<SessionKind> = Vec::new();
    let mut mine = Vec::new();
    let mut weeks: Vec<Week> = Vec::new();
    for item in programme {
        if item.mine.is_some() {
            mine.push(card(item));
            continue;
        }
        if item.session.status == SessionStatus::Cancelled {
            continue;
        }
        if !kinds.contains(&item.session.kind) {
            kinds.push(item.session.kind);
        }
        if kind.is_some_and(|kind| kind != item.session.kind) {
            continue;
        }
        let label = format!("Semaine du {}", french::date(french::monday_of(utc(item.session.starts_at))));
        match weeks.last_mut().filter(|week| week.label == label) {
            Some(week) => week.sessions.push(card(item)),
            None => weeks.push(Week { label, sessions: vec![card(item)] }),
        }
    }
    kinds.sort_by_key(|kind| SessionKind::ALL.iter().position(|k| k == kind));
    ParticipantHome { mine, weeks, kinds, kind }
}

fn outcome_message(enrolment: &MyEnrolment) -> String {
    match (enrolment.status, enrolment.waitlist_position) {
        (EnrolmentStatus::Confirmed, _) => "Votre inscription est confirmée.".into(),
        (_, Some(position)) => format!(
            "La séance est complète : vous êtes {} sur la liste d'attente. Si une place se libère, elle est pour vous automatiquement.",
            french::ordinal(position)
        ),
        _ => "Vous êtes sur la liste d'attente.".into(),
    }
}

/// The base of links back to this installation: the configured public address when set, else
/// the address the page's request came to, as the calendar routes and the API build them.
fn links(config: &Config, origin: &RequestOrigin) -> Links {
    let mut headers = HeaderMap::new();
    let value = |text: &Option<String>| text.as_deref().and_then(|t| HeaderValue::from_str(t).ok());
    if let Some(host) = value(&origin.host) {
        headers.insert(HOST, host);
    }
    if let Some(proto) = value(&origin.forwarded_proto) {
        headers.insert("x-forwarded-proto", proto);
    }
    Links::for_request(config.public_url.as_ref(), &headers)
}

fn new_link(created: CreatedFeed, config: &Config, origin: &RequestOrigin) -> NewFeedLink {
    let url = paths::feed(&links(config, origin).base, &created.token);
    NewFeedLink::new(created.feed.id, created.feed.name, url)
}

fn feed_row(feed: FeedView) -> FeedRow {
    FeedRow {
        id: feed.id,
        name: feed.name,
        created_label: format!("le {}", french::date_with_year(utc(feed.created_at))),
    }
}

#[async_trait::async_trait]
impl PagesPort for WebPort {
    async fn visitor(&self, sign_in_token: &str) -> Option<Visitor> {
        let (actor, name) = self.core.actor_for_sign_in(sign_in_token).await.ok()?;
        Some(Visitor { viewer: viewer(&actor, name), actor, token: sign_in_token.to_string() })
    }

    async fn sign_in_staff(&self, email: &str, password: &str) -> Result<SignedIn, UiError> {
        let signed = self.core.sign_in_staff(email, password).await.map_err(ui_error)?;
        Ok(SignedIn { viewer: viewer(&signed.actor, signed.display_name), token: signed.token })
    }

    async fn sign_in_participant(&self, access_code: &str) -> Result<SignedIn, UiError> {
        let signed = self.core.sign_in_participant(access_code).await.map_err(ui_error)?;
        Ok(SignedIn { viewer: viewer(&signed.actor, signed.display_name), token: signed.token })
    }

    async fn sign_out(&self, visitor: &Visitor) {
        if let Err(error) = self.core.sign_out(&visitor.token).await {
            tracing::warn!(%error, "sign-out failed");
        }
    }

    async fn participant_home(&self, visitor: &Visitor, kind: Option<SessionKind>) -> Result<ParticipantHome, UiError> {
        let programme = self.core.participant_programme(&visitor.actor).await.map_err(ui_error)?;
        Ok(home(&programme, kind))
    }

    async fn session_detail(&self, visitor: &Visitor, session: SessionId) -> Result<SessionDetail, UiError> {
        let item = self.core.participant_session(&visitor.actor, session).await.map_err(ui_error)?;
        let view = &item.session;
        Ok(SessionDetail {
            card: card(&item),
            description: view.description.clone(),
            company_name: view.company_name.clone(),
            speaker: view.speaker.clone(),
            cancellation_label: view.cancellation_deadline.map(|deadline| {
                format!(
                    "Vous pouvez vous désinscrire jusqu'au {} à {}.",
                    french::date(utc(deadline)),
                    french::time(utc(deadline))
                )
            }),
            cancelled: view.status == SessionStatus::Cancelled,
            cannot_enrol_reason: item.refusal.map(|refusal| refusal.to_string()),
            video_link: item.place.clone().filter(|_| is_video(&item)),
            can_cancel: item.can_cancel,
        })
    }

    async fn enrol_self(&self, visitor: &Visitor, session: SessionId) -> Result<EnrolOutcome, UiError> {
        let Actor::Participant { participant_id, .. } = visitor.actor else {
            return Err(ui_error(CoreError::Forbidden));
        };
        let result =
            self.core.enrol(&visitor.actor, session, participant_id, Request::Normal).await.map_err(ui_error)?;
        let enrolment = my_enrolment(&result.enrolment);
        Ok(EnrolOutcome { message: outcome_message(&enrolment), enrolment })
    }

    async fn cancel_self(&self, visitor: &Visitor, session: SessionId) -> Result<(), UiError> {
        let Actor::Participant { participant_id, .. } = visitor.actor else {
            return Err(ui_error(CoreError::Forbidden));
        };
        self.core.unenrol(&visitor.actor, session, participant_id).await.map(|_| ()).map_err(ui_error)
    }

    async fn staff_sessions(&self, visitor: &Visitor) -> Result<Vec<StaffSessionRow>, UiError> {
        let actor = &visitor.actor;
        if !actor.is_staff() {
            return Err(ui_error(CoreError::Forbidden));
        }
        let filter = SessionFilter { from: Some(self.core.now() - chrono::Duration::hours(12)), ..Default::default() };
        let sessions = self.core.list_sessions(actor, &filter).await.map_err(ui_error)?;
        let structures = self.core.structures(actor).await.map_err(ui_error)?;
        Ok(sessions
            .into_iter()
            .map(|s| StaffSessionRow {
                id: s.id,
                title: s.title.clone(),
                kind_label: kind_label(s.kind, s.theme),
                when_label: french::short_date_time(utc(s.starts_at)),
                organiser: structures
                    .iter()
                    .find(|st| st.id == s.organiser_structure_id)
                    .map(|st| st.name.clone())
                    .unwrap_or_default(),
                status_label: s.status.label().to_string(),
                capacity: s.capacity,
                seats_taken: s.seats_taken,
                waitlist_count: s.waitlist_count,
                addable_to_calendar: s.status != SessionStatus::Draft,
            })
            .collect())
    }

    async fn calendar_options(&self, visitor: &Visitor) -> Result<CalendarOptions, UiError> {
        let actor = &visitor.actor;
        Ok(match *actor {
            Actor::Staff { user_id, structure_id, .. } => {
                let structures = self.core.structures(actor).await.map_err(ui_error)?;
                CalendarOptions {
                    is_participant: false,
                    can_follow_group: actor.may_follow_group_calendar(),
                    structures: structures
                        .into_iter()
                        .filter(|s| actor.may_follow_structure_calendar(s.id))
                        .map(|s| StructureChoice { id: s.id, name: s.name })
                        .collect(),
                    can_follow_own_sessions: actor.may_follow_staff_calendar(user_id, structure_id),
                }
            }
            Actor::Participant { participant_id, structure_id } => CalendarOptions {
                is_participant: true,
                can_follow_group: false,
                structures: vec![],
                can_follow_own_sessions: actor.may_act_for_participant(participant_id, structure_id),
            },
            Actor::Operator => return Err(ui_error(CoreError::Forbidden)),
        })
    }

    async fn my_feeds(&self, visitor: &Visitor) -> Result<Vec<FeedRow>, UiError> {
        let feeds = self.core.list_feeds(&visitor.actor).await.map_err(ui_error)?;
        Ok(feeds.into_iter().map(feed_row).collect())
    }

    async fn create_feed(
        &self,
        visitor: &Visitor,
        feed: NewFeed,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError> {
        let actor = &visitor.actor;
        let scope = match (feed.scope, actor) {
            (FeedChoice::Group, _) => FeedScope::Group,
            (FeedChoice::Structure(id), _) => FeedScope::Structure(id),
            (FeedChoice::Mine, Actor::Staff { user_id, .. }) => FeedScope::Staff(*user_id),
            (FeedChoice::Mine, Actor::Participant { participant_id, .. }) => FeedScope::Participant(*participant_id),
            (FeedChoice::Mine, Actor::Operator) => return Err(ui_error(CoreError::Forbidden)),
        };
        let created = self.core.create_feed(actor, scope, feed.kind).await.map_err(ui_error)?;
        Ok(new_link(created, &self.config, origin))
    }

    async fn regenerate_feed(
        &self,
        visitor: &Visitor,
        feed_id: i64,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError> {
        let created = self.core.regenerate_feed(&visitor.actor, feed_id).await.map_err(ui_error)?;
        Ok(new_link(created, &self.config, origin))
    }

    async fn delete_feed(&self, visitor: &Visitor, feed_id: i64) -> Result<(), UiError> {
        self.core.delete_feed(&visitor.actor, feed_id).await.map_err(ui_error)
    }
}
