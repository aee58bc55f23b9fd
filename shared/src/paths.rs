//! Where things are: every route path of the pages, the calendars and the API, in one place that
//! the server and the pages both use.

/// The sign-in page.
pub const SIGN_IN: &str = "/connexion";
/// A code card's single-use sign-in link, which its QR code carries: `/connexion/carte/<secret>`.
pub const CARD_SIGN_IN: &str = "/connexion/carte";
/// A participant's sessions: their start page.
pub const PARTICIPANT_SESSIONS: &str = "/seances";
/// A staff member's desk: their start page.
pub const STAFF_HOME: &str = "/equipe";
/// The group's programme, for staff.
pub const PROGRAMME: &str = "/equipe/programme";
/// The staff's list of sessions before the programme page: it leads there.
pub const STAFF_SESSIONS: &str = "/equipe/seances";
/// The form that proposes a session.
pub const NEW_SESSION: &str = "/equipe/seances/nouvelle";
/// A structure's participants, for its staff.
pub const PARTICIPANTS: &str = "/equipe/participants";
/// Registering a participant.
pub const NEW_PARTICIPANT: &str = "/equipe/participants/nouvelle";
/// The audit trail, for coordinators and admins.
pub const AUDIT: &str = "/equipe/journal";
/// The audit trail as a CSV file (same filters as the page).
pub const AUDIT_CSV: &str = "/equipe/journal.csv";
/// Fill, attendance and pooling figures, for staff (a structure's, or the group's).
pub const FIGURES: &str = "/equipe/chiffres";
/// One table of the figures page as a CSV file: `?tableau=…` and the page's filters.
pub const FIGURES_CSV: &str = "/equipe/chiffres.csv";
/// The funders' report of the figures page, as a PDF.
pub const FIGURES_PDF: &str = "/equipe/chiffres.pdf";
/// What was sent to participants (SMS, e-mail), for staff.
pub const NOTIFICATIONS: &str = "/equipe/notifications";
/// A staff member's API tokens: made, listed, revoked.
pub const API_TOKENS: &str = "/equipe/jetons";
/// Structures, sites and staff accounts, for admins.
pub const ADMIN: &str = "/admin";
/// Invitation links: `/invitation/<secret>`.
pub const INVITATION: &str = "/invitation";
/// A participant's answer to a reminder or a seat offer: `/r/<secret>` (short, for an SMS).
pub const ANSWER: &str = "/r";
/// Calendar links, for everyone signed in.
pub const AGENDA: &str = "/agenda";
/// Server functions (their prefix; the `#[server]` attributes repeat it: a macro needs a literal).
pub const SERVER_FNS: &str = "/fn";
/// The JSON API.
pub const API: &str = "/api/v1";
/// Where Brevo posts its SMS events: `/webhooks/brevo/sms/<secret>` (a STOP answered by SMS).
pub const SMS_WEBHOOK: &str = "/webhooks/brevo/sms";
/// Secret-URL calendar feeds: `/calendars/<token>.ics`.
pub const CALENDARS: &str = "/calendars";

/// The segments of the pages' routes, for the router.
pub mod segments {
    pub const SIGN_IN: &str = "connexion";
    pub const SESSIONS: &str = "seances";
    pub const STAFF: &str = "equipe";
    pub const AGENDA: &str = "agenda";
    pub const PROGRAMME: &str = "programme";
    pub const NEW: &str = "nouvelle";
    pub const EDIT: &str = "modifier";
    pub const CANCEL: &str = "annuler";
    pub const DUPLICATE: &str = "dupliquer";
    pub const ATTENDANCE: &str = "presences";
    pub const PARTICIPANTS: &str = "participants";
    pub const ADMIN: &str = "admin";
    pub const AUDIT: &str = "journal";
    pub const FIGURES: &str = "chiffres";
    pub const API_TOKENS: &str = "jetons";
    pub const NOTIFICATIONS: &str = "notifications";
    pub const INVITATION: &str = "invitation";
    pub const ANSWER: &str = "r";
    /// A participant's new access code (and its card).
    pub const CODE: &str = "code";
    /// A participant's history as a CSV file.
    pub const HISTORY_CSV: &str = "historique.csv";
    /// A copy of everything Toile holds on a participant, to read or print, and for software.
    pub const PERSONAL_DATA_HTML: &str = "donnees.html";
    pub const PERSONAL_DATA_JSON: &str = "donnees.json";
    /// The sign-in sheet's file name, before `.pdf` or `.csv`.
    pub const SIGN_IN_SHEET: &str = "emargement";
}

