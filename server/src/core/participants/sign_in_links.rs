//! The code card's sign-in link: what its QR code carries instead of the code, so that the code
//! never sits in a phone's history or a proxy's log. A link has its own secret (only its hash is
//! stored), signs the person in once, within 30 days, and dies when a new code is drawn or the
//! person is archived or erased (`store::participants::sign_out_everywhere`). Once used or
//! expired, the person types the code printed on the card.

use crate::core::identity::Device;
use crate::core::secrets::{hash_token, new_token};
use crate::core::store::participants as stored;
use crate::core::store::sign_in_links as links;
use crate::core::store::to_ts;
use crate::core::{Core, CoreError, CoreResult, SignIn};
use chrono::Duration;
use toile_shared::ErrorCode;
use toile_shared::ParticipantId;
use toile_shared::authz::Actor;

/// How long a card's link works, unused.
pub const SIGN_IN_LINK_DAYS: i64 = 30;

fn gone() -> CoreError {
    CoreError::conflict(ErrorCode::SignInLinkGone, "Ce lien a déjà servi : tapez le code écrit sur votre carte.")
}

impl Core {
    /// A new sign-in link for the card of a person just given a code (its secret, shown this
    /// once, in the QR code). It replaces the person's unused one: one card, one link. For staff
    /// who may manage the person, while they are active.
    pub async fn new_sign_in_link(&self, actor: &Actor, person: ParticipantId) -> CoreResult<String> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let row = stored::one(&mut tx, person).await?.ok_or(CoreError::NotFound("Participant"))?;
        if !actor.is_staff() || !actor.may_manage_participants_of(row.structure_id) {
            return Err(CoreError::NotFound("Participant"));
        }
        if row.active == 0 {
            return Err(CoreError::conflict(
                ErrorCode::Archived,
                "Cette personne est archivée : elle n'a plus de code.",
            ));
        }
        let secret = new_token();
        links::delete_for(&mut tx, person).await?;
        let link = links::NewSignInLink {
            token_hash: &hash_token(&secret),
            participant_id: person,
            at: to_ts(tx.at),
            expires_at: to_ts(tx.at + Duration::days(SIGN_IN_LINK_DAYS)),
        };
        links::insert(&mut tx, link).await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Signs in with a card's link, on the person's own phone, as the typed code does (same
    /// sign-in, same audit entry), and uses the link up. The link is looked up by a read first:
    /// a wrong, used or expired one never waits for the writer.
    pub async fn sign_in_with_link(&self, secret: &str) -> CoreResult<SignIn> {
        let well_formed =
            secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !well_formed {
            return Err(gone());
        }
        let token_hash = hash_token(secret);
        let now = to_ts(self.clock.now());
        let found = {
            let mut conn = self.store.read().await?;
            links::holder(&mut conn, &token_hash, now).await?
        };
        if found.is_none() {
            return Err(gone());
        }
        let mut tx = self.store.write(self.clock.now()).await?;
        // Used once: of two simultaneous uses, only one deletes it.
        let at = to_ts(tx.at);
        let person = links::use_up(&mut tx, &token_hash, at).await?.ok_or_else(gone)?;
        let row = stored::one(&mut tx, person).await?.filter(|row| row.active != 0).ok_or_else(gone)?;
        tx.commit().await?;
        self.open_sign_in(row.actor(), row.first_name, Device::Own).await
    }
}
