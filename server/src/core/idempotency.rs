//! Requests made once: a creating form's one-time token and the API's `Idempotency-Key`
//! (draft-ietf-httpapi-idempotency-key-header). The first request with a key takes it; the
//! same request sent again gets the first one's answer (waiting a moment while the first is
//! under way), another request with the same key is refused. A key belongs to one staff
//! account (another account's same key is another key, so no answer crosses accounts), only
//! its hash is stored, and it is kept a day, then swept.

use super::store::idempotency::{self as stored, Key};
use super::store::to_ts;
use super::{Core, CoreResult};
use sha2::{Digest, Sha256};
use std::time::Duration;
use toile_shared::authz::Actor;

/// How long a key is remembered.
pub const KEY_KEPT_HOURS: i64 = 24;
/// The longest key taken (a UUID is 36 characters).
pub const MAX_KEY_CHARS: usize = 255;
/// How often a request that waits for the first one looks again.
const LOOK_AGAIN: Duration = Duration::from_millis(100);

/// What a request with a key is to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Once {
    /// It is the first (or the asker has no account to keep keys for): do the work, then say
    /// what it answered with `Core::answered` (or `Core::refused`).
    First,
    /// The same request was done before: its answer, to give again (`None`: it showed a secret,
    /// which is not kept).
    Done { status: u16, answer: Option<String> },
    /// The key was taken by another request.
    OtherRequest,
    /// The first request with this key is still under way.
    UnderWay,
}

/// The account a key belongs to: staff only (nobody else creates anything).
fn account(actor: &Actor) -> Option<i64> {
    match actor {
        Actor::Staff { user_id, .. } => Some(*user_id),
        _ => None,
    }
}

/// Whether a key can be one: 1 to 255 visible ASCII characters.
pub fn is_valid_key(key: &str) -> bool {
    (1..=MAX_KEY_CHARS).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

/// A creating form's one-time token, drawn each time the form is shown.
pub fn new_form_token() -> String {
    super::secrets::new_token()
}

fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Core {
    /// Takes `key` for `request` (the bytes that say what is asked), or says what became of the
    /// request that took it; waits up to `patience` for one still under way.
    pub async fn once(&self, actor: &Actor, key: &str, request: &[u8], patience: Duration) -> CoreResult<Once> {
        let Some(account) = account(actor) else { return Ok(Once::First) };
        let key_hash = digest(key.as_bytes());
        let key = Key { account, key_hash: &key_hash };
        let request_hash = digest(request);
        let waited_enough = tokio::time::Instant::now() + patience;
        loop {
            let mut tx = self.store.write(self.clock.now()).await?;
            let at = to_ts(tx.at);
            if stored::take(&mut tx, &key, &request_hash, at, at - KEY_KEPT_HOURS * 3600).await? {
                tx.commit().await?;
                return Ok(Once::First);
            }
            let taken = stored::taken(&mut tx, &key).await?;
            tx.commit().await?;
            match taken {
                Some(taken) if taken.request_hash != request_hash => return Ok(Once::OtherRequest),
                Some(stored::Taken { status: Some(status), answer, .. }) => {
                    return Ok(Once::Done { status: u16::try_from(status).unwrap_or(200), answer });
                }
                Some(_) if tokio::time::Instant::now() >= waited_enough => return Ok(Once::UnderWay),
                Some(_) => tokio::time::sleep(LOOK_AGAIN).await,
                // The first was refused meanwhile: this one takes the key.
                None => {}
            }
        }
    }

    /// The work done under `key` answered `status` with `answer` (the local address of what a
    /// form made; an API answer's body, `None` when it shows a secret): kept for the same
    /// request sent again.
    pub async fn answered(&self, actor: &Actor, key: &str, status: u16, answer: Option<&str>) -> CoreResult<()> {
        let Some(account) = account(actor) else { return Ok(()) };
        let key_hash = digest(key.as_bytes());
        let mut tx = self.store.write(self.clock.now()).await?;
        stored::answer(&mut tx, &Key { account, key_hash: &key_hash }, i64::from(status), answer).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The work under `key` was refused and made nothing: the key is free for the corrected
    /// request.
    pub async fn refused(&self, actor: &Actor, key: &str) -> CoreResult<()> {
        let Some(account) = account(actor) else { return Ok(()) };
        let key_hash = digest(key.as_bytes());
        let mut tx = self.store.write(self.clock.now()).await?;
        stored::free(&mut tx, &Key { account, key_hash: &key_hash }).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the keys taken more than a day ago; answers how many.
    pub async fn sweep_idempotency_keys(&self) -> CoreResult<u64> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let before = to_ts(tx.at) - KEY_KEPT_HOURS * 3600;
        let swept = stored::sweep(&mut tx, before).await?;
        tx.commit().await?;
        Ok(swept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_one_to_255_visible_characters() {
        assert!(is_valid_key("8e03978e-40d5-43e8-bc93-6894a57f9324"));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key(&"a".repeat(256)));
        assert!(!is_valid_key("clé"));
        assert!(!is_valid_key("a\tb"));
    }
}
