//! The domain core: every use case of Toile, with its authorisation, over the database. The
//! pages, the JSON API, the feeds and the CLI are thin adapters that call these methods.

mod audit;
mod directory;
mod enrolment;
mod error;
mod feeds;
mod identity;
mod programme;
mod secrets;
mod sessions;
mod time;
pub mod views;

pub use directory::{NewParticipant, NewUser};
pub use enrolment::EnrolResult;
pub use error::CoreError;
pub use feeds::{CreatedFeed, FeedId, FeedRequest, FeedScope, FeedWindow, ResolvedFeed};
pub use identity::{SESSION_LIFETIME_DAYS, SignedInActor};
pub use programme::ParticipantSession;
pub use sessions::{SessionFilter, SessionPatch};
pub use time::{from_ts, to_ts};

use crate::db::Db;

pub type CoreResult<T> = Result<T, CoreError>;

/// Toile's domain services. Cheap to clone: it holds the pool.
#[derive(Clone, Debug)]
pub struct Core {
    pub db: Db,
}

impl Core {
    pub fn new(db: Db) -> Self {
        Core { db }
    }
}
