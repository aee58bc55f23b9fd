//! The API's lists of sessions, participants, a session's enrolments and one's calendar links
//! come a page at a time:
//! at most 500 a page, the next page's address in the `Link` header, every item once across the
//! pages.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{TestApp, TestDb, on_every_backend};

on_every_backend!(
    the_sessions_list_comes_in_pages_linked_to_the_next_with_every_session_once,
    the_participants_list_comes_in_pages_by_name_with_no_name_in_the_link,
    a_page_size_out_of_bounds_or_an_unreadable_cursor_is_a_bad_request,
    a_sessions_enrolments_come_in_pages_in_the_order_people_came_with_their_places_in_line,
    ones_calendar_links_come_in_pages_oldest_first,
);

/// One page as the admin sees it: its items' ids and the `Link` header's address, if any.
async fn page(app: &TestApp, path: &str) -> (Vec<i64>, Option<String>) {
    page_as(app, &app.admin.token, path).await
}

async fn the_sessions_list_comes_in_pages_linked_to_the_next_with_every_session_once(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let mut made = vec![];
    // Two at the same time: the page's end falls between them, and neither is lost.
    let same = chrono::Utc::now() + Duration::days(2);
    let same = json!({"starts_at": same.to_rfc3339(), "ends_at": (same + Duration::hours(2)).to_rfc3339()});
    for days in [3, 1, 2, 2, 5] {
        let at = if days == 2 { same.clone() } else { json!({}) };
        made.push((days, app.session(&app.admin, lille, Duration::days(days), 8, at).await["id"].as_i64().unwrap()));
    }
    made.sort();
    let expected: Vec<i64> = made.iter().map(|(_, id)| *id).collect();

    let (first, next) = page(&app, "/api/v1/sessions?limit=2").await;
    assert_eq!(first, expected[..2]);
    let next = next.expect("a link to the next page");
    assert!(next.starts_with("/api/v1/sessions?limit=2&after="), "{next}");
    let (second, next) = page(&app, &next).await;
    assert_eq!(second, expected[2..4]);
    let (third, next) = page(&app, &next.unwrap()).await;
    assert_eq!((third.as_slice(), next), (&expected[4..], None), "the last page says there is no more");

    let (all, next) = page(&app, "/api/v1/sessions").await;
    assert_eq!((all, next), (expected.clone(), None), "500 by default");
    let from = (chrono::Utc::now() + Duration::days(2) - Duration::hours(1)).to_rfc3339();
    let (filtered, next) = page(&app, &format!("/api/v1/sessions?limit=1&from={}", urlencode(&from))).await;
    assert_eq!(filtered, expected[1..2]);
    let (rest, _) = page(&app, &next.unwrap()).await;
    assert_eq!(rest, expected[2..3], "the next page keeps the filters");
}

