//! The funders' report: what a structure (or the group) delivered over a period, as an A4 PDF
//! drawn like the sign-in sheet (same crate, same font): sessions held, hours, people reached,
//! attendances, then every session held with the address of its sign-in sheet, which funders
//! ask for as proof. Counts and session titles only, never a participant's name.

use super::pdf::{FONTS, HEIGHT, MARGIN, Pen, WIDTH, fit};
use crate::config::Config;
use crate::core::Figures;
use crate::french;
use crate::web::port::figures;
use crate::web::port::words::kind_label;
use krilla::Document;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use toile_shared::paths;

/// One held session: "03/03/2026", its title, kind, hours, who came, its sheet's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportLine {
    pub date: String,
    pub title: String,
    pub kind: String,
    pub hours: String,
    pub came: String,
    pub sheet: String,
}

/// Everything the report says, in French.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportContent {
    pub group: String,
    /// "Tremplin 59" or "Tout le groupe".
    pub scope: String,
    /// "du 1er septembre 2026 au 30 novembre 2026"
    pub period: String,
    pub facts: Vec<(String, String)>,
    pub lines: Vec<ReportLine>,
    /// The file's name, without extension.
    pub file_stem: String,
}

impl ReportContent {
    pub fn new(f: &Figures, period: &str, config: &Config) -> ReportContent {
        let scope = f.query.structure.map_or_else(|| "Tout le groupe".to_string(), |s| f.structure_name(s).to_string());
        let everyone = f.reach.iter().find(|r| r.structure.is_none());
        let base =
            config.public_url.as_ref().map(|url| url.base().trim_end_matches('/').to_string()).unwrap_or_default();
        let facts = vec![
            ("Séances tenues".to_string(), f.held.to_string()),
            ("Heures d'actions collectives".to_string(), figures::hours(f.minutes)),
            (
                if f.query.structure.is_some() {
                    "Personnes de la structure venues au moins une fois"
                } else {
                    "Personnes venues au moins une fois"
                }
                .to_string(),
                everyone.map_or(0, |r| r.people).to_string(),
            ),
            ("Présences dans ces séances".to_string(), f.total.present.to_string()),
            (
                "Places occupées".to_string(),
                f.total
                    .fill_percent()
                    .map_or_else(|| "–".into(), |p| format!("{p} % ({} sur {})", f.total.seated, f.total.capacity)),
            ),
            ("Séances annulées".to_string(), f.cancelled.to_string()),
        ];
        let lines = f
            .sessions
            .iter()
            .map(|s| ReportLine {
                date: s.starts_at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m/%Y").to_string(),
                title: s.title.clone(),
                kind: kind_label(s.kind, None),
                hours: french::time_range(s.starts_at, s.ends_at),
                came: format!("{} sur {}", s.present, s.seated),
                sheet: format!("{base}{}/{}/{}.pdf", paths::STAFF_SESSIONS, s.session, paths::segments::SIGN_IN_SHEET),
            })
            .collect();
        let stem = format!(
            "bilan-{}-{}-{}",
            f.query.structure.map_or_else(|| "groupe".to_string(), |s| s.to_string()),
            f.query.from.format("%Y-%m-%d"),
            f.query.to.format("%Y-%m-%d")
        );
        ReportContent {
            group: config.group_name.clone(),
            scope,
            period: period.to_string(),
            facts,
            lines,
            file_stem: stem,
        }
    }
}

/// Columns of the sessions' table: date, session, kind, hours, who came (x where each starts).
const COLUMNS: [f32; 5] = [MARGIN, 100.0, 290.0, 375.0, 480.0];
const HEADINGS: [&str; 5] = ["Date", "Séance", "Type", "Horaire", "Présents"];
const ROW: f32 = 26.0;

/// The report as PDF bytes.
pub fn render(report: &ReportContent) -> Result<Vec<u8>, String> {
    let fonts = &*FONTS;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Bilan des actions collectives — {} — {}", report.scope, report.period))
            .language("fr".into())
            .creator("Toile".into()),
    );
    let width = WIDTH - 2.0 * MARGIN;
    let bottom = HEIGHT - MARGIN - 24.0;
    let top_of_first_table = MARGIN + 12.0 + 22.0 + 18.0 + 16.0 + report.facts.len() as f32 * 14.0 + 28.0;
    let per_page = |top: f32| (((bottom - top - 20.0) / ROW).floor() as usize).max(1);
    let mut pages = vec![];
    let mut start = 0;
    let mut top = top_of_first_table;
    while start < report.lines.len() || pages.is_empty() {
        let end = (start + per_page(top)).min(report.lines.len());
        pages.push(start..end);
        start = end;
        top = MARGIN;
    }
    for (index, range) in pages.iter().enumerate() {
        let mut page = document.start_page_with(PageSettings::from_wh(WIDTH, HEIGHT).expect("A4"));
        let mut pen = Pen { surface: page.surface(), fonts };
        let mut y = MARGIN + 12.0;
        if index == 0 {
            pen.text(MARGIN, y, 9.0, false, &fit(&report.group, 9.0, width));
            y += 22.0;
            pen.text(MARGIN, y, 16.0, true, "Bilan des actions collectives");
            y += 18.0;
            pen.text(MARGIN, y, 11.0, true, &fit(&format!("{}, {}", report.scope, report.period), 11.0, width));
            y += 16.0;
            for (label, value) in &report.facts {
                pen.text(MARGIN, y, 9.0, false, label);
                pen.text(MARGIN + 260.0, y, 9.0, true, value);
                y += 14.0;
            }
            y += 8.0;
            pen.text(MARGIN, y, 9.0, true, "Séances tenues et leur feuille d'émargement");
            y += 20.0 - 12.0;
        } else {
            y = MARGIN;
        }
        for (x, heading) in COLUMNS.iter().zip(HEADINGS) {
            pen.text(x + 2.0, y + 12.0, 8.0, true, heading);
        }
        pen.rect(MARGIN, y, width, 18.0);
        y += 18.0;
        if report.lines.is_empty() {
            pen.text(MARGIN + 2.0, y + 14.0, 9.0, false, "Aucune séance tenue sur la période.");
        }
        for line in &report.lines[range.clone()] {
            let cells = [&line.date, &line.title, &line.kind, &line.hours, &line.came];
            for (i, (x, cell)) in COLUMNS.iter().zip(cells).enumerate() {
                let end = COLUMNS.get(i + 1).copied().unwrap_or(WIDTH - MARGIN);
                pen.text(x + 2.0, y + 11.0, 8.0, false, &fit(cell, 8.0, end - x));
            }
            pen.text(
                COLUMNS[1] + 2.0,
                y + 21.0,
                6.5,
                false,
                &fit(&format!("Feuille : {}", line.sheet), 6.5, width - 70.0),
            );
            pen.rect(MARGIN, y, width, ROW);
            y += ROW;
        }
        pen.footer(index + 1, pages.len());
    }
    document.finish().map_err(|error| format!("{error:?}"))
}