/// The page where a participant answers "je viens" or "je ne peux pas venir".
pub fn card_sign_in(secret: &str) -> String {
    format!("{CARD_SIGN_IN}/{secret}")
}

pub fn answer(secret: &str) -> String {
    format!("{ANSWER}/{secret}")
}

/// A session's page, for a participant.
pub fn session(id: crate::SessionId) -> String {
    format!("{PARTICIPANT_SESSIONS}/{id}")
}

/// A session's page for staff.
pub fn staff_session(id: crate::SessionId) -> String {
    format!("{STAFF_SESSIONS}/{id}")
}

/// The form that changes a session.
pub fn edit_session(id: crate::SessionId) -> String {
    format!("{STAFF_SESSIONS}/{id}/{}", segments::EDIT)
}

/// The form that cancels a session.
pub fn cancel_session(id: crate::SessionId) -> String {
    format!("{STAFF_SESSIONS}/{id}/{}", segments::CANCEL)
}

/// The form that copies a session to another day.
pub fn duplicate_session(id: crate::SessionId) -> String {
    format!("{STAFF_SESSIONS}/{id}/{}", segments::DUPLICATE)
}

/// A participant's record, for staff.
pub fn participant(id: crate::ParticipantId) -> String {
    format!("{PARTICIPANTS}/{id}")
}

/// A participant's new access code and its card.
pub fn participant_code(id: crate::ParticipantId) -> String {
    format!("{PARTICIPANTS}/{id}/{}", segments::CODE)
}

/// A participant's sessions and attendance as a CSV file.
pub fn participant_history_csv(id: crate::ParticipantId) -> String {
    format!("{PARTICIPANTS}/{id}/{}", segments::HISTORY_CSV)
}

/// A copy of a participant's data, as a page to read or print.
pub fn participant_data_html(id: crate::ParticipantId) -> String {
    format!("{PARTICIPANTS}/{id}/{}", segments::PERSONAL_DATA_HTML)
}

/// A copy of a participant's data, as JSON.
pub fn participant_data_json(id: crate::ParticipantId) -> String {
    format!("{PARTICIPANTS}/{id}/{}", segments::PERSONAL_DATA_JSON)
}

/// Taking attendance on the day, on a phone.
pub fn attendance(id: crate::SessionId) -> String {
    format!("{STAFF_SESSIONS}/{id}/{}", segments::ATTENDANCE)
}

/// The sign-in sheet of a session as `pdf` or `csv`.
pub fn sign_in_sheet(id: crate::SessionId, extension: &str) -> String {
    format!("{STAFF_SESSIONS}/{id}/{}.{extension}", segments::SIGN_IN_SHEET)
}

/// One session as an `.ics` download for the signed-in person's own calendar.
pub fn session_calendar(id: crate::SessionId) -> String {
    format!("{PARTICIPANT_SESSIONS}/{id}/agenda.ics")
}

/// A calendar feed's secret address on `base` (e.g. `https://toile.groupe.fr`).
pub fn feed(base: &str, token: &str) -> String {
    format!("{base}{CALENDARS}/{token}.ics")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_paths_are_made_of_the_router_segments() {
        assert_eq!(SIGN_IN, format!("/{}", segments::SIGN_IN));
        assert_eq!(PARTICIPANT_SESSIONS, format!("/{}", segments::SESSIONS));
        assert_eq!(STAFF_SESSIONS, format!("/{}/{}", segments::STAFF, segments::SESSIONS));
        assert_eq!(STAFF_HOME, format!("/{}", segments::STAFF));
        assert_eq!(PROGRAMME, format!("/{}/{}", segments::STAFF, segments::PROGRAMME));
        assert_eq!(NEW_SESSION, format!("{STAFF_SESSIONS}/{}", segments::NEW));
        assert_eq!(edit_session(4), "/equipe/seances/4/modifier");
        assert_eq!(AGENDA, format!("/{}", segments::AGENDA));
        assert_eq!(API_TOKENS, format!("/{}/{}", segments::STAFF, segments::API_TOKENS));
        assert_eq!(NOTIFICATIONS, format!("/{}/{}", segments::STAFF, segments::NOTIFICATIONS));
        assert_eq!(session(3), "/seances/3");
        assert_eq!(feed("https://t.fr", "abc"), "https://t.fr/calendars/abc.ics");
    }
}
