//! Reading the audit trail (`server/src/core/audit_trail.rs`): who may read which part of it, a
//! participant of another structure never named, the filters, and every download of personal
//! data (sign-in sheets, a person's history, the trail itself) recorded.

use chrono::Duration;
use serde_json::json;
use tests::http::{sign_in_by_form, without_redirects as client};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{AuditLine, AuditQuery, CoreError};
use toile_shared::Role;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;

on_every_backend!(
    coordinators_read_their_structures_part_group_staff_all_and_cips_none,
    filters_keep_the_days_the_session_the_participant_and_the_staff_member_asked_for,
    downloads_of_sheets_histories_and_the_trail_itself_are_recorded,
    the_journal_shows_fifty_entries_a_page_and_links_to_older_ones_keeping_its_filters,
);

fn staff(user_id: i64, role: Role, structure_id: Option<i64>) -> Actor {
    Actor::Staff { user_id, role, structure_id }
}

fn actions(lines: &[AuditLine]) -> Vec<&str> {
    lines.iter().map(|line| line.action.as_str()).collect()
}

async fn coordinators_read_their_structures_part_group_staff_all_and_cips_none(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let (lille, douai) = (app.structure("Tremplin Lille").await, app.structure("Tremplin Douai").await);
    let claire = app.cip("claire@lille.fr", lille).await;
    let lea = app.staff("lea@lille.fr", Role::Coordinator, Some(lille)).await;
    let marc = app.staff("marc@groupe.fr", Role::GroupCoordinator, None).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let (yanis, _) = app.participant(douai, "Yanis").await;
    // A session organised by Douai that Amina joins; one organised by Lille that Yanis joins.
    let at_douai = app.session(&app.admin, douai, Duration::days(4), 8, json!({})).await["id"].as_i64().unwrap();
    let at_lille = app.session(&app.admin, lille, Duration::days(5), 8, json!({})).await["id"].as_i64().unwrap();
    let admin = app.admin_actor();
    app.core.enrol(&admin, at_douai, amina, Request::Normal).await.unwrap();
    app.core.enrol(&admin, at_lille, yanis, Request::Normal).await.unwrap();

    let coordinator = staff(lea.id, Role::Coordinator, Some(lille));
    let (lines, capped) = app.core.audit_trail(&coordinator, &AuditQuery::default()).await.unwrap();
    assert!(!capped);
    let enrolments: Vec<_> = lines.iter().filter(|line| line.action == "enrolled").collect();
    assert_eq!(enrolments.len(), 2, "their participant elsewhere, and their session: {:?}", actions(&lines));
    let named: Vec<_> = enrolments.iter().map(|line| line.participant.clone().unwrap()).collect();
    assert!(named.contains(&(amina, Some("Amina Test".into()))), "{named:?}");
    assert!(named.contains(&(yanis, None)), "Douai's participant, unnamed: {named:?}");
    assert!(
        lines
            .iter()
            .all(|line| line.action != "session_created" || line.session.as_ref().is_some_and(|s| s.0 == at_lille)),
        "not Douai's own session's creation: {:?}",
        actions(&lines)
    );

    let group = staff(marc.id, Role::GroupCoordinator, None);
    let (all, _) = app.core.audit_trail(&group, &AuditQuery::default()).await.unwrap();
    assert!(all.len() > lines.len());
    assert!(all.iter().filter(|l| l.action == "enrolled").all(|l| l.participant.as_ref().unwrap().1.is_some()));

    let cip = staff(claire.id, Role::Cip, Some(lille));
    assert!(matches!(app.core.audit_trail(&cip, &AuditQuery::default()).await, Err(CoreError::Forbidden)));
    let person = Actor::Participant { participant_id: amina, structure_id: lille };
    assert!(matches!(app.core.audit_trail(&person, &AuditQuery::default()).await, Err(CoreError::Forbidden)));
}

async fn filters_keep_the_days_the_session_the_participant_and_the_staff_member_asked_for(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let (karim, _) = app.participant(lille, "Karim").await;
    let id = app.session(&claire.api, lille, Duration::days(4), 8, json!({})).await["id"].as_i64().unwrap();
    let cip = staff(claire.id, Role::Cip, Some(lille));
    app.core.enrol(&cip, id, amina, Request::Normal).await.unwrap();
    app.core.enrol(&app.admin_actor(), id, karim, Request::Normal).await.unwrap();
    let admin = app.admin_actor();

    let about_amina = AuditQuery { participant: Some(amina), ..AuditQuery::default() };
    let (lines, _) = app.core.audit_trail(&admin, &about_amina).await.unwrap();
    assert_eq!(actions(&lines), ["enrolled", "participant_registered"]);
    let by_claire = AuditQuery { staff: Some(claire.id), session: Some(id), ..AuditQuery::default() };
    let (lines, _) = app.core.audit_trail(&admin, &by_claire).await.unwrap();
    assert_eq!(actions(&lines), ["enrolled", "session_created"]);
    let today = toile_server::core::views::paris(app.core.now()).date_naive();
    let until_yesterday = AuditQuery { to: today.pred_opt(), ..AuditQuery::default() };
    assert!(app.core.audit_trail(&admin, &until_yesterday).await.unwrap().0.is_empty());
    let today_only = AuditQuery { from: Some(today), to: Some(today), ..AuditQuery::default() };
    assert!(app.core.audit_trail(&admin, &today_only).await.unwrap().0.len() >= 5);
    let backwards = AuditQuery { from: Some(today), to: today.pred_opt(), ..AuditQuery::default() };
    assert!(matches!(app.core.audit_trail(&admin, &backwards).await, Err(CoreError::Invalid(_))));
}

