//! Answers posted through a link's page (`/fn/answer`) need no sign-in: the link's secret is the
//! key. Wrong secrets are counted as wrong access codes are, per client address and in all, and
//! refused beyond the same limits, so a flood of guesses is turned away before it reaches the
//! database's writer.

use super::answers::{AnswerView, Reply};
use super::throttle::Counted;
use super::{Core, CoreError, CoreResult};
use std::net::IpAddr;
use toile_shared::ErrorCode;

impl Core {
    /// `answer`, for a request from `client`: refused (429) after too many wrong secrets.
    pub async fn answer_from(&self, secret: &str, reply: Reply, client: Option<IpAddr>) -> CoreResult<AnswerView> {
        let counted = client.map(Counted::AnswerFrom).into_iter().chain([Counted::EveryAnswer]).collect();
        let attempt = self.start_attempt(client, counted)?;
        let answered = self.answer(secret, reply).await;
        let wrong_secret = matches!(
            &answered,
            Err(CoreError::Conflict { code: ErrorCode::AnswerLinkUnknown | ErrorCode::AnswerLinkExpired, .. })
        );
        if !wrong_secret {
            self.throttle.succeeded(attempt);
        }
        answered
    }
}
