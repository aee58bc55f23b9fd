//! Fixtures shared by the integration tests: sample sessions, every output shape, hostile text,
//! and what a parser should read back (written from the escaping policy, not from the code).
#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use toile_calendar::{CalendarEvent, FeedMeta, Organizer, render_feed, render_single_event};

/// A Paris wall-clock time (unambiguous ones only) as an instant.
pub fn paris(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("unambiguous Paris time").with_timezone(&Utc)
}

pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

pub fn cip() -> Organizer {
    Organizer { name: "Léa Martin (ACI \"Les Jardins\")".into(), email: "lea.martin@jardins.example".into() }
}

/// Sessions on both sides of the 2026 daylight-saving changes (29 March, 25 October), plus a
/// cancelled one, an updated one (SEQUENCE > 0), long accented text, and one starting in the
/// hour that repeats when clocks go back.
pub fn sample_events() -> Vec<CalendarEvent> {
    let base = CalendarEvent {
        uid: String::new(),
        sequence: 0,
        last_modified: utc(2026, 2, 10, 8, 15),
        starts_at: utc(2026, 1, 1, 0, 0),
        ends_at: utc(2026, 1, 1, 0, 0),
        summary: String::new(),
        location: None,
        description: String::new(),
        url: None,
        categories: vec![],
        cancelled: false,
        organizer: None,
    };
    vec![
        CalendarEvent {
            uid: "session-101@toile.test".into(),
            starts_at: paris(2026, 3, 27, 10, 0),
            ends_at: paris(2026, 3, 27, 12, 0),
            summary: "Atelier CV".into(),
            location: Some("ACI Les Jardins, 12 rue des Lilas, 93100 Montreuil".into()),
            description: "Apportez votre CV, même s'il n'est pas à jour.\nUne clé USB si vous en avez une.".into(),
            url: Some("https://toile.test/sessions/101".into()),
            categories: vec!["Atelier TRE".into()],
            organizer: Some(cip()),
            ..base.clone()
        },
        CalendarEvent {
            uid: "session-102@toile.test".into(),
            starts_at: paris(2026, 3, 30, 9, 30),
            ends_at: paris(2026, 3, 30, 11, 0),
            summary: "Information collective : métiers de la logistique".into(),
            location: Some("EI Trans'Pro, 4 avenue Jean Jaurès, 69007 Lyon".into()),
            description: "Présentation des postes, des horaires et des formations.".into(),
            url: Some("https://toile.test/sessions/102".into()),
            categories: vec!["Information collective".into(), "Logistique".into()],
            ..base.clone()
        },
        CalendarEvent {
            uid: "session-103@toile.test".into(),
            sequence: 2,
            last_modified: utc(2026, 9, 30, 16, 45),
            starts_at: paris(2026, 10, 23, 14, 0),
            ends_at: paris(2026, 10, 23, 16, 0),
            summary: "Visite d'entreprise — Boulangerie « Au bon pain »; équipe du matin, CDD\\CDI".into(),
            location: Some("Boulangerie Au bon pain, 3 place de l'Église, 44000 Nantes".into()),
            description: "Rendez-vous devant la boutique.\n\nChaussures fermées obligatoires ; pas de bijoux, merci !\nTrajet : tram 1, arrêt « Commerce ». Durée ≈ 2 h. 🥖".into(),
            url: Some("https://toile.test/sessions/103".into()),
            categories: vec!["Visite d'entreprise".into()],
            organizer: Some(cip()),
            ..base.clone()
        },
        CalendarEvent {
            uid: "session-104@toile.test".into(),
            sequence: 1,
            last_modified: utc(2026, 10, 20, 7, 0),
            starts_at: paris(2026, 10, 26, 9, 0),
            ends_at: paris(2026, 10, 26, 12, 0),
            summary: "Job dating restauration".into(),
            location: Some("https://visio.example/room/jobdating-104".into()),
            description: "Séance annulée : le restaurant partenaire a fermé.".into(),
            url: Some("https://toile.test/sessions/104".into()),
            categories: vec!["Job dating".into()],
            cancelled: true,
            ..base.clone()
        },
        CalendarEvent {
            uid: "session-105@toile.test".into(),
            // 00:30 UTC = 02:30 CEST and 01:30 UTC = 02:30 CET: both in the hour repeated when
            // clocks go back, which clients read differently as local times (written in UTC).
            starts_at: utc(2026, 10, 25, 0, 30),
            ends_at: utc(2026, 10, 25, 1, 30),
            summary: "Permanence de nuit (changement d'heure)".into(),
            description: String::new(),
            ..base.clone()
        },
    ]
}

