//! The port through which pages reach Toile's domain core. The server implements it over the
//! core; the pages only ever call it from the server side (server functions and rendering), so
//! no rule lives in the UI, and page tests run against a fake.

use crate::models::*;
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use std::net::IpAddr;
use std::sync::Arc;
use toile_shared::done::Done;
use toile_shared::{Attendance, ParticipantId, SessionId, SessionKind};

pub type SharedPort = Arc<dyn PagesPort>;

/// The cookie that carries a browser sign-in's secret token. Its name predates the word
/// "sign-in": it stays, so that people signed in before an upgrade stay signed in.
pub const SIGN_IN_COOKIE: &str = "toile_session";
/// The same over HTTPS: a `__Host-` cookie is only accepted by browsers when `Secure`, for the
/// whole site and from this host alone, so no sibling subdomain can plant or shadow it.
pub const SECURE_SIGN_IN_COOKIE: &str = "__Host-toile_session";

/// Marks a request that reached Toile over HTTPS (the configured address is https, or the proxy
/// in front says so): cookies are then `Secure` and `__Host-`.
#[derive(Clone, Copy, Debug)]
pub struct ServedOverHttps;

/// The address a request came from (behind a trusted proxy, the one the proxy saw), put in the
/// request's extensions by the server: sign-in failures are counted per address.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub std::net::IpAddr);

/// The signed-in person behind a request, resolved once per request from the sign-in cookie
/// (`web::resolve_visitor`) and read by every page and server function of that request.
pub use toile_shared::visitor::Visitor;

