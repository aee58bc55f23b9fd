//! The sign-in sheet (feuille d'émargement) that funders require: one set of words (here),
//! written as an A4 PDF to print or archive (`pdf`) and as a CSV for a spreadsheet (`csv`),
//! served to the session's managers (`http`).

mod csv;
mod http;
mod pdf;
mod report;

pub use http::router;

use super::french;
use super::port::words::{kind_label, utc};
use crate::config::Config;
use crate::core::{SignInSheet, Signed, StaffMember};
use toile_shared::Attendance;
use toile_shared::signature::Signature;

/// One person on the sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    pub last_name: String,
    pub first_name: String,
    pub structure: String,
    /// "Présent·e", "Absent·e", "Excusé·e", or empty while nobody has said (the paper column
    /// is then filled by hand).
    pub attendance: String,
    pub overbooked: bool,
    /// The signature drawn on the phone, when they signed there.
    pub signature: Option<SheetSignature>,
}

/// A signature drawn with a finger: its strokes, traced in the PDF, and "9 h 32".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetSignature {
    pub strokes: Signature,
    pub time: String,
}

impl SheetSignature {
    /// The stored signature; a stored path that no longer reads (it cannot: it was checked
    /// when drawn) leaves the box empty for a pen rather than failing the sheet.
    fn of(signed: &Signed) -> Option<SheetSignature> {
        let strokes = Signature::parse(&signed.path).ok()?;
        Some(SheetSignature { strokes, time: french::time(signed.at) })
    }
}

/// Everything the sheet says, in French, in the order it says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetContent {
    pub group: String,
    pub title: String,
    pub kind: String,
    /// "mardi 3 mars 2026"
    pub date: String,
    /// "9 h 00 – 11 h 00"
    pub hours: String,
    pub place: String,
    pub organiser: String,
    /// "Claire Martin (Tremplin 59)"
    pub facilitators: Vec<String>,
    /// The funders' mention the group configured, or a line to fill by hand.
    pub mention: String,
    pub rows: Vec<SheetRow>,
    /// The staff who signed on the phone for the session's running: their name, their signature.
    pub staff_signatures: Vec<(String, SheetSignature)>,
    /// "8 inscrit·es · 5 présent·es · 2 absent·es · 1 excusé·e · 0 sans réponse"
    pub totals: String,
    /// "Feuille close le …, scellée (HMAC-SHA-256). Empreinte : …", or that it is not closed yet.
    pub seal: String,
    /// `seance-12-2026-03-03`, for the downloaded file's name.
    pub file_stem: String,
}

fn attendance_words(attendance: Attendance) -> String {
    match attendance {
        Attendance::Unknown => String::new(),
        other => other.label().to_string(),
    }
}

impl SheetContent {
    pub fn new(sheet: &SignInSheet, config: &Config) -> SheetContent {
        let s = &sheet.overview.entry.session;
        let roster = &sheet.roster;
        let starts = utc(s.starts_at);
        let count = |attendance| roster.count(attendance);
        SheetContent {
            group: config.group_name.clone(),
            title: s.title.clone(),
            kind: kind_label(s.kind, s.theme),
            date: french::date_with_year(starts),
            hours: french::time_range(starts, utc(s.ends_at)),
            place: s.location.as_ref().map_or_else(String::new, |l| l.text.clone()),
            organiser: sheet.overview.organiser_name.clone(),
            facilitators: sheet.overview.facilitators.iter().map(StaffMember::label).collect(),
            mention: config.sheet_mention.clone(),
            rows: roster
                .confirmed
                .iter()
                .map(|line| SheetRow {
                    last_name: line.person.last_name.clone(),
                    first_name: line.person.first_name.clone(),
                    structure: line.person.structure_name.clone(),
                    attendance: attendance_words(line.attendance),
                    overbooked: line.overbooked,
                    signature: line.signature.as_ref().and_then(SheetSignature::of),
                })
                .collect(),
            staff_signatures: roster
                .staff_signatures
                .iter()
                .filter_map(|signed| Some((signed.name.clone(), SheetSignature::of(&signed.signed)?)))
                .collect(),
            totals: format!(
                "{} inscrit·e(s) · {} présent·e(s) · {} absent·e(s) · {} excusé·e(s) · {} sans réponse",
                roster.confirmed.len(),
                count(Attendance::Present),
                count(Attendance::Absent),
                count(Attendance::Excused),
                count(Attendance::Unknown),
            ),
            seal: match super::port::roster::seal_words(sheet.roster.seal.as_ref()).0 {
                words if words.is_empty() => "Feuille non close.".into(),
                words => words,
            },
            file_stem: format!(
                "emargement-seance-{}-{}",
                s.id,
                starts.with_timezone(&chrono_tz::Europe::Paris).format("%Y-%m-%d")
            ),
        }
    }
}
