//! The permission matrix: every API operation, server function, staff file and staff form ×
//! who asks → the HTTP status they get, from one table, through the real server, on both
//! backends. An API operation or a server function that the server offers without a row here
//! fails the test, so a new route cannot skip the question of who may call it.
//!
//! Each cell starts from fresh data (its own session, people and calendar link), so what one
//! call changed never decides the next one's answer.
//!
//! Pages too: every page of the router (`tests::pages::PAGES`) × who opens it → its real status
//! (signed out: 303 to the sign-in page with the page to return to; refused: 403; unknown: 404),
//! from a second table.

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use tests::fixtures::session_body;
use tests::http::{sign_in_by_form, without_redirects};
use tests::pages::{PAGES, shape as shape_of_page};
use tests::{TestApp, TestDb, on_every_backend};
use toile_shared::Role;

on_every_backend!(
    every_route_answers_each_role_as_the_permission_table_says,
    every_page_answers_each_visitor_with_its_real_status,
    after_signing_in_only_a_local_page_to_return_to_is_followed,
);

/// A page the router offers without an entry in `tests::pages::PAGES` (hence in `PAGE_TABLE`)
/// fails here, so a new page cannot skip the question of who may open it.
#[test]
fn every_page_of_the_router_is_listed() {
    let listed: BTreeSet<String> = PAGES.iter().map(|page| shape_of_page(page.address)).collect();
    let missing: Vec<String> = toile_app::page_routes()
        .iter()
        .map(|route| shape_of_page(route))
        .filter(|route| !listed.contains(route))
        .collect();
    assert!(
        !listed.is_empty() && missing.is_empty(),
        "pages of the router missing from tests::pages::PAGES: {missing:?}"
    );
    let without_row: Vec<&str> =
        PAGES.iter().map(|page| page.address).filter(|address| !PAGE_TABLE.iter().any(|(a, _)| a == address)).collect();
    assert!(without_row.is_empty(), "pages without a row in PAGE_TABLE: {without_row:?}");
}

/// Forged writes: every server function and staff form of the table, posted from another site
/// with the admin's sign-in cookie (who may do nearly all of them), is refused before it runs.
/// (The API takes no cookie: a token must be sent on purpose.)
#[tokio::test]
async fn every_route_that_takes_the_cookie_refuses_a_post_from_another_site() {
    let _machine = tests::machine::shared().await;
    let db = TestDb::create(tests::Store::Sqlite).await.unwrap();
    let group = Group::set_up(&db).await;
    let admin = EVERYONE.iter().position(|who| matches!(who, Who::Admin)).unwrap();
    let mut wrong = Vec::new();
    for row in TABLE.iter().filter(|row| matches!(row.call, Call::Fn | Call::Form)) {
        let cell = group.cell(Who::Admin, row.before).await;
        let got = group.call_from(row, admin, &cell, "https://evil.example").await;
        if got != 403 {
            wrong.push(format!("POST {}: {got}", row.route));
        }
    }
    assert!(wrong.is_empty(), "posts from another site that were not refused:\n{}", wrong.join("\n"));
}

/// Who asks. Structure A organises the session; its facilitator is a CIP of A, with a
/// co-facilitator from structure B. The people enrolled in it belong to A.
#[derive(Clone, Copy, Debug)]
enum Who {
    Nobody,
    ParticipantA,
    ParticipantB,
    FacilitatorA,
    CipA,
    CoFacilitatorB,
    CipB,
    CoordinatorA,
    CoordinatorB,
    GroupCoordinator,
    Admin,
}

const EVERYONE: [Who; 11] = [
    Who::Nobody,
    Who::ParticipantA,
    Who::ParticipantB,
    Who::FacilitatorA,
    Who::CipA,
    Who::CoFacilitatorB,
    Who::CipB,
    Who::CoordinatorA,
    Who::CoordinatorB,
    Who::GroupCoordinator,
    Who::Admin,
];

