//! Closed vocabularies: each has a stable code (API, database) and a French label (UI).

use crate::vocabulary::vocabulary;

vocabulary! {
    /// Legal form of a member structure of the group.
    StructureKind {
        Ei => "ei", "Entreprise d'insertion (EI)";
        Aci => "aci", "Atelier chantier d'insertion (ACI)";
        Ai => "ai", "Association intermédiaire (AI)";
        Etti => "etti", "Entreprise de travail temporaire d'insertion (ETTI)";
        Eiti => "eiti", "Entreprise d'insertion par le travail indépendant (EITI)";
        Geiq => "geiq", "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)";
        Other => "other", "Autre structure";
    }
}

vocabulary! {
    /// What a staff member may do; see `authz`.
    Role {
        Cip => "cip", "Conseiller·ère en insertion (CIP)";
        Coordinator => "coordinator", "Coordinateur·rice de structure";
        GroupCoordinator => "group_coordinator", "Coordinateur·rice du groupe";
        Admin => "admin", "Administrateur·rice";
    }
}

vocabulary! {
    SessionKind {
        Workshop => "workshop", "Atelier";
        CompanyTalk => "company_talk", "Rencontre avec une entreprise";
        InfoSession => "info_session", "Information collective";
        CompanyVisit => "company_visit", "Visite d'entreprise";
        JobDating => "job_dating", "Job dating";
        Other => "other", "Autre";
    }
}

vocabulary! {
    /// Theme of a job-search workshop (atelier TRE).
    WorkshopTheme {
        Cv => "cv", "CV";
        CoverLetter => "cover_letter", "Lettre de motivation";
        Interview => "interview", "Entretien d'embauche";
        Digital => "digital", "Numérique";
        JobSearch => "job_search", "Recherche d'offres";
        Other => "other", "Autre thème";
    }
}

vocabulary! {
    SessionStatus {
        Draft => "draft", "Brouillon";
        Published => "published", "Publiée";
        Cancelled => "cancelled", "Annulée";
    }
}

vocabulary! {
    EnrolmentStatus {
        Confirmed => "confirmed", "Inscrit·e";
        Waitlisted => "waitlisted", "En liste d'attente";
        CancelledByParticipant => "cancelled_by_participant", "Désinscrit·e";
        CancelledByStaff => "cancelled_by_staff", "Désinscrit·e par l'équipe";
    }
}

vocabulary! {
    /// Where a session takes place.
    LocationKind {
        Site => "site", "Lieu d'une structure";
        Address => "address", "Autre adresse";
        Video => "video", "Visio";
    }
}

vocabulary! {
    /// Whose sessions a calendar feed lists.
    CalendarScope {
        Group => "group", "Programme du groupe";
        Structure => "structure", "Programme d'une structure";
        Staff => "staff", "Séances d'un membre de l'équipe";
        Participant => "participant", "Séances d'une personne accompagnée";
    }
}

vocabulary! {
    Attendance {
        Unknown => "unknown", "Non renseignée";
        Present => "present", "Présent·e";
        Absent => "absent", "Absent·e";
        Excused => "excused", "Excusé·e";
    }
}

vocabulary! {
    /// Where a message to a participant or a staff member stands in the outbox.
    MessageStatus {
        Queued => "queued", "en cours d'envoi";
        Sending => "sending", "en cours d'envoi";
        Sent => "sent", "envoyé";
        Failed => "failed", "échec";
        Dropped => "dropped", "non envoyé : plus de numéro ou d'adresse";
    }
}

impl EnrolmentStatus {
    /// Confirmed and waitlisted enrolments are live; the others are history.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Confirmed | Self::Waitlisted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_its_variant() {
        for kind in SessionKind::ALL {
            assert_eq!(SessionKind::parse(kind.code()), Some(*kind));
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(*role));
        }
        for status in EnrolmentStatus::ALL {
            assert_eq!(EnrolmentStatus::parse(status.code()), Some(*status));
        }
        assert_eq!(StructureKind::parse("nope"), None);
    }
}
