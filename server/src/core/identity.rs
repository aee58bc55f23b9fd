//! Who is asking: staff passwords, participants' access codes, browser sign-ins, API tokens.

use super::audit::Entry;
use super::secrets::{check_password, hash_token, new_token};
use super::store::{from_ts, participants, sign_ins, staff, to_ts};
use super::throttle::{Attempt, Counted};
use super::views::{MeKind, MeView};
use super::{Core, CoreError, CoreResult};
use std::net::IpAddr;
use std::time::Instant;
use toile_shared::access_code;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;

/// How long a browser stays signed in at most, on the person's own device.
pub const SIGN_IN_LIFETIME_DAYS: i64 = 30;
/// On a borrowed or shared phone: a day's use at most.
const SHARED_DEVICE_LIFETIME_HOURS: i64 = 12;
/// A sign-in unused for this long ends: staff pages show people's names, and an office
/// computer is left on; a participant's own phone is theirs.
const STAFF_IDLE: chrono::Duration = chrono::Duration::hours(2);
const PARTICIPANT_IDLE: chrono::Duration = chrono::Duration::days(30);
const SHARED_DEVICE_IDLE: chrono::Duration = chrono::Duration::minutes(15);
/// A sign-in's last use is written at most this often (it is read on every page).
const TOUCH_EVERY_SECONDS: i64 = 60;

/// Whose device a browser signs in on: a borrowed or shared phone forgets the sign-in sooner,
/// and with the browser (no lasting cookie).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Device {
    Own,
    Shared,
}

/// A browser sign-in just opened: its secret token (the cookie's value), who it is, and how long
/// the browser should keep the cookie (`None`: until it closes).
#[derive(Clone, Debug)]
pub struct SignIn {
    pub token: String,
    pub actor: Actor,
    pub display_name: String,
    pub cookie_max_age: Option<i64>,
}

impl Core {
    /// Staff sign-in. Refused without checking after too many failures from the client's address,
    /// or on the account from that address; slowed down (never refused) after too many on the
    /// account from anywhere or on every account, so that nobody can keep a chosen person out
    /// (`throttle`). Each failure checked is audited, without the password, and so is the start
    /// of a slowdown.
    pub async fn sign_in_staff(&self, email: &str, password: &str, client: Option<IpAddr>) -> CoreResult<SignIn> {
        let email: String = email.trim().to_lowercase().chars().take(super::MAX_EMAIL_CHARS).collect();
        let counted = client
            .map(Counted::Client)
            .into_iter()
            .chain(client.map(|ip| Counted::AccountFrom(email.clone(), ip)))
            .chain([Counted::Account(email.clone()), Counted::EveryPassword])
            .collect();
        let attempt = self.start_attempt(client, counted)?;
        if !attempt.delay.is_zero() {
            tokio::time::sleep(attempt.delay).await;
        }
        let row = {
            let mut conn = self.store.read().await?;
            staff::by_email(&mut conn, &email).await?
        };
        let row = row.filter(|row| row.active != 0);
        let account = row.as_ref().map_or("aucun compte actif".to_string(), |row| format!("compte user:{}", row.id));
        for slowed in &attempt.slowing_from_now {
            let on = if matches!(slowed, Counted::Account(_)) { account.as_str() } else { "tous les comptes" };
            let details = format!("mot de passe, {on} : trop d'échecs, chaque essai attend jusqu'à 5 secondes");
            self.audit_failure(Entry::anonymous(AuditAction::SignInSlowed).details(details)).await;
        }
        // Checked even without an account, in the same time: the answer tells nothing about who has one.
        let stored = row.as_ref().and_then(|row| row.password_hash.clone());
        let valid = check_password(password.to_string(), stored).await;
        let row = match row {
            Some(row) if valid => row,
            _ => {
                let details = format!("mot de passe, {account}{}", from(client));
                self.audit_failure(Entry::anonymous(AuditAction::SignInFailed).details(details)).await;
                return Err(CoreError::BadCredentials);
            }
        };
        self.throttle.succeeded(attempt);
        self.open_sign_in(row.actor(), row.display_name, Device::Own).await
    }

    /// Participant sign-in with their access code, looked up by its keyed hash. A code unused for
    /// longer than the installation allows no longer works (the CIP gives a new one).
    pub async fn sign_in_participant(
        &self,
        typed_code: &str,
        client: Option<IpAddr>,
        device: Device,
    ) -> CoreResult<SignIn> {
        let counted = client.map(Counted::Client).into_iter().chain([Counted::Everyone]).collect();
        let attempt = self.start_attempt(client, counted)?;
        let found = match access_code::normalize(typed_code) {
            Some(code) => {
                let mut conn = self.store.read().await?;
                participants::code_holder(&mut conn, &self.settings.secret_key.stored_code(&code)).await?
            }
            None => None,
        };
        let Some((row, used_at)) = found else {
            self.audit_failure(
                Entry::anonymous(AuditAction::SignInFailed).details(format!("code d'accès{}", from(client))),
            )
            .await;
            return Err(CoreError::BadCredentials);
        };
        let months = chrono::Months::new(self.settings.code_valid_months);
        let valid_until = used_at.map(from_ts).and_then(|used| used.checked_add_months(months));
        if valid_until.is_some_and(|until| until <= self.clock.now()) {
            let entry = Entry::anonymous(AuditAction::SignInCodeExpired).participant(row.id).details(from(client));
            self.audit_failure(entry).await;
            return Err(CoreError::CodeExpired);
        }
        self.throttle.succeeded(attempt);
        self.open_sign_in(row.actor(), row.first_name, device).await
    }

