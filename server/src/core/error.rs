//! What can go wrong in a use case, and its code in the errors' vocabulary (`ErrorCode`), which
//! gives the one HTTP status every adapter answers it with (the API, the pages, the downloads,
//! the calendars). Adapters choose only the words; internal errors are logged, never shown.

use toile_shared::ErrorCode;
use toile_shared::enrolment::Refusal;
use toile_shared::session_input::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("Veuillez vous connecter.")]
    Unauthenticated,
    #[error("Identifiants incorrects.")]
    BadCredentials,
    /// A right access code, left unused for longer than the installation allows.
    #[error("Ce code n'est plus valable. Demandez un nouveau code à votre conseiller ou conseillère.")]
    CodeExpired,
    /// An API token past its end date.
    #[error("Ce jeton d'API a expiré : créez-en un autre.")]
    TokenExpired,
    /// Too many failed sign-ins: refused without checking, for this long.
    #[error("Trop d'essais. Attendez {}, puis réessayez.", super::throttle::french_wait(*.0))]
    TooManyAttempts(std::time::Duration),
    #[error("Vous n'avez pas le droit de faire cela.")]
    Forbidden,
    #[error("{0} introuvable.")]
    NotFound(&'static str),
    #[error("Certaines informations sont invalides.")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Refused(Refusal),
    /// A new staff password the policy refuses (too short, too common, built on their name).
    #[error("{}", .0.message())]
    WeakPassword(super::PasswordRefusal),
    /// A conflict with what is stored: a duplicate, a state that forbids the change.
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    /// An API client's `If-Match` names a version the session is no longer at.
    #[error("La séance a changé depuis la version indiquée (If-Match) : relisez-la, puis renvoyez votre changement.")]
    PreconditionFailed,
    /// Another editor changed the same fields since the form was shown: nothing was written.
    #[error("Quelqu'un a changé cette séance pendant que vous la modifiiez.")]
    EditedMeanwhile(Box<super::sessions::EditedMeanwhile>),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn invalid(field: &str, message: &str) -> Self {
        CoreError::Invalid(vec![FieldError { field: field.into(), message: message.into() }])
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        CoreError::Conflict { code, message: message.into() }
    }

    /// What went wrong, in the errors' vocabulary.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            CoreError::Unauthenticated => ErrorCode::Unauthenticated,
            CoreError::BadCredentials => ErrorCode::BadCredentials,
            CoreError::CodeExpired => ErrorCode::CodeExpired,
            CoreError::TokenExpired => ErrorCode::TokenExpired,
            CoreError::TooManyAttempts(_) => ErrorCode::RateLimited,
            CoreError::Forbidden => ErrorCode::Forbidden,
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::Invalid(_) => ErrorCode::Invalid,
            CoreError::Refused(refusal) => refusal.code(),
            CoreError::WeakPassword(refusal) => refusal.code(),
            CoreError::Conflict { code, .. } => *code,
            CoreError::PreconditionFailed => ErrorCode::PreconditionFailed,
            CoreError::EditedMeanwhile(_) => ErrorCode::EditedMeanwhile,
            CoreError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The stable code clients can rely on.
    pub fn code(&self) -> &'static str {
        self.error_code().code()
    }

    /// The HTTP status it is answered with, wherever it is answered.
    pub fn status(&self) -> u16 {
        self.error_code().status()
    }
}

impl From<sqlx::Error> for CoreError {
    fn from(error: sqlx::Error) -> Self {
        CoreError::Internal(error.to_string())
    }
}

impl From<Refusal> for CoreError {
    fn from(refusal: Refusal) -> Self {
        CoreError::Refused(refusal)
    }
}
