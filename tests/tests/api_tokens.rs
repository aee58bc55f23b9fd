//! API tokens (`server/src/core/staff/api_tokens.rs`): each has a name and an end date (a year at
//! most), says when it was last used, and is listed and revoked by its owner alone, on the
//! `/equipe/jetons` page as through the core.

use chrono::Duration;
use reqwest::StatusCode;
use tests::http::{sign_in_by_form, without_redirects as client};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{Clock, CoreError};
use toile_shared::Role;
use toile_shared::authz::Actor;

on_every_backend!(
    a_token_stops_at_its_end_date_with_its_own_error_code,
    a_staff_member_lists_and_revokes_their_own_tokens_and_no_one_elses,
    a_token_has_a_name_and_lasts_a_year_at_most,
    the_tokens_page_makes_a_token_shown_once_and_revokes_it,
);

fn cip(user_id: i64, structure: i64) -> Actor {
    Actor::Staff { user_id, role: Role::Cip, structure_id: Some(structure) }
}

async fn a_token_stops_at_its_end_date_with_its_own_error_code(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let made = app.core.create_own_api_token(&cip(claire.id, lille), "Tableur", 30).await.unwrap();
    let api = app.admin.with_token(&made.token);
    assert_eq!(api.get("/me").await.0, StatusCode::OK);

    let clock = Clock::system();
    let later = app.core.with_clock(clock.clone());
    clock.advance(Duration::days(29));
    later.actor_for_api_token(&made.token).await.expect("within its thirty days");
    clock.advance(Duration::days(2));
    let ended = later.actor_for_api_token(&made.token).await;
    assert!(matches!(ended, Err(CoreError::TokenExpired)), "{ended:?}");

    // Through the API: a 401 that says why, so a script's owner knows to make another.
    sqlx::query("UPDATE api_tokens SET expires_at = 1 WHERE id = $1").bind(made.id).execute(&app.sql).await.unwrap();
    let (status, body) = api.get("/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "token_expired", "{body}");
}

async fn a_staff_member_lists_and_revokes_their_own_tokens_and_no_one_elses(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let hugo = app.cip("hugo@lille.fr", lille).await;
    let (claire_actor, hugo_actor) = (cip(claire.id, lille), cip(hugo.id, lille));
    let script = app.core.create_own_api_token(&claire_actor, "Script du lundi", 90).await.unwrap();
    let theirs = app.core.create_own_api_token(&hugo_actor, "Tableur", 90).await.unwrap();
    let api = app.admin.with_token(&script.token);
    assert_eq!(api.get("/me").await.0, StatusCode::OK);

    let mine = app.core.my_api_tokens(&claire_actor).await.unwrap();
    let names: Vec<&str> = mine.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(names, ["Script du lundi", "tests"], "newest first, Hugo's not among them");
    assert!(mine[0].last_used_at.is_some(), "its use is recorded");
    let ends = mine[0].expires_at.unwrap() - mine[0].created_at;
    assert_eq!(ends, Duration::days(90));

    let not_mine = app.core.revoke_my_api_token(&claire_actor, theirs.id).await;
    assert!(matches!(not_mine, Err(CoreError::NotFound(_))), "{not_mine:?}");
    assert_eq!(app.admin.with_token(&theirs.token).get("/me").await.0, StatusCode::OK, "Hugo's still works");
    app.core.revoke_my_api_token(&claire_actor, script.id).await.unwrap();
    assert_eq!(api.get("/me").await.0, StatusCode::UNAUTHORIZED, "revoked: it stops at once");
    let logged: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'api_token%' AND actor = $1 ORDER BY id")
            .bind(format!("user:{}", claire.id))
            .fetch_all(&app.sql)
            .await
            .unwrap();
    assert_eq!(logged, ["api_token_created", "api_token_revoked"]);
}

async fn a_token_has_a_name_and_lasts_a_year_at_most(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let me = cip(claire.id, lille);
    for (name, days) in
        [("  ", 30), ("Tableur\u{0}", 30), (&"x".repeat(81) as &str, 30), ("Tableur", 0), ("Tableur", 366)]
    {
        let refused = app.core.create_own_api_token(&me, name, days).await;
        assert!(matches!(refused, Err(CoreError::Invalid(_))), "{name:?} for {days} days: {refused:?}");
    }
    app.core.create_own_api_token(&me, "Tableur", 365).await.expect("a year");
    let other = app.core.create_api_token(&me, "chef@groupe.fr", "Tableur", 30).await;
    assert!(matches!(other, Err(CoreError::NotFound(_))), "{other:?}");
    app.staff("lea@lille.fr", Role::Coordinator, Some(lille)).await;
    let for_lea = app.core.create_api_token(&me, "lea@lille.fr", "Tableur", 30).await;
    assert!(matches!(for_lea, Err(CoreError::Forbidden)), "a token for someone else is an admin's: {for_lea:?}");
}

async fn the_tokens_page_makes_a_token_shown_once_and_revokes_it(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let cookie = sign_in_by_form(
        &app.base,
        "/fn/sign_in_staff",
        &[("email", "claire@lille.fr"), ("password", "motdepasse-test")],
    )
    .await;
    let post = |form: Vec<(&'static str, String)>| {
        let (base, cookie) = (app.base.clone(), cookie.clone());
        async move {
            client()
                .post(format!("{base}/equipe/jetons"))
                .header("cookie", cookie)
                .header("origin", &base)
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let refused = post(vec![("action", "creer".into()), ("nom", " ".into()), ("jours", "90".into())]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("Donnez un nom au jeton"));

    let made = post(vec![("action", "creer".into()), ("nom", "Tableur <b>".into()), ("jours", "90".into())]).await;
    assert_eq!(made.status(), 200);
    assert_eq!(made.headers()["cache-control"], "no-store", "the secret is kept by no cache");
    let html = made.text().await.unwrap();
    let token = html
        .split(r#"id="jeton-secret""#)
        .nth(1)
        .and_then(|rest| rest.split(r#"value=""#).nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("the token is shown: {html}"));
    assert_eq!(token.len(), 64);
    assert!(html.contains("Tableur &lt;b&gt;") && !html.contains("Tableur <b>"), "{html}");
    assert_eq!(app.admin.with_token(token).get("/me").await.0, StatusCode::OK);

    let page = client().get(format!("{}/equipe/jetons", app.base)).header("cookie", &cookie).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("Valable jusqu'au") && !page.contains(token), "listed, never shown again: {page}");
    let id = app.core.my_api_tokens(&cip(claire.id, lille)).await.unwrap()[0].id;
    let revoked = post(vec![("action", "revoquer".into()), ("jeton", id.to_string())]).await;
    assert_eq!(revoked.status(), 303);
    assert_eq!(revoked.headers()["location"], "/equipe/jetons?fait=revoque");
    assert_eq!(app.admin.with_token(token).get("/me").await.0, StatusCode::UNAUTHORIZED);
}
