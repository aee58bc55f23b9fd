//! The pages' port implemented over the core: shapes and words the core's answers for people,
//! one file per part of the site.

mod admin;
mod api_tokens;
pub(crate) mod audit;
mod calendars;
pub(crate) mod figures;
mod notifications;
mod once;
mod participant;
pub(crate) mod people;
/// The code card's QR code, drawn as the card draws it (the tests read back what it carries).
pub use people::qr as card_qr_code;
mod edit_conflict;
pub(crate) mod roster;
mod session_form;
mod staff;
pub(crate) mod words;

use super::french;
use crate::config::Config;
use crate::core::{Core, CoreError, Device, FeedScope, Reply, SmsConsent};
use calendars::{feed_row, new_link};
use participant::{card, home, is_video, my_enrolment};
use std::net::IpAddr;
use std::sync::Arc;
use toile_app::models::*;
use toile_app::port::{PagesPort, Visitor};
use toile_shared::authz::Actor;
use toile_shared::done::Done;
use toile_shared::enrolment::Request;
use toile_shared::{Attendance, ParticipantId, SessionId, SessionKind, SessionStatus};
use words::{signed_in, ui_error, utc, viewer};

pub struct WebPort {
    pub core: Core,
    pub config: Arc<Config>,
}

#[async_trait::async_trait]
impl PagesPort for WebPort {
    async fn visitor(&self, sign_in_token: &str) -> Result<Option<Visitor>, UiError> {
        match self.core.actor_for_sign_in(sign_in_token).await {
            Ok((actor, name)) => Ok(Some(Visitor { viewer: viewer(&actor, name), actor, token: sign_in_token.into() })),
            Err(CoreError::Unauthenticated) => Ok(None),
            Err(error) => Err(ui_error(error)),
        }
    }

    async fn sign_in_staff(&self, email: &str, password: &str, client: Option<IpAddr>) -> Result<SignedIn, UiError> {
        self.core.sign_in_staff(email, password, client).await.map(signed_in).map_err(ui_error)
    }

    async fn sign_in_participant(
        &self,
        access_code: &str,
        client: Option<IpAddr>,
        shared_phone: bool,
    ) -> Result<SignedIn, UiError> {
        let device = if shared_phone { Device::Shared } else { Device::Own };
        self.core.sign_in_participant(access_code, client, device).await.map(signed_in).map_err(ui_error)
    }

    async fn sign_in_with_card_link(&self, secret: &str) -> Result<SignedIn, UiError> {
        self.core.sign_in_with_link(secret).await.map(signed_in).map_err(ui_error)
    }

    async fn sign_out(&self, visitor: &Visitor) {
        if let Err(error) = self.core.sign_out(&visitor.token).await {
            tracing::warn!(%error, "sign-out failed");
        }
    }

    async fn participant_home(&self, visitor: &Visitor, kind: Option<SessionKind>) -> Result<ParticipantHome, UiError> {
        let programme = self.core.participant_programme(&visitor.actor).await.map_err(ui_error)?;
        let Actor::Participant { participant_id, .. } = visitor.actor else {
            return Err(ui_error(CoreError::Forbidden));
        };
        let sms = match self.core.sms_consent(&visitor.actor, participant_id).await.map_err(ui_error)? {
            SmsConsent::NoPhone => SmsChoice::NoPhone,
            SmsConsent::Receiving => SmsChoice::Receiving,
            SmsConsent::Stopped => SmsChoice::Stopped,
        };
        Ok(home(&programme, kind, sms))
    }

