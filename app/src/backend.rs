//! The port through which pages reach Toile's domain core. The server implements it over the
//! database; the pages only ever call it from server functions, so no rule lives in the UI.

use crate::models::*;
use std::sync::Arc;
use toile_shared::SessionId;

pub type SharedBackend = Arc<dyn Backend>;

/// Name of the cookie that carries the browser session token.
pub const SESSION_COOKIE: &str = "toile_session";

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    /// Who holds this session token, if it is valid and not expired.
    async fn viewer(&self, session_token: &str) -> Option<Viewer>;
    /// Staff sign-in with e-mail and password.
    async fn sign_in_staff(&self, email: &str, password: &str) -> Result<SignedIn, UiError>;
    /// Participant sign-in with the personal access code their CIP gave them.
    async fn sign_in_participant(&self, access_code: &str) -> Result<SignedIn, UiError>;
    async fn sign_out(&self, session_token: &str);

    /// Sessions open to the signed-in participant, and those they are enrolled in, soonest first.
    async fn participant_sessions(&self, session_token: &str) -> Result<Vec<SessionCard>, UiError>;
    async fn session_detail(&self, session_token: &str, session: SessionId) -> Result<SessionDetail, UiError>;
    /// The participant enrols themselves (recorded as enrolled by the participant).
    async fn enrol_self(&self, session_token: &str, session: SessionId) -> Result<EnrolOutcome, UiError>;
    /// The participant cancels their own enrolment (before the cancellation deadline).
    async fn cancel_self(&self, session_token: &str, session: SessionId) -> Result<(), UiError>;

    /// Staff: upcoming sessions of the group with their fill.
    async fn staff_sessions(&self, session_token: &str) -> Result<Vec<StaffSessionRow>, UiError>;

    /// What the viewer may follow in their calendar app.
    async fn calendar_options(&self, session_token: &str) -> Result<CalendarOptions, UiError>;
    /// The calendar links the viewer created, oldest first, without their secret addresses.
    async fn my_feeds(&self, session_token: &str) -> Result<Vec<FeedRow>, UiError>;
    /// Creates a calendar link owned by the viewer. Its secret address, built on the configured
    /// public address or else on `origin`, is in the answer and never given again.
    async fn create_feed(
        &self,
        session_token: &str,
        feed: NewFeed,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError>;
    /// Gives the viewer's link a new secret address; the old one stops working at once.
    async fn regenerate_feed(
        &self,
        session_token: &str,
        feed_id: i64,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError>;
    /// Deletes the viewer's link: its address stops working.
    async fn delete_feed(&self, session_token: &str, feed_id: i64) -> Result<(), UiError>;
}
