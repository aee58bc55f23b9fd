//! Where things are: every route path of the pages, the calendars and the API, in one place that
//! the server and the pages both use.

/// The sign-in page.
pub const SIGN_IN: &str = "/connexion";
/// A participant's sessions: their start page.
pub const PARTICIPANT_SESSIONS: &str = "/seances";
/// The group's sessions, for staff: their start page.
pub const STAFF_SESSIONS: &str = "/equipe/seances";
/// Calendar links, for everyone signed in.
pub const AGENDA: &str = "/agenda";
/// Server functions (their prefix; the `#[server]` attributes repeat it: a macro needs a literal).
pub const SERVER_FNS: &str = "/fn";
/// The JSON API.
pub const API: &str = "/api/v1";
/// Secret-URL calendar feeds: `/calendars/<token>.ics`.
pub const CALENDARS: &str = "/calendars";

/// The segments of the pages' routes, for the router.
pub mod segments {
    pub const SIGN_IN: &str = "connexion";
    pub const SESSIONS: &str = "seances";
    pub const STAFF: &str = "equipe";
    pub const AGENDA: &str = "agenda";
}

/// A session's page, for a participant.
pub fn session(id: crate::SessionId) -> String {
    format!("{PARTICIPANT_SESSIONS}/{id}")
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
        assert_eq!(AGENDA, format!("/{}", segments::AGENDA));
        assert_eq!(session(3), "/seances/3");
        assert_eq!(feed("https://t.fr", "abc"), "https://t.fr/calendars/abc.ics");
    }
}
