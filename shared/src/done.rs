//! What a form just did, said on the page it sends the browser back to: staff forms write a
//! `Done` in the address (`?fait=…`), the participant's enrol and cancel buttons an `Outcome`
//! (`?message=…`). The codes are part of addresses people keep: they never change.

use crate::EnrolmentStatus;
use crate::vocabulary::words;

words! {
    /// What a staff form did.
    Done {
        SessionProposed => "creee", "La séance est enregistrée.";
        SessionChanged => "modifiee", "Vos changements sont enregistrés.";
        SessionCancelled => "annulee",
            "La séance est annulée. Les personnes inscrites et en attente voient la raison sur leur page.";
        SessionCopied => "copiee", "La copie est enregistrée : vérifiez-la, puis publiez-la si besoin.";
        Enrolled => "inscrit", "La personne est inscrite.";
        Waitlisted => "en-attente", "La séance est complète : la personne est sur la liste d'attente.";
        Overbooked => "surnombre", "La personne est inscrite en surnombre. La raison est notée dans l'historique.";
        Unenrolled => "desinscrit", "L'inscription est annulée. Si quelqu'un attendait, la place lui est donnée.";
        SeatGiven => "place-donnee", "La personne a maintenant une place.";
        StructureAdded => "structure", "La structure est enregistrée.";
        SiteAdded => "lieu", "Le lieu est enregistré.";
        AccountDeactivated => "desactive",
            "Le compte est désactivé : ses connexions et ses jetons d'API sont arrêtés.";
        ParticipantArchived => "archivee", "La personne est archivée : ses séances à venir sont libérées.";
        ParticipantErased => "effacee",
            "Les données de la personne sont effacées. Ses présences restent dans les chiffres, sans son nom.";
        TokenRevoked => "revoque", "Le jeton est révoqué : il ne marche plus.";
    }
}

/// The `?fait=` code of the page of what a form made, when the same form was posted again
/// (see `idempotency`): each page says in its own words what was already made.
pub const ALREADY_DONE: &str = "deja";

/// The page a `Done` is said on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DonePage {
    /// A session's staff page.
    Session,
    Participants,
    Admin,
    ApiTokens,
}

impl Done {
    /// The query parameter that carries the code.
    pub const QUERY: &'static str = "fait";

    pub fn page(self) -> DonePage {
        match self {
            Done::SessionProposed
            | Done::SessionChanged
            | Done::SessionCancelled
            | Done::SessionCopied
            | Done::Enrolled
            | Done::Waitlisted
            | Done::Overbooked
            | Done::Unenrolled
            | Done::SeatGiven => DonePage::Session,
            Done::StructureAdded | Done::SiteAdded | Done::AccountDeactivated => DonePage::Admin,
            Done::ParticipantArchived | Done::ParticipantErased => DonePage::Participants,
            Done::TokenRevoked => DonePage::ApiTokens,
        }
    }

    /// What `page` says for the code in its address: nothing for a code of another page.
    pub fn said_on(page: DonePage, code: &str) -> Option<&'static str> {
        Done::parse(code).filter(|done| done.page() == page).map(Done::label)
    }

    /// A staff member enrolled someone: a seat, or the waiting list.
    pub fn enrolled(status: EnrolmentStatus) -> Done {
        match status {
            EnrolmentStatus::Confirmed => Done::Enrolled,
            _ => Done::Waitlisted,
        }
    }
}

words! {
    /// What the participant did on a session's page.
    Outcome {
        Enrolled => "inscription", "Votre inscription est confirmée.";
        Waitlisted => "attente",
            "La séance est complète : vous êtes sur la liste d'attente. Si une place se libère, \
             elle est pour vous, automatiquement.";
        Cancelled => "desinscription", "Votre inscription est annulée.";
    }
}

impl Outcome {
    /// The query parameter that carries the code.
    pub const QUERY: &'static str = "message";

    /// The participant enrolled: a seat, or the waiting list.
    pub fn enrolled(status: EnrolmentStatus) -> Outcome {
        match status {
            EnrolmentStatus::Confirmed => Outcome::Enrolled,
            _ => Outcome::Waitlisted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_and_none_is_the_already_done_code() {
        for done in Done::ALL {
            assert_eq!(Done::parse(done.code()), Some(*done));
            assert_ne!(done.code(), ALREADY_DONE);
        }
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.code()), Some(*outcome));
        }
    }

    #[test]
    fn a_page_says_only_its_own_codes() {
        assert_eq!(Done::said_on(DonePage::Admin, "lieu"), Some("Le lieu est enregistré."));
        assert_eq!(Done::said_on(DonePage::Session, "lieu"), None);
        assert_eq!(Done::said_on(DonePage::Session, ALREADY_DONE), None);
    }

    #[test]
    fn an_enrolment_is_said_as_a_seat_or_the_waiting_list() {
        assert_eq!(Done::enrolled(EnrolmentStatus::Confirmed), Done::Enrolled);
        assert_eq!(Done::enrolled(EnrolmentStatus::Waitlisted), Done::Waitlisted);
        assert_eq!(Outcome::enrolled(EnrolmentStatus::Waitlisted), Outcome::Waitlisted);
    }
}
