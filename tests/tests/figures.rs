//! The figures (`server/src/core/figures/`), checked against figures computed by hand on a
//! small fixed data set: a cancelled session, an overbooked one, a walk-in, a waiting list left
//! at the start, a session just after the spring clock change, a person who changed structure
//! and a co-facilitated company talk. Read through the core, the JSON API, the page and its CSV
//! files; who may read what.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::fixtures::OPERATOR;
use tests::http::{get_as, sign_in_by_form, text_as};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{CoreError, Figures, FiguresQuery, NewUser};
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::session_input::{Location, SessionInput};
use toile_shared::{Attendance, Role, SessionKind, WorkshopTheme};

on_every_backend!(
    figures_match_the_hand_computed_ones_for_the_group,
    a_structures_figures_hold_its_sessions_and_its_exchanges_only,
    the_api_page_and_csv_files_give_the_same_figures_without_a_name,
    a_cip_reads_their_structure_only_and_a_participant_nothing,
    bad_periods_and_filters_are_refused_clearly,
    the_funders_report_lists_what_a_structure_delivered_with_its_sign_in_sheets,
);

/// A Paris wall-clock time.
fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// March and April 2027, the whole group.
fn spring() -> FiguresQuery {
    FiguresQuery { from: day(2027, 3, 1), to: day(2027, 4, 30), structure: None, kind: None, theme: None }
}

struct Data {
    app: TestApp,
    nord: i64,
    sud: i64,
    est: i64,
    cip_nord: Actor,
    cip_nord_email: &'static str,
    coordinator_group_email: &'static str,
    amina: i64,
}