/// How a route is called.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Call {
    /// The JSON API with the asker's token (participants and nobody have none).
    Api(&'static str),
    /// A server function as the pages' JavaScript calls it (encoded answer, status kept).
    Fn,
    /// A file a staff page links to (sign-in sheet, exports), with the sign-in cookie.
    File,
    /// A staff page's form posted without JavaScript.
    Form,
}

/// What must exist before the call, beyond the cell's session, people and calendar link.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Before {
    Nothing,
    /// The asking participant is enrolled in the session (to cancel their own seat).
    AskerEnrolled,
}

/// One row: the route (with `{session}`, `{enrolled}`, `{newcomer}`, `{feed}`, `{a}` filled in
/// per cell), its body, and the status for each asker in `EVERYONE`'s order.
struct Row {
    call: Call,
    route: &'static str,
    body: &'static str,
    before: Before,
    expected: [u16; 11],
}

const fn row(call: Call, route: &'static str, body: &'static str, expected: [u16; 11]) -> Row {
    Row { call, route, body, before: Before::Nothing, expected }
}

const GET: &str = "GET";
const POST: &str = "POST";
const PATCH: &str = "PATCH";
const PUT: &str = "PUT";
const DELETE: &str = "DELETE";

//                  nobody  part.A part.B fac.A  cip A  cofac.B cip B coord.A coord.B group  admin
const ANY_STAFF: [u16; 11] = [401, 401, 401, 200, 200, 200, 200, 200, 200, 200, 200];
const STAFF_OF_A: [u16; 11] = [401, 401, 401, 200, 200, 403, 403, 200, 403, 200, 200];
const MANAGERS: [u16; 11] = [401, 401, 401, 200, 200, 200, 403, 200, 403, 200, 200];
/// The session's managers, with a participant refused rather than asked to sign in.
const SHEET: [u16; 11] = [401, 403, 403, 200, 200, 200, 403, 200, 403, 200, 200];
const EVERY_ASKER: [u16; 11] = [200; 11];

