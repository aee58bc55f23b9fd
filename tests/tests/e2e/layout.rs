//! Every page's layout, looked at in Chromium on the demo: each page of `tests::pages::PAGES`, as
//! each visitor who may open it (signed out, the participant, a CIP, the group's coordinator,
//! the admin: `VISITORS`), and its refusal page (403, 404) as the first visitor who gets one, at
//! 320 px with JavaScript off and on and at 1280 px with it on. A page must be no wider than the window; no text may sit squeezed in a
//! column (narrower than 40 px and taller than 150 px: a word written one letter per line),
//! clipped, smaller than 12 px, or over the header; `html` and `body` must not hide what
//! overflows them. Only the regions made to scroll sideways (`SCROLLED`) may hold text wider
//! than the page. Pages that only redirect (`/`, the old programme address) are seen where they
//! lead; pages that answer 404 are looked at as their French error page.

use super::site_server;
use serde_json::{Value, json};
use tests::browser::{self, Screen};
use tests::http::{DEMO_PARTICIPANT_CODE, first_session, get_as, sign_in_by_form, without_redirects};
use tests::pages::PAGES;
use tests::process::ServerProcess;
use tests::{Store, TestApp, TestDb};
use toile_server::seed::DEMO_PASSWORD;

/// The regions made to scroll sideways on a phone, by their CSS selector: the heat map and the
/// figures' wide pooling table. Text inside them may be wider than the window.
const SCROLLED: &[&str] = &[".chart-scroll"];

/// Who looks at the pages.
const VISITORS: [(&str, Visitor); 5] = [
    ("signed out", Visitor::Nobody),
    ("the participant", Visitor::Participant),
    ("a CIP", Visitor::Staff("claire.martin@demo.toile.fr")),
    ("the group's coordinator", Visitor::Staff("coordination@demo.toile.fr")),
    ("the admin", Visitor::Staff("admin@demo.toile.fr")),
];

#[derive(Clone, Copy)]
enum Visitor {
    Nobody,
    Participant,
    Staff(&'static str),
}

/// What is wrong with the page as laid out now: one sentence per problem. `arguments[0]` lists
/// the regions made to scroll.
const LOOK: &str = r#"
const scrolled = arguments[0];
const problems = [];
const say = (el, what) => {
  const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  problems.push(`${what}: <${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ' class="' + el.className + '"' : ''}> « ${text} »`);
};
const root = document.documentElement;
if (root.scrollWidth > window.innerWidth) {
  problems.push(`la page fait ${root.scrollWidth} px de large pour une fenêtre de ${window.innerWidth} px`);
}
for (const el of [root, document.body]) {
  const style = getComputedStyle(el);
  if (['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY)) {
    problems.push(`overflow: hidden sur <${el.tagName.toLowerCase()}>`);
  }
}
// Hidden on purpose (visually hidden for screen readers, display: none, closed details).
const unseen = (el) => {
  for (let e = el; e && e !== document.body; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.display === 'none' || style.visibility === 'hidden') return true;
    if (style.clip && style.clip !== 'auto') return true;
    if (style.clipPath && style.clipPath !== 'none') return true;
  }
  return el.getClientRects().length === 0;
};
const header = document.querySelector('.site-header');
const top = header ? header.getBoundingClientRect() : null;
const holdsText = (el) => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== '');
for (const el of document.body.querySelectorAll('*')) {
  if (!holdsText(el) || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE', 'DESC', 'OPTION'].includes(el.tagName.toUpperCase())) continue;
  if (unseen(el)) continue;
  const rect = el.getBoundingClientRect();
  const inScroll = scrolled.some(s => el.closest(s));
  if (!inScroll && rect.width < 40 && rect.height > 150) say(el, `texte serré dans ${Math.round(rect.width)} px de large sur ${Math.round(rect.height)} px de haut`);
  if (!inScroll && rect.right > window.innerWidth + 1) say(el, `texte qui dépasse la fenêtre de ${Math.round(rect.right - window.innerWidth)} px`);
  const style = getComputedStyle(el);
  let size = parseFloat(style.fontSize);
  const svg = el.closest('svg');
  if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width > 0) {
    size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  }
  if (size < 11.95) say(el, `texte de ${size.toFixed(1)} px`);
  const clips = (o) => ['hidden', 'clip'].includes(o);
  if (!svg && ((clips(style.overflowX) && el.scrollWidth > el.clientWidth + 1) || (clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1))) {
    say(el, 'texte coupé');
  }
  if (top && header && !header.contains(el) && rect.top < top.bottom - 1 && rect.bottom > top.top + 1) {
    say(el, "texte sur l'en-tête");
  }
}
return problems;
"#;

