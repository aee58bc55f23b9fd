//! The domain core: every use case of Toile, with its authorisation, over the store. The pages,
//! the JSON API, the feeds and the CLI are thin adapters that call these methods with the actor
//! they act for (the command line acts as `Actor::Operator`).
//!
//! | module | job |
//! |---|---|
//! | `store` | the database: typed rows, the one seat lock and loader, the only write path |
//! | `sessions` | reading, proposing, changing and cancelling sessions |
//! | `enrolment` | enrolling and unenrolling, who enrolled, attendance |
//! | `roster` | a session's people as staff see them, the waiting list by hand, the sign-in sheet |
//! | `sealing` | closing a sign-in sheet under a hash; a later correction re-opens it |
//! | `waitlist` | giving freed seats to the first person waiting who can take them |
//! | `programme` | what a participant sees of the sessions open to them |
//! | `feeds` | calendar subscriptions: who may follow what, which sessions they list |
//! | `invitations` | single-use links through which staff choose their own password |
//! | `identity` | sign-ins, API tokens, who is asking |
//! | `participants` | a structure's participants: found by name, their record, a new code, archived |
//! | `accounts` | staff accounts turned off, API tokens revoked |
//! | `directory` | structures, sites, staff and participants |
//! | `audit` | who changed what, in the same transaction as the change |
//! | `clock` | the time every rule reads |

mod accounts;
mod audit;
mod choices;
mod clock;
mod directory;
mod enrolment;
mod error;
mod feeds;
mod identity;
mod invitations;
mod participants;
mod programme;
mod roster;
mod sealing;
mod secrets;
mod sessions;
pub mod store;
pub mod views;
mod waitlist;

pub use accounts::Account;
pub use choices::SiteChoice;
pub use clock::Clock;
pub use directory::{MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PHONE_CHARS, NewParticipant, NewSite, NewUser};
pub use enrolment::EnrolResult;
pub use error::CoreError;
pub use feeds::{CreatedFeed, FeedId, FeedScope, FeedWindow, ResolvedFeed};
pub use identity::{SIGN_IN_LIFETIME_DAYS, SignIn};
pub use invitations::{INVITATION_DAYS, Invitation, Invited};
pub use participants::{PARTICIPANTS_SHOWN, ParticipantEntry, ParticipantRecord, SessionLine};
pub use programme::ParticipantSession;
pub use roster::{MAX_OVERBOOK_REASON_CHARS, Roster, RosterLine, SignInSheet, StructureCount};
pub use sealing::Seal;
pub use sessions::{
    Change, MAX_REASON_CHARS, Occurrence, ProgrammeEntry, ProgrammeFilter, ReservedFor, SeriesScope, SessionFilter,
    SessionOverview, SessionPatch, StaffHome, StaffMember,
};
pub use store::{Engine, Store, StoreError, StoreOptions};

use chrono::{DateTime, Utc};

pub type CoreResult<T> = Result<T, CoreError>;

/// Toile's domain services. Cheap to clone: it holds the pool and the clock.
#[derive(Clone, Debug)]
pub struct Core {
    store: Store,
    clock: Clock,
}

impl Core {
    pub fn new(store: Store, clock: Clock) -> Self {
        Core { store, clock }
    }

    /// Opens the database named by `url`, applies its migrations, on the system's clock.
    pub async fn open(url: &str) -> Result<Core, StoreError> {
        Core::open_with(url, StoreOptions::default()).await
    }

    /// Opens the database named by `url`, written as `options` say, and applies its migrations.
    pub async fn open_with(url: &str, options: StoreOptions) -> Result<Core, StoreError> {
        let store = Store::connect_with(url, options).await?;
        store.migrate().await?;
        Ok(Core::new(store, Clock::system()))
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