async fn the_participants_list_comes_in_pages_by_name_with_no_name_in_the_link(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let douai = app.structure("Tremplin Douai").await;
    let mut ids = vec![];
    for name in ["Yanis", "Amina", "Hugo"] {
        ids.push((name, app.participant(lille, name).await.0));
    }
    app.participant(douai, "Zoé").await;
    ids.sort();
    let expected: Vec<i64> = ids.iter().map(|(_, id)| *id).collect();
    let (first, next) = page(&app, &format!("/api/v1/participants?structure_id={lille}&limit=2")).await;
    assert_eq!(first, expected[..2], "by name");
    let next = next.expect("a next page");
    assert_eq!(next, format!("/api/v1/participants?structure_id={lille}&limit=2&after={}", expected[1]));
    let (second, next) = page(&app, &next).await;
    assert_eq!((second.as_slice(), next), (&expected[2..], None));
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

async fn a_page_size_out_of_bounds_or_an_unreadable_cursor_is_a_bad_request(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    for list in ["sessions", "participants"] {
        for query in ["limit=0", "limit=501", "limit=-3", "after=demain", "after=12_x"] {
            let (status, body) = app.admin.get(&format!("/{list}?{query}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{list}?{query}: {body}");
            assert_eq!(body["error"]["code"], "bad_request", "{list}?{query}: {body}");
        }
    }
}

async fn a_sessions_enrolments_come_in_pages_in_the_order_people_came_with_their_places_in_line(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let session = app.session(&app.admin, lille, Duration::days(3), 2, json!({})).await["id"].as_i64().unwrap();
    let mut came = vec![];
    for name in ["Yanis", "Amina", "Hugo", "Zoé", "Bilal"] {
        let (id, _) = app.participant(lille, name).await;
        let (status, _) =
            app.admin.post(&format!("/sessions/{session}/enrolments"), json!({"participant_id": id})).await;
        assert_eq!(status, 201);
        came.push(id);
    }
    let path = format!("/api/v1/sessions/{session}/enrolments");
    let mut listed = vec![];
    let mut next = Some(format!("{path}?limit=2"));
    let mut pages = 0;
    while let Some(address) = next {
        let answer =
            app.admin.client.get(format!("{}{address}", app.base)).bearer_auth(&app.admin.token).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{address}");
        next = answer.headers().get("link").map(|link| {
            let link = link.to_str().unwrap();
            link.trim_start_matches('<').split('>').next().unwrap().to_string()
        });
        if let Some(next) = &next {
            assert!(next.starts_with(&format!("{path}?limit=2&after=")), "{next}");
        }
        let page: Value = answer.json().await.unwrap();
        let page = page.as_array().unwrap().clone();
        assert!(page.len() <= 2);
        listed.extend(page);
        pages += 1;
    }
    assert!(pages >= 3, "five people, two a page: {pages} pages");
    let order: Vec<i64> = listed.iter().map(|e| e["participant_id"].as_i64().unwrap()).collect();
    assert_eq!(order, came, "everyone once, in the order they came");
    let places: Vec<Value> = listed.iter().map(|e| e["waitlist_position"].clone()).collect();
    assert_eq!(places, [Value::Null, Value::Null, json!(1), json!(2), json!(3)], "places in line count everyone");

    for bad in ["limit=0", "limit=501", "after=12", "after=a_b"] {
        let answer = app
            .admin
            .client
            .get(format!("{}{path}?{bad}", app.base))
            .bearer_auth(&app.admin.token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

async fn ones_calendar_links_come_in_pages_oldest_first(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let lille = app.structure("Tremplin Lille").await;
    let claire = app.cip("claire@lille.fr", lille).await;
    let mut made = vec![];
    for body in [
        json!({"scope": "group"}),
        json!({"scope": "structure", "structure_id": lille}),
        json!({"scope": "group", "kind": "workshop"}),
    ] {
        let (status, feed) = claire.api.post("/feeds", body).await;
        assert_eq!(status, 201, "{feed}");
        made.push(feed["id"].as_i64().unwrap());
    }
    app.admin.post("/feeds", json!({"scope": "group"})).await;
    let (first, next) = page_as(&app, &claire.api.token, "/api/v1/feeds?limit=2").await;
    assert_eq!(first, made[..2]);
    let next = next.expect("a next page");
    assert_eq!(next, format!("/api/v1/feeds?limit=2&after={}", made[1]));
    let (second, next) = page_as(&app, &claire.api.token, &next).await;
    assert_eq!((second.as_slice(), next), (&made[2..], None), "only her own, each once");
}

/// One page of a list as the owner of `token` sees it: its items' ids and the next address.
async fn page_as(app: &TestApp, token: &str, path: &str) -> (Vec<i64>, Option<String>) {
    let answer = app.admin.client.get(format!("{}{path}", app.base)).bearer_auth(token).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "{path}");
    let next = answer.headers().get("link").map(|link| {
        let link = link.to_str().unwrap();
        assert!(link.ends_with(r#">; rel="next""#), "{link}");
        link.trim_start_matches('<').split('>').next().unwrap().to_string()
    });
    let items: Value = answer.json().await.unwrap();
    (items.as_array().unwrap().iter().map(|item| item["id"].as_i64().unwrap()).collect(), next)
}
