//! Calendar feeds and the single-session download, through the real HTTP server, on SQLite and
//! PostgreSQL. Bodies are read back with the `icalendar` crate's parser.

use chrono::Duration;
use icalendar::{Component, EventLike, EventStatus};
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, ETAG, IF_NONE_MATCH, LOCATION,
    REFERER, SET_COOKIE,
};
use serde_json::{Value, json};
use std::str::FromStr;
use tests::fixtures::OPERATOR;
use tests::fixtures::Staff;
use tests::http::Api;
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{Device, FeedScope, NewParticipant, NewUser};
use toile_shared::Role;

on_every_backend!(
    a_group_feed_lists_every_published_session_and_never_a_draft,
    a_structure_feed_lists_what_it_organises_and_what_is_open_to_it,
    a_staff_feed_lists_what_they_facilitate_and_what_their_participants_attend,
    a_participant_feed_lists_their_own_sessions_without_counts_or_last_name,
    a_kind_filter_keeps_only_sessions_of_that_kind,
    regenerating_a_feed_turns_its_old_url_off,
    a_deleted_feed_and_an_unknown_token_answer_a_bare_404,
    an_unchanged_feed_is_byte_identical_and_answers_304_to_its_etag,
    head_answers_the_same_headers_without_a_body,
    a_cancelled_session_is_marked_cancelled_and_changes_raise_its_sequence,
    the_window_drops_old_sessions_and_old_cancellations,
    an_enrolment_changes_the_count_of_a_feed_served_from_cache,
    shared_feeds_never_name_a_participant,
    feeds_are_created_only_by_people_allowed_to_follow_them,
    a_bad_scope_kind_or_missing_id_is_a_422_naming_the_field,
    only_the_creator_or_an_admin_regenerates_or_deletes_a_feed,
    listing_feeds_shows_the_callers_own_without_their_urls,
    a_signed_in_participant_downloads_one_session_with_its_organiser,
    staff_download_sessions_too_but_nobody_gets_a_draft,
    the_session_download_sends_visitors_to_sign_in,
    the_agenda_form_without_javascript_shows_a_link_that_serves_the_calendar,
    staff_follow_only_what_they_may_from_the_agenda_page_and_renew_links_there,
);

// ---------------------------------------------------------------------------------------------
// A small group: Tremplin 59 (Lille) and Roubaix, a CIP each, two participants with names no
// session text contains, and four sessions.

const ZOE: (&str, &str) = ("Zoulikha", "Quenouille");
const BARNABE: (&str, &str) = ("Barnabé", "Tournesol");

struct Network {
    app: TestApp,
    lille: i64,
    roubaix: i64,
    /// CIP of Lille, "Claire Martin", referent of Zoulikha.
    claire: Staff,
    /// CIP of Roubaix.
    remi: Staff,
    zoe: i64,
    zoe_code: String,
    barnabe: i64,
    /// Lille organises, Claire facilitates, open to all, at a site. Nobody enrolled.
    lille_workshop: i64,
    /// Roubaix organises, open to Roubaix only; Barnabé enrolled.
    roubaix_talk: i64,
    /// Roubaix organises, open to all, by video; Zoulikha enrolled (by Claire).
    job_dating: i64,
    /// A Lille draft.
    draft: i64,
}

async fn staff_named(app: &TestApp, email: &str, name: &str, role: Role, structure: Option<i64>) -> Staff {
    let id = app
        .core
        .add_user(
            &OPERATOR,
            NewUser { email: email.into(), display_name: name.into(), role, structure_id: structure, password: None },
        )
        .await
        .expect("staff");
    let token = app.core.create_api_token(&OPERATOR, email, "tests", 30).await.expect("token").token;
    Staff { id, api: app.admin.with_token(&token) }
}

async fn person(app: &TestApp, structure: i64, (first, last): (&str, &str), referent: Option<i64>) -> (i64, String) {
    let new = NewParticipant {
        first_name: first.into(),
        last_name: last.into(),
        structure_id: structure,
        referent_id: referent,
        phone: None,
        email: None,
    };
    let (view, code) = app.core.register_participant(&OPERATOR, new).await.expect("participant");
    (view.id, code)
}

fn id(session: &Value) -> i64 {
    session["id"].as_i64().expect("session id")
}

async fn enrol(api: &Api, session: i64, participant: i64) {
    let (status, body) =
        api.post(&format!("/sessions/{session}/enrolments"), json!({"participant_id": participant})).await;
    assert_eq!(status, 201, "{body}");
}

