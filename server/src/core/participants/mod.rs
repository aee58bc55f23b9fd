//! A participant, from registration to erasure: registered by their structure's staff, found by
//! name, followed session by session, given a new code and its card's sign-in link.

mod open_sessions;
mod records;
mod register;
mod sign_in_links;

pub use open_sessions::ParticipantSession;
pub use records::{PARTICIPANTS_SHOWN, ParticipantEntry, ParticipantRecord, SessionLine};
pub(super) use register::hash_new_password;
pub use register::{MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PHONE_CHARS, NewParticipant, NewSite, NewUser};
pub use sign_in_links::SIGN_IN_LINK_DAYS;
