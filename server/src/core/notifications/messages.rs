//! What the messages say, in plain French: an SMS fits in 160 characters of the GSM alphabet
//! (one SMS, no jargon, never another person's data); an e-mail says the same with a subject.

use crate::french;
use chrono::{DateTime, Utc};

/// Why a participant is told something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// They were given a seat (when the group chose to confirm enrolments).
    Enrolled,
    /// A seat freed and they were first in line: they are in (automatic promotion).
    SeatOffer,
    /// The session will not take place.
    SessionCancelled,
    /// Its time or place changed.
    SessionChanged,
    /// The day before: are they still coming? (with the link to answer)
    Reminder,
    /// The morning of the session, where the group asks for it (with the link to answer).
    MorningReminder,
}

impl Notice {
    pub fn code(self) -> &'static str {
        match self {
            Notice::Enrolled => "enrolled",
            Notice::SeatOffer => "seat_offer",
            Notice::SessionCancelled => "session_cancelled",
            Notice::SessionChanged => "session_changed",
            Notice::Reminder => "reminder",
            Notice::MorningReminder => "morning_reminder",
        }
    }

    pub fn parse(code: &str) -> Option<Notice> {
        [
            Notice::Enrolled,
            Notice::SeatOffer,
            Notice::SessionCancelled,
            Notice::SessionChanged,
            Notice::Reminder,
            Notice::MorningReminder,
        ]
        .into_iter()
        .find(|n| n.code() == code)
    }

    /// Whether the message carries the person's link to answer "je viens" or "je ne peux pas".
    pub fn asks_answer(self) -> bool {
        matches!(self, Notice::SeatOffer | Notice::Reminder | Notice::MorningReminder)
    }

    /// For staff: "place libérée pour la personne", "séance annulée"…
    pub fn label(self) -> &'static str {
        match self {
            Notice::Enrolled => "inscription confirmée",
            Notice::SeatOffer => "place libérée pour la personne",
            Notice::SessionCancelled => "séance annulée",
            Notice::SessionChanged => "horaire ou lieu changé",
            Notice::Reminder => "rappel de la veille",
            Notice::MorningReminder => "rappel du matin",
        }
    }
}

/// The session as a message names it.
pub struct About<'a> {
    pub title: &'a str,
    pub starts_at: DateTime<Utc>,
    /// "12 rue des Postes, Lille", "en visio", or empty.
    pub place: &'a str,
    /// The person's link to answer, for the notices that ask (`Notice::asks_answer`).
    pub link: Option<&'a str>,
}

/// One SMS: this many characters at most.
pub const SMS_CHARS: usize = 160;

/// "Atelier CV, mardi 3 mars 9 h 30, 12 rue des Postes, Lille": the longest part (the title,
/// then the place) is shortened until the whole fits `room`.
pub(super) fn what_and_when(about: &About, room: usize) -> String {
    let when = format!("{} {}", french::date(about.starts_at), french::time(about.starts_at)).replace('\u{a0}', " ");
    let mut title = about.title.to_string();
    let mut place = about.place.to_string();
    let join = |title: &str, place: &str| match place.is_empty() {
        true => format!("{title}, {when}"),
        false => format!("{title}, {when}, {place}"),
    };
    // The date is never cut: once the title and the place are down to nothing, it stands as is.
    while join(&title, &place).chars().count() > room && (title.chars().count() > 1 || !place.is_empty()) {
        let longer = if place.chars().count() > title.chars().count() { &mut place } else { &mut title };
        let keep = longer.chars().count().saturating_sub(2);
        *longer = format!("{}.", longer.chars().take(keep).collect::<String>().trim_end());
        if keep < 4 {
            place.clear();
        }
    }
    join(&title, &place)
}

