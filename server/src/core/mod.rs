//! The domain core: every use case of Toile, with its authorisation, over the store. The pages,
//! the JSON API, the feeds and the CLI are thin adapters that call these methods with the actor
//! they act for (the command line acts as `Actor::Operator`).
//!
//! | module | job |
//! |---|---|
//! | `store` | the database: typed rows, the one seat lock and loader, the only write path |
//! | `sessions` | reading, proposing, changing and cancelling sessions |
//! | `enrolment` | enrolling (overbooking by one too) and unenrolling, who enrolled, attendance |
//! | `roster` | a session's people as staff see them, the waiting list by hand, walk-ins |
//! | `staff_session` | a session's staff page and its sign-in sheet, the session read once |
//! | `sealing` | closing a sign-in sheet under a hash; a later correction re-opens it |
//! | `signatures` | signatures drawn with a finger on the sign-in sheet |
//! | `waitlist` | giving freed seats to the first person waiting who can take them |
//! | `answers` | the day-before answer through a person's link: coming, or the seat freed at once |
//! | `answer_links` | a person's answer link: made when its message leaves, hidden from staff |
//! | `programme` | what a participant sees of the sessions open to them |
//! | `feeds` | calendar subscriptions: who may follow what, which sessions they list |
//! | `figures` | fill, attendance and pooling across structures, counted for a period |
//! | `notifications` | messages to participants queued with their cause, claimed and recorded by the delivery worker |
//! | `invitations` | single-use links through which staff choose their own password |
//! | `identity` | sign-ins, who is asking |
//! | `idempotency` | requests made once: a creating form's one-time token, the API's `Idempotency-Key` |
//! | `api_tokens` | API tokens: made for a time, listed and revoked by their owner |
//! | `password_policy` | what a new staff password must be: long, not common, not their name |
//! | `sign_in_links` | the code card's single-use sign-in link, which its QR code carries |
//! | `throttle` | failed sign-ins counted per address, account and in all; guessing refused or slowed |
//! | `secret_key` | the server's secret, kept outside the database, that access codes are keyed with |
//! | `participants` | a structure's participants: found by name, their record, a new code, archived |
//! | `retention` | archived people anonymised in time, the trail trimmed, a person's copy and erasure |
//! | `accounts` | staff accounts turned off, API tokens revoked |
//! | `directory` | structures, sites, staff and participants |
//! | `audit` | who changed what, in the same transaction as the change |
//! | `audit_trail` | the trail read back by coordinators and admins, filtered, exported |
//! | `clock` | the time every rule reads |

mod accounts;
mod answer_guard;
mod answer_links;
mod answers;
mod api_tokens;
mod audit;
mod audit_trail;
mod choices;
mod clock;
mod directory;
mod enrolment;
mod error;
mod feeds;
mod figures;
mod idempotency;
mod identity;
mod invitations;
mod notifications;
pub mod paris;
mod participants;
mod password_policy;
mod programme;
mod retention;
mod roster;
mod sealing;
mod secret_key;
mod secrets;
mod sessions;
mod sign_in_links;
mod signatures;
mod staff_session;
pub mod store;
mod throttle;
pub mod views;
mod waitlist;

