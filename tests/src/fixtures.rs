//! A running Toile on a test database, and the people and sessions tests need.

use crate::http::Api;
use crate::store::TestDb;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use sqlx::AnyPool;
use std::sync::Arc;
use toile_server::config::Config;
use toile_server::core::{Clock, Core, Delivery, NewParticipant, NewSite, NewUser, Outgoing, StoreOptions};
use toile_shared::authz::Actor;
use toile_shared::{Role, StructureKind};
use tokio::sync::Mutex;

/// Tests set up their data as the operator would at the command line.
pub const OPERATOR: Actor = Actor::Operator;

pub struct TestApp {
    pub core: Core,
    pub base: String,
    /// API client signed in as the group's admin.
    pub admin: Api,
    pub admin_id: i64,
    /// A connection of the test's own to the same database, to look at what is stored.
    pub sql: AnyPool,
    /// Every message `sent` handed to its provider so far.
    handed: Arc<Mutex<Vec<Outgoing>>>,
}

/// A staff member with an API client of their own.
pub struct Staff {
    pub id: i64,
    pub api: Api,
}

impl TestApp {
    /// Migrates the database and serves the whole app on 127.0.0.1, port 0.
    pub async fn spawn(db: &TestDb) -> TestApp {
        TestApp::spawn_with(db, Config::default(), StoreOptions::default()).await
    }

    pub async fn spawn_with(db: &TestDb, config: Config, store: StoreOptions) -> TestApp {
        let core = toile_server::config::open_core(&db.url, store).await.expect("database opens and migrates");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
        let addr = listener.local_addr().expect("address");
        // Links in messages lead to this server, as `toile serve` does without a public address.
        let core = core.with_link_base(&format!("http://{addr}"));
        serve_on(listener, core.clone(), config);
        let base = format!("http://{addr}/api/v1");
        let admin_id = core
            .add_user(
                &OPERATOR,
                NewUser {
                    email: "admin@test.fr".into(),
                    display_name: "Admin".into(),
                    role: Role::Admin,
                    structure_id: None,
                    password: None,
                },
            )
            .await
            .expect("admin");
        let token = core.create_api_token(&OPERATOR, "admin@test.fr", "tests", 30).await.expect("token").token;
        let admin = Api { base: base.clone(), client: reqwest::Client::new(), token };
        let sql = db.sql().await;
        TestApp { core, base: format!("http://{addr}"), admin, admin_id, sql, handed: Arc::default() }
    }