async fn network(db: &TestDb) -> Network {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin 59").await;
    let roubaix = app.structure("Roubaix Insertion").await;
    let claire = staff_named(&app, "claire@lille.fr", "Claire Martin", Role::Cip, Some(lille)).await;
    let remi = staff_named(&app, "remi@roubaix.fr", "Rémi Caron", Role::Cip, Some(roubaix)).await;
    let (zoe, zoe_code) = person(&app, lille, ZOE, Some(claire.id)).await;
    let (barnabe, _) = person(&app, roubaix, BARNABE, Some(remi.id)).await;
    let site = app.site(lille, "Siège", "1 rue de la Paix").await;
    let workshop = json!({"title": "Atelier CV à Lille", "location": {"site_id": site}});
    let lille_workshop = app.session(&claire.api, lille, Duration::days(3), 12, workshop).await;
    let talk = json!({"title": "Rencontre boulangerie", "kind": "company_talk", "theme": null,
                      "company_name": "Boulangerie Dupain", "speaker": "M. Petit",
                      "audience": {"structure_ids": [roubaix]}});
    let roubaix_talk = app.session(&remi.api, roubaix, Duration::days(4), 10, talk).await;
    let job_dating = json!({"title": "Job dating logistique", "kind": "job_dating", "theme": null,
                            "location": {"video_url": "https://visio.example/abc"}});
    let job_dating = app.session(&remi.api, roubaix, Duration::days(5), 8, job_dating).await;
    let draft = app
        .session(&claire.api, lille, Duration::days(6), 12, json!({"title": "Brouillon Lille", "status": "draft"}))
        .await;
    enrol(&remi.api, id(&roubaix_talk), barnabe).await;
    enrol(&claire.api, id(&job_dating), zoe).await;
    Network {
        app,
        lille,
        roubaix,
        claire,
        remi,
        zoe,
        zoe_code,
        barnabe,
        lille_workshop: id(&lille_workshop),
        roubaix_talk: id(&roubaix_talk),
        job_dating: id(&job_dating),
        draft: id(&draft),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading feeds.

#[derive(Debug)]
struct Ics {
    name: Option<String>,
    method: Option<String>,
    events: Vec<Event>,
}

#[derive(Clone, Debug)]
struct Event {
    uid: String,
    sequence: u32,
    status: EventStatus,
    summary: String,
    location: Option<String>,
    description: String,
    url: Option<String>,
    categories: Vec<String>,
    organizer: Option<String>,
}

impl Ics {
    fn parse(body: &str) -> Ics {
        let calendar =
            icalendar::Calendar::from_str(body).unwrap_or_else(|e| panic!("unreadable calendar: {e}\n{body}"));
        let events = calendar
            .events()
            .map(|e| Event {
                uid: e.get_uid().expect("UID").into(),
                sequence: e.get_sequence().expect("SEQUENCE"),
                status: e.get_status().expect("STATUS"),
                summary: e.get_summary().expect("SUMMARY").into(),
                location: e.get_location().map(String::from),
                description: e.get_description().unwrap_or_default().into(),
                url: e.get_url().map(String::from),
                categories: e.get_categories().unwrap_or_default(),
                organizer: e.property_value("ORGANIZER").map(String::from),
            })
            .collect();
        Ics {
            name: calendar.property_value("X-WR-CALNAME").map(String::from),
            method: calendar.property_value("METHOD").map(String::from),
            events,
        }
    }

    fn titles(&self) -> Vec<&str> {
        self.events.iter().map(|e| e.summary.as_str()).collect()
    }

    fn event(&self, summary: &str) -> &Event {
        self.events.iter().find(|e| e.summary == summary).unwrap_or_else(|| panic!("{summary} in {:?}", self.titles()))
    }
}

/// Creates a feed through the API; returns its id and URL.
async fn create_feed(api: &Api, body: Value) -> (i64, String) {
    let (status, created) = api.post("/feeds", body).await;
    assert_eq!(status, 201, "{created}");
    (created["id"].as_i64().expect("id"), created["url"].as_str().expect("url").to_string())
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::Client::new().get(url).send().await.expect("request sent")
}

/// Fetches a feed that must answer 200 with a calendar.
async fn fetch(url: &str) -> String {
    let response = get(url).await;
    assert_eq!(response.status(), 200, "{url}");
    assert_eq!(response.headers()[CONTENT_TYPE], "text/calendar; charset=utf-8");
    assert_eq!(response.headers()[CACHE_CONTROL], "private, max-age=900");
    response.text().await.expect("body")
}

async fn feed_of(api: &Api, body: Value) -> Ics {
    let (_, url) = create_feed(api, body).await;
    Ics::parse(&fetch(&url).await)
}

/// Moves every session's last change an hour back, as if nobody had touched them since.
async fn settle(app: &TestApp) {
    sqlx::query("UPDATE sessions SET updated_at = updated_at - 3600").execute(&app.sql).await.expect("backdated");
}

// ---------------------------------------------------------------------------------------------
// Scopes.

async fn a_group_feed_lists_every_published_session_and_never_a_draft(db: &TestDb) {
    let n = network(db).await;
    let (_, url) = create_feed(&n.claire.api, json!({"scope": "group"})).await;
    assert!(url.starts_with(&format!("{}/calendars/", n.app.base)), "{url}");
    let token = url.rsplit('/').next().unwrap().trim_end_matches(".ics");
    assert!(token.len() >= 32 && token.chars().all(|c| c.is_ascii_hexdigit()), "at least 128 random bits: {token}");
    let ics = Ics::parse(&fetch(&url).await);
    assert_eq!(ics.name.as_deref(), Some("Toile — programme du groupe"));
    assert_eq!(ics.titles(), ["Atelier CV à Lille", "Rencontre boulangerie", "Job dating logistique"]);
    let workshop = ics.event("Atelier CV à Lille");
    assert_eq!(workshop.uid, format!("session-{}@toile", n.lille_workshop));
    assert_eq!(workshop.status, EventStatus::Confirmed);
    assert_eq!(workshop.location.as_deref(), Some("Siège, 1 rue de la Paix, 59000 Lille"));
    assert_eq!(workshop.categories, ["Atelier"]);
    assert!(
        workshop.description.starts_with("Atelier (CV)\n0/12 inscrits\n\nFaire son CV en groupe."),
        "{}",
        workshop.description
    );
    assert_eq!(workshop.url.as_deref(), Some(format!("{}/equipe/seances/{}", n.app.base, n.lille_workshop).as_str()));
    let talk = ics.event("Rencontre boulangerie");
    assert!(
        talk.description.contains("Entreprise : Boulangerie Dupain\nIntervenant·e : M. Petit\n1/10 inscrits"),
        "{}",
        talk.description
    );
    assert_eq!(talk.categories, ["Rencontre avec une entreprise"]);
    assert_eq!(ics.event("Job dating logistique").location.as_deref(), Some("https://visio.example/abc"));
    assert!(!ics.titles().contains(&"Brouillon Lille"), "draft {} never listed", n.draft);
}

async fn a_structure_feed_lists_what_it_organises_and_what_is_open_to_it(db: &TestDb) {
    let n = network(db).await;
    let lille = feed_of(&n.claire.api, json!({"scope": "structure", "structure_id": n.lille})).await;
    assert_eq!(lille.name.as_deref(), Some("Toile — Tremplin 59"));
    assert_eq!(lille.titles(), ["Atelier CV à Lille", "Job dating logistique"], "not Roubaix's own talk");
    let roubaix = feed_of(&n.remi.api, json!({"scope": "structure", "structure_id": n.roubaix})).await;
    assert_eq!(roubaix.name.as_deref(), Some("Toile — Roubaix Insertion"));
    assert_eq!(roubaix.titles(), ["Atelier CV à Lille", "Rencontre boulangerie", "Job dating logistique"]);
}

async fn a_staff_feed_lists_what_they_facilitate_and_what_their_participants_attend(db: &TestDb) {
    let n = network(db).await;
    let claire = feed_of(&n.claire.api, json!({"scope": "staff", "user_id": n.claire.id})).await;
    assert_eq!(claire.name.as_deref(), Some("Toile — mes séances (Claire Martin)"));
    assert_eq!(
        claire.titles(),
        ["Atelier CV à Lille", "Job dating logistique"],
        "her workshop, and the job dating Zoulikha (her participant) attends"
    );
    assert!(claire.event("Job dating logistique").description.contains("1/8 inscrits"));
    let remi = feed_of(&n.remi.api, json!({"scope": "staff", "user_id": n.remi.id})).await;
    assert_eq!(remi.titles(), ["Rencontre boulangerie", "Job dating logistique"]);
    let coordinator =
        staff_named(&n.app, "coord@lille.fr", "Coordination Lille", Role::Coordinator, Some(n.lille)).await;
    let followed = feed_of(&coordinator.api, json!({"scope": "staff", "user_id": n.claire.id})).await;
    assert_eq!(followed.name.as_deref(), Some("Toile — séances de Claire Martin"));
    assert_eq!(followed.titles(), claire.titles());
}

async fn a_participant_feed_lists_their_own_sessions_without_counts_or_last_name(db: &TestDb) {
    let n = network(db).await;
    // The participant subscribes themselves, through the core (the pages' way).
    let signed = n.app.core.sign_in_participant(&n.zoe_code, None, Device::Own).await.expect("signed in");
    let created = n.app.core.create_feed(&signed.actor, FeedScope::Participant(n.zoe), None).await.expect("own feed");
    assert_eq!(created.feed.name, "Toile — mes ateliers");
    let body = fetch(&toile_shared::paths::feed(&n.app.base, &created.token)).await;
    assert!(!body.contains(ZOE.1), "no last name in a participant's feed");
    let ics = Ics::parse(&body);
    assert_eq!(ics.name.as_deref(), Some("Toile — mes ateliers"));
    assert_eq!(ics.titles(), ["Job dating logistique"]);
    let event = ics.event("Job dating logistique");
    assert_eq!(event.url.as_deref(), Some(format!("{}/seances/{}", n.app.base, n.job_dating).as_str()));
    assert!(!event.description.contains("inscrits"), "{}", event.description);
    assert_eq!(event.location.as_deref(), Some("https://visio.example/abc"), "she holds a seat");
    // Her CIP may create it for her too; a participant may not follow anyone else.
    let by_cip = feed_of(&n.claire.api, json!({"scope": "participant", "participant_id": n.zoe})).await;
    assert_eq!(by_cip.titles(), ics.titles());
    let refused = n.app.core.create_feed(&signed.actor, FeedScope::Participant(n.barnabe), None).await.unwrap_err();
    assert_eq!(refused.code(), "forbidden");
    assert_eq!(n.app.core.create_feed(&signed.actor, FeedScope::Group, None).await.unwrap_err().code(), "forbidden");
}

async fn a_kind_filter_keeps_only_sessions_of_that_kind(db: &TestDb) {
    let n = network(db).await;
    let ics = feed_of(&n.claire.api, json!({"scope": "group", "kind": "job_dating"})).await;
    assert_eq!(ics.name.as_deref(), Some("Toile — programme du groupe · Job dating"));
    assert_eq!(ics.titles(), ["Job dating logistique"]);
    let ics = feed_of(&n.claire.api, json!({"scope": "structure", "structure_id": n.lille, "kind": "workshop"})).await;
    assert_eq!(ics.titles(), ["Atelier CV à Lille"]);
}

// ---------------------------------------------------------------------------------------------
// Secret URLs.

async fn regenerating_a_feed_turns_its_old_url_off(db: &TestDb) {
    let n = network(db).await;
    let (feed, old) = create_feed(&n.claire.api, json!({"scope": "group"})).await;
    let before = fetch(&old).await;
    let (status, renewed) = n.claire.api.post(&format!("/feeds/{feed}/regenerate"), json!({})).await;
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(renewed["id"], feed);
    let new = renewed["url"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(get(&old).await.status(), 404);
    assert_eq!(fetch(new).await, before, "same feed, new address");
}

async fn a_deleted_feed_and_an_unknown_token_answer_a_bare_404(db: &TestDb) {
    let n = network(db).await;
    let (feed, url) = create_feed(&n.claire.api, json!({"scope": "group"})).await;
    let (status, _) = n.claire.api.delete(&format!("/feeds/{feed}")).await;
    assert_eq!(status, 204);
    let deleted = get(&url).await;
    assert_eq!(deleted.status(), 404);
    let deleted_body = deleted.text().await.unwrap();
    let unknown = get(&format!("{}/calendars/{}.ics", n.app.base, "ab".repeat(32))).await;
    assert_eq!(unknown.status(), 404);
    assert!(unknown.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/plain"));
    let unknown_body = unknown.text().await.unwrap();
    assert_eq!(deleted_body, unknown_body, "a revoked token looks like one never issued");
    assert!(unknown_body.len() < 40, "{unknown_body}");
    for path in ["/calendars/nope.ics", "/calendars/abc", &format!("/calendars/{}", "ab".repeat(32))] {
        assert_eq!(get(&format!("{}{path}", n.app.base)).await.status(), 404, "{path}");
    }
    let (status, _) = n.claire.api.delete(&format!("/feeds/{feed}")).await;
    assert_eq!(status, 404, "already gone");
}

// ---------------------------------------------------------------------------------------------
// HTTP caching.

async fn an_unchanged_feed_is_byte_identical_and_answers_304_to_its_etag(db: &TestDb) {
    let n = network(db).await;
    let (_, url) = create_feed(&n.claire.api, json!({"scope": "staff", "user_id": n.claire.id})).await;
    let client = reqwest::Client::new();
    let first = client.get(&url).send().await.unwrap();
    let etag = first.headers()[ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"), "strong: {etag}");
    let first = first.bytes().await.unwrap();
    let second = client.get(&url).send().await.unwrap();
    assert_eq!(second.headers()[ETAG], etag.as_str());
    assert_eq!(second.bytes().await.unwrap(), first, "byte-identical");
    let revalidated = client.get(&url).header(IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(revalidated.headers()[ETAG], etag.as_str());
    assert_eq!(revalidated.headers()[CACHE_CONTROL], "private, max-age=900");
    assert!(revalidated.bytes().await.unwrap().is_empty(), "no body with a 304");
    let stale = client.get(&url).header(IF_NONE_MATCH, "\"something-else\"").send().await.unwrap();
    assert_eq!(stale.status(), 200);
    // Settled sessions are served through the cheap cache key: still the same bytes... until
    // something changes.
    settle(&n.app).await;
    let settled = client.get(&url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(client.get(&url).send().await.unwrap().bytes().await.unwrap(), settled);
    let (status, _) =
        n.claire.api.patch(&format!("/sessions/{}", n.lille_workshop), json!({"title": "Atelier CV renommé"})).await;
    assert_eq!(status, 200);
    let changed = client.get(&url).header(IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()[ETAG], etag.as_str());
    assert!(Ics::parse(&changed.text().await.unwrap()).titles().contains(&"Atelier CV renommé"));
}

async fn head_answers_the_same_headers_without_a_body(db: &TestDb) {
    let n = network(db).await;
    let (_, url) = create_feed(&n.claire.api, json!({"scope": "group"})).await;
    let client = reqwest::Client::new();
    let got = client.get(&url).send().await.unwrap();
    let head = client.head(&url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    for header in [CONTENT_TYPE, ETAG, CACHE_CONTROL, CONTENT_LENGTH] {
        assert_eq!(head.headers().get(&header), got.headers().get(&header), "{header}");
    }
    let length: usize = got.headers()[CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
    assert_eq!(got.bytes().await.unwrap().len(), length);
    assert!(head.bytes().await.unwrap().is_empty());
    let etag = client.get(&url).send().await.unwrap().headers()[ETAG].clone();
    let head = client.head(&url).header(IF_NONE_MATCH, etag).send().await.unwrap();
    assert_eq!(head.status(), 304);
    let unknown = client.head(format!("{}/calendars/{}.ics", n.app.base, "cd".repeat(32))).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
}

// ---------------------------------------------------------------------------------------------
// What the events say over time.

async fn a_cancelled_session_is_marked_cancelled_and_changes_raise_its_sequence(db: &TestDb) {
    let n = network(db).await;
    let (_, url) = create_feed(&n.claire.api, json!({"scope": "group"})).await;
    let before = Ics::parse(&fetch(&url).await);
    assert_eq!(before.event("Atelier CV à Lille").sequence, 0);
    assert_eq!(before.event("Job dating logistique").sequence, 0);
    let later = chrono::Utc::now() + Duration::days(10);
    let moved = json!({"starts_at": later.to_rfc3339(), "ends_at": (later + Duration::hours(2)).to_rfc3339()});
    let (status, _) = n.claire.api.patch(&format!("/sessions/{}", n.lille_workshop), moved).await;
    assert_eq!(status, 200);
    let (status, _) = n.remi.api.post(&format!("/sessions/{}/cancel", n.job_dating), json!({})).await;
    assert_eq!(status, 200);
    let after = Ics::parse(&fetch(&url).await);
    let workshop = after.event("Atelier CV à Lille");
    assert_eq!((workshop.sequence, &workshop.status), (1, &EventStatus::Confirmed), "a new time raises SEQUENCE");
    let cancelled = after.event("Job dating logistique");
    assert_eq!((cancelled.sequence, &cancelled.status), (1, &EventStatus::Cancelled));
    assert!(cancelled.description.starts_with("Séance annulée."), "{}", cancelled.description);
    assert_eq!(cancelled.uid, before.event("Job dating logistique").uid, "same UID: clients replace their copy");
    let zoe = n.app.core.sign_in_participant(&n.zoe_code, None, Device::Own).await.unwrap();
    let own = n.app.core.create_feed(&zoe.actor, FeedScope::Participant(n.zoe), None).await.unwrap();
    let mine = Ics::parse(&fetch(&toile_shared::paths::feed(&n.app.base, &own.token)).await);
    assert_eq!(mine.event("Job dating logistique").status, EventStatus::Cancelled, "her copy is cancelled too");
}

async fn the_window_drops_old_sessions_and_old_cancellations(db: &TestDb) {
    let n = network(db).await;
    let old = n.app.session(&n.claire.api, n.lille, -Duration::weeks(9), 5, json!({"title": "Trop ancien"})).await;
    let recent = n.app.session(&n.claire.api, n.lille, -Duration::weeks(7), 5, json!({"title": "Passé récent"})).await;
    let far = n.app.session(&n.claire.api, n.lille, Duration::days(400), 5, json!({"title": "Trop lointain"})).await;
    assert!(id(&old) > 0 && id(&recent) > 0 && id(&far) > 0);
    let (status, _) = n.remi.api.post(&format!("/sessions/{}/cancel", n.roubaix_talk), json!({})).await;
    assert_eq!(status, 200);
    let (_, url) = create_feed(&n.claire.api, json!({"scope": "group"})).await;
    let titles = Ics::parse(&fetch(&url).await).titles().iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(titles, ["Passé récent", "Atelier CV à Lille", "Rencontre boulangerie", "Job dating logistique"]);
    // Cancelled 40 days ago: gone from feeds.
    sqlx::query("UPDATE sessions SET updated_at = updated_at - 40 * 86400 WHERE id = $1")
        .bind(n.roubaix_talk)
        .execute(&n.app.sql)
        .await
        .unwrap();
    let titles = Ics::parse(&fetch(&url).await).titles().iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(titles, ["Passé récent", "Atelier CV à Lille", "Job dating logistique"]);
}

async fn an_enrolment_changes_the_count_of_a_feed_served_from_cache(db: &TestDb) {
    let n = network(db).await;
    settle(&n.app).await;
    let (_, url) = create_feed(&n.claire.api, json!({"scope": "structure", "structure_id": n.lille})).await;
    let before = Ics::parse(&fetch(&url).await);
    assert!(before.event("Atelier CV à Lille").description.contains("0/12 inscrits"));
    assert_eq!(fetch(&url).await, fetch(&url).await);
    enrol(&n.claire.api, n.lille_workshop, n.zoe).await;
    let after = Ics::parse(&fetch(&url).await);
    assert!(after.event("Atelier CV à Lille").description.contains("1/12 inscrits"), "{:?}", after.events);
    let (status, _) = n.claire.api.delete(&format!("/sessions/{}/enrolments/{}", n.lille_workshop, n.zoe)).await;
    assert_eq!(status, 200);
    let back = Ics::parse(&fetch(&url).await);
    assert!(back.event("Atelier CV à Lille").description.contains("0/12 inscrits"));
}

// ---------------------------------------------------------------------------------------------
// Privacy and permissions.

async fn shared_feeds_never_name_a_participant(db: &TestDb) {
    let n = network(db).await;
    let group_coordinator =
        staff_named(&n.app, "groupe@toile.fr", "Coordination groupe", Role::GroupCoordinator, None).await;
    let shared = [
        (&n.claire.api, json!({"scope": "group"})),
        (&n.claire.api, json!({"scope": "structure", "structure_id": n.lille})),
        (&n.remi.api, json!({"scope": "structure", "structure_id": n.roubaix})),
        (&n.claire.api, json!({"scope": "staff", "user_id": n.claire.id})),
        (&n.remi.api, json!({"scope": "staff", "user_id": n.remi.id})),
        (&group_coordinator.api, json!({"scope": "group"})),
        (&group_coordinator.api, json!({"scope": "staff", "user_id": n.claire.id})),
    ];
    for (api, body) in shared {
        let (_, url) = create_feed(api, body.clone()).await;
        let ics = fetch(&url).await;
        assert!(!Ics::parse(&ics).events.is_empty(), "{body}: something to check");
        let unfolded = icalendar::parser::unfold(&ics);
        for name in [ZOE.0, ZOE.1, BARNABE.0, BARNABE.1] {
            assert!(!unfolded.contains(name), "{body}: {name} must not appear");
        }
    }
}

async fn feeds_are_created_only_by_people_allowed_to_follow_them(db: &TestDb) {
    let n = network(db).await;
    let (status, body) = n.claire.api.post("/feeds", json!({"scope": "structure", "structure_id": n.roubaix})).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    let (status, _) = n.claire.api.post("/feeds", json!({"scope": "participant", "participant_id": n.barnabe})).await;
    assert_eq!(status, 403, "a participant of another structure");
    let (status, _) = n.claire.api.post("/feeds", json!({"scope": "staff", "user_id": n.remi.id})).await;
    assert_eq!(status, 403, "another CIP's sessions");
    let colleague = staff_named(&n.app, "paul@lille.fr", "Paul Lille", Role::Cip, Some(n.lille)).await;
    let (status, _) = colleague.api.post("/feeds", json!({"scope": "staff", "user_id": n.claire.id})).await;
    assert_eq!(status, 403, "a colleague CIP is not a coordinator");
    let coordinator =
        staff_named(&n.app, "coord@roubaix.fr", "Coord Roubaix", Role::Coordinator, Some(n.roubaix)).await;
    let (status, _) = coordinator.api.post("/feeds", json!({"scope": "staff", "user_id": n.claire.id})).await;
    assert_eq!(status, 403, "a coordinator of another structure");
    let (status, _) = coordinator.api.post("/feeds", json!({"scope": "staff", "user_id": n.remi.id})).await;
    assert_eq!(status, 201);
    let group = staff_named(&n.app, "groupe@toile.fr", "Groupe", Role::GroupCoordinator, None).await;
    for body in [
        json!({"scope": "structure", "structure_id": n.roubaix}),
        json!({"scope": "participant", "participant_id": n.zoe}),
        json!({"scope": "staff", "user_id": n.claire.id}),
    ] {
        let (status, created) = group.api.post("/feeds", body).await;
        assert_eq!(status, 201, "{created}");
    }
}

async fn a_bad_scope_kind_or_missing_id_is_a_422_naming_the_field(db: &TestDb) {
    let n = network(db).await;
    let field_of = |body: &Value| body["error"]["fields"][0]["field"].as_str().unwrap_or_default().to_string();
    for (request, field) in [
        (json!({"scope": "everyone"}), "scope"),
        (json!({"scope": "group", "kind": "party"}), "kind"),
        (json!({"scope": "structure"}), "structure_id"),
        (json!({"scope": "staff"}), "user_id"),
        (json!({"scope": "participant"}), "participant_id"),
        (json!({"scope": "structure", "structure_id": 9999}), "structure_id"),
        (json!({"scope": "group", "structure_id": n.lille}), "structure_id"),
    ] {
        let (status, body) = n.claire.api.post("/feeds", request.clone()).await;
        assert_eq!(status, 422, "{request}: {body}");
        assert_eq!(body["error"]["code"], "invalid");
        assert_eq!(field_of(&body), field, "{request}: {body}");
    }
    let (status, _) = n.claire.api.post("/feeds", json!({"scope": "group", "colour": "red"})).await;
    assert_eq!(status, 422, "unknown fields are refused");
    let (status, _) = n.claire.api.post("/feeds", json!({})).await;
    assert_eq!(status, 422);
    let (_, listed) = n.claire.api.get("/feeds").await;
    assert_eq!(listed, json!([]), "nothing stored");
}

async fn only_the_creator_or_an_admin_regenerates_or_deletes_a_feed(db: &TestDb) {
    let n = network(db).await;
    let (feed, url) = create_feed(&n.claire.api, json!({"scope": "group"})).await;
    let (status, _) = n.remi.api.post(&format!("/feeds/{feed}/regenerate"), json!({})).await;
    assert_eq!(status, 403);
    let (status, _) = n.remi.api.delete(&format!("/feeds/{feed}")).await;
    assert_eq!(status, 403);
    assert_eq!(get(&url).await.status(), 200, "untouched");
    let (status, _) = n.remi.api.post("/feeds/424242/regenerate", json!({})).await;
    assert_eq!(status, 404);
    let (status, renewed) = n.app.admin.post(&format!("/feeds/{feed}/regenerate"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(get(&url).await.status(), 404);
    let (status, _) = n.app.admin.delete(&format!("/feeds/{feed}")).await;
    assert_eq!(status, 204);
    assert_eq!(get(renewed["url"].as_str().unwrap()).await.status(), 404);
    let audit: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'feed_%' ORDER BY id")
        .fetch_all(&n.app.sql)
        .await
        .unwrap();
    assert_eq!(audit, ["feed_created", "feed_regenerated", "feed_deleted"]);
}

async fn listing_feeds_shows_the_callers_own_without_their_urls(db: &TestDb) {
    let n = network(db).await;
    let (group, url) = create_feed(&n.claire.api, json!({"scope": "group"})).await;
    let (mine, _) =
        create_feed(&n.claire.api, json!({"scope": "staff", "user_id": n.claire.id, "kind": "workshop"})).await;
    create_feed(&n.remi.api, json!({"scope": "group"})).await;
    let (status, listed) = n.claire.api.get("/feeds").await;
    assert_eq!(status, 200);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.iter().map(|f| f["id"].as_i64().unwrap()).collect::<Vec<_>>(), [group, mine]);
    assert_eq!(listed[1]["scope"], "staff");
    assert_eq!(listed[1]["user_id"], n.claire.id);
    assert_eq!(listed[1]["kind"], "workshop");
    assert_eq!(listed[1]["name"], "Toile — mes séances (Claire Martin) · Atelier");
    let token = url.rsplit('/').next().unwrap().trim_end_matches(".ics");
    let text = serde_json::to_string(&listed).unwrap();
    assert!(!text.contains(token) && !text.contains("/calendars/"), "no secret in the list: {text}");
    let document: Value =
        reqwest::get(format!("{}/api/v1/openapi.json", n.app.base)).await.unwrap().json().await.unwrap();
    for path in ["/api/v1/feeds", "/api/v1/feeds/{id}", "/api/v1/feeds/{id}/regenerate"] {
        assert!(document["paths"].get(path).is_some(), "{path} documented");
    }
}

// ---------------------------------------------------------------------------------------------
// One session into one's own calendar.

async fn download(base: &str, session: i64, cookie: Option<&str>) -> reqwest::Response {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request = client.get(format!("{base}/seances/{session}/agenda.ics"));
    if let Some(token) = cookie {
        request = request.header("cookie", format!("theme=clair; toile_session={token}"));
    }
    request.send().await.expect("request sent")
}

async fn a_signed_in_participant_downloads_one_session_with_its_organiser(db: &TestDb) {
    let n = network(db).await;
    let signed = n.app.core.sign_in_participant(&n.zoe_code, None, Device::Own).await.expect("signed in");
    let response = download(&n.app.base, n.job_dating, Some(&signed.token)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/calendar; charset=utf-8");
    let expected_disposition = format!("attachment; filename=\"seance-{}.ics\"", n.job_dating);
    assert_eq!(response.headers()[CONTENT_DISPOSITION], expected_disposition.as_str());
    let etag = response.headers()[ETAG].clone();
    let body = response.text().await.unwrap();
    let ics = Ics::parse(&body);
    assert_eq!(ics.method.as_deref(), Some("PUBLISH"));
    assert_eq!(ics.name, None, "imported into an existing calendar, not a new one");
    assert!(!body.contains("X-WR-CALNAME"));
    assert_eq!(ics.events.len(), 1);
    let event = &ics.events[0];
    assert_eq!(event.uid, format!("session-{}@toile", n.job_dating), "the same UID as in feeds");
    assert_eq!(event.organizer.as_deref(), Some("mailto:noreply@127.0.0.1"));
    assert!(icalendar::parser::unfold(&body).contains("ORGANIZER;CN=\"Roubaix Insertion\":mailto:"), "{body}");
    assert_eq!(event.url.as_deref(), Some(format!("{}/seances/{}", n.app.base, n.job_dating).as_str()));
    let client = reqwest::Client::new();
    let again = client
        .get(format!("{}/seances/{}/agenda.ics", n.app.base, n.job_dating))
        .header("cookie", format!("toile_session={}", signed.token))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // Open to her but without a seat: the video link stays with her CIP, as on the pages.
    let second = n
        .app
        .session(
            &n.remi.api,
            n.roubaix,
            Duration::days(9),
            8,
            json!({"title": "Visio ouverte", "location": {"video_url": "https://visio.example/xyz"}}),
        )
        .await;
    let body = download(&n.app.base, id(&second), Some(&signed.token)).await.text().await.unwrap();
    assert_eq!(
        Ics::parse(&body).events[0].location.as_deref(),
        Some("En visio (le lien est donné par votre conseiller·ère)")
    );
    // Not open to her structure: as if it did not exist.
    assert_eq!(download(&n.app.base, n.roubaix_talk, Some(&signed.token)).await.status(), 404);
    assert_eq!(download(&n.app.base, n.draft, Some(&signed.token)).await.status(), 404);
    assert_eq!(download(&n.app.base, 424242, Some(&signed.token)).await.status(), 404);
}

async fn staff_download_sessions_too_but_nobody_gets_a_draft(db: &TestDb) {
    let n = network(db).await;
    let password = "motdepasse-test";
    let email = "paula@lille.fr";
    n.app
        .core
        .add_user(
            &OPERATOR,
            NewUser {
                email: email.into(),
                display_name: "Paula".into(),
                role: Role::Cip,
                structure_id: Some(n.lille),
                password: Some(password.into()),
            },
        )
        .await
        .unwrap();
    let signed = n.app.core.sign_in_staff(email, password, None).await.expect("signed in");
    let response = download(&n.app.base, n.roubaix_talk, Some(&signed.token)).await;
    assert_eq!(response.status(), 200);
    let ics = Ics::parse(&response.text().await.unwrap());
    assert!(ics.events[0].description.contains("1/10 inscrits"));
    assert_eq!(
        ics.events[0].url.as_deref(),
        Some(format!("{}/equipe/seances/{}", n.app.base, n.roubaix_talk).as_str())
    );
    assert_eq!(
        download(&n.app.base, n.draft, Some(&signed.token)).await.status(),
        404,
        "even a draft she could manage"
    );
}

async fn the_session_download_sends_visitors_to_sign_in(db: &TestDb) {
    let n = network(db).await;
    for cookie in [None, Some("not-a-session")] {
        let response = download(&n.app.base, n.job_dating, cookie).await;
        assert_eq!(response.status(), 303, "{cookie:?}");
        assert_eq!(response.headers()[LOCATION], "/connexion");
    }
}

// ---------------------------------------------------------------------------------------------
// The agenda page.

/// A browser without JavaScript posting a form of the agenda page.
async fn post_agenda_form(base: &str, session: &str, function: &str, body: &str) -> reqwest::Response {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    client
        .post(format!("{base}/fn/{function}"))
        .header(ACCEPT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(REFERER, format!("{base}/agenda"))
        .header(COOKIE, session)
        .body(body.to_owned())
        .send()
        .await
        .expect("form posted")
}

/// The agenda page after a no-JS form post answered `posted`: the secret URL it shows, if any.
async fn agenda_after(base: &str, session: &str, posted: &reqwest::Response) -> (String, Option<String>) {
    assert_eq!(posted.status(), StatusCode::FOUND);
    // What a browser carries back: the new link, or the refusal (the server's flash cookie).
    let carried: String = posted
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter(|cookie| cookie.starts_with("toile_nouveau_lien=") || cookie.starts_with("toile_erreur="))
        .filter_map(|cookie| cookie.split(';').next())
        .map(|cookie| format!("; {cookie}"))
        .collect();
    let target = posted.headers()[LOCATION].to_str().unwrap();
    let target = if target.starts_with("http") { target.to_string() } else { format!("{base}{target}") };
    let client = reqwest::Client::new();
    let page = client.get(target).header(COOKIE, format!("{session}{carried}")).send().await.expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap().replace("&#x27;", "'");
    let shown = format!("value=\"{base}/calendars/");
    let url = html.find(&shown).map(|at| {
        let start = at + "value=\"".len();
        html[start..start + html[start..].find('"').unwrap()].to_string()
    });
    (html, url)
}

async fn staff_follow_only_what_they_may_from_the_agenda_page_and_renew_links_there(db: &TestDb) {
    let n = network(db).await;
    let (email, password) = ("paula@lille.fr", "motdepasse-test");
    let user = NewUser {
        email: email.into(),
        display_name: "Paula".into(),
        role: Role::Cip,
        structure_id: Some(n.lille),
        password: Some(password.into()),
    };
    n.app.core.add_user(&OPERATOR, user).await.unwrap();
    let signed = n.app.core.sign_in_staff(email, password, None).await.expect("signed in");
    let session = format!("toile_session={}", signed.token);
    let html = reqwest::Client::new()
        .get(format!("{}/agenda", n.app.base))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("<option value=\"{}\">Tremplin 59</option>", n.lille)), "{html}");
    assert!(!html.contains("Roubaix Insertion"), "only structures she may follow: {html}");
    // Another structure's programme: the core's refusal, in words.
    let body = format!("scope=structure&structure_id={}", n.roubaix);
    let refused = post_agenda_form(&n.app.base, &session, "create_feed", &body).await;
    let (html, url) = agenda_after(&n.app.base, &session, &refused).await;
    assert!(html.contains("Vous n'avez pas le droit de faire cela."), "{html}");
    assert_eq!(url, None);
    // Her own sessions, workshops only.
    let created =
        post_agenda_form(&n.app.base, &session, "create_feed", "scope=mine&structure_id=&kind=workshop").await;
    let (html, url) = agenda_after(&n.app.base, &session, &created).await;
    let old = url.unwrap_or_else(|| panic!("the link is shown: {html}"));
    assert!(html.contains("Toile — mes séances (Paula) · Atelier"), "{html}");
    assert_eq!(get(&old).await.status(), 200);
    let feed = n.app.core.list_feeds(&signed.actor).await.unwrap()[0].id;
    let body = format!("id={feed}");
    let renewed = post_agenda_form(&n.app.base, &session, "regenerate_feed", &body).await;
    let (_, new) = agenda_after(&n.app.base, &session, &renewed).await;
    let new = new.expect("the new link is shown");
    assert_ne!(new, old);
    assert_eq!(get(&old).await.status(), 404, "the old link stops at once");
    fetch(&new).await;
    let deleted = post_agenda_form(&n.app.base, &session, "delete_feed", &body).await;
    let (html, _) = agenda_after(&n.app.base, &session, &deleted).await;
    assert!(html.contains("Le lien est supprimé"), "{html}");
    assert_eq!(get(&new).await.status(), 404);
}

async fn the_agenda_form_without_javascript_shows_a_link_that_serves_the_calendar(db: &TestDb) {
    let n = network(db).await;
    let signed = n.app.core.sign_in_participant(&n.zoe_code, None, Device::Own).await.expect("signed in");
    let session = format!("toile_session={}", signed.token);
    // What a browser without JavaScript sends when she taps "Créer mon lien d'agenda".
    let posted = post_agenda_form(&n.app.base, &session, "create_feed", "scope=mine").await;
    assert_eq!(posted.headers()[LOCATION], "/agenda");
    let (html, url) = agenda_after(&n.app.base, &session, &posted).await;
    let url = url.unwrap_or_else(|| panic!("the link is shown: {html}"));
    assert!(url.ends_with(".ics"), "{url}");
    let webcal = format!("href=\"webcal://{}", url.trim_start_matches("http://"));
    assert!(html.contains(&webcal), "one-tap subscription: {html}");
    let ics = Ics::parse(&fetch(&url).await);
    assert_eq!(ics.name.as_deref(), Some("Toile — mes ateliers"));
    assert_eq!(ics.titles(), ["Job dating logistique"]);
    // Shown once: without the cookie that carried it, the page does not know the secret.
    let again = reqwest::Client::new().get(format!("{}/agenda", n.app.base)).header(COOKIE, &session).send().await;
    let html = again.unwrap().text().await.unwrap();
    let token = url.rsplit('/').next().unwrap().trim_end_matches(".ics");
    assert!(!html.contains(token), "{html}");
    assert!(html.contains("Toile — mes ateliers"), "listed by name");
}