/// The fixed data set, read on 20 April 2027 (see each session's comment for what it adds).
async fn data(db: &TestDb) -> Data {
    let app = TestApp::spawn(db).await;
    let clock = app.core.clock().clone();
    clock.advance(paris(2027, 2, 15, 10, 0) - clock.now());
    let (nord, sud, est) = (app.structure("Nord").await, app.structure("Sud").await, app.structure("Est").await);
    let user = |email: &'static str, role, structure| {
        let core = app.core.clone();
        async move {
            let new = NewUser {
                email: email.into(),
                display_name: email.into(),
                role,
                structure_id: structure,
                password: Some("motdepasse-test".into()),
            };
            core.add_user(&OPERATOR, new).await.unwrap()
        }
    };
    let cip_nord_id = user("cip@nord.fr", Role::Cip, Some(nord)).await;
    let cip_sud_id = user("cip@sud.fr", Role::Cip, Some(sud)).await;
    user("groupe@toile.fr", Role::GroupCoordinator, None).await;
    let cip_nord = Actor::Staff { user_id: cip_nord_id, role: Role::Cip, structure_id: Some(nord) };
    let admin = app.admin_actor();
    let person = |structure, name| {
        let app = &app;
        async move { app.participant(structure, name).await.0 }
    };
    let (amina, anne, ali) = (person(nord, "Amina").await, person(nord, "Anne").await, person(nord, "Ali").await);
    let (bilal, basile) = (person(sud, "Bilal").await, person(sud, "Basile").await);
    let (chloe, cyril) = (person(est, "Chloé").await, person(est, "Cyril").await);

    let session = |organiser, kind, starts: DateTime<Utc>, capacity, company: Option<&str>, facilitators: Vec<i64>| {
        let core = app.core.clone();
        let admin = admin.clone();
        let title = format!("{} du {}", kind_title(kind), starts.format("%d/%m"));
        let input = SessionInput {
            theme: (kind == SessionKind::Workshop).then_some(WorkshopTheme::Cv),
            description: "Une séance de test.".into(),
            location: Some(Location::Address { address: "12 rue des Postes, 59000 Lille".into() }),
            facilitator_ids: facilitators,
            company_name: company.map(str::to_string),
            ..SessionInput::published(title, kind, starts, starts + Duration::hours(2), capacity, organiser)
        };
        async move { core.create_session(&admin, input, 1).await.unwrap().id }
    };
    // S1, Nord, workshop, 4 seats: full with people of three structures, Basile left waiting.
    let s1 = session(nord, SessionKind::Workshop, paris(2027, 3, 2, 9, 0), 4, None, vec![]).await;
    // S2, Sud, company talk co-facilitated by Nord's CIP: 3 of 10 seats (under half).
    let s2 = session(
        sud,
        SessionKind::CompanyTalk,
        paris(2027, 3, 9, 14, 0),
        10,
        Some("Transports Lemaire"),
        vec![cip_sud_id, cip_nord_id],
    )
    .await;
    // S3, Nord, information session of 2 seats: one overbooked, one walk-in (4 seated).
    let s3 = session(nord, SessionKind::InfoSession, paris(2027, 3, 16, 9, 0), 2, None, vec![]).await;
    // S4, Est, cancelled: counted as cancelled only.
    let s4 = session(est, SessionKind::Workshop, paris(2027, 3, 23, 9, 0), 6, None, vec![]).await;
    // S5, Nord, company visit at 00:30 on 1 April, Paris summer time (still 31 March in UTC):
    // April's. Bilal comes after moving to Est.
    let s5 =
        session(nord, SessionKind::CompanyVisit, paris(2027, 4, 1, 0, 30), 4, Some("Logistique Métropole"), vec![])
            .await;
    // S6, Sud, still to come when the figures are read.
    session(sud, SessionKind::Workshop, paris(2027, 4, 28, 9, 0), 8, None, vec![]).await;
    // Outside the period: never counted.
    session(sud, SessionKind::Workshop, paris(2027, 2, 26, 9, 0), 8, None, vec![]).await;

    for p in [amina, anne, bilal, chloe, basile] {
        app.core.enrol(&admin, s1, p, Request::Normal).await.unwrap();
    }
    for p in [amina, bilal, basile] {
        app.core.enrol(&admin, s2, p, Request::Normal).await.unwrap();
    }
    for p in [amina, anne] {
        app.core.enrol(&admin, s3, p, Request::Normal).await.unwrap();
    }
    app.core.overbook(&admin, s3, ali, "Sa CIP l'accompagne ce jour-là.").await.unwrap();
    app.core.cancel_session(&admin, s4, Some("Animatrice malade.".into())).await.unwrap();
    sqlx::query("UPDATE participants SET structure_id = $1 WHERE id = $2")
        .bind(est)
        .bind(bilal)
        .execute(&app.sql)
        .await
        .unwrap();
    app.core.enrol(&admin, s5, bilal, Request::Normal).await.unwrap();

    clock.advance(paris(2027, 4, 20, 10, 0) - clock.now());
    use Attendance::{Absent, Excused, Present};
    let marks =
        [(s1, amina, Present), (s1, anne, Absent), (s1, bilal, Present), (s1, chloe, Excused), (s2, amina, Present)];
    let more =
        [(s2, bilal, Present), (s3, amina, Present), (s3, anne, Present), (s3, ali, Present), (s5, bilal, Present)];
    for (session, person, mark) in marks.into_iter().chain(more) {
        app.core.set_attendance(&admin, session, person, mark).await.unwrap();
    }
    app.core.walk_in(&admin, s3, cyril).await.unwrap();
    Data {
        app,
        nord,
        sud,
        est,
        cip_nord,
        cip_nord_email: "cip@nord.fr",
        coordinator_group_email: "groupe@toile.fr",
        amina,
    }
}

fn kind_title(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Workshop => "Atelier",
        SessionKind::CompanyTalk => "Rencontre",
        SessionKind::InfoSession => "Information",
        _ => "Visite",
    }
}

fn tally(f: &Figures) -> (u32, u32, u32, u32, u32, u32, u32) {
    let t = f.total;
    (t.sessions, t.capacity, t.seated, t.present, t.absent, t.excused, t.unknown())
}

