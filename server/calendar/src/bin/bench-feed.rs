//! Feed rendering and 304 benchmark, with baselines measured in the same run.
//!
//! `cargo run --release -p toile-calendar --bin bench-feed [-- --quick]`
//!
//! Prints a Markdown table (p50/p99 over many iterations) and the ratios to the baselines:
//! - baseline "plain format!": the same fields concatenated with `write!`, no escaping, folding
//!   or time zone conversion — the cost of just producing that many bytes;
//! - 304 paths, given a cache that already holds the body and ETag: by `toile_calendar::Fingerprint` (hash the
//!   inputs after loading them) and by a caller's own cheap key (e.g. feed id + max change time).
//!
//! Targets from the issue: a 500-event feed ≤ 5 ms, a 304 ≤ 1 ms.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use toile_calendar::{
    CalendarEvent, FeedMeta, Organizer, RenderCache, RenderedCalendar, etag, etag_matches, render_feed,
};

const SUMMARIES: &[&str] = &[
    "Atelier CV : mettre en valeur son expérience",
    "Information collective — métiers de la logistique",
    "Simulation d'entretien d'embauche",
    "Intervention d'entreprise : Boulangerie « Au bon pain »",
    "Visite d'entreprise, plateforme de tri, Saint-Étienne-du-Rouvray",
    "Job dating restauration; CDD/CDI",
    "Atelier numérique : créer son espace France Travail",
];

const PLACES: &[&str] = &[
    "ACI Les Jardins de Cocagne, 12 rue des Lilas, 93100 Montreuil",
    "EI Trans'Pro, 4 avenue Jean Jaurès, 69007 Lyon",
    "Boulangerie Au bon pain, 3 place de l'Église, 44000 Nantes",
    "https://visio.example/room/atelier-numerique",
];

const DESCRIPTION: &str = "Présentation des postes, des horaires et des formations proposées.\n\
Apportez votre CV, même s'il n'est pas à jour, et une pièce d'identité.\n\
Accès : tram 1, arrêt « Commerce » ; l'entrée est à gauche du bâtiment, au 1er étage.\n\
Durée ≈ 2 h. Pensez à prévenir votre conseiller·ère si vous ne pouvez pas venir.";

const KINDS: &[&str] =
    &["Atelier TRE", "Intervention d'entreprise", "Information collective", "Visite d'entreprise", "Job dating"];

fn events(count: usize) -> Vec<CalendarEvent> {
    let first = Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).unwrap();
    (0..count)
        .map(|i| {
            // Spread over a year (both DST changes), at varied times of day.
            let starts_at = first
                + chrono::Duration::hours((i as i64 * 17) % (365 * 24))
                + chrono::Duration::minutes((i as i64 % 4) * 15);
            CalendarEvent {
                uid: format!("session-{i}@toile.example"),
                sequence: (i % 3) as u32,
                last_modified: Utc.with_ymd_and_hms(2025, 12, 1, 10, 0, 0).unwrap()
                    + chrono::Duration::minutes(i as i64),
                starts_at,
                ends_at: starts_at + chrono::Duration::minutes(90 + (i as i64 % 3) * 30),
                summary: SUMMARIES[i % SUMMARIES.len()].to_owned(),
                location: Some(PLACES[i % PLACES.len()].to_owned()),
                description: DESCRIPTION.to_owned(),
                url: Some(format!("https://toile.example/sessions/{i}")),
                categories: vec![KINDS[i % KINDS.len()].to_owned()],
                cancelled: i % 25 == 0,
                organizer: Some(Organizer { name: "Léa Martin".into(), email: "lea.martin@jardins.example".into() }),
            }
        })
        .collect()
}

