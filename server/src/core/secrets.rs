//! Random tokens and codes, and how they are stored: only a hash ever reaches the database.

use rand::Rng;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use toile_shared::access_code;

/// A 256-bit random token, hex encoded (API tokens, browser sessions).
pub fn new_token() -> String {
    let bytes: [u8; 32] = OsRng.r#gen();
    hex::encode(bytes)
}

/// Tokens and access codes are high-entropy or rate-bound, so a fast hash suffices: it makes
/// a stolen database useless for signing in without slowing every request.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn new_access_code() -> String {
    let mut rng = OsRng;
    access_code::from_indices((0..access_code::LENGTH).map(|_| rng.gen_range(0..access_code::ALPHABET.len())))
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

    #[test]
    fn access_codes_are_valid_codes() {
        let code = new_access_code();
        assert_eq!(access_code::normalize(&code), Some(code));
    }
}
