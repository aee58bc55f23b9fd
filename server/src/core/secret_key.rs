//! The server's secret: participants' access codes are stored keyed with it (HMAC-SHA-256), so a
//! copy of the database alone gives none of them away, and sign-in sheets are sealed with it
//! (`sealing`), so that whoever writes the database cannot seal a changed sheet again. It lives outside the database: in
//! `TOILE_SECRET_KEY`, or in a file (`TOILE_SECRET_KEY_FILE`, by default
//! `~/.config/toile/secret-key`, or beside a SQLite database when there is no home folder)
//! written at first start. Every instance serving one database
//! must have the same key; the database keeps a fingerprint of it, so a wrong key stops Toile at
//! start-up with a clear message instead of turning every code down.

use super::store::keying::{self, KEYED_PREFIX};
use super::store::{Store, StoreError};
use chrono::Utc;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const SECRET_KEY_ENV: &str = "TOILE_SECRET_KEY";
pub const SECRET_KEY_FILE_ENV: &str = "TOILE_SECRET_KEY_FILE";
/// A key given in the environment is at least this long (it is hashed into the real key).
const MIN_KEY_CHARS: usize = 32;

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

    /// The key named by the environment, or the one in the key file, made at first start.
    pub fn load(database_url: &str) -> Result<SecretKey, String> {
        if let Ok(value) = std::env::var(SECRET_KEY_ENV)
            && !value.trim().is_empty()
        {
            let value = value.trim();
            if value.chars().count() < MIN_KEY_CHARS {
                return Err(format!("{SECRET_KEY_ENV} est trop court : au moins {MIN_KEY_CHARS} caractères."));
            }
            return Ok(SecretKey(Sha256::digest(value.as_bytes()).into()));
        }
        let path = match std::env::var_os(SECRET_KEY_FILE_ENV).filter(|p| !p.is_empty()) {
            Some(path) => PathBuf::from(path),
            None => default_file(database_url).ok_or_else(|| {
                format!("Aucun emplacement pour la clé secrète : indiquez {SECRET_KEY_ENV} ou {SECRET_KEY_FILE_ENV}.")
            })?,
        };
        read_or_create(&path)
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
            return Err(StoreError::SecretKey(format!(
                "Cette base a été préparée avec une autre clé secrète : donnez à Toile la clé d'origine \
                 ({SECRET_KEY_ENV} ou le fichier de {SECRET_KEY_FILE_ENV}). Sans elle, aucun code d'accès ne fonctionnerait."
            )));
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

/// The user's configuration folder; without one (a service with no home), beside the SQLite
/// database. PostgreSQL installations without a home folder must say where the key is.
fn default_file(database_url: &str) -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|p| !p.is_empty()).map(|home| Path::new(&home).join(".config")));
    match config {
        Some(config) => Some(config.join("toile").join("secret-key")),
        None => super::store::sqlite_file(database_url).map(|db| db.with_file_name("secret-key")),
    }
}

/// Reads the key file, or writes a new random key there. Written whole under another name and
/// linked into place, so that two processes starting together agree on one key.
fn read_or_create(path: &Path) -> Result<SecretKey, String> {
    let unreadable = |e: std::io::Error| format!("Clé secrète illisible ({}) : {e}", path.display());
    match std::fs::read_to_string(path) {
        Ok(text) => return parse(&text).ok_or_else(|| format!("Clé secrète invalide dans {}.", path.display())),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(unreadable(e)),
        Err(_) => {}
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(unreadable)?;
    }
    let bytes: [u8; 32] = rand::random();
    let draft = path.with_extension(format!("{}-{}.tmp", std::process::id(), hex::encode(rand::random::<[u8; 8]>())));
    write_private(&draft, &hex::encode(bytes)).map_err(unreadable)?;
    let linked = std::fs::hard_link(&draft, path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "new secret key written: keep it with the backups, apart from the database");
            Ok(SecretKey(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_or_create(path),
        Err(e) => Err(unreadable(e)),
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn parse(text: &str) -> Option<SecretKey> {
    let bytes = hex::decode(text.trim()).ok()?;
    Some(SecretKey(bytes.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_made_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("toile-key-{}", std::process::id()));
        let path = dir.join("secret-key");
        let made = read_or_create(&path).unwrap();
        let read = read_or_create(&path).unwrap();
        assert_eq!(made.fingerprint(), read.fingerprint());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

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
