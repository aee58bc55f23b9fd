//! A group set up in the browser from an admin account alone: the admin adds a structure and a
//! site and invites a CIP; the CIP chooses a password through the link, registers a participant
//! and prints their card (on a laptop with JavaScript, axe-core checking each page, the journal
//! showing what the admin did, who also makes an API token); the person
//! then signs in on a 360 px phone without JavaScript with the address the card's QR code opens,
//! and takes a seat.

use super::site_server;
use chrono::Duration;
use fantoccini::Locator;
use serde_json::json;
use tests::browser::{self, Page, Screen};
use tests::fixtures::{OPERATOR, first_admin};
use tests::process::ServerProcess;
use tests::{Store, TestApp, TestDb};

async fn accessible(page: &Page, what: &str) {
    let violations = page.accessibility_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

/// The value of the input `css` as the page shows it.
async fn value_of(page: &Page, css: &str) -> String {
    page.wait_for(Locator::Css(css)).await.prop("value").await.unwrap().unwrap_or_default()
}

#[test]
fn an_admin_sets_up_a_structure_whose_cip_registers_someone_who_signs_in_on_a_phone_without_javascript() {
    browser::run(async {
        let db = TestDb::create(Store::Sqlite).await.unwrap();
        let app = TestApp::spawn(&db).await;
        app.core.add_user(&OPERATOR, first_admin()).await.unwrap();
        let server = ServerProcess::start(&site_server(), &db.url);
        let base = server.base.as_str();

        let card_link = {
            let page = browser::page(Screen::Laptop, true).await;
            // The admin sets up a structure, a site, and invites a CIP.
            page.sign_in_staff(base, "chef@groupe.fr", "motdepasse-admin").await;
            page.link("Administration").await.click().await.unwrap();
            page.wait_for_text("L'équipe").await;
            accessible(&page, "the admin page").await;
            page.set_value("#structure-name", "Tremplin Lille").await;
            page.select("kind", "aci").await;
            page.button("Ajouter la structure").await.click().await.unwrap();
            page.wait_for_text("La structure est enregistrée.").await;
            let lille: i64 = sqlx::query_scalar("SELECT id FROM structures WHERE name = 'Tremplin Lille'")
                .fetch_one(&app.sql)
                .await
                .unwrap();
            page.click(&format!("#site-structure option[value=\"{lille}\"]")).await;
            page.set_value("#site-name", "Atelier Tremplin").await;
            page.set_value("#site-address", "12 rue des Postes").await;
            page.set_value("#site-postcode", "59000").await;
            page.set_value("#site-city", "Lille").await;
            page.button("Ajouter le lieu").await.click().await.unwrap();
            let text = page.wait_for_text("Le lieu est enregistré.").await;
            assert!(text.contains("Atelier Tremplin, 12 rue des Postes, 59000 Lille"), "{text}");
            page.set_value("#invite-name", "Claire Martin").await;
            page.set_value("#invite-email", "claire@tremplin.fr").await;
            page.click("#invite-role option[value=\"cip\"]").await;
            page.click(&format!("#invite-structure option[value=\"{lille}\"]")).await;
            page.button("Créer le compte et son lien").await.click().await.unwrap();
            page.wait_for_text("Le lien pour Claire Martin").await;
            accessible(&page, "the invitation link").await;
            let link = value_of(&page, "#lien-invitation").await;
            assert!(link.starts_with(&format!("{base}/invitation/")), "{link}");
            // What was done is in the journal.
            page.link("Journal").await.click().await.unwrap();
            let journal = page.wait_for_text("lieu créé").await;
            assert!(journal.contains("structure créée") && journal.contains("membre invité"), "{journal}");
            accessible(&page, "the journal").await;
            // The admin makes an API token for the group's spreadsheet, from their desk: shown
            // once, then listed.
            page.link("Mon espace").await.click().await.unwrap();
            page.link("Jetons d'API").await.click().await.unwrap();
            page.wait_for_text("Vous n'avez aucun jeton.").await;
            accessible(&page, "the API tokens page").await;
            page.fill("nom", "Tableur du groupe").await;
            page.button("Créer le jeton").await.click().await.unwrap();
            page.wait_for_text("Copiez-le dans votre logiciel").await;
            accessible(&page, "a new API token").await;
            assert_eq!(value_of(&page, "#jeton-secret").await.len(), 64);

            // The CIP chooses a password through the link and lands on their desk.
            page.cdp("Network.clearBrowserCookies", json!({})).await;
            page.goto(&link).await;
            page.wait_for_text("Bienvenue, Claire Martin").await;
            accessible(&page, "the invitation page").await;
            page.fill("password", "mon-mot-de-passe").await;
            page.fill("confirmation", "mon-mot-de-passe").await;
            page.button("Enregistrer et entrer").await.click().await.unwrap();
            page.wait_for_text("Mon espace").await;

            // They register a participant; a refused form keeps what was typed.
            page.link("Participants").await.click().await.unwrap();
            page.wait_for_text("Personne pour l'instant").await;
            accessible(&page, "the list of participants").await;
            page.link("Inscrire une nouvelle personne").await.click().await.unwrap();
            page.wait_for(Locator::Css("#first_name")).await;
            accessible(&page, "the registration form").await;
            page.fill("last_name", "Benali").await;
            page.eval("document.querySelector('#first_name').removeAttribute('required'); return null").await;
            page.button("Inscrire et imprimer sa carte").await.click().await.unwrap();
            page.wait_for_text("Ce champ est obligatoire.").await;
            assert_eq!(value_of(&page, "#last_name").await, "Benali");
            accessible(&page, "a refused registration").await;
            page.fill("first_name", "Amina").await;
            page.button("Inscrire et imprimer sa carte").await.click().await.unwrap();
            page.wait_for_text("Personne inscrite : sa carte").await;
            accessible(&page, "the code card").await;
            let code = page.wait_for(Locator::Id("code-personnel")).await.text().await.unwrap();
            assert_eq!(code.len(), 9, "{code}");
            let qr = page.wait_for(Locator::Css(".code-card-qr")).await;
            let link = qr.attr("data-link").await.unwrap().expect("the QR code's link");
            assert!(!link.contains(&code), "the QR code carries a link of its own, not the code: {link}");
            link
        };
        let lille: i64 = sqlx::query_scalar("SELECT id FROM structures WHERE name = 'Tremplin Lille'")
            .fetch_one(&app.sql)
            .await
            .unwrap();
        let body = json!({"title": "Atelier entretien d'embauche"});
        let session = app.session(&app.admin, lille, Duration::days(2), 8, body).await["id"].as_i64().unwrap();

        // The person scans the card's QR code on their phone, without JavaScript, and enrols.
        let page = browser::page(Screen::Phone, false).await;
        page.goto(&card_link).await;
        page.wait_for_text("Atelier entretien d'embauche").await;
        page.goto(&format!("{base}/seances/{session}")).await;
        page.button("M'inscrire").await.click().await.unwrap();
        page.wait_for_text("Votre inscription est confirmée").await;
    })
}