    /// Counts the attempt under each of `counted`, or refuses it when a refusing one has seen too
    /// many failures lately.
    pub(super) fn start_attempt(&self, client: Option<IpAddr>, counted: Vec<Counted>) -> CoreResult<Attempt> {
        self.throttle.start(counted, Instant::now()).map_err(|wait| {
            tracing::warn!(client = ?client, wait_seconds = wait.as_secs(), "sign-in refused: too many failures");
            CoreError::TooManyAttempts(wait)
        })
    }

    /// A failed sign-in in the audit trail; the person's answer does not wait on it failing.
    pub(super) async fn audit_failure(&self, entry: Entry<'_>) {
        let written = async {
            let mut tx = self.store.write(self.clock.now()).await?;
            entry.write(&mut tx).await?;
            tx.commit().await
        };
        if let Err(error) = written.await {
            tracing::warn!(%error, "a failed sign-in could not be audited");
        }
    }

    /// Stores the sign-in with its audit entry, in one transaction; a participant's code counts
    /// as used from now.
    pub(super) async fn open_sign_in(&self, actor: Actor, display_name: String, device: Device) -> CoreResult<SignIn> {
        let token = new_token();
        let (lifetime, idle) = match (device, &actor) {
            (Device::Shared, _) => (chrono::Duration::hours(SHARED_DEVICE_LIFETIME_HOURS), SHARED_DEVICE_IDLE),
            (Device::Own, Actor::Participant { .. }) => {
                (chrono::Duration::days(SIGN_IN_LIFETIME_DAYS), PARTICIPANT_IDLE)
            }
            (Device::Own, _) => (chrono::Duration::days(SIGN_IN_LIFETIME_DAYS), STAFF_IDLE),
        };
        let mut tx = self.store.write(self.clock.now()).await?;
        let at = to_ts(tx.at);
        let new = sign_ins::NewSignIn {
            token_hash: &hash_token(&token),
            actor: &actor,
            at,
            expires_at: to_ts(tx.at + lifetime),
            idle_seconds: idle.num_seconds(),
        };
        sign_ins::insert(&mut tx, new).await?;
        if let Some(participant) = actor.participant_id() {
            participants::mark_code_used(&mut tx, participant, at).await?;
        }
        let details = if device == Device::Shared { "téléphone partagé" } else { "" };
        Entry::new(&actor, AuditAction::SignIn)
            .participant(actor.participant_id())
            .details(details)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        let cookie_max_age = (device == Device::Own).then(|| lifetime.num_seconds());
        Ok(SignIn { token, actor, display_name, cookie_max_age })
    }

    /// The person behind a browser sign-in's token, with their display name, unless it has ended
    /// or gone unused too long; each use (written at most once a minute) starts its idle time again.
    pub async fn actor_for_sign_in(&self, token: &str) -> CoreResult<(Actor, String)> {
        let now = to_ts(self.clock.now());
        let token_hash = hash_token(token);
        let owner = {
            let mut conn = self.store.read().await?;
            sign_ins::owner(&mut conn, &token_hash, now).await?
        };
        let owner = owner.filter(|owner| !owner.is_idle(now)).ok_or(CoreError::Unauthenticated)?;
        if owner.last_seen_at.is_some_and(|seen| now - seen >= TOUCH_EVERY_SECONDS) {
            let touched = async {
                let mut tx = self.store.write(self.clock.now()).await?;
                sign_ins::touch(&mut tx, &token_hash, now).await?;
                tx.commit().await
            };
            if let Err(error) = touched.await {
                tracing::warn!(%error, "a sign-in's last use could not be written");
            }
        }
        owner.actor().ok_or(CoreError::Unauthenticated)
    }

    /// Deletes the browser sign-ins that have ended or gone unused too long (the server runs it
    /// every hour); answers how many.
    pub async fn purge_sign_ins(&self) -> CoreResult<u64> {
        let mut tx = self.store.write(self.clock.now()).await?;
        let now = to_ts(tx.at);
        let purged = sign_ins::purge(&mut tx, now).await?;
        tx.commit().await?;
        Ok(purged)
    }

    pub async fn sign_out(&self, token: &str) -> CoreResult<()> {
        let mut tx = self.store.write(self.clock.now()).await?;
        sign_ins::delete(&mut tx, &hash_token(token)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn me(&self, actor: &Actor) -> CoreResult<MeView> {
        let mut conn = self.store.read().await?;
        match actor {
            Actor::Staff { user_id, role, structure_id } => {
                let row = staff::one(&mut conn, *user_id).await?.ok_or(CoreError::Unauthenticated)?;
                Ok(MeView {
                    kind: MeKind::Staff,
                    id: *user_id,
                    display_name: row.display_name,
                    email: Some(row.email),
                    role: Some(*role),
                    structure_id: *structure_id,
                })
            }
            Actor::Participant { participant_id, structure_id } => {
                let row = participants::one(&mut conn, *participant_id).await?.ok_or(CoreError::Unauthenticated)?;
                Ok(MeView {
                    kind: MeKind::Participant,
                    id: *participant_id,
                    display_name: row.first_name,
                    email: None,
                    role: None,
                    structure_id: Some(*structure_id),
                })
            }
            Actor::Operator => Err(CoreError::Unauthenticated),
        }
    }
}

/// ", depuis 192.0.2.4": where a failed attempt came from, for the audit trail.
fn from(client: Option<IpAddr>) -> String {
    client.map(|ip| format!(", depuis {ip}")).unwrap_or_default()
}