pub fn sample_meta() -> FeedMeta {
    FeedMeta {
        name: "Programme du groupe — Île-de-France; CIP, coordinateurs".into(),
        description: Some("Ateliers collectifs du groupe.\nMis à jour toutes les heures.".into()),
        refresh: Duration::from_secs(3600),
        method_publish: false,
    }
}

/// One rendered output of each shape the crate produces, by name.
pub fn shapes() -> Vec<(&'static str, String, Vec<CalendarEvent>)> {
    let events = sample_events();
    let publish_meta =
        FeedMeta { method_publish: true, refresh: Duration::from_secs(900), ..FeedMeta::new("Mes ateliers") };
    vec![
        ("feed", render_feed(&sample_meta(), &events), events.clone()),
        ("feed-empty-publish", render_feed(&publish_meta, &[]), vec![]),
        ("single-event", render_single_event(&events[0]), vec![events[0].clone()]),
        ("single-event-cancelled", render_single_event(&events[3]), vec![events[3].clone()]),
    ]
}

// ---------------------------------------------------------------------------------------------
// What a parser must read back.

/// The escaping policy, restated: CRLF/CR/LF/U+2028/U+2029 are line breaks (kept in
/// DESCRIPTION, spaces elsewhere), tabs become spaces, other control characters disappear.
/// (Categories and the organizer's name also trade `\` for `/`: see `expected`.)
pub fn clean(text: &str, keep_breaks: bool) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => Some(if keep_breaks { '\n' } else { ' ' }),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn visible(text: &str) -> bool {
    text.chars().any(|c| !c.is_control() && !c.is_whitespace() && !matches!(c, '\u{2028}' | '\u{2029}'))
}

fn clean_uri(uri: &str) -> String {
    uri.trim()
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}'))
        .collect::<String>()
        .replace(' ', "%20")
}

/// An event as a parser should read it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    pub uid: String,
    pub sequence: u32,
    pub status: &'static str,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub categories: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub dtstamp: DateTime<Utc>,
    pub organizer_email: Option<String>,
}

pub fn expected(e: &CalendarEvent) -> Expected {
    let url = e.url.as_deref().filter(|u| visible(u)).map(clean_uri);
    let description = match (visible(&e.description), &url) {
        (true, Some(url)) => Some(format!("{}\n\n{url}", clean(&e.description, true))),
        (true, None) => Some(clean(&e.description, true)),
        (false, Some(url)) => Some(url.clone()),
        (false, None) => None,
    };
    Expected {
        uid: clean(&e.uid, false),
        sequence: e.sequence,
        status: if e.cancelled { "CANCELLED" } else { "CONFIRMED" },
        summary: clean(&e.summary, false),
        location: e.location.as_deref().filter(|l| visible(l)).map(|l| clean(l, false)),
        description,
        url,
        categories: e.categories.iter().filter(|c| visible(c)).map(|c| clean(c, false).replace('\\', "/")).collect(),
        start: truncate(e.starts_at),
        end: (e.ends_at > e.starts_at).then(|| truncate(e.ends_at)),
        dtstamp: truncate(e.last_modified),
        organizer_email: e
            .organizer
            .as_ref()
            .filter(|o| visible(&o.email))
            .map(|o| format!("mailto:{}", clean_uri(&o.email))),
    }
}

fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Hostile input.

