//! Staff: their accounts (made, turned off), the invitations through which they choose their
//! password, what that password must be, and the API tokens they make for their own software.

mod accounts;
mod api_tokens;
mod invitations;
mod password_policy;

pub use super::store::staff::Account;
pub use accounts::NewUser;
pub use api_tokens::{ApiTokenLine, CreatedToken};
pub use invitations::{INVITATION_DAYS, Invitation, Invited};
pub use password_policy::{MIN_PASSWORD_CHARS, PasswordRefusal, check_new_password};

use super::{CoreError, CoreResult};
use toile_shared::authz::Actor;

/// Admins and the operator (the command line) only.
pub(super) fn require_admin(actor: &Actor) -> CoreResult<()> {
    if actor.may_administer() { Ok(()) } else { Err(CoreError::Forbidden) }
}