#[test]
fn every_page_fits_a_phone_and_a_laptop_with_and_without_javascript() {
    browser::run(async {
        let db = TestDb::create(Store::Sqlite).await.unwrap();
        let app = TestApp::spawn(&db).await;
        toile_server::seed::demo(&app.core).await.unwrap();
        let server = ServerProcess::start(&site_server(), &db.url);
        let base = server.base.as_str();

        // Each visitor's sign-in cookie (none when signed out).
        let mut cookies = Vec::new();
        for (_, visitor) in VISITORS {
            cookies.push(match visitor {
                Visitor::Nobody => None,
                Visitor::Participant => {
                    Some(sign_in_by_form(base, "/fn/sign_in_participant", &[("code", DEMO_PARTICIPANT_CODE)]).await)
                }
                Visitor::Staff(email) => Some(
                    sign_in_by_form(base, "/fn/sign_in_staff", &[("email", email), ("password", DEMO_PASSWORD)]).await,
                ),
            });
        }
        // The participant's first session (with people in it) and a participant of the CIP's
        // structure fill the addresses.
        let session = first_session(base, cookies[1].as_ref().unwrap()).await;
        let session = session.rsplit('/').next().unwrap().to_string();
        let list = get_as(&format!("{base}/equipe/participants"), cookies[2].as_ref().unwrap()).await;
        let list = list.text().await.unwrap();
        let enrolled: String = list
            .split("href=\"/equipe/participants/")
            .skip(1)
            .map(|after| after.chars().take_while(char::is_ascii_digit).collect::<String>())
            .find(|id| !id.is_empty())
            .expect("a participant's record linked from /equipe/participants");

        // Each page with the visitor it is looked at as.
        let mut looked_at = Vec::new();
        for page in PAGES {
            let address = page
                .address
                .replace("{session}", &session)
                .replace("{enrolled}", &enrolled)
                .replace("{unknown}", "999999")
                .replace("{secret}", "Zx8pQ2vR7mN4kL9sT3wY6bH1")
                .replace("{invitation}", "Zx8pQ2vR7mN4kL9sT3wY6bH1");
            let mut statuses = Vec::new();
            for cookie in &cookies {
                let mut request = without_redirects().get(format!("{base}{address}")).header("accept", "text/html");
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                statuses.push(request.send().await.unwrap().status().as_u16());
            }
            // Everyone who may open it, and its French refusal page once (to whoever gets it first).
            let mut lookers: Vec<usize> = (0..VISITORS.len()).filter(|v| statuses[*v] == 200).collect();
            lookers.extend([403, 404].iter().filter_map(|refused| statuses.iter().position(|s| s == refused)));
            if lookers.is_empty() {
                assert!(statuses.iter().all(|s| (300..400).contains(s)), "{address}: {statuses:?}");
            }
            looked_at.extend(lookers.into_iter().map(|visitor| (address.clone(), visitor)));
        }
        assert!(looked_at.len() >= 60, "every page and visitor: {looked_at:?}");

        let mut wrong = Vec::new();
        for (screen, javascript) in [(Screen::SmallPhone, false), (Screen::SmallPhone, true), (Screen::Laptop, true)] {
            let seen = format!("{screen:?}, JavaScript {}", if javascript { "on" } else { "off" });
            let page = browser::page(screen, javascript).await;
            for (address, visitor) in &looked_at {
                page.cdp("Network.clearBrowserCookies", json!({})).await;
                if let Some(cookie) = &cookies[*visitor] {
                    let (name, value) = cookie.split_once('=').unwrap();
                    page.cdp("Network.setCookie", json!({"url": base, "name": name, "value": value})).await;
                }
                page.goto(&format!("{base}{address}")).await;
                // Pages that bring the browser bundle are looked at once it has taken them over.
                let bundled = "return [...document.scripts].some(s => (s.src || s.textContent).includes('/pkg/'))";
                if javascript && page.eval(bundled).await == json!(true) {
                    page.wait_for_hydration().await;
                }
                let problems = page.client.execute(LOOK, vec![json!(SCROLLED)]).await.unwrap();
                for problem in problems.as_array().into_iter().flatten().filter_map(Value::as_str) {
                    wrong.push(format!("{address} ({}, {seen}): {problem}", VISITORS[*visitor].0));
                }
            }
        }
        assert!(wrong.is_empty(), "pages laid out badly:\n{}", wrong.join("\n"));
    })
}