async fn downloads_of_sheets_histories_and_the_trail_itself_are_recorded(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let lea = app.staff("lea@lille.fr", Role::Coordinator, Some(lille)).await;
    let (amina, _) = app.participant(lille, "Amina").await;
    let id = app.session(&claire.api, lille, Duration::days(4), 8, json!({})).await["id"].as_i64().unwrap();
    let cookie = |email: &'static str| {
        let base = app.base.clone();
        async move {
            sign_in_by_form(&base, "/fn/sign_in_staff", &[("email", email), ("password", "motdepasse-test")]).await
        }
    };
    let (claire_cookie, lea_cookie) = (cookie("claire@lille.fr").await, cookie("lea@lille.fr").await);
    let get = |path: String, cookie: String| {
        let base = app.base.clone();
        async move { client().get(format!("{base}{path}")).header("cookie", cookie).send().await.unwrap() }
    };
    assert_eq!(get(format!("/equipe/seances/{id}/emargement.csv"), claire_cookie.clone()).await.status(), 200);
    assert_eq!(get(format!("/equipe/participants/{amina}/historique.csv"), claire_cookie.clone()).await.status(), 200);
    assert_eq!(get("/equipe/journal.csv".into(), claire_cookie).await.status(), 403, "not for a CIP");
    let trail = get(format!("/equipe/journal.csv?participant={amina}"), lea_cookie.clone()).await;
    assert_eq!(trail.status(), 200);
    let body = trail.text().await.unwrap();
    assert!(
        body.starts_with('\u{feff}') && body.contains("Quand;Qui;Quoi;Séance;Personne accompagnée;Détails"),
        "{body}"
    );
    assert!(body.contains("historique téléchargé") && body.contains("Amina Test"), "{body}");
    assert_eq!(get("/equipe/journal.csv?du=hier".into(), lea_cookie).await.status(), 422);

    let recorded: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, actor FROM audit_log WHERE action IN ('sign_in_sheet_downloaded', 'history_exported', 'audit_exported') ORDER BY id",
    )
    .fetch_all(&app.sql)
    .await
    .unwrap();
    let (c, l) = (format!("user:{}", claire.id), format!("user:{}", lea.id));
    assert_eq!(
        recorded,
        [("sign_in_sheet_downloaded".into(), c.clone()), ("history_exported".into(), c), ("audit_exported".into(), l)]
    );
}

/// The `href` of the link whose text is `label` in `html`, unescaped.
fn link(html: &str, label: &str) -> Option<String> {
    let end = html.find(&format!(">{label}</a>"))?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].split('"').next()?.replace("&amp;", "&"))
}

async fn the_journal_shows_fifty_entries_a_page_and_links_to_older_ones_keeping_its_filters(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    app.staff("lea@lille.fr", Role::Coordinator, Some(lille)).await;
    // 120 things Claire did, ten of them in the same second (the order then follows the entry).
    for n in 0..120_i64 {
        sqlx::query("INSERT INTO audit_log (at, actor, action, details) VALUES ($1, $2, 'session_created', $3)")
            .bind(1_790_000_000 + n.min(110))
            .bind(format!("user:{}", claire.id))
            .bind(format!("entrée {n:03}"))
            .execute(&app.sql)
            .await
            .unwrap();
    }
    let cookie =
        sign_in_by_form(&app.base, "/fn/sign_in_staff", &[("email", "lea@lille.fr"), ("password", "motdepasse-test")])
            .await;
    let get = |path: String| {
        let (base, cookie) = (app.base.clone(), cookie.clone());
        async move {
            let answer = client().get(format!("{base}{path}")).header("cookie", cookie).send().await.unwrap();
            (answer.status().as_u16(), answer.text().await.unwrap())
        }
    };
    let mut address = format!("/equipe/journal?equipe={}", claire.id);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let (status, html) = get(address.clone()).await;
        assert_eq!(status, 200, "{address}");
        pages += 1;
        let entries: Vec<String> =
            html.match_indices("entrée ").map(|(at, word)| html[at..at + word.len() + 3].to_string()).collect();
        assert!(entries.len() <= 50, "{address}: {} entries", entries.len());
        seen.extend(entries);
        if pages > 1 {
            let newest = link(&html, "Revenir aux actions les plus récentes").expect("a way back to the newest");
            assert_eq!(newest, format!("/equipe/journal?equipe={}", claire.id), "the filters kept");
        }
        match link(&html, "Actions plus anciennes") {
            Some(older) => {
                assert!(older.starts_with(&format!("/equipe/journal?equipe={}&avant=", claire.id)), "{older}");
                address = older;
            }
            None => break,
        }
    }
    assert_eq!(pages, 3, "120 entries: 50, 50 and 20");
    let expected: Vec<String> = (0..120).rev().map(|n| format!("entrée {n:03}")).collect();
    assert_eq!(seen, expected, "each entry once, newest first");

    // The CSV file stays whole.
    let (status, csv) = get(format!("/equipe/journal.csv?equipe={}", claire.id)).await;
    assert_eq!(status, 200);
    assert_eq!(csv.matches("entrée ").count(), 120);
    // A page address that does not read is the visitor's mistake, in French.
    let (status, html) = get("/equipe/journal?avant=hier".into()).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Cette page du journal n&#x27;existe pas.")
            || html.contains("Cette page du journal n'existe pas."),
        "{html}"
    );
}
