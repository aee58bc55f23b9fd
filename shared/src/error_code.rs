//! What went wrong, in one vocabulary: every error code Toile answers (the API's JSON, the
//! pages' messages, the downloads, the calendars and the layers in front) with the one HTTP
//! status it gets everywhere. A 5xx is only ever a fault of ours, so that monitoring can trust
//! it; the person's mistakes and the rules' refusals are 4xx.

/// Declares the codes with their stable snake_case string and their HTTP status.
macro_rules! error_codes {
    ($($(#[$meta:meta])* $variant:ident => $code:literal, $status:literal;)+) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($(#[$meta])* $variant),+ }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The stable code clients can rely on.
            pub fn code(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),+ }
            }

            /// The HTTP status this error is answered with, whoever answers it.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some(ErrorCode::$variant),)+ _ => None }
            }
        }
    };
}

error_codes! {
    BadRequest => "bad_request", 400;

    /// No sign-in, or one that ended (the API: no valid bearer token).
    Unauthenticated => "unauthenticated", 401;
    /// A page or server function asked for without a browser sign-in.
    NotSignedIn => "not_signed_in", 401;
    BadCredentials => "bad_credentials", 401;
    CodeExpired => "code_expired", 401;
    TokenExpired => "token_expired", 401;

    Forbidden => "forbidden", 403;
    /// A write that does not come from one of Toile's pages (`web::guard`).
    CrossSiteRequest => "cross_site_request", 403;

    NotFound => "not_found", 404;
    InvitationGone => "invitation_gone", 404;
    AnswerLinkUnknown => "answer_link_unknown", 404;
    RequestTimeout => "request_timeout", 408;
    /// A session's answer link after the session ended: it existed and is gone for good.
    AnswerLinkExpired => "answer_link_expired", 410;
    /// A code card's link used, expired or replaced.
    SignInLinkGone => "sign_in_link_gone", 410;
    PreconditionFailed => "precondition_failed", 412;
    BodyTooLarge => "body_too_large", 413;

    Invalid => "invalid", 422;
    /// A form without the fields its page sends (an old page, or not ours).
    BadForm => "bad_form", 422;
    PasswordTooShort => "password_too_short", 422;
    PasswordTooCommon => "password_too_common", 422;
    PasswordPersonal => "password_personal", 422;
    IdempotencyKeyMismatch => "idempotency_key_mismatch", 422;
    RateLimited => "rate_limited", 429;

    Internal => "internal", 500;
    /// The browser could not reach the server (said by the page, never by the server).
    Network => "network", 500;

    // The rules' refusals and conflicts with what is stored.
    SessionNotPublished => "session_not_published", 409;
    SessionCancelled => "session_cancelled", 409;
    EnrolmentNotOpen => "enrolment_not_open", 409;
    EnrolmentClosed => "enrolment_closed", 409;
    SessionStarted => "session_started", 409;
    NotInAudience => "not_in_audience", 409;
    OverlappingEnrolment => "overlapping_enrolment", 409;
    ParticipantInactive => "participant_inactive", 409;
    SessionFull => "session_full", 409;
    CancellationDeadlinePassed => "cancellation_deadline_passed", 409;
    NoFreeSeat => "no_free_seat", 409;
    NotEligible => "not_eligible", 409;
    NotWaiting => "not_waiting", 409;
    NotConfirmed => "not_confirmed", 409;
    NotStarted => "not_started", 409;
    NotPresent => "not_present", 409;
    AttendanceMissing => "attendance_missing", 409;
    AlreadySealed => "already_sealed", 409;
    CapacityBelowTaken => "capacity_below_taken", 409;
    SessionHasEnrolments => "session_has_enrolments", 409;
    EditedMeanwhile => "edited_meanwhile", 409;
    Archived => "archived", 409;
    AlreadyAnonymised => "already_anonymised", 409;
    DuplicateCode => "duplicate_code", 409;
    DuplicateEmail => "duplicate_email", 409;
    /// A staff account turned off.
    Inactive => "inactive", 409;
    /// An admin turning their own account off.
    OwnAccount => "self", 409;
    /// `toile seed --demo` over a half-made demo.
    PartialDemo => "partial_demo", 409;
    FormAlreadySent => "form_already_sent", 409;
    FormBeingSent => "form_being_sent", 409;
    FormOutdated => "form_outdated", 409;
    IdempotencyKeyUsed => "idempotency_key_used", 409;
    IdempotencyKeyInUse => "idempotency_key_in_use", 409;
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_and_is_said_once() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.code()), Some(*code));
        }
        let mut codes: Vec<_> = ErrorCode::ALL.iter().map(|code| code.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn a_link_that_never_existed_is_not_found_and_one_that_ended_is_gone() {
        assert_eq!(ErrorCode::AnswerLinkUnknown.status(), 404);
        assert_eq!(ErrorCode::AnswerLinkExpired.status(), 410);
        assert_eq!(ErrorCode::SignInLinkGone.status(), 410);
    }

    #[test]
    fn an_ended_api_token_asks_to_authenticate_again() {
        assert_eq!(ErrorCode::TokenExpired.status(), 401);
    }

    #[test]
    fn only_our_own_faults_are_server_errors() {
        let ours: Vec<_> = ErrorCode::ALL.iter().filter(|code| code.status() >= 500).collect();
        assert_eq!(ours, [&ErrorCode::Internal, &ErrorCode::Network]);
        assert!(ErrorCode::ALL.iter().all(|code| (400..600).contains(&code.status())));
    }
}