#[rustfmt::skip]
const TABLE: &[Row] = &[
    // The JSON API: staff only, by token.
    row(Call::Api(GET), "/api/v1/openapi.json", "", EVERY_ASKER),
    row(Call::Api(GET), "/api/v1/me", "", ANY_STAFF),
    row(Call::Api(GET), "/api/v1/structures", "", ANY_STAFF),
    // Figures: every staff member their structure's (group-wide staff the group's), another
    // structure's only group-wide.
    row(Call::Api(GET), "/api/v1/figures", "", ANY_STAFF),
    row(Call::Api(GET), "/api/v1/figures?structure_id={a}", "", STAFF_OF_A),
    row(Call::Api(GET), "/api/v1/participants?structure_id={a}", "", STAFF_OF_A),
    row(Call::Api(POST), "/api/v1/participants", r#"{"first_name":"Nina","last_name":"Test","structure_id":{a}}"#,
        [401, 401, 401, 201, 201, 403, 403, 201, 403, 201, 201]),
    row(Call::Api(GET), "/api/v1/sessions", "", ANY_STAFF),
    row(Call::Api(POST), "/api/v1/sessions", "{new_session}",
        [401, 401, 401, 201, 201, 403, 403, 201, 403, 201, 201]),
    row(Call::Api(GET), "/api/v1/sessions/{session}", "", ANY_STAFF),
    row(Call::Api(PATCH), "/api/v1/sessions/{session}", r#"{"title":"Atelier CV, 2e partie"}"#, MANAGERS),
    row(Call::Api(POST), "/api/v1/sessions/{session}/cancel", "",
        [401, 401, 401, 200, 200, 403, 403, 200, 403, 200, 200]),
    row(Call::Api(POST), "/api/v1/sessions/{session}/duplicate", r#"{"date":"{date}"}"#,
        [401, 401, 401, 201, 201, 403, 403, 201, 403, 201, 201]),
    row(Call::Api(GET), "/api/v1/sessions/{session}/enrolments", "", ANY_STAFF),
    row(Call::Api(POST), "/api/v1/sessions/{session}/enrolments", r#"{"participant_id":{newcomer}}"#,
        [401, 401, 401, 201, 201, 404, 404, 201, 404, 201, 201]),
    row(Call::Api(DELETE), "/api/v1/sessions/{session}/enrolments/{enrolled}", "",
        [401, 401, 401, 200, 200, 404, 404, 200, 404, 200, 200]),
    row(Call::Api(PUT), "/api/v1/sessions/{session}/attendance/{enrolled}", r#"{"status":"present"}"#, MANAGERS),
    row(Call::Api(GET), "/api/v1/feeds", "", ANY_STAFF),
    row(Call::Api(POST), "/api/v1/feeds", r#"{"scope":"group"}"#,
        [401, 401, 401, 201, 201, 201, 201, 201, 201, 201, 201]),
    // The calendar link belongs to the facilitator of A: they, or an admin, may end it.
    row(Call::Api(DELETE), "/api/v1/feeds/{feed}", "",
        [401, 401, 401, 204, 403, 403, 403, 403, 403, 403, 204]),
    row(Call::Api(POST), "/api/v1/feeds/{feed}/regenerate", "",
        [401, 401, 401, 200, 403, 403, 403, 403, 403, 403, 200]),

    // Server functions: what anyone may call, then the participant's, then the staff's.
    row(Call::Fn, "/fn/viewer", "", EVERY_ASKER),
    row(Call::Fn, "/fn/first_run", "", EVERY_ASKER),
    // Signing in is open to all (the wrong codes and passwords have tests of their own: twenty
    // from one address here would be throttled).
    row(Call::Fn, "/fn/sign_in_participant", "code={code_a}", EVERY_ASKER),
    row(Call::Fn, "/fn/sign_in_staff", "email=cip-a%40test.fr&password=motdepasse-test", EVERY_ASKER),
    row(Call::Fn, "/fn/invitation", "token=inconnu", [404; 11]),
    row(Call::Fn, "/fn/accept_invitation", "token=inconnu&password=un-long-mot-de-passe&confirmation=un-long-mot-de-passe",
        [404; 11]),
    // The answer link is the key: nobody's sign-in opens an unknown one.
    row(Call::Fn, "/fn/answer_page", "secret=inconnu", [404; 11]),
    row(Call::Fn, "/fn/answer", "secret=inconnu&reponse=non", [404; 11]),
    row(Call::Fn, "/fn/sms", "arreter=non",
        [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    row(Call::Fn, "/fn/participant_home", "",
        [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    row(Call::Fn, "/fn/session_detail", "id={session}",
        [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    row(Call::Fn, "/fn/enrol", "session_id={session}",
        [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
    Row { call: Call::Fn, route: "/fn/cancel", body: "session_id={session}", before: Before::AskerEnrolled,
        expected: [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403] },
    row(Call::Fn, "/fn/agenda", "", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    row(Call::Fn, "/fn/create_feed", "scope=group", [401, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
    row(Call::Fn, "/fn/regenerate_feed", "id={feed}", [401, 403, 403, 200, 403, 403, 403, 403, 403, 403, 200]),
    row(Call::Fn, "/fn/delete_feed", "id={feed}", [401, 403, 403, 200, 403, 403, 403, 403, 403, 403, 200]),
    row(Call::Fn, "/fn/staff_desk", "", staff_page()),
    row(Call::Fn, "/fn/programme", "query[mine_only]=false", staff_page()),
    row(Call::Fn, "/fn/staff_session", "id={session}", staff_page()),
    row(Call::Fn, "/fn/session_form", "id={session}", [401, 403, 403, 200, 200, 200, 403, 200, 403, 200, 200]),
    row(Call::Fn, "/fn/mark_attendance", "session_id={session}&participant={enrolled}&status=present",
        [401, 403, 403, 200, 200, 200, 403, 200, 403, 200, 200]),
    // Staff sign for themselves: whoever takes attendance.
    row(Call::Fn, "/fn/sign_sheet", "session_id={session}&strokes=M10+50+200+60",
        [401, 403, 403, 200, 200, 200, 403, 200, 403, 200, 200]),
    row(Call::Fn, "/fn/participants", "search=", staff_page()),
    row(Call::Fn, "/fn/participant", "id={enrolled}", [401, 404, 404, 200, 200, 404, 404, 200, 404, 200, 200]),
    row(Call::Fn, "/fn/registration_form", "", staff_page()),
    row(Call::Fn, "/fn/audit", "filters[from]=&filters[to]=&filters[session]=&filters[participant]=&filters[staff]=", [401, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200]),
    row(Call::Fn, "/fn/api_tokens", "", staff_page()),
    row(Call::Fn, "/fn/figures", "filters[from]=&filters[to]=&filters[structure]=&filters[kind]=&filters[theme]=", staff_page()),
    row(Call::Fn, "/fn/notifications", "", staff_page()),
    row(Call::Fn, "/fn/admin", "", [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200]),

    // Files: the sign-in sheet names everyone enrolled; the exports name people.
    row(Call::File, "/equipe/seances/{session}/emargement.pdf", "", file(SHEET)),
    row(Call::File, "/equipe/seances/{session}/emargement.csv", "", file(SHEET)),
    row(Call::File, "/equipe/participants/{enrolled}/historique.csv", "",
        file([401, 404, 404, 200, 200, 404, 404, 200, 404, 200, 200])),
    row(Call::File, "/equipe/participants/{enrolled}/donnees.json", "",
        file([401, 404, 404, 403, 403, 404, 404, 200, 404, 200, 200])),
    row(Call::File, "/equipe/participants/{enrolled}/donnees.html", "",
        file([401, 404, 404, 403, 403, 404, 404, 200, 404, 200, 200])),
    row(Call::File, "/equipe/journal.csv", "", file([401, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200])),
    row(Call::File, "/equipe/chiffres.csv?tableau=mois", "", file(staff_page())),
    row(Call::File, "/equipe/chiffres.pdf", "", file(staff_page())),

    // Staff forms posted without JavaScript: a change is a redirect (303) to the page, a card
    // shown once is the page itself (200), a refusal is the page again with its status.
    row(Call::Form, "/equipe/seances/{session}/annuler", "reason=M%C3%A9t%C3%A9o",
        form([401, 403, 403, 200, 200, 403, 403, 200, 403, 200, 200])),
    row(Call::Form, "/equipe/seances/{session}/dupliquer", "date={date}",
        form([401, 403, 403, 200, 200, 403, 403, 200, 403, 200, 200])),
    row(Call::Form, "/equipe/seances/{session}", "action=inscrire&participant={newcomer}",
        form([401, 404, 404, 200, 200, 404, 404, 200, 404, 200, 200])),
    row(Call::Form, "/equipe/seances/{session}", "action=surnombre&participant={newcomer}&reason=Orient%C3%A9e",
        form([401, 403, 403, 200, 200, 404, 404, 200, 404, 200, 200])),
    row(Call::Form, "/equipe/seances/{session}/presences", "participant={enrolled}&status=present",
        form([401, 403, 403, 200, 200, 200, 403, 200, 403, 200, 200])),
    // A new code is its card, shown at once (200).
    row(Call::Form, "/equipe/participants/{enrolled}/code", "",
        file([401, 404, 404, 200, 200, 404, 404, 200, 404, 200, 200])),
    row(Call::Form, "/equipe/participants/{enrolled}", "",
        form([401, 404, 404, 200, 200, 404, 404, 200, 404, 200, 200])),
    row(Call::Form, "/equipe/participants/{enrolled}", "action=effacer&confirmation=oui",
        form([401, 404, 404, 403, 403, 404, 404, 200, 404, 200, 200])),

    // Last: signing out ends each asker's sign-in.
    row(Call::Fn, "/fn/sign_out", "", EVERY_ASKER),
];

/// A staff page's data: any staff member; a participant is refused, nobody asked to sign in.
const fn staff_page() -> [u16; 11] {
    [401, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200]
}

/// A page: nobody signed in is sent to the sign-in page (303), with the page to return to.
const fn page(mut expected: [u16; 11]) -> [u16; 11] {
    if expected[0] == 401 {
        expected[0] = 303;
    }
    expected
}

//                                   nobody part.A part.B fac.A cip A cofac.B cip B coord.A coord.B group admin
const PARTICIPANT_PAGE: [u16; 11] = [303, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403];
const STAFF_PAGE: [u16; 11] = page(staff_page());
const MANAGERS_PAGE: [u16; 11] = [303, 403, 403, 200, 200, 200, 403, 200, 403, 200, 200];
const RECORD_PAGE: [u16; 11] = [303, 404, 404, 200, 200, 404, 404, 200, 404, 200, 200];

/// Each page of `tests::pages::PAGES` and the status each asker gets, in `EVERYONE`'s order.
#[rustfmt::skip]
const PAGE_TABLE: &[(&str, [u16; 11])] = &[
    // Home sends everyone on (to the sign-in page or their start page); the old programme
    // address leads to the programme.
    ("/", [302; 11]),
    ("/equipe/seances", [302; 11]),
    // Open to all: signing in, an invitation or answer link (unknown ones here).
    ("/connexion", [200; 11]),
    ("/invitation/{invitation}", [404; 11]),
    ("/r/{secret}", [404; 11]),
    ("/seances", PARTICIPANT_PAGE),
    ("/seances/{session}", PARTICIPANT_PAGE),
    ("/seances/{unknown}", [303, 404, 404, 403, 403, 403, 403, 403, 403, 403, 403]),
    ("/agenda", [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("/equipe", STAFF_PAGE),
    ("/equipe/programme", STAFF_PAGE),
    ("/equipe/seances/nouvelle", STAFF_PAGE),
    ("/equipe/seances/{session}", STAFF_PAGE),
    // The core looks a session up before it asks who may read its staff page.
    ("/equipe/seances/{unknown}", [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("/equipe/seances/{session}/modifier", MANAGERS_PAGE),
    ("/equipe/seances/{session}/annuler", STAFF_PAGE),
    ("/equipe/seances/{session}/dupliquer", STAFF_PAGE),
    ("/equipe/seances/{session}/presences", STAFF_PAGE),
    ("/equipe/participants", STAFF_PAGE),
    ("/equipe/participants/nouvelle", STAFF_PAGE),
    ("/equipe/participants/{enrolled}", RECORD_PAGE),
    ("/equipe/participants/{unknown}", [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("/equipe/participants/{enrolled}/code", RECORD_PAGE),
    ("/equipe/journal", [303, 403, 403, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/equipe/chiffres", STAFF_PAGE),
    ("/equipe/jetons", STAFF_PAGE),
    ("/equipe/notifications", STAFF_PAGE),
    ("/admin", [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200]),
];

/// What only a signed-in staff member may see of a page: none of it reaches anyone signed out.
const STAFF_ONLY: [&str; 6] = [
    "Se déconnecter",
    "href=\"/equipe/jetons\"",
    "href=\"/equipe/seances/nouvelle\"",
    "Proposer",
    "Jetons d",
    "Programme",
];

async fn every_page_answers_each_visitor_with_its_real_status(db: &TestDb) {
    let group = Group::set_up(db).await;
    // Pages only read: one cell serves them all.
    let cell = group.cell(Who::Admin, Before::Nothing).await;
    let mut wrong = Vec::new();
    for (address, expected) in PAGE_TABLE {
        let url = group.fill_page(address, &cell);
        for (column, who) in EVERYONE.iter().enumerate() {
            let mut request = without_redirects().get(format!("{}{url}", group.app.base)).header("accept", "text/html");
            if let Some(cookie) = &group.cookies[column] {
                request = request.header("cookie", cookie);
            }
            let response = request.send().await.expect("answered");
            let got = response.status().as_u16();
            let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string());
            let body = response.text().await.unwrap();
            if got != expected[column] {
                wrong.push(format!("GET {address}: {who:?} got {got}, the table says {}", expected[column]));
                continue;
            }
            if got == 303 {
                let back = format!("/connexion?suivant={}", url.replace('?', "%3F"));
                if location.as_deref() != Some(back.as_str()) {
                    wrong.push(format!("GET {address}: {who:?} sent to {location:?}, not {back}"));
                }
            }
            if matches!(who, Who::Nobody) {
                for staff_only in STAFF_ONLY.iter().filter(|text| body.contains(**text)) {
                    wrong.push(format!("GET {address}: signed out, the page shows {staff_only:?}"));
                }
            }
            if [403, 404].contains(&got) && !body.contains("<html lang=\"fr\"") {
                wrong.push(format!("GET {address}: {who:?} got {got} without the French page: {body}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} pages answered otherwise:\n{}", wrong.len(), wrong.join("\n"));
}

/// The sign-in page carries the page to return to; once signed in the person lands there, but
/// only on one of Toile's own pages: another site's address leads to their home.
async fn after_signing_in_only_a_local_page_to_return_to_is_followed(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin Lille").await;
    app.staff("cip-a@test.fr", Role::Cip, Some(a)).await;
    let page = text_of(&app, "/connexion?suivant=%2Fequipe%2Fseances%2F4").await;
    assert!(page.contains(r#"name="suivant" value="/equipe/seances/4""#), "{page}");
    let page = text_of(&app, "/connexion?suivant=%2F%2Fevil.example").await;
    assert!(!page.contains(r#"name="suivant""#), "{page}");
    for (suivant, lands) in [
        ("/equipe/seances/4", "/equipe/seances/4"),
        ("/equipe/chiffres?du=2026-01-01", "/equipe/chiffres?du=2026-01-01"),
        ("//evil.example/", "/equipe"),
        ("/\\evil.example/", "/equipe"),
        ("https://evil.example/", "/equipe"),
        ("", "/equipe"),
    ] {
        let form = [("email", "cip-a@test.fr"), ("password", "motdepasse-test"), ("suivant", suivant)];
        let response = without_redirects()
            .post(format!("{}/fn/sign_in_staff", app.base))
            .header("accept", "text/html")
            .header("origin", &app.base)
            .header("referer", format!("{}/connexion", app.base))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302, "{suivant:?}");
        assert_eq!(response.headers()["location"], lands, "{suivant:?}");
    }
}

async fn text_of(app: &TestApp, path: &str) -> String {
    reqwest::get(format!("{}{path}", app.base)).await.unwrap().text().await.unwrap()
}

/// A file: nobody signed in is sent to the sign-in page (303), like any staff page.
const fn file(mut expected: [u16; 11]) -> [u16; 11] {
    if expected[0] == 401 {
        expected[0] = 303;
    }
    expected
}

/// A form: done is a 303 to the page; nobody signed in is sent to the sign-in page (303).
const fn form(expected: [u16; 11]) -> [u16; 11] {
    let mut expected = file(expected);
    let mut i = 0;
    while i < expected.len() {
        if expected[i] == 200 {
            expected[i] = 303;
        }
        i += 1;
    }
    expected
}

/// The people and the group the table speaks of, signed in once.
struct Group {
    app: TestApp,
    a: i64,
    b: i64,
    facilitator_a: i64,
    co_facilitator_b: i64,
    participant_a: i64,
    participant_b: i64,
    code_a: String,
    /// Per asker in `EVERYONE`'s order: the API token (staff) and the sign-in cookie.
    tokens: Vec<Option<String>>,
    cookies: Vec<Option<String>>,
    /// Cells made so far: each cell's session starts three hours after the previous one, so
    /// that a participant enrolled in several never has two at once.
    cells: std::sync::atomic::AtomicI64,
}

/// What one cell's call is about.
struct Cell {
    session: i64,
    enrolled: i64,
    newcomer: i64,
    feed: i64,
}

async fn every_route_answers_each_role_as_the_permission_table_says(db: &TestDb) {
    let group = Group::set_up(db).await;
    every_offered_route_has_a_row(&group).await;
    let mut wrong = Vec::new();
    for row in TABLE {
        for (column, who) in EVERYONE.iter().enumerate() {
            let cell = group.cell(*who, row.before).await;
            let got = group.call(row, column, &cell).await;
            if got != row.expected[column] {
                wrong.push(format!(
                    "{} {}: {who:?} got {got}, the table says {}",
                    method(row),
                    row.route,
                    row.expected[column]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from the table:\n{}", wrong.len(), wrong.join("\n"));
}

fn method(row: &Row) -> &'static str {
    match row.call {
        Call::Api(method) => method,
        Call::File => GET,
        Call::Fn | Call::Form => POST,
    }
}

/// Every operation of the OpenAPI document and every registered server function has a row.
async fn every_offered_route_has_a_row(group: &Group) {
    let shape = |route: &str| {
        let route = route.split('?').next().unwrap();
        let mut shaped = String::new();
        let mut in_name = false;
        for c in route.chars() {
            match c {
                '{' => {
                    in_name = true;
                    shaped.push_str("{}");
                }
                '}' => in_name = false,
                _ if !in_name => shaped.push(c),
                _ => {}
            }
        }
        shaped
    };
    let rows: BTreeSet<(String, String)> =
        TABLE.iter().map(|row| (method(row).to_string(), shape(row.route))).collect();

    let (_, document) = group.app.admin.get("/openapi.json").await;
    let mut offered = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().expect("paths") {
        for method in operations.as_object().unwrap().keys() {
            offered.insert((method.to_uppercase(), shape(path)));
        }
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        offered.insert((method.as_str().to_string(), shape(path)));
    }
    assert!(offered.len() > 40, "the routes were found: {offered:?}");
    let missing: Vec<_> = offered.difference(&rows).collect();
    assert!(missing.is_empty(), "routes without a row in the permission table: {missing:?}");
}

impl Group {
    async fn set_up(db: &TestDb) -> Group {
        let app = TestApp::spawn(db).await;
        let a = app.structure("Tremplin Lille").await;
        let b = app.structure("Envol Roubaix").await;
        let (participant_a, code_a) = app.participant(a, "Amina").await;
        let (participant_b, code_b) = app.participant(b, "Bilal").await;
        let staff = [
            ("anim-a@test.fr", Role::Cip, Some(a)),
            ("cip-a@test.fr", Role::Cip, Some(a)),
            ("anim-b@test.fr", Role::Cip, Some(b)),
            ("cip-b@test.fr", Role::Cip, Some(b)),
            ("coord-a@test.fr", Role::Coordinator, Some(a)),
            ("coord-b@test.fr", Role::Coordinator, Some(b)),
            ("groupe@test.fr", Role::GroupCoordinator, None),
            ("admin2@test.fr", Role::Admin, None),
        ];
        let mut tokens = vec![None, None, None];
        let mut cookies = vec![None];
        for code in [&code_a, &code_b] {
            cookies.push(Some(sign_in_by_form(&app.base, "/fn/sign_in_participant", &[("code", code)]).await));
        }
        let mut ids = Vec::new();
        for (email, role, structure) in staff {
            let member = app.staff(email, role, structure).await;
            ids.push(member.id);
            tokens.push(Some(member.api.token.clone()));
            let form = [("email", email), ("password", "motdepasse-test")];
            cookies.push(Some(sign_in_by_form(&app.base, "/fn/sign_in_staff", &form).await));
        }
        Group {
            a,
            b,
            facilitator_a: ids[0],
            co_facilitator_b: ids[2],
            participant_a,
            participant_b,
            code_a,
            tokens,
            cookies,
            cells: Default::default(),
            app,
        }
    }

    /// Fresh data for one call: a session of A run by A's facilitator with B's, open to all,
    /// with one person of A enrolled; another person of A to enrol; the facilitator's calendar link.
    async fn cell(&self, who: Who, before: Before) -> Cell {
        let app = &self.app;
        let body = json!({"facilitator_ids": [self.facilitator_a, self.co_facilitator_b]});
        let starts_in = Duration::days(5) + Duration::hours(3 * self.cells.fetch_add(1, Ordering::Relaxed));
        let session = app.session(&app.admin, self.a, starts_in, 10, body).await["id"].as_i64().unwrap();
        let (enrolled, _) = app.participant(self.a, "Awa").await;
        let (newcomer, _) = app.participant(self.a, "Nour").await;
        let (status, _) =
            app.admin.post(&format!("/sessions/{session}/enrolments"), json!({"participant_id": enrolled})).await;
        assert_eq!(status, 201, "enrolled for the cell");
        if before == Before::AskerEnrolled {
            let asker = match who {
                Who::ParticipantA => Some(self.participant_a),
                Who::ParticipantB => Some(self.participant_b),
                _ => None,
            };
            if let Some(asker) = asker {
                let (status, _) =
                    app.admin.post(&format!("/sessions/{session}/enrolments"), json!({"participant_id": asker})).await;
                assert_eq!(status, 201, "the asker enrolled for the cell");
            }
        }
        let facilitator = app.admin.with_token(self.tokens[Who::FacilitatorA as usize].as_deref().unwrap());
        let (status, feed) = facilitator.post("/feeds", json!({"scope": "group"})).await;
        assert_eq!(status, 201, "{feed}");
        Cell { session, enrolled, newcomer, feed: feed["id"].as_i64().unwrap() }
    }

    fn fill(&self, text: &str, cell: &Cell) -> String {
        let date = (chrono::Utc::now() + Duration::days(40)).date_naive().to_string();
        let new_session = session_body(self.a, chrono::Utc::now() + Duration::days(9), 8).to_string();
        text.replace("{new_session}", &new_session)
            .replace("{session}", &cell.session.to_string())
            .replace("{enrolled}", &cell.enrolled.to_string())
            .replace("{newcomer}", &cell.newcomer.to_string())
            .replace("{feed}", &cell.feed.to_string())
            .replace("{a}", &self.a.to_string())
            .replace("{b}", &self.b.to_string())
            .replace("{date}", &date)
            .replace("{code_a}", &self.code_a)
    }

    /// A page's address of `tests::pages::PAGES` for this cell.
    fn fill_page(&self, address: &str, cell: &Cell) -> String {
        address
            .replace("{session}", &cell.session.to_string())
            .replace("{enrolled}", &cell.enrolled.to_string())
            .replace("{unknown}", "999999")
            .replace("{secret}", "inconnu")
            .replace("{invitation}", "inconnue")
    }

    /// Calls the row's route as the asker of `column`, from one of Toile's own pages.
    async fn call(&self, row: &Row, column: usize, cell: &Cell) -> u16 {
        self.call_from(row, column, cell, &self.app.base).await
    }

    /// Calls the row's route as the asker of `column`, sent from a page at `origin`; the status
    /// of the answer.
    async fn call_from(&self, row: &Row, column: usize, cell: &Cell, origin: &str) -> u16 {
        let url = format!("{}{}", self.app.base, self.fill(row.route, cell));
        let body = self.fill(row.body, cell);
        let client = without_redirects();
        let mut request = match row.call {
            Call::Api(method) => {
                let mut request = client.request(Method::from_bytes(method.as_bytes()).unwrap(), url);
                if let Some(token) = &self.tokens[column] {
                    request = request.bearer_auth(token);
                }
                if !body.is_empty() {
                    let json: Value = serde_json::from_str(&body).expect("the row's body is JSON");
                    request = request.json(&json);
                }
                request
            }
            Call::File => client.get(url),
            Call::Fn => client
                .post(url)
                .header("accept", "application/json")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
            Call::Form => client
                .post(url)
                .header("accept", "text/html")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        };
        // A participant's sign-in cookie is no key to the API: only a token is.
        let by_token = matches!(row.call, Call::Api(_)) && self.tokens[column].is_some();
        if let (false, Some(cookie)) = (by_token, &self.cookies[column]) {
            request = request.header("cookie", cookie);
        }
        // Browsers say which page sent a post; the guard refuses any other site's.
        request = request.header("origin", origin);
        request.send().await.expect("answered").status().as_u16()
    }
}
