//! Toile's domain: the words of the job-integration world as types, and the rules that bind
//! them as pure functions. Compiled for the server and for the browser (wasm), so nothing here
//! touches a database, a clock or the network: callers pass `now` and the state they read.

pub mod access_code;
pub mod api_tokens;
pub mod audience;
pub mod audit;
pub mod authz;
pub mod done;
pub mod enrolment;
pub mod error_code;
pub mod kinds;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod paths;
pub mod phone;
pub mod session_input;
pub mod signature;
pub mod text;
pub mod visitor;
mod vocabulary;

pub use audience::Audience;
pub use error_code::ErrorCode;
pub use kinds::*;

pub type StructureId = i64;
pub type SiteId = i64;
pub type UserId = i64;
pub type ParticipantId = i64;
pub type SessionId = i64;