    async fn set_sms(&self, visitor: &Visitor, stop: bool) -> Result<(), UiError> {
        let Actor::Participant { participant_id, .. } = visitor.actor else {
            return Err(ui_error(CoreError::Forbidden));
        };
        self.core.stop_sms(&visitor.actor, participant_id, stop).await.map_err(ui_error)
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

    async fn enrol_self(&self, visitor: &Visitor, session: SessionId) -> Result<MyEnrolment, UiError> {
        let Actor::Participant { participant_id, .. } = visitor.actor else {
            return Err(ui_error(CoreError::Forbidden));
        };
        let result =
            self.core.enrol(&visitor.actor, session, participant_id, Request::Normal).await.map_err(ui_error)?;
        Ok(my_enrolment(&result.enrolment))
    }

    async fn cancel_self(&self, visitor: &Visitor, session: SessionId) -> Result<(), UiError> {
        let Actor::Participant { participant_id, .. } = visitor.actor else {
            return Err(ui_error(CoreError::Forbidden));
        };
        self.core.unenrol(&visitor.actor, session, participant_id).await.map(|_| ()).map_err(ui_error)
    }

    async fn answer_page(&self, secret: &str) -> Result<AnswerPage, UiError> {
        self.core.answer_page(secret).await.map(participant::answer_page).map_err(ui_error)
    }

    async fn answer(&self, secret: &str, coming: bool, client: Option<IpAddr>) -> Result<AnswerPage, UiError> {
        let reply = if coming { Reply::Coming } else { Reply::NotComing };
        self.core.answer_from(secret, reply, client).await.map(participant::answer_page).map_err(ui_error)
    }

    async fn staff_desk(&self, visitor: &Visitor) -> Result<StaffDesk, UiError> {
        let home = self.core.staff_home(&visitor.actor).await.map_err(ui_error)?;
        Ok(staff::desk(home, &visitor.actor))
    }

    async fn programme(&self, visitor: &Visitor, query: ProgrammeQuery) -> Result<Programme, UiError> {
        staff::programme(&self.core, &visitor.actor, query).await.map_err(ui_error)
    }

    async fn staff_session(&self, visitor: &Visitor, session: SessionId) -> Result<StaffSession, UiError> {
        let read = self.core.staff_session(&visitor.actor, session).await.map_err(ui_error)?;
        let roster = roster::staff_roster(&visitor.actor, &read.roster, &read.enrollable);
        let mut page = staff::staff_session(read.overview, roster);
        page.audit_link = (visitor.actor.audit_scope())
            .map(|_| format!("{}?{}={session}", toile_shared::paths::AUDIT, AuditFilters::SESSION));
        Ok(page)
    }

    async fn session_form(&self, visitor: &Visitor, session: Option<SessionId>) -> Result<SessionFormPage, UiError> {
        session_form::page(&self.core, &visitor.actor, session).await.map_err(ui_error)
    }

    async fn submit_session_form(
        &self,
        visitor: &Visitor,
        session: Option<SessionId>,
        values: SessionFormValues,
    ) -> Result<SessionId, FormRefusal> {
        match session {
            None => session_form::propose(&self.core, &visitor.actor, &values).await,
            Some(id) => session_form::change(&self.core, &visitor.actor, id, &values).await,
        }
    }

    fn form_token(&self) -> String {
        crate::core::new_form_token()
    }

    async fn form_once(&self, visitor: &Visitor, token: &str, request: &str) -> FormOnce {
        once::form_once(&self.core, &visitor.actor, token, request).await
    }

    async fn form_answered(&self, visitor: &Visitor, token: &str, made: Option<String>) {
        once::form_answered(&self.core, &visitor.actor, token, made).await
    }

    async fn cancel_session(&self, visitor: &Visitor, session: SessionId, reason: String) -> Result<(), FormRefusal> {
        session_form::cancel(&self.core, &visitor.actor, session, reason).await
    }

    async fn duplicate_session(
        &self,
        visitor: &Visitor,
        session: SessionId,
        date: String,
    ) -> Result<SessionId, FormRefusal> {
        session_form::duplicate(&self.core, &visitor.actor, session, &date).await
    }

    async fn roster_action(
        &self,
        visitor: &Visitor,
        session: SessionId,
        action: RosterAction,
    ) -> Result<Done, FormRefusal> {
        roster::act(&self.core, &visitor.actor, session, action).await
    }

    async fn mark_attendance(
        &self,
        visitor: &Visitor,
        session: SessionId,
        participant: ParticipantId,
        attendance: Attendance,
    ) -> Result<(), FormRefusal> {
        roster::mark(&self.core, &visitor.actor, session, participant, attendance).await
    }

    async fn sign_sheet(
        &self,
        visitor: &Visitor,
        session: SessionId,
        participant: Option<ParticipantId>,
        strokes: String,
    ) -> Result<SignatureMark, FormRefusal> {
        roster::sign(&self.core, &visitor.actor, session, participant, &strokes).await
    }

    async fn audit_page(&self, visitor: &Visitor, filters: AuditFilters) -> Result<AuditPage, UiError> {
        audit::page(&self.core, &visitor.actor, filters).await.map_err(ui_error)
    }

    async fn figures_page(&self, visitor: &Visitor, filters: FiguresFilters) -> Result<FiguresPage, UiError> {
        figures::page(&self.core, &visitor.actor, filters).await.map_err(ui_error)
    }

    async fn participants(&self, visitor: &Visitor, search: String) -> Result<ParticipantsPage, UiError> {
        people::list(&self.core, &visitor.actor, search).await.map_err(ui_error)
    }

    async fn participant(&self, visitor: &Visitor, id: ParticipantId) -> Result<ParticipantPage, UiError> {
        people::record(&self.core, &visitor.actor, id).await.map_err(ui_error)
    }

    async fn registration_form(&self, visitor: &Visitor) -> Result<RegistrationForm, UiError> {
        people::registration_form(&self.core, &visitor.actor).await.map_err(ui_error)
    }

    async fn register_participant(
        &self,
        visitor: &Visitor,
        values: RegistrationValues,
        origin: &RequestOrigin,
    ) -> Result<CodeCard, FormRefusal> {
        people::register(&self.core, &self.config, &visitor.actor, values, origin).await
    }

    async fn renew_code(
        &self,
        visitor: &Visitor,
        id: ParticipantId,
        origin: &RequestOrigin,
    ) -> Result<CodeCard, FormRefusal> {
        people::renew(&self.core, &self.config, &visitor.actor, id, origin).await
    }

    async fn archive_participant(&self, visitor: &Visitor, id: ParticipantId) -> Result<(), FormRefusal> {
        people::archive(&self.core, &visitor.actor, id).await
    }

    async fn erase_participant(
        &self,
        visitor: &Visitor,
        id: ParticipantId,
        confirmed: bool,
    ) -> Result<(), FormRefusal> {
        people::erase(&self.core, &visitor.actor, id, confirmed).await
    }

    async fn walk_in(
        &self,
        visitor: &Visitor,
        session: SessionId,
        participant: ParticipantId,
    ) -> Result<(), FormRefusal> {
        roster::walk_in(&self.core, &visitor.actor, session, participant).await
    }

    async fn close_sheet(&self, visitor: &Visitor, session: SessionId) -> Result<(), FormRefusal> {
        roster::close_sheet(&self.core, &visitor.actor, session).await
    }

    async fn is_empty_install(&self) -> bool {
        self.core.is_empty_install().await.unwrap_or(false)
    }

    async fn notifications_page(&self, visitor: &Visitor) -> Result<NotificationsPage, UiError> {
        let providers = self.config.senders.providers();
        notifications::page(&self.core, &visitor.actor, providers).await.map_err(ui_error)
    }

    async fn api_tokens_page(&self, visitor: &Visitor) -> Result<ApiTokensPage, UiError> {
        api_tokens::page(&self.core, &visitor.actor).await.map_err(ui_error)
    }

    async fn api_token_action(&self, visitor: &Visitor, values: ApiTokenFormValues) -> Result<TokenDone, FormRefusal> {
        api_tokens::act(&self.core, &visitor.actor, values).await
    }

    async fn admin_page(&self, visitor: &Visitor) -> Result<AdminPage, UiError> {
        admin::page(&self.core, &visitor.actor).await.map_err(ui_error)
    }

    async fn admin_action(
        &self,
        visitor: &Visitor,
        values: AdminFormValues,
        origin: &RequestOrigin,
    ) -> Result<AdminDone, FormRefusal> {
        admin::act(&self.core, &self.config, &visitor.actor, values, origin).await
    }

    async fn invitation(&self, token: &str) -> Result<InvitedPerson, UiError> {
        let invited = self.core.invitation(token).await.map_err(ui_error)?;
        Ok(InvitedPerson { name: invited.display_name, email: invited.email })
    }

    async fn accept_invitation(&self, token: &str, password: &str, confirmation: &str) -> Result<SignedIn, UiError> {
        self.core.accept_invitation(token, password, confirmation).await.map(signed_in).map_err(ui_error)
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