/// The SMS text, in the GSM alphabet (see `gsm`), so that 160 characters are one SMS.
pub fn sms(notice: Notice, about: &About) -> String {
    let answer = about.link.map(|link| format!(". Vous venez ? Répondez ici : {link}"));
    let (before, after) = match notice {
        // "êtes" is not in the SMS alphabet: "Vous etes" would read badly.
        Notice::Enrolled => ("Inscription confirmée : ", None),
        Notice::SeatOffer => ("Une place s'est libérée pour vous : ", answer.as_deref()),
        Notice::Reminder => ("Rappel : ", answer.as_deref()),
        Notice::MorningReminder => ("C'est aujourd'hui : ", answer.as_deref()),
        Notice::SessionCancelled => ("Annulé : ", Some(". Votre structure vous proposera une autre date.")),
        Notice::SessionChanged => ("Changement : ", Some(". Votre place est gardée.")),
    };
    let after = after.unwrap_or(". Vous ne pouvez pas venir ? Prévenez votre structure.");
    let (before, after) = (gsm(before), gsm(after));
    let title = gsm(about.title);
    let place = gsm(about.place);
    let about = About { title: &title, starts_at: about.starts_at, place: &place, link: None };
    // A very long link leaves no room: the date then stands alone (`what_and_when`).
    let room = SMS_CHARS.saturating_sub(before.chars().count() + after.chars().count());
    format!("{before}{}{after}", gsm(&what_and_when(&about, room)))
}

/// The GSM 03.38 alphabet, which an SMS of 160 characters is written in: any other character
/// (ê, ç, ·, …, a curly quote) makes the whole SMS a 70-character one.
const GSM: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The text in the GSM alphabet: French letters outside it lose their accent, other signs
/// become their plain look-alike.
pub fn gsm(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            c if GSM.contains(c) => c.to_string(),
            'ê' | 'ë' => "e".into(),
            'â' | 'á' | 'ã' => "a".into(),
            'î' | 'ï' | 'í' => "i".into(),
            'ô' | 'ó' | 'õ' => "o".into(),
            'û' | 'ú' => "u".into(),
            'ç' => "c".into(),
            'ÿ' => "y".into(),
            'À' | 'Â' | 'Á' => "A".into(),
            'È' | 'Ê' | 'Ë' => "E".into(),
            'Î' | 'Ï' => "I".into(),
            'Ô' => "O".into(),
            'Ù' | 'Û' => "U".into(),
            'œ' => "oe".into(),
            'Œ' => "OE".into(),
            '’' | '‘' | '`' => "'".into(),
            '“' | '”' | '«' | '»' => "\"".into(),
            '–' | '—' => "-".into(),
            '…' => "...".into(),
            '·' => ".".into(),
            c if c.is_whitespace() => " ".into(),
            _ => "?".into(),
        })
        .collect()
}