#[async_trait::async_trait]
pub trait PagesPort: Send + Sync + 'static {
    /// Who holds this sign-in token, if it is valid and not expired (`None`); an error when
    /// that cannot be told.
    async fn visitor(&self, sign_in_token: &str) -> Result<Option<Visitor>, UiError>;
    /// Staff sign-in with e-mail and password.
    async fn sign_in_staff(&self, email: &str, password: &str, client: Option<IpAddr>) -> Result<SignedIn, UiError>;
    /// Participant sign-in with the personal access code their CIP gave them, on their own
    /// phone or on a borrowed or shared one (`shared_phone`: the sign-in ends sooner).
    async fn sign_in_participant(
        &self,
        access_code: &str,
        client: Option<IpAddr>,
        shared_phone: bool,
    ) -> Result<SignedIn, UiError>;
    /// Participant sign-in with the single-use link of their code card's QR code, on their own
    /// phone; the link is used up.
    async fn sign_in_with_card_link(&self, secret: &str) -> Result<SignedIn, UiError>;
    async fn sign_out(&self, visitor: &Visitor);

    /// The participant's own sessions, then those open to them by week (of one kind if asked).
    async fn participant_home(&self, visitor: &Visitor, kind: Option<SessionKind>) -> Result<ParticipantHome, UiError>;
    async fn session_detail(&self, visitor: &Visitor, session: SessionId) -> Result<SessionDetail, UiError>;
    /// The participant enrols themselves (recorded as enrolled by the participant); answers
    /// their place (a seat, or on the waiting list).
    async fn enrol_self(&self, visitor: &Visitor, session: SessionId) -> Result<MyEnrolment, UiError>;
    /// The participant cancels their own enrolment (before the cancellation deadline).
    async fn cancel_self(&self, visitor: &Visitor, session: SessionId) -> Result<(), UiError>;
    /// Stops SMS to the signed-in participant (`stop`), or starts them again.
    async fn set_sms(&self, visitor: &Visitor, stop: bool) -> Result<(), UiError>;
    /// The page of an answer link (from a reminder or a seat offer), without signing in.
    async fn answer_page(&self, secret: &str) -> Result<AnswerPage, UiError>;
    /// "Je viens" (`coming`) or "Je ne peux pas venir", through an answer link.
    async fn answer(&self, secret: &str, coming: bool, client: Option<IpAddr>) -> Result<AnswerPage, UiError>;

    /// Staff: their desk (their next sessions, what needs them).
    async fn staff_desk(&self, visitor: &Visitor) -> Result<StaffDesk, UiError>;
    /// Staff: the group's programme, filtered.
    async fn programme(&self, visitor: &Visitor, query: ProgrammeQuery) -> Result<Programme, UiError>;
    /// Staff: one session's page.
    async fn staff_session(&self, visitor: &Visitor, session: SessionId) -> Result<StaffSession, UiError>;
    /// Staff: the session form, empty with sensible defaults (`None`) or filled with a session.
    async fn session_form(&self, visitor: &Visitor, session: Option<SessionId>) -> Result<SessionFormPage, UiError>;
    /// Staff: proposes a session (`None`) or changes one; answers the session's id.
    async fn submit_session_form(
        &self,
        visitor: &Visitor,
        session: Option<SessionId>,
        values: SessionFormValues,
    ) -> Result<SessionId, FormRefusal>;
    /// A fresh one-time token for a creating form (`forms::FormToken`); none from a port that
    /// keeps no tokens.
    fn form_token(&self) -> String {
        String::new()
    }
    /// Staff: takes a creating form's one-time `token` for `request` (its address and fields),
    /// or says what became of the post that took it.
    async fn form_once(&self, _visitor: &Visitor, _token: &str, _request: &str) -> FormOnce {
        FormOnce::First
    }
    /// Staff: the post that took `token` made what lives at `made` (a local address), or was
    /// refused (`None`: the token is free again).
    async fn form_answered(&self, _visitor: &Visitor, _token: &str, _made: Option<String>) {}
    /// Staff: cancels a session, with the reason shown to the people who were in it.
    async fn cancel_session(&self, visitor: &Visitor, session: SessionId, reason: String) -> Result<(), FormRefusal>;
    /// Staff: copies a session to another day (`2026-12-03`); answers the copy's id.
    async fn duplicate_session(
        &self,
        visitor: &Visitor,
        session: SessionId,
        date: String,
    ) -> Result<SessionId, FormRefusal>;

    /// Staff: enrols, overbooks, cancels or seats someone on a session's roster; answers what
    /// was done, to say on the session's page.
    async fn roster_action(
        &self,
        visitor: &Visitor,
        session: SessionId,
        action: RosterAction,
    ) -> Result<Done, FormRefusal>;
    /// Staff: marks a confirmed person present, absent or excused.
    async fn mark_attendance(
        &self,
        visitor: &Visitor,
        session: SessionId,
        participant: ParticipantId,
        attendance: Attendance,
    ) -> Result<(), FormRefusal>;
    /// Staff: a signature drawn on the session's sheet, by a present participant (`Some`) or by
    /// the staff member themselves (`None`); answers the signature as the page shows it.
    async fn sign_sheet(
        &self,
        visitor: &Visitor,
        session: SessionId,
        participant: Option<ParticipantId>,
        strokes: String,
    ) -> Result<SignatureMark, FormRefusal>;

    /// Staff: what was sent to participants (their structure's, or everyone's group-wide).
    async fn notifications_page(&self, visitor: &Visitor) -> Result<NotificationsPage, UiError>;

    /// Coordinators and admins: the audit trail as `filters` ask.
    async fn audit_page(&self, visitor: &Visitor, filters: AuditFilters) -> Result<AuditPage, UiError>;

    /// Staff: the figures of a period, their structure's or (group-wide) the group's.
    async fn figures_page(&self, visitor: &Visitor, filters: FiguresFilters) -> Result<FiguresPage, UiError>;

    /// Staff: their participants whose name contains `search`.
    async fn participants(&self, visitor: &Visitor, search: String) -> Result<ParticipantsPage, UiError>;
    /// Staff: one participant's record.
    async fn participant(&self, visitor: &Visitor, id: ParticipantId) -> Result<ParticipantPage, UiError>;
    /// Staff: the choices of the registration form.
    async fn registration_form(&self, visitor: &Visitor) -> Result<RegistrationForm, UiError>;
    /// Staff: registers a participant from the form's fields; answers their code card.
    async fn register_participant(
        &self,
        visitor: &Visitor,
        values: RegistrationValues,
        origin: &RequestOrigin,
    ) -> Result<CodeCard, FormRefusal>;
    /// Staff: draws a new code for the person (the old one and their sign-ins end).
    async fn renew_code(
        &self,
        visitor: &Visitor,
        id: ParticipantId,
        origin: &RequestOrigin,
    ) -> Result<CodeCard, FormRefusal>;
    /// Staff: archives a participant who has left.
    async fn archive_participant(&self, visitor: &Visitor, id: ParticipantId) -> Result<(), FormRefusal>;
    /// Their structure's coordinator: erases the person's data at their request (`confirmed`:
    /// the box saying they asked was ticked).
    async fn erase_participant(&self, visitor: &Visitor, id: ParticipantId, confirmed: bool)
    -> Result<(), FormRefusal>;

    /// Staff: their own API tokens.
    async fn api_tokens_page(&self, visitor: &Visitor) -> Result<ApiTokensPage, UiError>;
    /// Staff: makes (`action` = `creer`, with a name and days) or revokes (`revoquer`, a token's
    /// id) one of their API tokens.
    async fn api_token_action(&self, visitor: &Visitor, values: ApiTokenFormValues) -> Result<TokenDone, FormRefusal>;

    /// Whether nobody can sign in yet (a fresh install): the sign-in page explains the first step.
    async fn is_empty_install(&self) -> bool;
    /// Admins: structures, sites and staff accounts.
    async fn admin_page(&self, visitor: &Visitor) -> Result<AdminPage, UiError>;
    /// Admins: adds a structure, a site or a staff member, turns an account off or resets its
    /// password, from the admin page's forms (field `action`).
    async fn admin_action(
        &self,
        visitor: &Visitor,
        values: AdminFormValues,
        origin: &RequestOrigin,
    ) -> Result<AdminDone, FormRefusal>;
    /// Who an invitation link is for, if it still works.
    async fn invitation(&self, token: &str) -> Result<InvitedPerson, UiError>;
    /// Sets the password chosen through an invitation and signs the person in.
    async fn accept_invitation(&self, token: &str, password: &str, confirmation: &str) -> Result<SignedIn, UiError>;

    /// Staff: closes the session's sign-in sheet, sealing what it says.
    async fn close_sheet(&self, visitor: &Visitor, session: SessionId) -> Result<(), FormRefusal>;
    /// Staff: someone came without being enrolled: seated and marked present.
    async fn walk_in(
        &self,
        visitor: &Visitor,
        session: SessionId,
        participant: ParticipantId,
    ) -> Result<(), FormRefusal>;

    /// What the visitor may follow in their calendar app.
    async fn calendar_options(&self, visitor: &Visitor) -> Result<CalendarOptions, UiError>;
    /// The calendar links the visitor created, oldest first, without their secret addresses.
    async fn my_feeds(&self, visitor: &Visitor) -> Result<Vec<FeedRow>, UiError>;
    /// Creates a calendar link owned by the visitor. Its secret address, built on the configured
    /// public address or else on `origin`, is in the answer and never given again.
    async fn create_feed(
        &self,
        visitor: &Visitor,
        feed: NewFeed,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError>;
    /// Gives the visitor's link a new secret address; the old one stops working at once.
    async fn regenerate_feed(
        &self,
        visitor: &Visitor,
        feed_id: i64,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError>;
    /// Deletes the visitor's link: its address stops working.
    async fn delete_feed(&self, visitor: &Visitor, feed_id: i64) -> Result<(), UiError>;
}

/// A cookie's value from the request's `Cookie` headers, if any and not empty.
pub fn cookie<'a>(headers: &'a HeaderMap, wanted: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| name.trim() == wanted)
        .map(|(_, value)| value.trim().trim_matches('"'))
        .filter(|value| !value.is_empty())
}

/// The sign-in token the browser sent, if any (under either name: sign-ins made before the
/// `__Host-` name keep working).
pub fn sign_in_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SECURE_SIGN_IN_COOKIE).or_else(|| cookie(headers, SIGN_IN_COOKIE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_sign_in_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("theme=dark; toile_session=abc123 ; x=y"));
        assert_eq!(sign_in_token(&headers), Some("abc123"));
        headers.insert(COOKIE, HeaderValue::from_static("toile_session=old; __Host-toile_session=new"));
        assert_eq!(sign_in_token(&headers), Some("new"), "the secure name first");
        headers.insert(COOKIE, HeaderValue::from_static("toile_session_old=zz"));
        assert_eq!(sign_in_token(&headers), None);
    }
}
