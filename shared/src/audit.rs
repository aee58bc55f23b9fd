//! The audit trail's words: what an entry says was done.

use crate::vocabulary::words;

words! {
    /// What an audit entry records. Its code is what the journal stores, filters on and
    /// exports: a code never changes, or older entries would lose their words.
    AuditAction {
        SessionCreated => "session_created", "séance créée";
        SessionUpdated => "session_updated", "séance modifiée";
        SessionCancelled => "session_cancelled", "séance annulée";
        Enrolled => "enrolled", "une inscription";
        EnrolledOverbooking => "enrolled_overbooking", "une inscription en surnombre";
        Unenrolled => "unenrolled", "une désinscription";
        PromotedFromWaitlist => "promoted_from_waitlist", "une place donnée à la première personne en attente";
        Attendance => "attendance", "présence notée";
        Answered => "answered", "réponse au rappel (vient, ou ne peut pas venir)";
        SmsStopped => "sms_stopped", "SMS arrêtés à sa demande";
        SmsRestarted => "sms_restarted", "SMS repris à sa demande";
        MovedFromWaitlist => "moved_from_waitlist", "une place donnée à une personne en attente";
        WalkIn => "walk_in", "une personne venue sans inscription";
        SheetSealed => "sheet_sealed", "feuille d'émargement close";
        SheetReopened => "sheet_reopened", "feuille d'émargement rouverte";
        Signed => "signed", "signature sur la feuille d'émargement";
        SignInSheetDownloaded => "sign_in_sheet_downloaded", "feuille d'émargement téléchargée";
        SignIn => "sign_in", "connexion";
        SignInFailed => "sign_in_failed", "connexion refusée";
        SignInSlowed => "sign_in_slowed", "connexions ralenties : trop d'échecs";
        SignInCodeExpired => "sign_in_code_expired", "connexion refusée : code expiré";
        ParticipantRegistered => "participant_registered", "personne inscrite dans Toile";
        ParticipantArchived => "participant_archived", "personne archivée";
        AccessCodeRenewed => "access_code_renewed", "nouveau code d'accès";
        AccessCodeSet => "access_code_set", "code d'accès choisi";
        HistoryExported => "history_exported", "historique téléchargé";
        FeedCreated => "feed_created", "lien d'agenda créé";
        FeedRegenerated => "feed_regenerated", "lien d'agenda renouvelé";
        FeedDeleted => "feed_deleted", "lien d'agenda supprimé";
        ApiTokenCreated => "api_token_created", "jeton d'API créé";
        ApiTokensRevoked => "api_tokens_revoked", "jetons d'API révoqués";
        ApiTokenRevoked => "api_token_revoked", "jeton d'API révoqué";
        ParticipantAnonymised => "participant_anonymised", "données de la personne effacées";
        PersonalDataCopied => "personal_data_copied", "copie de ses données remise";
        AuditTrimmed => "audit_trimmed", "entrées anciennes du journal supprimées";
        UserCreated => "user_created", "compte créé";
        UserDeactivated => "user_deactivated", "compte désactivé";
        PasswordReset => "password_reset", "nouveau lien de mot de passe";
        UserInvited => "user_invited", "membre invité";
        InvitationAccepted => "invitation_accepted", "invitation acceptée";
        StructureCreated => "structure_created", "structure créée";
        SiteCreated => "site_created", "lieu créé";
        AuditExported => "audit_exported", "journal téléchargé";
    }
}

impl AuditAction {
    /// The words for a stored code; a code no action has (an older release's) as it is.
    pub fn label_of(code: &str) -> &str {
        match Self::parse(code) {
            Some(action) => action.label(),
            None => code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_code_and_has_words() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.code()), Some(*action));
            assert_eq!(AuditAction::label_of(action.code()), action.label());
        }
    }

    #[test]
    fn an_unknown_stored_code_is_shown_as_it_is() {
        assert_eq!(AuditAction::label_of("enrolled"), "une inscription");
        assert_eq!(AuditAction::label_of("seat_swapped"), "seat_swapped");
    }
}
