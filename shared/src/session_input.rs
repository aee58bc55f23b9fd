//! A session as a CIP proposes it, and the checks it must pass before it is stored.

use crate::{Audience, LocationKind, SessionKind, SessionStatus, SiteId, StructureId, UserId, WorkshopTheme, text};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_CAPACITY: u32 = 500;
pub const MAX_TITLE_CHARS: usize = 150;
pub const MAX_TEXT_CHARS: usize = 4000;
pub const MAX_ADDRESS_CHARS: usize = 500;
/// The years a session's dates fall in (in UTC): a group's programme, not a calendar of history.
/// Lists of sessions stop at the year 3000 too.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2999;

/// Where a session takes place: `{"site_id": 1}`, `{"address": "…"}` or `{"video_url": "https://…"}`,
/// nothing else (its OpenAPI schema is in `openapi`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Location {
    /// A site of a structure of the group.
    Site { site_id: SiteId },
    /// Any other address, written out.
    Address { address: String },
    /// A video-call link.
    Video { video_url: String },
}

impl Location {
    pub fn kind(&self) -> LocationKind {
        match self {
            Location::Site { .. } => LocationKind::Site,
            Location::Address { .. } => LocationKind::Address,
            Location::Video { .. } => LocationKind::Video,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReservedSeats {
    pub structure_id: StructureId,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
    pub seats: u32,
}

/// Everything that defines a session; the same shape for creation and after a change.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionInput {
    pub title: String,
    pub kind: SessionKind,
    pub theme: Option<WorkshopTheme>,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: u32,
    pub organiser_structure_id: StructureId,
    pub location: Option<Location>,
    pub audience: Audience,
    pub reserved_seats: Vec<ReservedSeats>,
    pub reserved_until: Option<DateTime<Utc>>,
    pub enrolment_opens_at: Option<DateTime<Utc>>,
    pub enrolment_closes_at: Option<DateTime<Utc>>,
    pub cancellation_deadline: Option<DateTime<Utc>>,
    pub facilitator_ids: Vec<UserId>,
    pub company_name: Option<String>,
    pub speaker: Option<String>,
    pub status: SessionStatus,
}

/// One problem with one field, in words a CIP understands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    fn new(field: &str, message: &str) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

pub const MAX_URL_CHARS: usize = 500;

/// An `http(s)://` address with a host, and nothing that could end an attribute or open a tag
/// wherever the link is shown: no spaces, quotes, angle brackets or control characters.
pub fn is_web_address(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty()
        && url.chars().count() <= MAX_URL_CHARS
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\'))
}

impl SessionInput {
    /// A published session open to the whole group: no reserved seats, no enrolment window,
    /// no facilitator, no place yet. The seed and the tests start from it and set the rest.
    pub fn published(
        title: impl Into<String>,
        kind: SessionKind,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        capacity: u32,
        organiser: StructureId,
    ) -> Self {
        SessionInput {
            title: title.into(),
            kind,
            theme: None,
            description: String::new(),
            starts_at,
            ends_at,
            capacity,
            organiser_structure_id: organiser,
            location: None,
            audience: Audience::all(),
            reserved_seats: vec![],
            reserved_until: None,
            enrolment_opens_at: None,
            enrolment_closes_at: None,
            cancellation_deadline: None,
            facilitator_ids: vec![],
            company_name: None,
            speaker: None,
            status: SessionStatus::Published,
        }
    }

    /// Every problem at once, so a form can show them all.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if text::is_blank(&self.title) {
            errors.push(FieldError::new("title", "Le titre est obligatoire."));
        } else if self.title.chars().count() > MAX_TITLE_CHARS {
            errors.push(FieldError::new("title", "Le titre est trop long (150 caractères au plus)."));
        } else if text::has_control(&self.title) {
            errors.push(FieldError::new("title", "Le titre tient sur une ligne, sans caractère spécial."));
        }
        if self.description.chars().count() > MAX_TEXT_CHARS {
            errors.push(FieldError::new("description", "La description est trop longue."));
        } else if text::has_control_beyond_lines(&self.description) {
            errors.push(FieldError::new("description", "La description contient des caractères spéciaux."));
        }
        let instants = [
            ("starts_at", Some(self.starts_at)),
            ("ends_at", Some(self.ends_at)),
            ("reserved_until", self.reserved_until),
            ("enrolment_opens_at", self.enrolment_opens_at),
            ("enrolment_closes_at", self.enrolment_closes_at),
            ("cancellation_deadline", self.cancellation_deadline),
        ];
        for (field, instant) in instants {
            if instant.is_some_and(|at| !YEARS.contains(&at.year())) {
                errors.push(FieldError::new(field, "La date doit tomber entre l'an 2000 et l'an 2999."));
            }
        }
        if self.ends_at <= self.starts_at {
            errors.push(FieldError::new("ends_at", "La fin doit être après le début."));
        }
        if self.capacity == 0 || self.capacity > MAX_CAPACITY {
            errors.push(FieldError::new("capacity", "Le nombre de places doit être entre 1 et 500."));
        }
        if self.theme.is_some() && self.kind != SessionKind::Workshop {
            errors.push(FieldError::new("theme", "Seul un atelier a un thème."));
        }
        self.validate_location(&mut errors);
        self.validate_reservations(&mut errors);
        if let (Some(opens), Some(closes)) = (self.enrolment_opens_at, self.enrolment_closes_at)
            && closes <= opens
        {
            errors.push(FieldError::new(
                "enrolment_closes_at",
                "La clôture des inscriptions doit suivre leur ouverture.",
            ));
        }
        if self.enrolment_closes_at.is_some_and(|closes| closes > self.starts_at) {
            errors.push(FieldError::new(
                "enrolment_closes_at",
                "Les inscriptions doivent fermer avant le début de la séance.",
            ));
        }
        if self.cancellation_deadline.is_some_and(|deadline| deadline > self.starts_at) {
            errors
                .push(FieldError::new("cancellation_deadline", "La date limite d'annulation doit précéder la séance."));
        }
        if let Audience::Structures { structure_ids } = &self.audience
            && structure_ids.is_empty()
        {
            errors.push(FieldError::new("audience", "Choisissez au moins une structure."));
        }
        if matches!(self.audience, Audience::All { all: false }) {
            errors.push(FieldError::new("audience", "Choisissez au moins une structure."));
        }
        for (field, value) in [("company_name", &self.company_name), ("speaker", &self.speaker)] {
            let Some(value) = value else { continue };
            if value.chars().count() > MAX_TITLE_CHARS {
                errors.push(FieldError::new(field, "Ce texte est trop long (150 caractères au plus)."));
            } else if text::has_control(value) {
                errors.push(FieldError::new(field, "Ce texte tient sur une ligne, sans caractère spécial."));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn validate_location(&self, errors: &mut Vec<FieldError>) {
        match &self.location {
            Some(Location::Address { address }) if text::is_blank(address) => {
                errors.push(FieldError::new("location", "L'adresse est vide."));
            }
            Some(Location::Address { address }) if address.chars().count() > MAX_ADDRESS_CHARS => {
                errors.push(FieldError::new("location", "L'adresse est trop longue."));
            }
            Some(Location::Address { address }) if text::has_control(address) => {
                errors.push(FieldError::new("location", "L'adresse tient sur une ligne, sans caractère spécial."));
            }
            Some(Location::Video { video_url }) if !is_web_address(video_url) => {
                errors.push(FieldError::new("location", "Le lien de visio doit commencer par https://."));
            }
            _ => {}
        }
    }

    fn validate_reservations(&self, errors: &mut Vec<FieldError>) {
        let reserved: u64 = self.reserved_seats.iter().map(|r| u64::from(r.seats)).sum();
        if reserved > u64::from(self.capacity) {
            errors.push(FieldError::new("reserved_seats", "Les places réservées dépassent le nombre de places."));
        }
        let mut seen = Vec::new();
        for reservation in &self.reserved_seats {
            if seen.contains(&reservation.structure_id) {
                errors.push(FieldError::new("reserved_seats", "Une structure apparaît deux fois."));
            }
            seen.push(reservation.structure_id);
            if reservation.seats == 0 {
                errors.push(FieldError::new("reserved_seats", "Réservez au moins une place."));
            }
            if !self.audience.includes(reservation.structure_id) {
                errors.push(FieldError::new(
                    "reserved_seats",
                    "Des places sont réservées pour une structure qui ne peut pas s'inscrire.",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn input() -> SessionInput {
        let starts_at = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        SessionInput {
            theme: Some(WorkshopTheme::Cv),
            ..SessionInput::published(
                "Atelier CV",
                SessionKind::Workshop,
                starts_at,
                starts_at + Duration::hours(2),
                12,
                1,
            )
        }
    }

    fn fields(result: Result<(), Vec<FieldError>>) -> Vec<String> {
        result.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_session_is_valid() {
        assert_eq!(input().validate(), Ok(()));
    }

    #[test]
    fn its_dates_fall_between_the_years_2000_and_2999() {
        let mut bad = input();
        bad.starts_at = Utc.with_ymd_and_hms(1850, 6, 1, 9, 0, 0).unwrap();
        bad.cancellation_deadline = Some(Utc.with_ymd_and_hms(1850, 5, 1, 9, 0, 0).unwrap());
        bad.ends_at = Utc.with_ymd_and_hms(3000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(fields(bad.validate()), ["starts_at", "ends_at", "cancellation_deadline"]);
    }

    #[test]
    fn a_session_needs_a_title_and_must_end_after_it_starts() {
        let mut bad = input();
        bad.title = "  ".into();
        bad.ends_at = bad.starts_at;
        assert_eq!(fields(bad.validate()), ["title", "ends_at"]);
    }

    #[test]
    fn capacity_is_between_one_and_the_maximum() {
        let mut bad = input();
        bad.capacity = 0;
        assert_eq!(fields(bad.validate()), ["capacity"]);
        bad.capacity = MAX_CAPACITY + 1;
        assert_eq!(fields(bad.validate()), ["capacity"]);
    }

    #[test]
    fn reserved_seats_cannot_exceed_capacity_nor_go_outside_the_audience() {
        let mut bad = input();
        bad.audience = Audience::only(vec![1]);
        bad.reserved_seats =
            vec![ReservedSeats { structure_id: 1, seats: 10 }, ReservedSeats { structure_id: 2, seats: 3 }];
        assert_eq!(fields(bad.validate()), ["reserved_seats", "reserved_seats"]);
    }

    #[test]
    fn enrolment_must_close_before_the_session_starts() {
        let mut bad = input();
        bad.enrolment_closes_at = Some(bad.starts_at + Duration::minutes(1));
        assert_eq!(fields(bad.validate()), ["enrolment_closes_at"]);
    }

    #[test]
    fn only_workshops_have_a_theme() {
        let mut bad = input();
        bad.kind = SessionKind::CompanyTalk;
        assert_eq!(fields(bad.validate()), ["theme"]);
    }

    #[test]
    fn a_video_link_must_be_a_web_address() {
        for url in
            ["javascript:alert(1)", "https://", "https://x/\"><svg onload=alert(1)>", "https://a b", "https://x/'"]
        {
            let mut bad = input();
            bad.location = Some(Location::Video { video_url: url.into() });
            assert_eq!(fields(bad.validate()), ["location"], "{url}");
        }
        let mut good = input();
        good.location = Some(Location::Video { video_url: "https://visio.example.org/salle-42?pwd=x#a".into() });
        assert_eq!(good.validate(), Ok(()));
    }

    #[test]
    fn a_location_is_one_of_its_three_shapes_and_nothing_more() {
        let read = |json: &str| serde_json::from_str::<Location>(json).ok();
        assert_eq!(read(r#"{"site_id": 3}"#), Some(Location::Site { site_id: 3 }));
        assert_eq!(read(r#"{"address": "Lille"}"#), Some(Location::Address { address: "Lille".into() }));
        assert_eq!(read(r#"{"site_id": 3, "address": "Lille"}"#), None);
        assert_eq!(read(r#"{"video_url": "https://x", "colour": "red"}"#), None);
    }

    #[test]
    fn the_web_address_pattern_says_what_the_rule_says() {
        let pattern = regex::Regex::new(&text::web_address_pattern()).unwrap();
        let characters = (0..0x3100u32).chain([0xfeff, 0x1f600]).filter_map(char::from_u32);
        for c in characters {
            for url in [format!("https://{c}"), format!("https://x{c}"), format!("http://x/{c}y"), format!("{c}")] {
                assert_eq!(pattern.is_match(&url), is_web_address(&url), "{url:?}");
            }
        }
        for url in ["https://", "http:/x", "ftp://x", "https:///x", "https://?q", "https://#a", "HTTPS://x"] {
            assert_eq!(pattern.is_match(url), is_web_address(url), "{url:?}");
        }
    }

    #[test]
    fn texts_are_measured_as_sent_and_hold_no_control_character() {
        let mut bad = input();
        bad.title = format!(" {} ", "a".repeat(MAX_TITLE_CHARS - 1));
        bad.company_name = Some("Boulangerie\u{0}".into());
        bad.description = "Deux lignes\r\net une tabulation\t.\u{7}".into();
        bad.location = Some(Location::Address { address: "12 rue\ndes Postes".into() });
        assert_eq!(fields(bad.validate()), ["title", "description", "location", "company_name"]);
        let mut good = input();
        good.description = "Deux lignes\r\net une tabulation\t.".into();
        assert_eq!(good.validate(), Ok(()));
    }

    #[test]
    fn an_audience_needs_at_least_one_structure() {
        let mut bad = input();
        bad.audience = Audience::only(vec![]);
        assert_eq!(fields(bad.validate()), ["audience"]);
    }
}
