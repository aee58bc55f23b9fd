//! An in-memory `Backend` for page tests and the local preview example: one participant
//! (`KP4T-9WXA`, token `p-token`), one staff member (`claire@example.org` / `secret`, token
//! `s-token`), one session (id 1) whose enrolment flips between none and 3rd on the waiting list.

use std::sync::Mutex;
use toile_app::backend::Backend;
use toile_app::models::*;
use toile_shared::{EnrolmentStatus, Role, SessionId};

#[derive(Default)]
pub struct Fake {
    mine: Mutex<Option<MyEnrolment>>,
}

fn err(code: &str, message: &str) -> UiError {
    UiError { code: code.into(), message: message.into() }
}

fn participant() -> Viewer {
    Viewer { display_name: "Amina".into(), kind: ViewerKind::Participant }
}

fn check(token: &str) -> Result<(), UiError> {
    match token {
        "p-token" | "s-token" => Ok(()),
        _ => Err(err("unauthenticated", "Connectez-vous.")),
    }
}

impl Fake {
    fn card(&self) -> SessionCard {
        SessionCard {
            id: 1,
            title: "Atelier CV".into(),
            kind_label: "Atelier TRE".into(),
            date_label: "mardi 3 mars".into(),
            time_label: "9 h 00 – 11 h 00".into(),
            place_label: "Maison de l'emploi, Lille".into(),
            seats_left: 4,
            mine: self.mine.lock().unwrap().clone(),
        }
    }
}

#[async_trait::async_trait]
impl Backend for Fake {
    async fn viewer(&self, token: &str) -> Option<Viewer> {
        match token {
            "p-token" => Some(participant()),
            "s-token" => Some(Viewer { display_name: "Claire Martin".into(), kind: ViewerKind::Staff(Role::ALL[0]) }),
            _ => None,
        }
    }
    async fn sign_in_staff(&self, email: &str, password: &str) -> Result<SignedIn, UiError> {
        if email == "claire@example.org" && password == "secret" {
            Ok(SignedIn { token: "s-token".into(), viewer: self.viewer("s-token").await.unwrap() })
        } else {
            Err(err("bad_credentials", "E-mail ou mot de passe incorrect."))
        }
    }
    async fn sign_in_participant(&self, code: &str) -> Result<SignedIn, UiError> {
        if code == "KP4T-9WXA" {
            Ok(SignedIn { token: "p-token".into(), viewer: participant() })
        } else {
            Err(err("bad_code", "Ce code n'est pas reconnu."))
        }
    }
    async fn sign_out(&self, _token: &str) {}
    async fn participant_sessions(&self, token: &str) -> Result<Vec<SessionCard>, UiError> {
        check(token)?;
        Ok(vec![self.card()])
    }
    async fn session_detail(&self, token: &str, id: SessionId) -> Result<SessionDetail, UiError> {
        check(token)?;
        if id != 1 {
            return Err(err("not_found", "Séance introuvable."));
        }
        Ok(SessionDetail {
            card: self.card(),
            description: "Refaire son CV.".into(),
            company_name: None,
            speaker: None,
            cancellation_label: Some("Annulation possible jusqu'au lundi 2 mars".into()),
            cancelled: false,
            cannot_enrol_reason: None,
            can_cancel: true,
        })
    }
    async fn enrol_self(&self, token: &str, _id: SessionId) -> Result<EnrolOutcome, UiError> {
        check(token)?;
        let enrolment = MyEnrolment { status: EnrolmentStatus::Waitlisted, waitlist_position: Some(3) };
        *self.mine.lock().unwrap() = Some(enrolment.clone());
        Ok(EnrolOutcome { enrolment, message: "Vous êtes 3ᵉ sur la liste d'attente.".into() })
    }
    async fn cancel_self(&self, token: &str, _id: SessionId) -> Result<(), UiError> {
        check(token)?;
        *self.mine.lock().unwrap() = None;
        Ok(())
    }
    async fn staff_sessions(&self, token: &str) -> Result<Vec<StaffSessionRow>, UiError> {
        check(token)?;
        Ok(vec![StaffSessionRow {
            id: 1,
            title: "Atelier CV".into(),
            kind_label: "Atelier TRE".into(),
            when_label: "mar. 3 mars, 9 h 00".into(),
            organiser: "Claire Martin".into(),
            status_label: "Publiée".into(),
            capacity: 8,
            seats_taken: 8,
            waitlist_count: 3,
        }])
    }
}
