//! Every page of the site, as one list that tests walk: the statuses each visitor gets
//! (`tests/tests/permissions.rs`), and any later check made page by page. A page the app's router
//! offers without an entry here fails `every_page_of_the_router_is_listed`.
//!
//! Addresses hold what each test fills in: `{session}` (a session open to all, with
//! `{enrolled}` in it), `{enrolled}` (a participant), `{unknown}` (an id that exists nowhere),
//! `{secret}` (an answer link), `{invitation}` (an invitation link).

/// One page address, and what it shows.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub address: &'static str,
    pub about: &'static str,
}

const fn page(address: &'static str, about: &'static str) -> Page {
    Page { address, about }
}

pub const PAGES: &[Page] = &[
    page("/", "home: sends each person to their start page"),
    page("/connexion", "sign-in"),
    page("/seances", "a participant's sessions"),
    page("/seances/{session}", "a session, for a participant"),
    page("/seances/{unknown}", "an unknown session, for a participant"),
    page("/agenda", "calendar links"),
    page("/equipe", "a staff member's desk"),
    page("/equipe/programme", "the group's programme"),
    page("/equipe/seances", "the old programme address"),
    page("/equipe/seances/nouvelle", "the new-session form"),
    page("/equipe/seances/{session}", "a session's staff page"),
    page("/equipe/seances/{unknown}", "an unknown session's staff page"),
    page("/equipe/seances/{session}/modifier", "the edit form"),
    page("/equipe/seances/{session}/annuler", "cancelling a session"),
    page("/equipe/seances/{session}/dupliquer", "duplicating a session"),
    page("/equipe/seances/{session}/presences", "attendance"),
    page("/equipe/participants", "the participants list"),
    page("/equipe/participants/nouvelle", "registering a participant"),
    page("/equipe/participants/{enrolled}", "a participant's record"),
    page("/equipe/participants/{unknown}", "an unknown participant's record"),
    page("/equipe/participants/{enrolled}/code", "a new code"),
    page("/equipe/journal", "the journal"),
    page("/equipe/chiffres", "the figures"),
    page("/equipe/jetons", "API tokens"),
    page("/equipe/notifications", "messages sent"),
    page("/admin", "administration"),
    page("/invitation/{invitation}", "an invitation link"),
    page("/r/{secret}", "an answer link"),
];

/// `address` in the router's shape: each filled-in part as `{}`.
pub fn shape(address: &str) -> String {
    address.split('/').map(|part| if part.starts_with('{') { "{}" } else { part }).collect::<Vec<_>>().join("/")
}
