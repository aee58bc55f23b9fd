//! The figures page in Chromium, on the demo's twelve weeks of past sessions, as the group's
//! coordinator reads it: on a phone (360 px) and a laptop (1280 px), with JavaScript off and on.
//! Every chart is an image with a name; axe-core finds nothing; the phone page does not scroll
//! sideways; the plain form narrows the figures to a structure; a table downloads as a CSV file
//! with its header.

use super::site_server;
use fantoccini::Locator;
use tests::browser::{self, Screen};
use tests::http::{get_as, sign_in_by_form};
use tests::process::ServerProcess;
use tests::{Store, TestApp, TestDb};
use toile_server::seed::DEMO_PASSWORD;

const COORDINATOR: &str = "coordination@demo.toile.fr";

#[test]
fn a_coordinator_reads_the_figures_on_a_phone_and_a_laptop_with_and_without_javascript() {
    browser::run(async {
        let db = TestDb::create(Store::Sqlite).await.unwrap();
        let app = TestApp::spawn(&db).await;
        toile_server::seed::demo(&app.core).await.unwrap();
        let structures = app.core.structures(&app.admin_actor()).await.unwrap();
        let tremplin = structures.iter().find(|s| s.name == "Tremplin 59").unwrap().id;
        let server = ServerProcess::start(&site_server(), &db.url);
        let base = server.base.as_str();

        for (screen, javascript) in
            [(Screen::Phone, false), (Screen::Phone, true), (Screen::Laptop, false), (Screen::Laptop, true)]
        {
            let seen = format!("{screen:?}, JavaScript {}", if javascript { "on" } else { "off" });
            let page = browser::page(screen, javascript).await;
            page.sign_in_staff(base, COORDINATOR, DEMO_PASSWORD).await;
            page.link("Chiffres").await.click().await.unwrap();
            let text = page.wait_for_text("Mutualisation entre structures").await;
            assert!(text.contains("Tout le groupe") && text.contains("séances tenues"), "{seen}: {text}");
            // The demo's past sessions fall in the last three months whatever the day of the run.
            assert!(text.contains(" % des places occupées de "), "the demo's last three months: {text}");
            // Each bar chart is drawn for a wide screen and for a phone, CSS showing one.
            let mut named = 0;
            for chart in page.client.find_all(Locator::Css("svg[role='img'][aria-labelledby]")).await.unwrap() {
                if chart.is_displayed().await.unwrap() && chart.find(Locator::Css("title")).await.is_ok() {
                    named += 1;
                }
            }
            assert_eq!(named, 4, "{seen}: four charts shown, each named");
            let tables = page.client.find_all(Locator::Css("main table")).await.unwrap();
            assert!(tables.len() >= 7, "{seen}: the numbers in tables too");
            if javascript {
                let violations = page.accessibility_violations().await;
                assert!(violations.is_empty(), "{seen}: {violations:#?}");
                let overflow = page.eval("return document.documentElement.scrollWidth - window.innerWidth").await;
                assert!(overflow.as_i64().unwrap() <= 0, "{seen}: the page scrolls sideways by {overflow} px");
            }
            // One structure's figures, through the plain GET form.
            page.select("structure", &tremplin.to_string()).await;
            page.button("Afficher").await.click().await.unwrap();
            let text = page.wait_for_text("Tremplin 59, du ").await;
            assert!(text.contains("Places données et reçues"), "{seen}: {text}");
            if javascript {
                let violations = page.accessibility_violations().await;
                assert!(violations.is_empty(), "{seen}, one structure: {violations:#?}");
            }
        }

        let cookie =
            sign_in_by_form(base, "/fn/sign_in_staff", &[("email", COORDINATOR), ("password", DEMO_PASSWORD)]).await;
        let csv = get_as(&format!("{base}/equipe/chiffres.csv?tableau=structures"), &cookie).await;
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.unwrap();
        let header = text.lines().next().unwrap();
        assert_eq!(
            header,
            "\u{feff}Structure organisatrice;Séances tenues;Places;Places prises;Remplissage (%);Présents;Absents;Excusés;Non renseignés;Présence (%)"
        );
        assert!(text.lines().any(|line| line.starts_with("Tremplin 59;")), "{text}");
    })
}
