//! `UiError` travels as the error type of every server function, so the page receives the
//! server's French message and stable code as they are, with JS (JSON body) and without it
//! (Leptos puts the encoded error in the `__err` query parameter of the redirect back; the server
//! moves it into a signed flash cookie and gives it back to that page alone, `web::flash`).

use crate::models::UiError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use toile_shared::ErrorCode;

impl UiError {
    pub fn new(code: &str, message: &str) -> Self {
        Self { code: code.to_owned(), message: message.to_owned() }
    }

    pub fn not_signed_in() -> Self {
        Self::new(ErrorCode::NotSignedIn.code(), "Connectez-vous pour voir cette page.")
    }

    /// The person's sign-in is gone (signed out, expired, account closed).
    pub fn is_signed_out(&self) -> bool {
        self.code == ErrorCode::NotSignedIn.code()
    }

    /// The HTTP status a server function answers with this error, the same as the API's and
    /// the downloads' for the same code (`ErrorCode::status`). A code outside the vocabulary is
    /// a fault of ours.
    pub fn status(&self) -> u16 {
        ErrorCode::parse(&self.code).map_or(500, ErrorCode::status)
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound.code(), "Cette séance n'existe pas ou n'est plus visible.")
    }
}

impl FromServerFnError for UiError {
    type Encoder = JsonEncoding;

    /// Transport and framework failures: the person gets plain words, the log gets the detail.
    fn from_server_fn_error(err: ServerFnErrorErr) -> Self {
        leptos::logging::error!("server function failed: {err}");
        match err {
            ServerFnErrorErr::Request(_) => Self::new(
                ErrorCode::Network.code(),
                "Le serveur ne répond pas. Vérifiez votre connexion internet, puis réessayez.",
            ),
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::new(ErrorCode::BadForm.code(), "Le formulaire est incomplet. Rechargez la page, puis réessayez.")
            }
            _ => Self::new(ErrorCode::Internal.code(), "Un problème technique est survenu. Réessayez dans un instant."),
        }
    }
}
