//! A participant's first day in Toile: a CIP registers them and prints their card (on a laptop
//! with JavaScript, axe-core checking each page), then the person signs in on a 360 px phone
//! without JavaScript with the address the card's QR code opens, and takes a seat.

use super::site_server;
use chrono::Duration;
use fantoccini::Locator;
use serde_json::json;
use tests::browser::{self, Page, Screen};
use tests::process::ServerProcess;
use tests::{Store, TestApp, TestDb};

async fn accessible(page: &Page, what: &str) {
    let violations = page.accessibility_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

#[test]
fn a_cip_registers_someone_whose_card_signs_them_in_on_a_phone_without_javascript() {
    browser::run(async {
        let db = TestDb::create(Store::Sqlite).await.unwrap();
        let app = TestApp::spawn(&db).await;
        let lille = app.structure("Tremplin Lille").await;
        app.cip("cip.a@tremplin.fr", lille).await;
        let body = json!({"title": "Atelier entretien d'embauche"});
        let session = app.session(&app.admin, lille, Duration::days(2), 8, body).await["id"].as_i64().unwrap();
        let server = ServerProcess::start(&site_server(), &db.url);
        let base = server.base.as_str();

        let code = {
            let page = browser::page(Screen::Laptop, true).await;
            page.sign_in_staff(base, "cip.a@tremplin.fr", "motdepasse-test").await;
            page.link("Participants").await.click().await.unwrap();
            page.wait_for_text("Personne pour l'instant").await;
            accessible(&page, "the list of participants").await;
            page.link("Inscrire une nouvelle personne").await.click().await.unwrap();
            page.wait_for(Locator::Css("#first_name")).await;
            accessible(&page, "the registration form").await;
            // A refused form keeps what was typed.
            page.fill("last_name", "Benali").await;
            page.eval("document.querySelector('#first_name').removeAttribute('required'); return null").await;
            page.button("Inscrire et imprimer sa carte").await.click().await.unwrap();
            page.wait_for_text("Ce champ est obligatoire.").await;
            let last_name = page.wait_for(Locator::Css("#last_name")).await;
            assert_eq!(last_name.prop("value").await.unwrap().as_deref(), Some("Benali"));
            accessible(&page, "a refused registration").await;
            page.fill("first_name", "Amina").await;
            page.button("Inscrire et imprimer sa carte").await.click().await.unwrap();
            page.wait_for_text("Personne inscrite : sa carte").await;
            accessible(&page, "the code card").await;
            let code = page.wait_for(Locator::Id("code-personnel")).await.text().await.unwrap();
            assert_eq!(code.len(), 9, "{code}");
            code
        };

        let page = browser::page(Screen::Phone, false).await;
        page.goto(&format!("{base}/connexion?code={code}")).await;
        let typed = page.wait_for(Locator::Id("code")).await;
        assert_eq!(typed.prop("value").await.unwrap().as_deref(), Some(code.as_str()), "the card's code is filled in");
        page.button("Me connecter").await.click().await.unwrap();
        page.wait_for_text("Atelier entretien d'embauche").await;
        page.goto(&format!("{base}/seances/{session}")).await;
        page.button("M'inscrire").await.click().await.unwrap();
        page.wait_for_text("Votre inscription est confirmée").await;
    })
}
