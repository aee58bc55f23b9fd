//! The pages' port implemented over the core: shapes and words the core's answers for people.

use super::french;
use crate::core::views::{EnrolmentView, FeedView};
use crate::core::{Core, CoreError, CreatedFeed, FeedRequest, ParticipantSession, SessionFilter};
use crate::feeds::{Links, PublicUrl, feed_url};
use axum::http::{HeaderMap, HeaderValue, header::HOST};
use chrono::{DateTime, Utc};
use toile_app::backend::Backend;
use toile_app::models::*;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::{EnrolmentStatus, SessionId, SessionKind, SessionStatus, WorkshopTheme};

pub struct WebBackend {
    pub core: Core,
}

fn ui_error(error: CoreError) -> UiError {
    let message = match &error {
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
    };
    Viewer { display_name, kind }
}

fn utc(at: chrono::DateTime<chrono::FixedOffset>) -> DateTime<Utc> {
    at.with_timezone(&Utc)
}

fn kind_label(kind: &str, theme: Option<&str>) -> String {
    match (SessionKind::parse(kind), theme.and_then(WorkshopTheme::parse)) {
        (Some(SessionKind::Workshop), Some(theme)) => format!("Atelier {}", theme.label()),
        (Some(kind), _) => kind.label().to_string(),
        (None, _) => kind.to_string(),
    }
}

fn my_enrolment(view: &EnrolmentView) -> MyEnrolment {
    MyEnrolment {
        status: EnrolmentStatus::parse(&view.status).unwrap_or(EnrolmentStatus::Waitlisted),
        waitlist_position: view.waitlist_position,
    }
}

fn card(item: &ParticipantSession) -> SessionCard {
    let session = &item.session;
    let place = match session.location.as_ref() {
        Some(location) if location.kind == "video" => {
            "En visio (le lien est donné par votre conseiller·ère)".to_string()
        }
        Some(_) => item.place.clone().unwrap_or_default(),
        None => "Lieu précisé par votre conseiller·ère".to_string(),
    };
    SessionCard {
        id: session.id,
        title: session.title.clone(),
        kind_label: kind_label(&session.kind, session.theme.as_deref()),
        date_label: french::date(utc(session.starts_at)),
        time_label: french::time_range(utc(session.starts_at), utc(session.ends_at)),
        place_label: place,
        seats_left: item.free_seats,
        mine: item.mine.as_ref().map(my_enrolment),
    }
}

fn outcome_message(enrolment: &MyEnrolment) -> String {
    match (enrolment.status, enrolment.waitlist_position) {
        (EnrolmentStatus::Confirmed, _) => "Vous êtes inscrit·e.".into(),
        (_, Some(position)) => format!(
            "La séance est complète : vous êtes {} sur la liste d'attente. Si une place se libère, elle est pour vous automatiquement.",
            french::ordinal(position)
        ),
        _ => "Vous êtes sur la liste d'attente.".into(),
    }
}

/// The base of links back to this installation: `TOILE_PUBLIC_URL` when set, else the address
/// the page's request came to, as the calendar routes and the API build them.
fn links(origin: &RequestOrigin) -> Links {
    let mut headers = HeaderMap::new();
    let value = |text: &Option<String>| text.as_deref().and_then(|t| HeaderValue::from_str(t).ok());
    if let Some(host) = value(&origin.host) {
        headers.insert(HOST, host);
    }
    if let Some(proto) = value(&origin.forwarded_proto) {
        headers.insert("x-forwarded-proto", proto);
    }
    Links::for_request(PublicUrl::from_env().as_ref(), &headers)
}

fn new_link(created: CreatedFeed, origin: &RequestOrigin) -> NewFeedLink {
    let url = feed_url(&links(origin).base, &created.token);
    NewFeedLink::new(created.feed.id, created.feed.name, url)
}

fn feed_row(feed: FeedView) -> FeedRow {
    FeedRow {
        id: feed.id,
        name: feed.name,
        created_label: format!("le {}", french::date_with_year(utc(feed.created_at))),
    }
}

impl WebBackend {
    async fn actor(&self, token: &str) -> Result<Actor, UiError> {
        self.core.actor_for_session(token).await.map(|(actor, _)| actor).map_err(ui_error)
    }
}

#[async_trait::async_trait]
impl Backend for WebBackend {
    async fn viewer(&self, session_token: &str) -> Option<Viewer> {
        let (actor, name) = self.core.actor_for_session(session_token).await.ok()?;
        Some(viewer(&actor, name))
    }

    async fn sign_in_staff(&self, email: &str, password: &str) -> Result<SignedIn, UiError> {
        let signed = self.core.sign_in_staff(email, password).await.map_err(ui_error)?;
        Ok(SignedIn { viewer: viewer(&signed.actor, signed.display_name), token: signed.token })
    }

    async fn sign_in_participant(&self, access_code: &str) -> Result<SignedIn, UiError> {
        let signed = self.core.sign_in_participant(access_code).await.map_err(ui_error)?;
        Ok(SignedIn { viewer: viewer(&signed.actor, signed.display_name), token: signed.token })
    }

    async fn sign_out(&self, session_token: &str) {
        if let Err(error) = self.core.sign_out(session_token).await {
            tracing::warn!(%error, "sign-out failed");
        }
    }

