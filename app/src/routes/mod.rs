//! One module per page.

mod admin;
mod agenda;
mod answer;
mod home;
mod invitation;
mod not_found;
mod participant_sessions;
mod session_page;
mod sign_in;
mod staff;

pub use admin::AdminPage;
pub use agenda::AgendaPage;
pub use answer::AnswerLinkPage;
pub use home::HomePage;
pub use invitation::InvitationPage;
pub use not_found::NotFoundPage;
pub use participant_sessions::ParticipantSessionsPage;
pub use session_page::SessionPage;
pub use sign_in::SignInPage;
pub use staff::*;
