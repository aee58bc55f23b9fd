//! Answer links, made in one place: a reminder or a seat offer carries the person's own link
//! (`/r/{secret}`) to answer without signing in (`answers`). Only its hash is stored: a message
//! waits in the outbox with a stand-in (`stand_in`) that the person's link replaces when the
//! message is handed to its provider (`with_own_link`), and keeps the stand-in once sent; staff
//! read a neutral mark where a link was (`without_links`).

use super::CoreResult;
use super::secrets::{ANSWER_SECRET_CHARS, hash_token, new_answer_secret};
use super::store::answers as stored;
use super::store::{Store, StoreError, WriteTx, outbox, to_ts};
use toile_shared::{ParticipantId, SessionId, paths};

/// The full address of an answer link.
pub(super) fn link(base: &str, secret: &str) -> String {
    format!("{base}{}", paths::answer(secret))
}

/// What stands for the secret in a stored message: as long as a secret, in characters an SMS
/// keeps as they are, and never a secret (which has no `_`).
pub(super) fn stand_in() -> String {
    "_".repeat(ANSWER_SECRET_CHARS)
}

/// How staff read a link's place in a message: the link itself is never stored.
const SHOWN_TO_STAFF: &str = "[lien personnel]";

/// Each answer link's secret in `text` (after `/r/`, a secret's length of lowercase letters and
/// digits, or the stand-in) replaced by what `with` gives.
fn replace_secrets(text: &str, mut with: impl FnMut(&str) -> String) -> String {
    let prefix = format!("{}/", paths::ANSWER);
    let n = ANSWER_SECRET_CHARS;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        let start = at + prefix.len();
        out.push_str(&rest[..start]);
        let candidate = rest[start..].get(..n);
        match candidate.filter(|c| c.bytes().all(|b| b == b'_' || b.is_ascii_lowercase() || b.is_ascii_digit())) {
            Some(secret) => {
                out.push_str(&with(secret));
                rest = &rest[start + n..];
            }
            None => rest = &rest[start..],
        }
    }
    out.push_str(rest);
    out
}

/// The text as staff may read it: any answer link's secret replaced by a neutral mark.
pub(super) fn without_links(text: &str) -> String {
    replace_secrets(text, |_| SHOWN_TO_STAFF.to_string())
}

/// The message's text as it goes to its provider: the stand-in replaced by a new link of the
/// person for the session, made now (in the caller's transaction). Only the link's hash is
/// stored; the text in the outbox keeps its stand-in.
pub(super) async fn with_own_link(
    tx: &mut WriteTx,
    body: &str,
    session: Option<SessionId>,
    person: Option<ParticipantId>,
) -> CoreResult<String> {
    let stand_in = stand_in();
    let (Some(session), Some(person)) = (session, person) else { return Ok(body.to_string()) };
    if !body.contains(&paths::answer(&stand_in)) {
        return Ok(body.to_string());
    }
    let secret = new_link(tx, session, person).await?;
    Ok(replace_secrets(body, |found| if found == stand_in { secret.clone() } else { found.to_string() }))
}

/// The kinds of message that carry a link (`Notice::asks_answer`).
const ASKING: [&str; 3] = ["seat_offer", "reminder", "morning_reminder"];

/// At start-up: messages an earlier release stored with the person's link in clear keep only
/// the stand-in. One still waiting gets a new link when it is sent; the old one keeps working
/// (its hash is kept) for whoever already received it.
pub(super) async fn hide_stored_links(store: &Store) -> Result<(), StoreError> {
    let stand_in = stand_in();
    let stored = {
        let mut conn = store.read().await?;
        // Those already rewritten hold the stand-in: a start reads only what is left to do.
        outbox::bodies_holding(&mut conn, &ASKING, &format!("{}/", paths::ANSWER), &paths::answer(&stand_in)).await?
    };
    let clear: Vec<(i64, String)> = stored
        .into_iter()
        .filter_map(|(id, body)| {
            let hidden = replace_secrets(&body, |_| stand_in.clone());
            (hidden != body).then_some((id, hidden))
        })
        .collect();
    if clear.is_empty() {
        return Ok(());
    }
    let mut tx = store.write(chrono::Utc::now()).await?;
    for (id, body) in &clear {
        outbox::set_body(&mut tx, *id, body).await?;
    }
    tx.commit().await?;
    tracing::info!(messages = clear.len(), "answer links stored in clear by an earlier release are now hidden");
    Ok(())
}

/// A new link for the person and the session, in the caller's transaction: its secret.
async fn new_link(tx: &mut WriteTx, session: SessionId, person: ParticipantId) -> CoreResult<String> {
    let secret = new_answer_secret();
    let at = to_ts(tx.at);
    stored::insert_link(tx, &hash_token(&secret), session, person, at).await?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_read_a_mark_where_a_link_was_and_the_rest_as_it_was() {
        let stored = format!("Rappel : Atelier. Vous venez ? https://t.fr/r/{} /r/court /r/", stand_in());
        assert_eq!(
            without_links(&stored),
            "Rappel : Atelier. Vous venez ? https://t.fr/r/[lien personnel] /r/court /r/"
        );
        let clear = "Dites-le ici : http://h/r/abcdefghjk234567\nMerci";
        assert_eq!(without_links(clear), "Dites-le ici : http://h/r/[lien personnel]\nMerci");
        assert_eq!(replace_secrets(clear, |_| stand_in()), format!("Dites-le ici : http://h/r/{}\nMerci", stand_in()));
    }
}
