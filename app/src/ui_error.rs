//! `UiError` travels as the error type of every server function, so the page receives the
//! server's French message and stable code as they are, with JS (JSON body) and without it
//! (Leptos puts the encoded error in the `__err` query parameter of the redirect back; the server
//! moves it into a signed flash cookie and gives it back to that page alone, `web::flash`).

use crate::models::UiError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

impl UiError {
    const NOT_SIGNED_IN: &str = "not_signed_in";

    pub fn new(code: &str, message: &str) -> Self {
        Self { code: code.to_owned(), message: message.to_owned() }
    }

    pub fn not_signed_in() -> Self {
        Self::new(Self::NOT_SIGNED_IN, "Connectez-vous pour voir cette page.")
    }

    /// The person's sign-in is gone (signed out, expired, account closed).
    pub fn is_signed_out(&self) -> bool {
        self.code == Self::NOT_SIGNED_IN
    }

    /// The HTTP status a server function answers with this error: a 5xx only for a fault of
    /// ours, so that monitoring can trust it; the person's mistakes and refusals are 4xx.
    pub fn status(&self) -> u16 {
        match self.code.as_str() {
            "internal" | "network" => 500,
            Self::NOT_SIGNED_IN | "unauthenticated" | "bad_credentials" | "bad_code" | "code_expired" => 401,
            "forbidden" => 403,
            "not_found" | "invitation_gone" | "answer_link_unknown" => 404,
            "answer_link_expired" | "sign_in_link_gone" => 410,
            "invalid" | "bad_form" | "password_too_short" | "password_too_common" | "password_personal" => 422,
            "rate_limited" => 429,
            // The rest are refusals of the rules (full, overlapping, closed…).
            _ => 409,
        }
    }

    pub fn not_found() -> Self {
        Self::new("not_found", "Cette séance n'existe pas ou n'est plus visible.")
    }
}

impl FromServerFnError for UiError {
    type Encoder = JsonEncoding;

    /// Transport and framework failures: the person gets plain words, the log gets the detail.
    fn from_server_fn_error(err: ServerFnErrorErr) -> Self {
        leptos::logging::error!("server function failed: {err}");
        match err {
            ServerFnErrorErr::Request(_) => {
                Self::new("network", "Le serveur ne répond pas. Vérifiez votre connexion internet, puis réessayez.")
            }
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::new("bad_form", "Le formulaire est incomplet. Rechargez la page, puis réessayez.")
            }
            _ => Self::new("internal", "Un problème technique est survenu. Réessayez dans un instant."),
        }
    }
}