async fn figures_match_the_hand_computed_ones_for_the_group(db: &TestDb) {
    let d = data(db).await;
    let f = d.app.core.figures(&d.app.admin_actor(), &spring()).await.unwrap();
    assert_eq!((f.held, f.cancelled, f.upcoming, f.minutes), (4, 1, 1, 480));
    assert_eq!(tally(&f), (4, 20, 12, 9, 1, 1, 1), "sessions, capacity, seated, present, absent, excused, unknown");
    assert_eq!(
        (f.total.fill_percent(), f.total.attendance_percent(), f.total.no_show_percent()),
        (Some(60), Some(75), Some(8))
    );
    let months: Vec<_> = f.by_month.iter().map(|(m, t)| (*m, t.sessions, t.capacity, t.seated, t.present)).collect();
    assert_eq!(months, [(day(2027, 3, 1), 3, 16, 11, 8), (day(2027, 4, 1), 1, 4, 1, 1)], "the 00:30 visit is April's");
    let organisers: Vec<_> =
        f.by_organiser.iter().map(|(s, t)| (*s, t.sessions, t.capacity, t.seated, t.present)).collect();
    assert_eq!(organisers, [(d.nord, 3, 10, 9, 7), (d.sud, 1, 10, 3, 2)], "Est's only session was cancelled");
    let kinds: Vec<_> = f.by_kind.iter().map(|(k, t)| (*k, t.seated)).collect();
    use SessionKind::*;
    assert_eq!(kinds, [(Workshop, 4), (CompanyTalk, 3), (InfoSession, 4), (CompanyVisit, 1)]);
    let under: Vec<_> = f.under_half.iter().map(|s| (s.seated, s.capacity)).collect();
    assert_eq!(under, [(3, 10), (1, 4)]);
    assert_eq!((f.sessions_with_waiting, f.waiting_at_start, f.declined), (1, 1, 0));

    let cells: Vec<_> = f.pooling.iter().map(|c| (c.participant_structure, c.organiser, c.attendances)).collect();
    let (n, s, e) = (d.nord, d.sud, d.est);
    let mut expected = vec![(n, n, 4), (n, s, 1), (s, n, 1), (s, s, 1), (e, n, 2)];
    expected.sort();
    let mut cells_sorted = cells.clone();
    cells_sorted.sort();
    assert_eq!(cells_sorted, expected, "Bilal counts for Sud in March, for Est in April");
    assert_eq!((f.attendances, f.crossed, f.crossed_percent()), (9, 4, Some(44)));
    let exchanges: Vec<_> = f.exchanges.iter().map(|x| (x.structure, x.own, x.given, x.received)).collect();
    assert_eq!(exchanges, [(e, 0, 0, 2), (n, 4, 3, 1), (s, 1, 1, 1)], "by name: Est, Nord, Sud");
    assert_eq!(f.co_facilitated, 1);
    let reach: Vec<_> = f.reach.iter().map(|r| (r.structure, r.people, r.attendances)).collect();
    assert_eq!(reach, [(Some(e), 2, 2), (Some(n), 3, 5), (Some(s), 1, 2), (None, 5, 9)], "Bilal is one person");
    let companies: Vec<_> =
        f.companies.iter().map(|c| (c.company.clone().unwrap(), c.sessions, c.attendances)).collect();
    assert_eq!(companies, [("Logistique Métropole".to_string(), 1, 1), ("Transports Lemaire".to_string(), 1, 2)]);

    let workshops = FiguresQuery { kind: Some(Workshop), ..spring() };
    let f = d.app.core.figures(&d.app.admin_actor(), &workshops).await.unwrap();
    assert_eq!((f.held, f.cancelled, f.upcoming, f.total.seated), (1, 1, 1, 4));
    let cv = FiguresQuery { theme: Some(WorkshopTheme::Interview), ..spring() };
    assert_eq!(d.app.core.figures(&d.app.admin_actor(), &cv).await.unwrap().held, 0);
}

async fn a_structures_figures_hold_its_sessions_and_its_exchanges_only(db: &TestDb) {
    let d = data(db).await;
    let f = d.app.core.figures(&d.cip_nord, &spring()).await.unwrap();
    assert_eq!(f.query.structure, Some(d.nord), "a CIP gets their structure without asking");
    assert_eq!((f.held, f.cancelled, f.upcoming), (3, 0, 0));
    assert_eq!(tally(&f), (3, 10, 9, 7, 1, 1, 0));
    assert_eq!((f.attendances, f.crossed, f.crossed_percent()), (8, 4, Some(50)), "cells with Nord on one side");
    let exchanges: Vec<_> = f.exchanges.iter().map(|x| (x.structure, x.own, x.given, x.received)).collect();
    assert_eq!(exchanges, [(d.nord, 4, 3, 1)]);
    let reach: Vec<_> = f.reach.iter().map(|r| (r.structure, r.people, r.attendances)).collect();
    assert_eq!(reach, [(Some(d.nord), 3, 5), (None, 3, 5)]);
    assert_eq!(f.co_facilitated, 1, "Sud's talk that Nord's CIP co-facilitated");
    let asked = FiguresQuery { structure: Some(d.sud), ..spring() };
    let sud = d.app.core.figures(&d.app.admin_actor(), &asked).await.unwrap();
    assert_eq!((sud.held, sud.upcoming, sud.total.seated), (1, 1, 3));
}

