//! The figures page: numbers for the charts, words for the titles and tables, and the same
//! tables for the CSV files. Counts only: no participant is named anywhere here.

use super::Choice;
use serde::{Deserialize, Serialize};

/// The filters as typed in the page's address (`?du=2026-09-01&au=…&structure=…&type=…&theme=…`),
/// kept as text: the server reads them and says what it could not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiguresFilters {
    pub from: String,
    pub to: String,
    pub structure: String,
    pub kind: String,
    pub theme: String,
}

impl FiguresFilters {
    pub const FROM: &str = "du";
    pub const TO: &str = "au";
    pub const STRUCTURE: &str = "structure";
    pub const KIND: &str = "type";
    pub const THEME: &str = "theme";
    /// Which table a CSV file holds.
    pub const TABLE: &str = "tableau";

    /// The filters from an address's query, `value(name)` giving each one's value.
    pub fn from_query(value: impl Fn(&str) -> Option<String>) -> FiguresFilters {
        let text = |name: &str| value(name).unwrap_or_default();
        FiguresFilters {
            from: text(Self::FROM),
            to: text(Self::TO),
            structure: text(Self::STRUCTURE),
            kind: text(Self::KIND),
            theme: text(Self::THEME),
        }
    }

    /// The filters as an address's query, `?du=…&au=…` (empty ones left out).
    pub fn query_string(&self) -> String {
        let pairs = [
            (Self::FROM, &self.from),
            (Self::TO, &self.to),
            (Self::STRUCTURE, &self.structure),
            (Self::KIND, &self.kind),
            (Self::THEME, &self.theme),
        ];
        let kept: Vec<String> =
            pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect();
        if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) }
    }
}

/// Dates, ids and codes only reach the query: anything else is escaped.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Held sessions' seats and attendance, for one month, structure or kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyRow {
    /// "sept. 2026", a structure's name, "Atelier"…
    pub label: String,
    pub sessions: u32,
    pub capacity: u32,
    pub seated: u32,
    pub present: u32,
    pub absent: u32,
    pub excused: u32,
    pub unknown: u32,
    pub fill_percent: Option<u32>,
    pub attendance_percent: Option<u32>,
    pub no_show_percent: Option<u32>,
}

/// A held session that ran under half full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnderHalfRow {
    pub session_id: i64,
    /// "mar. 3 mars 2026"
    pub when: String,
    pub title: String,
    pub organiser: String,
    pub seated: u32,
    pub capacity: u32,
}

/// The pooling table: rows are the participants' structures, columns the organisers'.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolingTable {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `cells[row][column]`: attendances.
    pub cells: Vec<Vec<u32>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRow {
    pub structure: String,
    /// Its people in its sessions.
    pub own: u32,
    /// Others' people in its sessions.
    pub given: u32,
    /// Its people in others' sessions.
    pub received: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachRow {
    /// A structure, or "Tout le groupe" / the structure's total.
    pub label: String,
    pub people: u32,
    pub attendances: u32,
    /// "1,8" sessions per person.
    pub per_person: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRow {
    pub company: String,
    pub sessions: u32,
    pub attendances: u32,
}

/// A figure in large print with what it counts: "42" "séances tenues".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub value: String,
    pub label: String,
}

/// A quick choice of period: "Trimestre dernier" and its address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FiguresPage {
    /// "Tout le groupe" or a structure's name.
    pub scope: String,
    /// "du 1er septembre au 30 novembre 2026"
    pub period: String,
    /// The filters as answered (the dates always filled in).
    pub filters: FiguresFilters,
    /// The structures to choose from: group-wide staff only.
    pub structures: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub themes: Vec<Choice>,
    pub periods: Vec<PeriodLink>,
    pub headlines: Vec<Headline>,
    /// "Sur la période, 72 % des places ont été occupées."
    pub fill_summary: String,
    pub attendance_summary: String,
    pub by_month: Vec<TallyRow>,
    /// "De 45 % (Sud) à 92 % (Nord) des places occupées selon la structure."
    pub organiser_summary: String,
    pub by_organiser: Vec<TallyRow>,
    pub kind_summary: String,
    pub by_kind: Vec<TallyRow>,
    pub under_half: Vec<UnderHalfRow>,
    /// "2 séances ont commencé avec une liste d'attente (5 personnes en attente)."
    pub waiting_summary: String,
    /// "3 places rendues la veille par le lien « je ne peux pas venir »."
    pub declined_summary: String,
    pub pooling_summary: String,
    pub pooling: PoolingTable,
    pub exchanges: Vec<ExchangeRow>,
    pub co_facilitated_summary: String,
    pub reach: Vec<ReachRow>,
    pub companies: Vec<CompanyRow>,
    pub companies_summary: String,
}

/// The tables a CSV file can hold: the name in `?tableau=` and the file's name.
pub const FIGURES_TABLES: [(&str, &str); 8] = [
    ("mois", "Remplissage et présence par mois"),
    ("structures", "Remplissage et présence par structure organisatrice"),
    ("types", "Remplissage et présence par type de séance"),
    ("moins-de-la-moitie", "Séances remplies à moins de la moitié"),
    ("mutualisation", "Présences par structure de la personne et structure organisatrice"),
    ("echanges", "Places données et reçues par structure"),
    ("personnes", "Personnes venues au moins une fois"),
    ("entreprises", "Entreprises rencontrées"),
];