    async fn participant_sessions(&self, session_token: &str) -> Result<Vec<SessionCard>, UiError> {
        let actor = self.actor(session_token).await?;
        let programme = self.core.participant_programme(&actor).await.map_err(ui_error)?;
        Ok(programme.iter().map(card).collect())
    }

    async fn session_detail(&self, session_token: &str, session: SessionId) -> Result<SessionDetail, UiError> {
        let actor = self.actor(session_token).await?;
        let item = self.core.participant_session(&actor, session).await.map_err(ui_error)?;
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
            cancelled: view.status == SessionStatus::Cancelled.code(),
            cannot_enrol_reason: item.refusal.map(|refusal| refusal.to_string()),
            can_cancel: item.can_cancel,
        })
    }

    async fn enrol_self(&self, session_token: &str, session: SessionId) -> Result<EnrolOutcome, UiError> {
        let actor = self.actor(session_token).await?;
        let Actor::Participant { participant_id, .. } = actor else {
            return Err(ui_error(CoreError::Forbidden));
        };
        let result = self.core.enrol(&actor, session, participant_id, Request::Normal).await.map_err(ui_error)?;
        let enrolment = my_enrolment(&result.enrolment);
        Ok(EnrolOutcome { message: outcome_message(&enrolment), enrolment })
    }

    async fn cancel_self(&self, session_token: &str, session: SessionId) -> Result<(), UiError> {
        let actor = self.actor(session_token).await?;
        let Actor::Participant { participant_id, .. } = actor else {
            return Err(ui_error(CoreError::Forbidden));
        };
        self.core.unenrol(&actor, session, participant_id).await.map(|_| ()).map_err(ui_error)
    }

    async fn staff_sessions(&self, session_token: &str) -> Result<Vec<StaffSessionRow>, UiError> {
        let actor = self.actor(session_token).await?;
        if !actor.is_staff() {
            return Err(ui_error(CoreError::Forbidden));
        }
        let filter = SessionFilter { from: Some(Utc::now() - chrono::Duration::hours(12)), ..Default::default() };
        let sessions = self.core.list_sessions(&actor, &filter).await.map_err(ui_error)?;
        let structures = self.core.structures(&actor).await.map_err(ui_error)?;
        Ok(sessions
            .into_iter()
            .map(|s| StaffSessionRow {
                id: s.id,
                title: s.title.clone(),
                kind_label: kind_label(&s.kind, s.theme.as_deref()),
                when_label: french::short_date_time(utc(s.starts_at)),
                organiser: structures
                    .iter()
                    .find(|st| st.id == s.organiser_structure_id)
                    .map(|st| st.name.clone())
                    .unwrap_or_default(),
                status_label: SessionStatus::parse(&s.status)
                    .map(|st| st.label().to_string())
                    .unwrap_or(s.status.clone()),
                capacity: s.capacity,
                seats_taken: s.seats_taken,
                waitlist_count: s.waitlist_count,
                addable_to_calendar: s.status != SessionStatus::Draft.code(),
            })
            .collect())
    }

    async fn calendar_options(&self, session_token: &str) -> Result<CalendarOptions, UiError> {
        let actor = self.actor(session_token).await?;
        Ok(match actor {
            Actor::Participant { participant_id, structure_id } => CalendarOptions {
                is_participant: true,
                can_follow_group: false,
                structures: vec![],
                can_follow_own_sessions: actor.may_act_for_participant(participant_id, structure_id),
            },
            Actor::Staff { user_id, structure_id, .. } => {
                let structures = self.core.structures(&actor).await.map_err(ui_error)?;
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
        })
    }

    async fn my_feeds(&self, session_token: &str) -> Result<Vec<FeedRow>, UiError> {
        let actor = self.actor(session_token).await?;
        let feeds = self.core.list_feeds(&actor).await.map_err(ui_error)?;
        Ok(feeds.into_iter().map(feed_row).collect())
    }

    async fn create_feed(
        &self,
        session_token: &str,
        feed: NewFeed,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError> {
        let actor = self.actor(session_token).await?;
        let mut request = FeedRequest { kind: feed.kind.map(|k| k.code().to_string()), ..Default::default() };
        match (feed.scope, &actor) {
            (FeedChoice::Group, _) => request.scope = "group".into(),
            (FeedChoice::Structure(id), _) => {
                request.scope = "structure".into();
                request.structure_id = Some(id);
            }
            (FeedChoice::Mine, Actor::Staff { user_id, .. }) => {
                request.scope = "staff".into();
                request.user_id = Some(*user_id);
            }
            (FeedChoice::Mine, Actor::Participant { participant_id, .. }) => {
                request.scope = "participant".into();
                request.participant_id = Some(*participant_id);
            }
        }
        let created = self.core.create_feed(&actor, request).await.map_err(ui_error)?;
        Ok(new_link(created, origin))
    }

    async fn regenerate_feed(
        &self,
        session_token: &str,
        feed_id: i64,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError> {
        let actor = self.actor(session_token).await?;
        let created = self.core.regenerate_feed(&actor, feed_id).await.map_err(ui_error)?;
        Ok(new_link(created, origin))
    }

    async fn delete_feed(&self, session_token: &str, feed_id: i64) -> Result<(), UiError> {
        let actor = self.actor(session_token).await?;
        self.core.delete_feed(&actor, feed_id).await.map_err(ui_error)
    }
}