async fn the_api_page_and_csv_files_give_the_same_figures_without_a_name(db: &TestDb) {
    let d = data(db).await;
    let group = d.app.core.create_api_token(&OPERATOR, d.coordinator_group_email, "tests", 30).await.unwrap().token;
    let api = d.app.admin.with_token(&group);
    let (status, body) = api.get("/figures?from=2027-03-01&to=2027-04-30").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["held"].as_u64(), body["cancelled"].as_u64(), body["hours"].as_f64()),
        (Some(4), Some(1), Some(8.0))
    );
    assert_eq!(body["total"]["fill_percent"], json!(60));
    assert_eq!(
        body["by_month"][0],
        json!({"month": "2027-03", "sessions": 3, "capacity": 16, "seats_taken": 11,
        "present": 8, "absent": 1, "excused": 1, "unknown": 1, "fill_percent": 69, "no_show_percent": 9})
    );
    assert_eq!(body["pooling"]["crossed_percent"], json!(44));
    assert_eq!(body["reach"].as_array().unwrap().last().unwrap()["participants"], json!(5));
    let (status, nord) = api.get(&format!("/figures?from=2027-03-01&to=2027-04-30&structure_id={}", d.nord)).await;
    assert_eq!((status, nord["held"].as_u64()), (StatusCode::OK, Some(3)));

    let cookie = sign_in_by_form(
        &d.app.base,
        "/fn/sign_in_staff",
        &[("email", d.coordinator_group_email), ("password", "motdepasse-test")],
    )
    .await;
    let page = text_as(&format!("{}/equipe/chiffres?du=2027-03-01&au=2027-04-30", d.app.base), &cookie).await;
    assert!(page.contains("60 % des places occupées de mars 2027 à avril 2027"), "{page}");
    assert!(page.contains(r#"role="img""#) && page.contains(r#"id="graphique-mutualisation-titre""#), "{page}");
    assert!(page.contains("44 % des présences ont eu lieu dans une séance d'une autre structure (4 sur 9)"));
    assert!(page.contains("De 30 % (Sud) à 90 % (Nord) des places occupées selon la structure."), "{page}");
    assert!(page.contains("De 25 % (Visite d'entreprise) à 200 % (Information collective) des places"), "{page}");
    let csv =
        get_as(&format!("{}/equipe/chiffres.csv?tableau=mois&du=2027-03-01&au=2027-04-30", d.app.base), &cookie).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("chiffres-mois-2027-03-01-2027-04-30.csv"));
    let bytes = csv.bytes().await.unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}Mois;Séances tenues;Places;Places prises;Remplissage (%);Présents;Absents;Excusés;Non renseignés;Présence (%)"
    );
    assert_eq!(lines.next().unwrap(), "mars 2027;3;16;11;69;8;1;1;1;73");
    let pooling = text_as(
        &format!("{}/equipe/chiffres.csv?tableau=mutualisation&du=2027-03-01&au=2027-04-30", d.app.base),
        &cookie,
    )
    .await;
    assert!(
        pooling.lines().any(|line| line == "Est;2;0"),
        "rows: the people's structure; columns: the organisers, Nord and Sud: {pooling}"
    );

    // Counts only: no participant's name on the page or in any file.
    let mut everything = page.clone();
    for (table, _) in toile_app::models::FIGURES_TABLES {
        let url = format!("{}/equipe/chiffres.csv?tableau={table}&du=2027-03-01&au=2027-04-30", d.app.base);
        everything.push_str(&text_as(&url, &cookie).await);
    }
    everything.push_str(&body.to_string());
    for name in ["Amina", "Anne", "Bilal", "Basile", "Chloé", "Cyril", " Test"] {
        assert!(!everything.contains(name), "{name} appears in the figures");
    }
    let unknown = get_as(&format!("{}/equipe/chiffres.csv?tableau=noms", d.app.base), &cookie).await;
    assert_eq!(unknown.status(), 404);
}