/// The same fields as `render_feed`, concatenated without escaping, folding or time zones.
fn baseline_format(meta: &FeedMeta, events: &[CalendarEvent]) -> String {
    let mut out = String::with_capacity(2048 + events.len() * 800);
    let _ = write!(
        out,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Toile//Toile//FR\r\nNAME:{}\r\nX-WR-CALNAME:{}\r\n",
        meta.name, meta.name
    );
    let stamp = |t: &DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ");
    for e in events {
        let _ = write!(
            out,
            "BEGIN:VEVENT\r\nUID:{}\r\nSEQUENCE:{}\r\nDTSTAMP:{}\r\nLAST-MODIFIED:{}\r\n\
             DTSTART:{}\r\nDTEND:{}\r\nSUMMARY:{}\r\nLOCATION:{}\r\nDESCRIPTION:{}\r\nURL:{}\r\n\
             CATEGORIES:{}\r\nSTATUS:{}\r\nORGANIZER;CN=\"{}\":mailto:{}\r\nEND:VEVENT\r\n",
            e.uid,
            e.sequence,
            stamp(&e.last_modified),
            stamp(&e.last_modified),
            stamp(&e.starts_at),
            stamp(&e.ends_at),
            e.summary,
            e.location.as_deref().unwrap_or(""),
            e.description,
            e.url.as_deref().unwrap_or(""),
            e.categories.join(","),
            if e.cancelled { "CANCELLED" } else { "CONFIRMED" },
            e.organizer.as_ref().map_or("", |o| &o.name),
            e.organizer.as_ref().map_or("", |o| &o.email),
        );
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

struct Stats {
    p50: Duration,
    p99: Duration,
    iterations: usize,
}

fn measure(iterations: usize, mut f: impl FnMut()) -> Stats {
    for _ in 0..(iterations / 10).max(3) {
        f(); // warm caches and the allocator
    }
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    let at = |q: f64| samples[((q * iterations as f64).ceil() as usize).clamp(1, iterations) - 1];
    Stats { p50: at(0.50), p99: at(0.99), iterations }
}

fn ms(d: Duration) -> String {
    if d < Duration::from_micros(100) {
        format!("{:.2} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.3} ms", d.as_secs_f64() * 1e3)
    }
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.1}×", a.as_secs_f64() / b.as_secs_f64())
}

fn row(label: &str, s: &Stats, note: &str) {
    println!("| {label} | {} | {} | {} | {note} |", ms(s.p50), ms(s.p99), s.iterations);
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let scale = |n: usize| if quick { (n / 10).max(5) } else { n };
    let meta = FeedMeta::new("Programme du groupe — Île-de-France");

    println!("| measure | p50 | p99 | iterations | notes |");
    println!("|---|---|---|---|---|");

    let mut summary = Vec::new();
    for (count, iterations) in [(500, scale(1000)), (5000, scale(100))] {
        let events = events(count);
        let body = render_feed(&meta, &events);
        let render = measure(iterations, || {
            black_box(render_feed(black_box(&meta), black_box(&events)));
        });
        let baseline = measure(iterations, || {
            black_box(baseline_format(black_box(&meta), black_box(&events)));
        });
        let hash = measure(iterations, || {
            black_box(etag(black_box(body.as_bytes())));
        });
        row(&format!("render_feed, {count} events"), &render, &format!("{} KiB body", body.len() / 1024));
        row(&format!("baseline plain format!, {count} events"), &baseline, "no escaping/folding/TZ");
        row(&format!("etag(body), {count} events"), &hash, "SHA-256, on a cache miss");

        // 304 given a cache holding this feed: key from the loaded events, then compare.
        let cache = RenderCache::new(16);
        let cached_etag = cache.feed(&meta, &events).etag.clone();
        let if_none_match = format!("\"stale\", {cached_etag}");
        let by_fingerprint = measure(iterations * 5, || {
            let hit = cache.feed(black_box(&meta), black_box(&events));
            assert!(hit.not_modified(Some(black_box(&if_none_match))));
        });
        row(&format!("304 via Fingerprint, {count} events"), &by_fingerprint, "hash inputs + lookup + If-None-Match");

        // 304 when the caller keys its own map by something cheap it already has.
        let mut by_key: HashMap<(u64, i64), RenderedCalendar> = HashMap::new();
        let newest = events.iter().map(|e| e.last_modified).max().unwrap();
        by_key.insert((42, newest.timestamp()), RenderedCalendar::new(body.clone()));
        let by_caller_key = measure(iterations * 5, || {
            let hit = &by_key[&black_box((42, newest.timestamp()))];
            assert!(etag_matches(black_box(&if_none_match), &hit.etag));
        });
        row(&format!("304 via caller key, {count} events"), &by_caller_key, "lookup + If-None-Match");
        summary.push((count, render, baseline, by_fingerprint, by_caller_key));
    }

    println!();
    for (count, render, baseline, fp, key) in &summary {
        println!(
            "{count} events: render/baseline p50 {}; 304 by Fingerprint = {:.1}% of a render, \
             by caller key = {:.3}% (p50)",
            ratio(render.p50, baseline.p50),
            100.0 * fp.p50.as_secs_f64() / render.p50.as_secs_f64(),
            100.0 * key.p50.as_secs_f64() / render.p50.as_secs_f64(),
        );
    }
    let (_, render500, _, fp500, _) = &summary[0];
    println!(
        "targets: 500-event feed p99 {} (≤ 5 ms: {}); 304 p99 {} (≤ 1 ms: {})",
        ms(render500.p99),
        if render500.p99 <= Duration::from_millis(5) { "met" } else { "MISSED" },
        ms(fp500.p99),
        if fp500.p99 <= Duration::from_millis(1) { "met" } else { "MISSED" },
    );
}
