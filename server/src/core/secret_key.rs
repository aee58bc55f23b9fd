//! The server's secret: participants' access codes are stored keyed with it (HMAC-SHA-256), so a
//! copy of the database alone gives none of them away, and sign-in sheets are sealed with it
//! (`sealing`), so that whoever writes the database cannot seal a changed sheet again. It lives
//! outside the database (`config` loads it from the environment or its file). Every instance
//! serving one database must have the same key; the database keeps a fingerprint of it, so a
//! wrong key stops Toile at start-up with a clear message instead of turning every code down.

use super::store::keying::{self, KEYED_PREFIX};
use super::store::{Store, StoreError};
use chrono::Utc;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> SecretKey {
        SecretKey(bytes)
    }

    /// The key given as text (`TOILE_SECRET_KEY`): its SHA-256.
    pub fn from_text(text: &str) -> SecretKey {
        SecretKey(Sha256::digest(text.as_bytes()).into())
    }

    /// What a code is stored as: `k1:` and the HMAC of the code's SHA-256. Keying the SHA-256
    /// (rather than the code) lets codes stored before keys existed be keyed in place.
    pub fn stored_code(&self, code: &str) -> String {
        self.keyed_plain_hash(&hex::encode(Sha256::digest(code.as_bytes())))
    }

    /// The keyed form of a code stored as a plain SHA-256 by an earlier release.
    pub fn keyed_plain_hash(&self, plain_hash: &str) -> String {
        format!("{KEYED_PREFIX}{}", self.mac(plain_hash.as_bytes()))
    }

    /// The HMAC-SHA-256 of `message`, in hex: what seals a sign-in sheet (`sealing`).
    pub(super) fn seal(&self, message: &[u8]) -> String {
        self.mac(message)
    }

    /// Stored in the database to recognise the key; says nothing about it.
    pub fn fingerprint(&self) -> String {
        self.mac(b"toile: which key is this")
    }

    /// A key of its own for one use (`purpose`), so that what is signed for one use is never
    /// taken for another, and the secret key itself never leaves this file.
    pub fn for_purpose(&self, purpose: &str) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"toile purpose: ");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    fn mac(&self, message: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(message);
        hex::encode(mac.finalize().into_bytes())
    }
}

/// At start-up: records the key's fingerprint in a new database, or refuses a key that is not the
/// one the database was keyed with; then keys in place the codes an earlier release stored
/// plain, in one transaction (a second start finds none left).
pub(super) async fn adopt(store: &Store, key: &SecretKey) -> Result<(), StoreError> {
    let mut tx = store.write(Utc::now()).await?;
    match keying::fingerprint(&mut tx).await? {
        None => keying::insert_fingerprint(&mut tx, &key.fingerprint()).await?,
        Some(known) if known == key.fingerprint() => {}
        Some(_) => {
            // The variables `config` loads the key from.
            return Err(StoreError::SecretKey(
                "Cette base a été préparée avec une autre clé secrète : donnez à Toile la clé d'origine \
                 (TOILE_SECRET_KEY ou le fichier de TOILE_SECRET_KEY_FILE). Sans elle, aucun code d'accès ne fonctionnerait."
                    .into(),
            ));
        }
    }
    let plain = keying::plain_code_hashes(&mut tx).await?;
    for (id, hash) in &plain {
        keying::key_code_hash(&mut tx, *id, &key.keyed_plain_hash(hash)).await?;
    }
    tx.commit().await?;
    if !plain.is_empty() {
        tracing::info!(codes = plain.len(), "access codes stored by an earlier release are now keyed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_code_depends_on_the_key_and_an_old_hash_keys_to_the_same() {
        let one = SecretKey::from_bytes([1; 32]);
        let two = SecretKey::from_bytes([2; 32]);
        assert_ne!(one.stored_code("KP4T9WXA"), two.stored_code("KP4T9WXA"));
        let plain = hex::encode(Sha256::digest(b"KP4T9WXA"));
        assert_eq!(one.keyed_plain_hash(&plain), one.stored_code("KP4T9WXA"));
        assert!(one.stored_code("KP4T9WXA").starts_with(KEYED_PREFIX));
    }
}