async fn a_cip_reads_their_structure_only_and_a_participant_nothing(db: &TestDb) {
    let d = data(db).await;
    let token = d.app.core.create_api_token(&OPERATOR, d.cip_nord_email, "tests", 30).await.unwrap().token;
    let cip = d.app.admin.with_token(&token);
    let (status, own) = cip.get("/figures?from=2027-03-01&to=2027-04-30").await;
    assert_eq!((status, own["structure_id"].as_i64()), (StatusCode::OK, Some(d.nord)));
    let (status, body) = cip.get(&format!("/figures?structure_id={}", d.sud)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));

    let person = Actor::Participant { participant_id: d.amina, structure_id: d.nord };
    assert!(matches!(d.app.core.figures(&person, &spring()).await, Err(CoreError::Forbidden)));
    let (_, code) = d.app.participant(d.nord, "Zoé").await;
    let cookie = sign_in_by_form(&d.app.base, "/fn/sign_in_participant", &[("code", code.as_str())]).await;
    let csv = get_as(&format!("{}/equipe/chiffres.csv?tableau=mois", d.app.base), &cookie).await;
    assert_eq!(csv.status(), 403);
    let page = text_as(&format!("{}/equipe/chiffres", d.app.base), &cookie).await;
    assert!(page.contains("Vous n'avez pas le droit de faire cela."), "{page}");
}

async fn bad_periods_and_filters_are_refused_clearly(db: &TestDb) {
    let d = data(db).await;
    let token = d.app.core.create_api_token(&OPERATOR, d.coordinator_group_email, "tests", 30).await.unwrap().token;
    let api = d.app.admin.with_token(&token);
    let code = |body: &Value| body["error"]["code"].as_str().unwrap_or_default().to_string();
    let (status, body) = api.get("/figures?from=2027-04-30&to=2027-03-01").await;
    assert_eq!((status, code(&body).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid"), "{body}");
    let (status, _) = api.get("/figures?from=2020-01-01&to=2027-03-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "more than five years");
    let (status, _) = api.get("/figures?kind=nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.get("/figures?from=31/03/2027").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = api.get("/figures?structure_id=999999").await;
    assert_eq!((status, code(&body).as_str()), (StatusCode::NOT_FOUND, "not_found"));

    let cookie = sign_in_by_form(
        &d.app.base,
        "/fn/sign_in_staff",
        &[("email", d.coordinator_group_email), ("password", "motdepasse-test")],
    )
    .await;
    let page = text_as(&format!("{}/equipe/chiffres?du=2027-04-30&au=2027-03-01", d.app.base), &cookie).await;
    assert!(page.contains("La fin de la période est avant son début."), "{page}");
    let page = text_as(&format!("{}/equipe/chiffres?type=nope", d.app.base), &cookie).await;
    assert!(page.contains("Ce filtre n'est pas valable."), "{page}");
    let csv = get_as(&format!("{}/equipe/chiffres.csv?tableau=mois&du=hier", d.app.base), &cookie).await;
    assert_eq!(csv.status(), 422);
}

async fn the_funders_report_lists_what_a_structure_delivered_with_its_sign_in_sheets(db: &TestDb) {
    let d = data(db).await;
    let cookie = sign_in_by_form(
        &d.app.base,
        "/fn/sign_in_staff",
        &[("email", d.cip_nord_email), ("password", "motdepasse-test")],
    )
    .await;
    let response = get_as(&format!("{}/equipe/chiffres.pdf?du=2027-03-01&au=2027-04-30", d.app.base), &cookie).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains(&format!("bilan-{}-2027-03-01-2027-04-30.pdf", d.nord)), "{disposition}");
    let text = tests::pdf::text(&response.bytes().await.unwrap());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Bilan des actions collectives"), "{flat}");
    assert!(flat.contains("Nord, du 1er mars 2027 au 30 avril 2027"), "{flat}");
    assert!(flat.contains("Séances tenues 3"), "{flat}");
    assert!(flat.contains("Heures d'actions collectives 6"), "{flat}");
    assert!(flat.contains("Personnes de la structure venues au moins une fois 3"), "{flat}");
    assert!(flat.contains("Présences dans ces séances 7"), "{flat}");
    for title in ["02/03/2027 Atelier du 02/03", "16/03/2027 Information du 16/03", "01/04/2027 Visite du 31/03"] {
        assert!(flat.contains(title), "{title}: {flat}");
    }
    assert!(!flat.contains("Rencontre du 09/03"), "Sud's session is not Nord's: {flat}");
    assert_eq!(flat.matches("/emargement.pdf").count(), 3, "each session's sheet: {flat}");
    assert!(flat.contains("9 h 00 – 11 h 00 4 sur 4"), "the overbooked session's present and seated: {flat}");
    for name in ["Amina", "Anne", "Ali", "Bilal", "Cyril", " Test"] {
        assert!(!flat.contains(name), "{name} in the funders' report");
    }
    let other = get_as(&format!("{}/equipe/chiffres.pdf?structure={}", d.app.base, d.sud), &cookie).await;
    assert_eq!(other.status(), 403, "another structure's report");
}
