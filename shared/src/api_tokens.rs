//! The bounds of an API token, for the core that checks them and the page that offers them.

/// The longest a token may be valid: a forgotten token must end by itself.
pub const MAX_TOKEN_DAYS: u32 = 365;
/// A token's name, as its owner wrote it.
pub const MAX_TOKEN_NAME_CHARS: usize = 80;