pub use accounts::Account;
pub use answers::{AnswerView, Reply};
pub use api_tokens::{ApiTokenLine, CreatedToken};
pub use audit_trail::{AUDIT_LINES_SHOWN, AUDIT_PAGE_LINES, AuditCursor, AuditLine, AuditQuery, Download};
pub use choices::SiteChoice;
pub use clock::Clock;
pub use directory::{MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PHONE_CHARS, NewParticipant, NewSite, NewUser};
pub use enrolment::{EnrolResult, MAX_OVERBOOK_REASON_CHARS};
pub use error::CoreError;
pub use feeds::{CreatedFeed, FeedId, FeedScope, FeedWindow, ResolvedFeed};
pub use figures::{Figures, FiguresQuery, PoolingCell, Tally};
pub use idempotency::{KEY_KEPT_HOURS, MAX_KEY_CHARS, Once, is_valid_key, new_form_token};
pub use identity::{Device, SIGN_IN_LIFETIME_DAYS, SignIn};
pub use invitations::{INVITATION_DAYS, Invitation, Invited};
pub use notifications::{
    CLAIM_LEASE, CONFIRM_ENROLMENTS_ENV, Channel, DIGEST_HOUR, Delivery, GIVE_UP_AFTER, MORNING_HOUR,
    MORNING_REMINDERS_ENV, Messaging, NOTIFICATIONS_SHOWN, Notice, NotificationLine, Outgoing, QUIET_HOURS_ENV,
    QuietHours, REMINDER_HOUR, SMS_CHARS, SMS_WEBHOOK_SECRET_ENV, SmsConsent, StaffNotice, digest_time,
    morning_reminder_time, reminder_time, retry_wait,
};
pub use participants::{PARTICIPANTS_SHOWN, ParticipantEntry, ParticipantRecord, SessionLine};
pub use password_policy::{MIN_PASSWORD_CHARS, PasswordRefusal, check_new_password};
pub use programme::ParticipantSession;
pub use retention::{KEEP_ARCHIVED_MONTHS_ENV, KEEP_AUDIT_MONTHS_ENV, PersonalData, Retention, RetentionPass};
pub use roster::{Roster, RosterLine, Signed, StaffSigned, StructureCount};
pub use sealing::{Seal, SealRule};
pub use secret_key::{SECRET_KEY_ENV, SECRET_KEY_FILE_ENV, SecretKey};
/// A password's stored form, as every release stored it (tests of passwords chosen before).
pub use secrets::hash_password;
pub use sessions::{
    Change, Edit, EditedMeanwhile, MAX_REASON_CHARS, Occurrence, ProgrammeEntry, ProgrammeFilter, ReservedFor,
    SeriesScope, SessionCursor, SessionField, SessionFilter, SessionOverview, SessionPatch, StaffHome, StaffMember,
    changed_fields,
};
pub use sign_in_links::SIGN_IN_LINK_DAYS;
pub use signatures::SheetSigner;
pub use staff_session::{SignInSheet, StaffSessionView};
pub use store::enrolments::EnrolmentCursor;
pub use store::{Engine, Store, StoreError, StoreOptions};
pub use throttle::{Effect, Limit, Limits, MAX_DELAY};

use chrono::{DateTime, Utc};
use std::sync::Arc;
use throttle::SignInThrottle;

pub type CoreResult<T> = Result<T, CoreError>;

/// The most items one page of a list holds (the API's lists come a page at a time).
pub const MAX_PAGE_SIZE: u32 = 500;

/// How long an access code left unused keeps working, unless `TOILE_CODE_VALID_MONTHS` says.
pub const CODE_VALID_MONTHS: u32 = 12;
pub const CODE_VALID_MONTHS_ENV: &str = "TOILE_CODE_VALID_MONTHS";

/// What an installation decides about its rules, read at start-up.
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

impl Settings {
    /// The key from the environment or its file, the rest from the environment or defaults.
    pub fn from_env(database_url: &str) -> Result<Settings, StoreError> {
        let defaults = Retention::default();
        Ok(Settings {
            secret_key: SecretKey::load(database_url).map_err(StoreError::SecretKey)?,
            code_valid_months: months_from_env(CODE_VALID_MONTHS_ENV, CODE_VALID_MONTHS)?,
            sign_in_limits: Limits::default(),
            retention: Retention {
                archived_months: months_from_env(KEEP_ARCHIVED_MONTHS_ENV, defaults.archived_months)?,
                audit_months: months_from_env(KEEP_AUDIT_MONTHS_ENV, defaults.audit_months)?,
            },
            messaging: Messaging {
                quiet_hours: match std::env::var(QUIET_HOURS_ENV).ok().filter(|v| !v.trim().is_empty()) {
                    None => QuietHours::default(),
                    Some(value) => QuietHours::parse(&value).ok_or_else(|| {
                        StoreError::Setting(format!(
                            "{QUIET_HOURS_ENV} dit de quelle heure à quelle heure aucun SMS ne part, par exemple 20-8 (reçu {value:?})."
                        ))
                    })?,
                },
                // Without a public address, `toile serve` puts the one it listens on.
                link_base: std::env::var(crate::config::PUBLIC_URL_ENV)
                    .ok()
                    .and_then(|url| crate::links::PublicUrl::parse(&url))
                    .map_or(Messaging::default().link_base, |url| url.base().to_string()),
                confirm_enrolments: flag_from_env(CONFIRM_ENROLMENTS_ENV)?,
                morning_reminders: flag_from_env(MORNING_REMINDERS_ENV)?,
                sms_webhook_secret: sms_webhook_secret_from_env()?,
            },
        })
    }
}