    /// Serves `core` (this app's, with other settings) on another port of its own, over the same
    /// database; returns that server's address.
    pub async fn serve_also(&self, core: Core) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
        let addr = listener.local_addr().expect("address");
        serve_on(listener, core, Config::default());
        format!("http://{addr}")
    }

    /// Hands every queued message to a provider that keeps it, as the delivery worker does once
    /// it is due (the quiet hours over): the answer links exist only in what was handed over.
    /// Returns every message handed over so far, in order.
    pub async fn sent(&self) -> Vec<Outgoing> {
        let clock = Clock::system();
        clock.advance(Duration::days(60));
        let core = self.core.with_clock(clock);
        let mut handed = self.handed.lock().await;
        loop {
            let claimed = core.claim_due(100).await.expect("claim");
            if claimed.is_empty() {
                return handed.clone();
            }
            for message in claimed {
                let sent = Delivery::Sent { provider: "test".into(), provider_id: message.idempotency_key.clone() };
                core.record_delivery(&message, &sent).await.expect("record");
                handed.push(message);
            }
        }
    }

    /// The group's admin, as the core sees them.
    pub fn admin_actor(&self) -> Actor {
        Actor::Staff { user_id: self.admin_id, role: Role::Admin, structure_id: None }
    }

    pub async fn structure(&self, name: &str) -> i64 {
        self.core.ensure_structure(&OPERATOR, name, StructureKind::Ei, None).await.expect("structure")
    }

    pub async fn site(&self, structure: i64, name: &str, address: &str) -> i64 {
        let site = NewSite {
            structure_id: structure,
            name: name.into(),
            address: address.into(),
            postcode: "59000".into(),
            city: "Lille".into(),
            access_notes: None,
        };
        self.core.add_site(&OPERATOR, site).await.expect("site")
    }

    pub async fn staff(&self, email: &str, role: Role, structure: Option<i64>) -> Staff {
        let id = self
            .core
            .add_user(
                &OPERATOR,
                NewUser {
                    email: email.into(),
                    display_name: email.into(),
                    role,
                    structure_id: structure,
                    password: Some("motdepasse-test".into()),
                },
            )
            .await
            .expect("staff");
        let token = self.core.create_api_token(&OPERATOR, email, "tests", 30).await.expect("token").token;
        Staff { id, api: self.admin.with_token(&token) }
    }

    pub async fn cip(&self, email: &str, structure: i64) -> Staff {
        self.staff(email, Role::Cip, Some(structure)).await
    }

    /// A participant of `structure` with a phone and an e-mail address (messages reach them).
    pub async fn reachable(&self, structure: i64, first_name: &str) -> i64 {
        let person = NewParticipant {
            phone: Some("06 12 34 56 78".into()),
            email: Some(format!("{}@exemple.fr", first_name.to_lowercase())),
            ..new_participant(structure, first_name)
        };
        self.core.register_participant(&OPERATOR, person).await.unwrap().0.id
    }

    /// A participant of `structure`; returns their id and access code.
    pub async fn participant(&self, structure: i64, first_name: &str) -> (i64, String) {
        let person = new_participant(structure, first_name);
        let (view, code) = self.core.register_participant(&OPERATOR, person).await.expect("participant");
        (view.id, code)
    }

    /// Creates a session through the API as `who`, with `extra` fields merged over defaults.
    pub async fn session(&self, who: &Api, organiser: i64, starts_in: Duration, capacity: u32, extra: Value) -> Value {
        let starts = Utc::now() + starts_in;
        let mut body = session_body(organiser, starts, capacity);
        if let (Value::Object(body), Value::Object(extra)) = (&mut body, extra) {
            body.extend(extra);
        }
        let (status, session) = who.post("/sessions", body).await;
        assert_eq!(status, 201, "session created: {session}");
        session
    }
}

pub fn session_body(organiser: i64, starts: DateTime<Utc>, capacity: u32) -> Value {
    json!({
        "title": "Atelier CV",
        "kind": "workshop",
        "theme": "cv",
        "description": "Faire son CV en groupe.",
        "starts_at": starts.to_rfc3339(),
        "ends_at": (starts + Duration::hours(2)).to_rfc3339(),
        "capacity": capacity,
        "organiser_structure_id": organiser,
        "location": {"address": "12 rue des Postes, 59000 Lille"},
        "audience": {"all": true},
    })
}

/// "Prénom Test" of `structure`, with no referent, phone or e-mail.
pub fn new_participant(structure: i64, first_name: &str) -> NewParticipant {
    NewParticipant {
        first_name: first_name.into(),
        last_name: "Test".into(),
        structure_id: structure,
        referent_id: None,
        phone: None,
        email: None,
    }
}

/// The first admin of a fresh install, who signs in as `chef@groupe.fr` / `motdepasse-admin`.
pub fn first_admin() -> NewUser {
    NewUser {
        email: "chef@groupe.fr".into(),
        display_name: "Chef".into(),
        role: Role::Admin,
        structure_id: None,
        password: Some("motdepasse-admin".into()),
    }
}

/// The whole app over `core`, served on `listener` until the test ends.
fn serve_on(listener: tokio::net::TcpListener, core: Core, config: Config) {
    let mut options = toile_server::config::site_options().expect("leptos options");
    options.site_addr = listener.local_addr().expect("address");
    if std::env::var_os("LEPTOS_SITE_ROOT").is_none() {
        // Tests run from their package folder; the site is built at the workspace's root.
        options.site_root = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site").into();
    }
    let limits = config.connections;
    let app = toile_server::serve::app(core, config, options);
    let served = toile_server::listen::serve_until(listener, app, limits, std::future::pending());
    tokio::spawn(async move { served.await.expect("server runs") });
}
