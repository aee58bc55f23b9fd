//! The domain core: every use case of Toile, with its authorisation, over the store. The pages,
//! the JSON API, the feeds and the CLI are thin adapters that call these methods with the actor
//! they act for (the command line acts as `Actor::Operator`).
//!
//! | module | job |
//! |---|---|
//! | `store` | the database, the only place queries are written: typed rows, one file per subject, the one seat lock and loader, the only write path |
//! | `sessions` | reading, proposing, changing and cancelling sessions |
//! | `enrolment` | enrolling (overbooking by one too) and unenrolling, who enrolled, attendance |
//! | `roster` | a session's people as staff see them, the waiting list by hand, walk-ins |
//! | `staff_session` | a session's staff page and its sign-in sheet, the session read once |
//! | `sealing` | closing a sign-in sheet under a hash; a later correction re-opens it |
//! | `signatures` | signatures drawn with a finger on the sign-in sheet |
//! | `waitlist` | giving freed seats to the first person waiting who can take them |
//! | `answers` | the day-before answer through a person's link: coming, or the seat freed at once |
//! | `answer_links` | a person's answer link: made when its message leaves, hidden from staff |
//! | `feeds` | calendar subscriptions: who may follow what, which sessions they list |
//! | `figures` | fill, attendance and pooling across structures, counted for a period |
//! | `notifications` | messages to participants queued with their cause, claimed and recorded by the delivery worker |
//! | `identity` | sign-ins, who is asking |
//! | `idempotency` | requests made once: a creating form's one-time token, the API's `Idempotency-Key` |
//! | `throttle` | failed sign-ins counted per address, account and in all; guessing refused or slowed |
//! | `secret_key` | the server's secret, kept outside the database, that access codes are keyed with |
//! | `participants` | a participant from registration to erasure: registered, listed, found by name, their record, what they see of the sessions (`open_sessions`), a new code and the card's sign-in link, archived, a copy of their data, erased |
//! | `staff` | staff accounts made and turned off, invitations to choose a password, what it must be, API tokens |
//! | `structures` | the group's structures and their sites |
//! | `retention` | the daily job: archived people anonymised in time, the trail and old messages trimmed |
//! | `text_fields` | what a typed text may be: required or not, bounded, no control character |
//! | `audit` | who changed what, in the same transaction as the change |
//! | `audit_trail` | the trail read back by coordinators and admins, filtered, exported |
//! | `clock` | the time every rule reads |

mod answer_guard;
mod answer_links;
mod answers;
mod audit;
mod audit_trail;
mod choices;
mod clock;
mod enrolment;
mod error;
mod feeds;
mod figures;
mod idempotency;
mod identity;
mod notifications;
pub mod paris;
mod participants;
mod retention;
mod roster;
mod sealing;
mod secret_key;
mod secrets;
mod sessions;
mod signatures;
mod staff;
mod staff_session;
pub mod store;
mod structures;
mod text_fields;
mod throttle;
pub mod views;
mod waitlist;

pub use answers::{AnswerView, Reply};
pub use audit_trail::{AUDIT_LINES_SHOWN, AUDIT_PAGE_LINES, AuditCursor, AuditLine, AuditQuery, Download};
pub use choices::SiteChoice;
pub use clock::Clock;
pub use enrolment::{EnrolResult, MAX_OVERBOOK_REASON_CHARS};
pub use error::CoreError;
pub use feeds::{CreatedFeed, FeedId, FeedScope, FeedWindow, ResolvedFeed};
pub use figures::{Figures, FiguresQuery, PoolingCell, Tally};
pub use idempotency::{KEY_KEPT_HOURS, MAX_KEY_CHARS, Once, is_valid_key, new_form_token};
pub use identity::{Device, SIGN_IN_LIFETIME_DAYS, SignIn};
pub use notifications::{
    CLAIM_LEASE, Channel, DIGEST_HOUR, Delivery, GIVE_UP_AFTER, MORNING_HOUR, Messaging, NOTIFICATIONS_SHOWN, Notice,
    NotificationLine, Outgoing, QuietHours, REMINDER_HOUR, SMS_CHARS, SMS_WEBHOOK_SECRET_MIN_CHARS, SmsConsent,
    StaffNotice, digest_time, morning_reminder_time, reminder_time, retry_wait,
};
pub use participants::{
    MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PHONE_CHARS, NewParticipant, PARTICIPANTS_SHOWN, ParticipantEntry,
    ParticipantRecord, ParticipantSession, PersonalData, SIGN_IN_LINK_DAYS, SessionLine,
};
pub use retention::{Retention, RetentionPass};
pub use roster::{Roster, RosterLine, Signed, StaffSigned, StructureCount};
pub use sealing::{Seal, SealRule};
pub use secret_key::SecretKey;
/// A password's stored form, as every release stored it (tests of passwords chosen before).
pub use secrets::hash_password;
pub use sessions::{
    Change, Edit, EditedMeanwhile, MAX_REASON_CHARS, Occurrence, ProgrammeEntry, ProgrammeFilter, ReservedFor,
    SeriesScope, SessionCursor, SessionField, SessionFilter, SessionOverview, SessionPatch, StaffHome, StaffMember,
    changed_fields,
};
pub use signatures::SheetSigner;
pub use staff::{
    Account, ApiTokenLine, CreatedToken, INVITATION_DAYS, Invitation, Invited, MIN_PASSWORD_CHARS, NewUser,
    PasswordRefusal, check_new_password,
};
pub use staff_session::{SignInSheet, StaffSessionView};
pub use store::enrolments::EnrolmentCursor;
pub use store::{Engine, Store, StoreError, StoreOptions};
pub use structures::NewSite;
pub use throttle::{Effect, Limit, Limits, MAX_DELAY};