/// Whether the environment variable `name` says yes (`1`, `oui`, `true`); no when it is unset.
fn flag_from_env(name: &str) -> Result<bool, StoreError> {
    match std::env::var(name).unwrap_or_default().trim().to_lowercase().as_str() {
        "" | "0" | "non" | "no" | "false" => Ok(false),
        "1" | "oui" | "yes" | "true" => Ok(true),
        other => Err(StoreError::Setting(format!("{name} vaut 1 (oui) ou 0 (non) (reçu {other:?})."))),
    }
}

/// The SMS provider's secret from the environment (`sms_webhook_secret`).
fn sms_webhook_secret_from_env() -> Result<Option<String>, StoreError> {
    sms_webhook_secret(std::env::var(SMS_WEBHOOK_SECRET_ENV).ok())
}

/// The SMS provider's secret, when set: long, letters, digits, `-` or `_` only (it goes in an
/// address), or the start stops with a message saying so.
fn sms_webhook_secret(value: Option<String>) -> Result<Option<String>, StoreError> {
    let Some(secret) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let min = notifications::SMS_WEBHOOK_SECRET_MIN_CHARS;
    if secret.chars().count() < min || !secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(StoreError::Setting(format!(
            "{SMS_WEBHOOK_SECRET_ENV} : au moins {min} lettres, chiffres, - ou _ (par exemple la sortie de `openssl rand -hex 16`)."
        )));
    }
    Ok(Some(secret))
}

/// A number of months from the environment variable `name`, or `default` when it is unset.
fn months_from_env(name: &str, default: u32) -> Result<u32, StoreError> {
    match std::env::var(name).ok().filter(|v| !v.trim().is_empty()) {
        None => Ok(default),
        Some(value) => value
            .trim()
            .parse()
            .ok()
            .filter(|m| *m > 0)
            .ok_or_else(|| StoreError::Setting(format!("{name} doit être un nombre de mois (reçu {value:?})."))),
    }
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
    /// A core over a store already migrated and keyed (see `open_configured`).
    fn new(store: Store, clock: Clock, settings: Settings) -> Self {
        let throttle = Arc::new(SignInThrottle::new(settings.sign_in_limits));
        Core { store, clock, settings: Arc::new(settings), throttle }
    }

    /// Opens the database named by `url`, applies its migrations, on the system's clock.
    pub async fn open(url: &str) -> Result<Core, StoreError> {
        Core::open_with(url, StoreOptions::default()).await
    }

    /// Opens the database named by `url`, written as `options` say, and applies its migrations.
    pub async fn open_with(url: &str, options: StoreOptions) -> Result<Core, StoreError> {
        Core::open_configured(url, options, Settings::from_env(url)?).await
    }

    /// Opens the database, applies its migrations and checks (or records) the secret key.
    pub async fn open_configured(url: &str, options: StoreOptions, settings: Settings) -> Result<Core, StoreError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_or_spaced_sms_webhook_secret_stops_the_start_with_a_french_message() {
        assert!(matches!(sms_webhook_secret(None), Ok(None)));
        assert!(matches!(sms_webhook_secret(Some("  ".into())), Ok(None)), "blank is unset");
        let good = "b7c1f0e2a9d84c35a61e0f2d".to_string();
        assert_eq!(sms_webhook_secret(Some(good.clone())).unwrap(), Some(good));
        for bad in ["court", "b7c1f0e2a9d84c35 a61e0f2d00", "b7c1f0e2a9d84c35a61e0f2d/x"] {
            let Err(StoreError::Setting(message)) = sms_webhook_secret(Some(bad.into())) else {
                panic!("{bad:?} refused")
            };
            assert!(message.contains("au moins 24 lettres"), "{message}");
        }
    }
}