/// Characters that have broken iCalendar writers: format delimiters, every kind of line break,
/// control characters, quotes and carets (parameters), and multi-byte text to fold through.
const HOSTILE: &[&str] = &[
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\0",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{9f}",
    "\u{2028}",
    "\u{2029}",
    ";",
    ",",
    "\\",
    "\\n",
    "\\,",
    ":",
    "\"",
    "^",
    "^n",
    "^'",
    "'",
    "=",
    "é",
    "È",
    "ç",
    "œ",
    "’",
    "« ",
    " »",
    "🎉",
    "👩🏽‍💻",
    "🇫🇷",
    "漢字",
    " ",
    "  ",
    "a",
    "Z",
    "0",
    "BEGIN:VEVENT",
    "END:VCALENDAR",
    "\r\nEND:VEVENT\r\n",
    "DTSTART:19700101T000000Z",
    "Atelier « CV » à Saint-Étienne-du-Rouvray, équipe d’accueil ",
];

/// Text assembled from hostile pieces, sometimes long enough to fold many times, sometimes
/// arbitrary Unicode (control characters included).
pub fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::collection::vec(proptest::sample::select(HOSTILE), 0..40)
            .prop_map(|pieces| pieces.concat()),
        1 => proptest::collection::vec(proptest::sample::select(HOSTILE), 40..160)
            .prop_map(|pieces| pieces.concat()),
        1 => any::<String>(),
    ]
}

prop_compose! {
    /// An event whose every user-typed field is hostile; `index` keeps UIDs distinct.
    pub fn hostile_event(index: usize)(
        summary in hostile_text(),
        location in proptest::option::of(hostile_text()),
        description in hostile_text(),
        categories in proptest::collection::vec(hostile_text(), 0..4),
        organizer_name in hostile_text(),
        cancelled in any::<bool>(),
        sequence in 0u32..5,
        start_minutes in 0i64..(60 * 24 * 365 * 3),
        duration_minutes in 0i64..600,
    ) -> CalendarEvent {
        let starts_at = utc(2025, 1, 1, 0, 0) + chrono::Duration::minutes(start_minutes);
        CalendarEvent {
            uid: format!("hostile-{index};a,b\\c@toile.test"),
            sequence,
            last_modified: utc(2024, 12, 1, 12, 0),
            starts_at,
            ends_at: starts_at + chrono::Duration::minutes(duration_minutes),
            summary,
            location,
            description,
            url: Some(format!("https://toile.test/sessions/{index}?a=1,b;c")),
            categories,
            cancelled,
            organizer: Some(Organizer { name: organizer_name, email: "cip@toile.test".into() }),
        }
    }
}

/// `count` hostile events from a fixed seed (same events on every run, so failures replay).
pub fn hostile_events(count: usize) -> Vec<CalendarEvent> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    (0..count).map(|i| hostile_event(i).new_tree(&mut runner).unwrap().current()).collect()
}

/// Whether every physical line ends in CRLF, has no bare CR/LF, and fits in 75 octets.
pub fn assert_well_formed_lines(ics: &str) {
    assert!(ics.ends_with("\r\n"), "output must end with CRLF");
    for (n, line) in ics[..ics.len() - 2].split("\r\n").enumerate() {
        assert!(!line.contains('\r') && !line.contains('\n'), "line {n} has a bare CR or LF: {line:?}");
        assert!(line.len() <= 75, "line {n} is {} octets: {line:?}", line.len());
        assert!(!line.chars().any(|c| c.is_control()), "line {n} has a control character: {line:?}");
        assert!(!line.is_empty(), "line {n} is empty");
    }
}

/// Midnight UTC of a date (for windows and loops in tests).
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub mod rust_parser;

/// Like `assert_eq!(read, want)`, but names the first differing event and field instead of
/// printing hundreds of events.
pub fn assert_same_events(read: &[Expected], want: &[Expected], label: &str) {
    let uids = |events: &[Expected]| events.iter().map(|e| e.uid.clone()).collect::<Vec<_>>();
    assert_eq!(uids(read), uids(want), "{label}: UIDs (and count, order)");
    for (r, w) in read.iter().zip(want) {
        macro_rules! field {
            ($f:ident) => {
                assert_eq!(r.$f, w.$f, "{label}: {} of {}", stringify!($f), w.uid);
            };
        }
        field!(sequence);
        field!(status);
        field!(summary);
        field!(location);
        field!(description);
        field!(url);
        field!(categories);
        field!(start);
        field!(end);
        field!(dtstamp);
        field!(organizer_email);
    }
}
