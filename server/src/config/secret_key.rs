//! Where the server's secret key comes from (the key itself and what it derives are
//! `core::SecretKey`): `TOILE_SECRET_KEY`, or a file (`TOILE_SECRET_KEY_FILE`, by default
//! `~/.config/toile/secret-key`, or beside a SQLite database when there is no home folder)
//! written at first start.

use crate::core::SecretKey;
use crate::core::store::sqlite_file;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const SECRET_KEY_ENV: &str = "TOILE_SECRET_KEY";
pub const SECRET_KEY_FILE_ENV: &str = "TOILE_SECRET_KEY_FILE";
/// A key given in the environment is at least this long (it is hashed into the real key).
const MIN_KEY_CHARS: usize = 32;

/// The key named by the environment, or the one in the key file, made at first start.
pub fn load_secret_key(database_url: &str) -> Result<SecretKey, String> {
    if let Ok(value) = std::env::var(SECRET_KEY_ENV)
        && !value.trim().is_empty()
    {
        let value = value.trim();
        if value.chars().count() < MIN_KEY_CHARS {
            return Err(format!("{SECRET_KEY_ENV} est trop court : au moins {MIN_KEY_CHARS} caractères."));
        }
        return Ok(SecretKey::from_text(value));
    }
    let path = match std::env::var_os(SECRET_KEY_FILE_ENV).filter(|p| !p.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => default_file(database_url).ok_or_else(|| {
            format!("Aucun emplacement pour la clé secrète : indiquez {SECRET_KEY_ENV} ou {SECRET_KEY_FILE_ENV}.")
        })?,
    };
    read_or_create(&path)
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
        None => sqlite_file(database_url).map(|db| db.with_file_name("secret-key")),
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
            Ok(SecretKey::from_bytes(bytes))
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
    Some(SecretKey::from_bytes(bytes.try_into().ok()?))
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
}
