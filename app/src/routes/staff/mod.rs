//! Staff pages: the desk, the programme, a session's page with its people, attendance, and the
//! forms about sessions.

mod api_tokens;
mod attendance;
mod audit;
mod cancel;
mod desk;
mod figures;
mod notifications;
mod participants;
mod programme;
mod register;
mod roster;
mod session;
mod session_form;
mod signature;

pub use api_tokens::ApiTokensPage;
pub use attendance::AttendancePage;
pub use audit::AuditTrailPage;
pub use cancel::{CancelSessionPage, DuplicateSessionPage};
pub use desk::StaffDeskPage;
pub use figures::StaffFiguresPage;
pub use notifications::NotificationsPage;
pub use participants::{ParticipantRecordPage, ParticipantsListPage};
pub use programme::{ProgrammePage, StaffSessionsRedirect};
pub use register::{NewParticipantPage, ParticipantCodePage};
pub use session::DONE;
pub use session::StaffSessionPage;
pub use session_form::{EditSessionPage, NewSessionPage};
