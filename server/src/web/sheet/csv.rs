//! The sign-in sheet as a CSV that French Excel opens right: UTF-8 with a byte-order mark (or
//! accents come out garbled) and `;` between fields (`,` is the decimal separator there).

use super::SheetContent;
use toile_app::models::RecordLine;

/// The columns, in order.
pub const HEADER: [&str; 9] =
    ["Séance", "Date", "Horaire", "Nom", "Prénom", "Structure", "Présence", "Surnombre", "Signature"];

/// The columns of a participant's history.
const HISTORY_HEADER: [&str; 5] = ["Nom", "Date", "Séance", "Inscription", "Présence"];

/// The columns of the audit trail.
const AUDIT_HEADER: [&str; 6] = ["Quand", "Qui", "Quoi", "Séance", "Personne accompagnée", "Détails"];

/// A CSV for French Excel: the byte-order mark, `;`, the header, then the rows.
fn excel_csv<H, R>(header: H, rows: impl Iterator<Item = R>) -> Vec<u8>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        // Writing to memory only fails on a bug: the rows are plain strings.
        writer.write_record(header).expect("a CSV header in memory");
        for row in rows {
            writer.write_record(row).expect("a CSV row in memory");
        }
        writer.flush().expect("a CSV in memory");
    }
    out
}

pub fn render(sheet: &SheetContent) -> Vec<u8> {
    let rows = sheet.rows.iter().map(|row| {
        [
            defused(&sheet.title),
            sheet.date.clone(),
            sheet.hours.clone(),
            defused(&row.last_name),
            defused(&row.first_name),
            defused(&row.structure),
            row.attendance.clone(),
            if row.overbooked { "oui" } else { "non" }.to_string(),
            row.signature.as_ref().map(|signed| format!("signée à {}", signed.time)).unwrap_or_default(),
        ]
    });
    excel_csv(HEADER, rows)
}

/// A participant's history: one row per session they were in, latest first.
pub fn history(name: &str, lines: &[RecordLine]) -> Vec<u8> {
    let rows = lines.iter().map(|line| {
        [defused(name), line.when.clone(), defused(&line.title), line.status.clone(), line.attendance.clone()]
    });
    excel_csv(HISTORY_HEADER, rows)
}

/// The audit trail as the page shows it, newest first.
pub fn audit(entries: &[toile_app::models::AuditEntry]) -> Vec<u8> {
    let rows = entries.iter().map(|entry| {
        let participant = match &entry.participant {
            Some((_, Some(name))) => defused(name),
            Some((_, None)) => "une personne d'une autre structure".into(),
            None => String::new(),
        };
        [
            entry.when.clone(),
            defused(&entry.who),
            entry.what.clone(),
            entry.session.as_ref().map(|(_, title)| defused(title)).unwrap_or_default(),
            participant,
            defused(&entry.details),
        ]
    });
    excel_csv(AUDIT_HEADER, rows)
}

/// One table of the figures page: any width, every cell defused (names and titles are typed
/// by people).
pub fn figures(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    excel_csv(header.iter().map(|h| defused(h)), rows.iter().map(|row| row.iter().map(|cell| defused(cell))))
}

/// A cell that starts like a formula is shown as text: a name typed as `=HYPERLINK(…)` must not
/// run in the spreadsheet of whoever opens the file.
fn defused(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::sheet::SheetRow;

    fn sheet(rows: Vec<SheetRow>) -> SheetContent {
        SheetContent {
            group: "Groupe".into(),
            title: "Atelier CV; suite".into(),
            kind: "Atelier CV".into(),
            date: "mardi 3 mars 2026".into(),
            hours: "9 h 00 – 11 h 00".into(),
            place: String::new(),
            organiser: "Tremplin".into(),
            facilitators: vec![],
            mention: String::new(),
            rows,
            staff_signatures: vec![],
            totals: String::new(),
            seal: String::new(),
            file_stem: "x".into(),
        }
    }

    #[test]
    fn the_csv_starts_with_a_byte_order_mark_and_separates_with_semicolons() {
        let row = SheetRow {
            last_name: "Benali".into(),
            first_name: "Amina".into(),
            structure: "Tremplin".into(),
            attendance: "Présent·e".into(),
            overbooked: false,
            signature: Some(crate::web::sheet::SheetSignature {
                strokes: toile_shared::signature::Signature::parse("M10 50 200 60").unwrap(),
                time: "9 h 32".into(),
            }),
        };
        let text = String::from_utf8(render(&sheet(vec![row]))).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "Séance;Date;Horaire;Nom;Prénom;Structure;Présence;Surnombre;Signature");
        assert_eq!(
            lines[1],
            "\"Atelier CV; suite\";mardi 3 mars 2026;9 h 00 – 11 h 00;Benali;Amina;Tremplin;Présent·e;non;signée à 9 h 32"
        );
    }

    #[test]
    fn a_cell_that_looks_like_a_formula_stays_text() {
        assert_eq!(defused("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(defused("-2+3"), "'-2+3");
        assert_eq!(defused("Amina"), "Amina");
    }
}
