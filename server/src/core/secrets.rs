//! Random tokens and codes, and how they are stored: only a hash ever reaches the database
//! (access codes, which are short, keyed with the server's secret: see `secret_key`).

use rand::Rng;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use toile_shared::access_code;
use tokio::sync::Semaphore;

/// A 256-bit random token, hex encoded (API tokens, browser sessions).
pub fn new_token() -> String {
    let bytes: [u8; 32] = OsRng.r#gen();
    hex::encode(bytes)
}

/// Tokens carry 256 random bits, so a fast hash suffices: it makes a stolen database useless for
/// signing in without slowing every request.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The secret of an answer link: it goes in an SMS, so it is short, 16 letters and digits
/// (82 bits): still far beyond guessing, and a link stops working when its session ends.
pub const ANSWER_SECRET_CHARS: usize = 16;
const ANSWER_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

pub fn new_answer_secret() -> String {
    let mut rng = OsRng;
    (0..ANSWER_SECRET_CHARS).map(|_| ANSWER_ALPHABET[rng.gen_range(0..ANSWER_ALPHABET.len())] as char).collect()
}

pub fn new_access_code() -> String {
    let mut rng = OsRng;
    access_code::from_indices((0..access_code::LENGTH).map(|_| rng.gen_range(0..access_code::ALPHABET.len())))
}

/// Argon2 takes 19 MiB and a good part of a core per hash: at most this many run at once, so a
/// flood of sign-ins waits its turn instead of exhausting memory.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()).max(2)));

/// What passwords are checked against when the e-mail has no account (or no password yet):
/// the answer then takes as long as for a real one, and tells nothing about who has an account.
static NO_ACCOUNT: LazyLock<String> =
    LazyLock::new(|| hash_password("toile: no account has this password").expect("argon2 hashes"));

/// Whether `password` matches `stored`, in the time a real check takes even when there is
/// nothing to check against; at most `HASHING`'s permits at once, off the async workers.
pub async fn check_password(password: String, stored: Option<String>) -> bool {
    let Ok(_turn) = HASHING.acquire().await else { return false };
    let real = stored.is_some();
    let checked = tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| NO_ACCOUNT.clone());
        verify_password(&password, &stored)
    })
    .await
    .unwrap_or(false);
    real && checked
}

/// A new password's hash, with the same bound on concurrent hashing as `check_password`.
pub async fn hash_password_in_turn(password: String) -> Result<String, String> {
    let _turn = HASHING.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(|e| e.to_string())?
}

pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(stored)
        .map(|hash| argon2::Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong", &hash));
    }

    #[tokio::test]
    async fn no_account_never_signs_in_even_with_the_stand_in_password() {
        assert!(!check_password("toile: no account has this password".into(), None).await);
        let hash = hash_password("correct horse").unwrap();
        assert!(check_password("correct horse".into(), Some(hash)).await);
    }

    #[test]
    fn access_codes_are_valid_codes() {
        let code = new_access_code();
        assert_eq!(access_code::normalize(&code), Some(code));
    }
}