use chrono::{DateTime, Utc};
use std::sync::Arc;
use throttle::SignInThrottle;

pub type CoreResult<T> = Result<T, CoreError>;

/// The most items one page of a list holds (the API's lists come a page at a time).
pub const MAX_PAGE_SIZE: u32 = 500;

/// How long an access code left unused keeps working, unless the installation says.
pub const CODE_VALID_MONTHS: u32 = 12;

/// What an installation decides about its rules, read at start-up (`config::core_settings`).
#[derive(Clone, Debug)]
pub struct Settings {
    /// The secret access codes are keyed with.
    pub secret_key: SecretKey,
    /// Months after which an access code nobody used stops working.
    pub code_valid_months: u32,
    /// How many failed sign-ins are let through before guessing is refused.
    pub sign_in_limits: Limits,
    /// How long archived people and the audit trail are kept.
    pub retention: Retention,
    /// When no SMS goes out (Paris time), and where the links in messages point.
    pub messaging: Messaging,
}

/// Toile's domain services. Cheap to clone: it holds the pool, the clock, the settings and the
/// count of failed sign-ins (shared by the clones).
#[derive(Clone, Debug)]
pub struct Core {
    store: Store,
    clock: Clock,
    settings: Arc<Settings>,
    throttle: Arc<SignInThrottle>,
}

impl Core {
    /// A core over a store already migrated and keyed (see `open`).
    fn new(store: Store, clock: Clock, settings: Settings) -> Self {
        let throttle = Arc::new(SignInThrottle::new(settings.sign_in_limits));
        Core { store, clock, settings: Arc::new(settings), throttle }
    }

    /// Opens the database named by `url`, written as `options` say, applies its migrations and
    /// checks (or records) the secret key, on the system's clock. `config::open_core` opens it
    /// with the settings of the environment.
    pub async fn open(url: &str, options: StoreOptions, settings: Settings) -> Result<Core, StoreError> {
        let store = Store::connect_with(url, options).await?;
        let upgrading_to_keyed_seals = !store.has_migration(sealing::KEYED_SEALS_MIGRATION).await?;
        store.migrate().await?;
        secret_key::adopt(&store, &settings.secret_key).await?;
        answer_links::hide_stored_links(&store).await?;
        if upgrading_to_keyed_seals {
            sealing::adopt(&store, &settings.secret_key).await?;
        }
        Ok(Core::new(store, Clock::system(), settings))
    }

    /// The same core reading another clock (tests of deadlines and retention).
    pub fn with_clock(&self, clock: Clock) -> Core {
        Core { clock, ..self.clone() }
    }

    /// The same core writing links in messages to `base` (the installation's public address, or
    /// the address the server listens on when none is configured).
    pub fn with_link_base(&self, base: &str) -> Core {
        self.with_messaging(Messaging {
            link_base: base.trim_end_matches('/').to_string(),
            ..self.settings.messaging.clone()
        })
    }

    /// The same core telling people seated at once, or not (`Messaging::confirm_enrolments`).
    pub fn with_enrolment_confirmations(&self, on: bool) -> Core {
        self.with_messaging(Messaging { confirm_enrolments: on, ..self.settings.messaging.clone() })
    }

    /// The same core reminding people on the morning of a session, or not.
    pub fn with_morning_reminders(&self, on: bool) -> Core {
        self.with_messaging(Messaging { morning_reminders: on, ..self.settings.messaging.clone() })
    }

    /// The same core taking the SMS provider's calls at the address with `secret`.
    pub fn with_sms_webhook_secret(&self, secret: &str) -> Core {
        self.with_messaging(Messaging {
            sms_webhook_secret: Some(secret.to_string()),
            ..self.settings.messaging.clone()
        })
    }

    fn with_messaging(&self, messaging: Messaging) -> Core {
        Core { settings: Arc::new(Settings { messaging, ..(*self.settings).clone() }), ..self.clone() }
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

    /// The key that signs the pages' one-time error cookies (`web::flash`), derived from the
    /// secret key: every instance of one installation accepts the others' cookies.
    pub fn flash_key(&self) -> [u8; 32] {
        self.settings.secret_key.for_purpose("flash messages")
    }
}
