//! A participant, from registration to erasure: registered by their structure's staff
//! (`register`), listed and found by name with their record (`records`), what they see of the
//! sessions (`open_sessions`), a new access code (`code`) and their card's sign-in link
//! (`sign_in_links`), archived when they leave (`archive`), a copy of their data (`copy`), erased
//! at their request or after the retention period (`erase`).

mod archive;
mod code;
mod copy;
mod erase;
mod open_sessions;
mod records;
mod register;
mod sign_in_links;

pub use copy::PersonalData;
pub(super) use erase::anonymise;
pub use open_sessions::ParticipantSession;
pub use records::{PARTICIPANTS_SHOWN, ParticipantEntry, ParticipantRecord, SessionLine};
pub use register::{MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PHONE_CHARS, NewParticipant};
pub use sign_in_links::SIGN_IN_LINK_DAYS;
