//! A creating form's one-time token, and what became of a form posted with one (the rule is the
//! core's `idempotency`: the same form posted twice makes one thing).

/// The hidden field that carries a creating form's one-time token.
pub const FORM_TOKEN: &str = "form_token";

pub use toile_shared::done::ALREADY_DONE;

/// What a creating form posted with its token is to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormOnce {
    /// The first post with this token: go on, then say what it made.
    First,
    /// Posted before: the local address of what the first post made.
    Made(String),
    /// The token came with other fields (the form changed, then sent again).
    OtherForm,
    /// The first post with this token is still under way.
    UnderWay,
}