/// The e-mail's subject and text.
pub fn email(notice: Notice, about: &About) -> (String, String) {
    let what = what_and_when(about, 400);
    let answer = match about.link {
        Some(link) => format!(
            "Vous venez ? Dites-le ici, en un clic : {link}\nSi vous ne pouvez pas venir, votre place ira tout de suite à la personne suivante."
        ),
        None => "Si vous ne pouvez pas venir, prévenez votre conseiller ou annulez depuis votre page Toile : la place ira à la personne suivante.".into(),
    };
    match notice {
        Notice::Enrolled => (
            format!("Inscription confirmée : {}", about.title),
            format!("Bonjour,\n\nVous êtes inscrit·e à cette séance :\n\n{what}\n\n{answer}\n"),
        ),
        Notice::SeatOffer => (
            format!("Une place s'est libérée : {}", about.title),
            format!(
                "Bonjour,\n\nUne place s'est libérée et vous étiez sur la liste d'attente : vous êtes inscrit·e.\n\n{what}\n\n{answer}\n"
            ),
        ),
        Notice::Reminder => (
            format!("Rappel : {}", about.title),
            format!("Bonjour,\n\nVous êtes inscrit·e à cette séance :\n\n{what}\n\n{answer}\n"),
        ),
        Notice::MorningReminder => (
            format!("C'est aujourd'hui : {}", about.title),
            format!("Bonjour,\n\nVous êtes inscrit·e à cette séance, aujourd'hui :\n\n{what}\n\n{answer}\n"),
        ),
        Notice::SessionCancelled => (
            format!("Séance annulée : {}", about.title),
            format!(
                "Bonjour,\n\nCette séance n'aura pas lieu :\n\n{what}\n\nVotre conseiller vous proposera une autre date.\n"
            ),
        ),
        Notice::SessionChanged => (
            format!("Changement d'horaire ou de lieu : {}", about.title),
            format!(
                "Bonjour,\n\nCette séance a changé. Voici l'horaire et le lieu à jour :\n\n{what}\n\nVous restez inscrit·e.\n"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn about<'a>(title: &'a str, place: &'a str) -> About<'a> {
        About { title, starts_at: Utc.with_ymd_and_hms(2026, 3, 3, 8, 30, 0).unwrap(), place, link: None }
    }

    const LINK: &str = "https://toile.groupe-insertion.fr/r/abcdefghjkmnpqrs";

    #[test]
    fn an_sms_says_what_when_and_where_in_one_message() {
        let text = sms(Notice::SeatOffer, &about("Atelier CV", "12 rue des Postes, Lille"));
        assert_eq!(
            text,
            "Une place s'est libérée pour vous : Atelier CV, mardi 3 mars 9 h 30, 12 rue des Postes, Lille. Vous ne pouvez pas venir ? Prévenez votre structure."
        );
        assert!(text.chars().count() <= SMS_CHARS);
    }

    #[test]
    fn the_enrolment_confirmation_says_what_when_and_where() {
        let text = sms(Notice::Enrolled, &about("Atelier CV", "12 rue X, Lille"));
        assert_eq!(
            text,
            "Inscription confirmée : Atelier CV, mardi 3 mars 9 h 30, 12 rue X, Lille. Vous ne pouvez pas venir ? Prévenez votre structure."
        );
        let (subject, body) = email(Notice::Enrolled, &about("Atelier CV", "12 rue X, Lille"));
        assert_eq!(subject, "Inscription confirmée : Atelier CV");
        assert!(
            body.contains("Vous êtes inscrit·e") && body.contains("mardi 3 mars 9 h 30, 12 rue X, Lille"),
            "{body}"
        );
    }

    #[test]
    fn a_long_title_and_place_are_shortened_to_fit_one_sms() {
        let long = "Rencontre avec l'entreprise de logistique du grand port maritime et ses métiers";
        let place = "Maison de l'emploi et de la formation, 145 boulevard de la Liberté, 59000 Lille";
        let with_link = || About { link: Some(LINK), ..about(long, place) };
        for (notice, about) in [
            (Notice::Enrolled, about(long, place)),
            (Notice::SeatOffer, about(long, place)),
            (Notice::SessionCancelled, about(long, place)),
            (Notice::SessionChanged, about(long, place)),
            (Notice::SeatOffer, with_link()),
            (Notice::Reminder, with_link()),
            (Notice::MorningReminder, with_link()),
        ] {
            let text = sms(notice, &about);
            assert!(text.chars().count() <= SMS_CHARS, "{} chars: {text}", text.chars().count());
            assert!(text.contains("mardi 3 mars 9 h 30"), "the date is never cut: {text}");
            assert!(text.chars().all(|c| GSM.contains(c)), "one 160-character SMS, not a 70-character one: {text}");
        }
    }

    #[test]
    fn a_reminder_carries_the_whole_link_to_answer() {
        let text =
            sms(Notice::Reminder, &About { link: Some(LINK), ..about("Atelier CV", "12 rue des Postes, Lille") });
        assert_eq!(
            text,
            format!(
                "Rappel : Atelier CV, mardi 3 mars 9 h 30, 12 rue des Postes, Lille. Vous venez ? Répondez ici : {LINK}"
            )
        );
        let (subject, body) = email(Notice::Reminder, &About { link: Some(LINK), ..about("Atelier CV", "") });
        assert_eq!(subject, "Rappel : Atelier CV");
        assert!(body.contains(LINK) && body.contains("mardi 3 mars 9 h 30"), "{body}");
    }

    #[test]
    fn a_link_too_long_for_one_sms_leaves_the_date_alone() {
        let link = format!("https://{}/r/abc", "x".repeat(150));
        let text = sms(Notice::Reminder, &About { link: Some(&link), ..about("Atelier CV", "Lille") });
        assert!(text.contains(&link) && text.contains("mardi 3 mars"), "{text}");
    }

    #[test]
    fn an_sms_is_written_in_the_gsm_alphabet() {
        assert_eq!(gsm("Fête «Noël» à l’Œuvre · café…"), "Fete \"Noel\" à l'OEuvre . café...");
        let text = sms(Notice::SessionChanged, &about("Atelier « Être prêt·e »", "Forêt, Besançon"));
        assert!(text.chars().all(|c| GSM.contains(c)), "{text}");
    }
}
