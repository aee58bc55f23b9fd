//! An in-memory `PagesPort` for page tests and the local preview example: one participant
//! (`KP4T-9WXA`, token `p-token`), one staff member (`claire@example.org` / `secret`, token
//! `s-token`), one session (id 1) whose enrolment flips between none and 3rd on the waiting list,
//! a session (id 2) whose texts are script-injection attempts (`HOSTILE`), and calendar links
//! numbered from 1 whose secret is `secret-<id>-<version>`, an answer link `reponse-valable`. Staff may follow
//! the group, structure 1 ("Tremplin 59") and their own sessions, not structure 2.

use std::net::IpAddr;
use std::sync::Mutex;
use toile_app::models::*;
use toile_app::port::{PagesPort, Visitor};
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;
use toile_shared::done::Done;
use toile_shared::{
    Attendance, EnrolmentStatus, MessageStatus, ParticipantId, Role, SessionId, SessionKind, SessionStatus,
};

/// The title of session 2: it tries to close `<title>` and run a script.
pub const HOSTILE: &str = r#"Atelier</title><script>document.title="PWNED"</script>"#;

#[derive(Default)]
pub struct Fake {
    mine: Mutex<Option<MyEnrolment>>,
    answered: Mutex<Option<AnswerStatus>>,
    /// `None`: receiving SMS, as at first.
    sms: Mutex<Option<SmsChoice>>,
    feeds: Mutex<Vec<FakeFeed>>,
}

struct FakeFeed {
    id: i64,
    owner: String,
    name: String,
    version: u32,
}

fn err(code: &str, message: &str) -> UiError {
    UiError { code: code.into(), message: message.into() }
}

fn participant() -> Viewer {
    Viewer { display_name: "Amina".into(), kind: ViewerKind::Participant }
}

fn staff() -> Viewer {
    Viewer { display_name: "Claire Martin".into(), kind: ViewerKind::Staff(Role::ALL[0]) }
}

fn link(feed: &FakeFeed, origin: &RequestOrigin) -> NewFeedLink {
    let scheme = origin.forwarded_proto.as_deref().unwrap_or("http");
    let host = origin.host.as_deref().unwrap_or("localhost");
    let url = format!("{scheme}://{host}/calendars/secret-{}-{}.ics", feed.id, feed.version);
    NewFeedLink::new(feed.id, feed.name.clone(), url)
}

fn not_mine() -> UiError {
    err("not_found", "Agenda introuvable.")
}

/// Session 1 as staff see it: full, three people waiting.
fn row() -> ProgrammeRow {
    ProgrammeRow {
        id: 1,
        title: "Atelier CV".into(),
        kind: SessionKind::Workshop,
        kind_label: "Atelier TRE".into(),
        when_label: "mar. 3 mars".into(),
        time_label: "9 h 00 – 11 h 00".into(),
        organiser: "Tremplin 59".into(),
        facilitators: vec!["Claire Martin".into()],
        place: "Maison de l'emploi, Lille".into(),
        status: SessionStatus::Published,
        capacity: 8,
        seats_taken: 8,
        waitlist_count: 3,
        at_risk: false,
        full_with_waitlist: true,
        addable_to_calendar: true,
    }
}

impl Fake {
    fn card(&self) -> SessionCard {
        SessionCard {
            id: 1,
            title: "Atelier CV".into(),
            kind: SessionKind::Workshop,
            kind_label: "Atelier TRE".into(),
            date_label: "mardi 3 mars".into(),
            time_label: "9 h 00 – 11 h 00".into(),
            place_label: "Maison de l'emploi, Lille".into(),
            seats_left: 4,
            waiting: 0,
            mine: self.mine.lock().unwrap().clone(),
            cancelled: false,
            cancel_reason: None,
            schedule_changed: false,
        }
    }
}

#[async_trait::async_trait]
impl PagesPort for Fake {
    async fn visitor(&self, token: &str) -> Result<Option<Visitor>, UiError> {
        let (actor, viewer) = match token {
            "p-token" => (Actor::Participant { participant_id: 1, structure_id: 1 }, participant()),
            "s-token" => (Actor::Staff { user_id: 1, role: Role::ALL[0], structure_id: Some(1) }, staff()),
            _ => return Ok(None),
        };
        Ok(Some(Visitor { actor, viewer, token: token.into() }))
    }
    async fn sign_in_staff(&self, email: &str, password: &str, _: Option<IpAddr>) -> Result<SignedIn, UiError> {
        if email == "claire@example.org" && password == "secret" {
            Ok(SignedIn { token: "s-token".into(), viewer: staff(), cookie_max_age: Some(2_592_000) })
        } else {
            Err(err("bad_credentials", "E-mail ou mot de passe incorrect."))
        }
    }
    async fn sign_in_participant(&self, code: &str, _: Option<IpAddr>, shared: bool) -> Result<SignedIn, UiError> {
        if code == "KP4T-9WXA" {
            let cookie_max_age = (!shared).then_some(2_592_000);
            Ok(SignedIn { token: "p-token".into(), viewer: participant(), cookie_max_age })
        } else {
            Err(err("bad_credentials", "Ce code n'est pas reconnu."))
        }
    }
    async fn sign_in_with_card_link(&self, secret: &str) -> Result<SignedIn, UiError> {
        if secret == "lien-de-carte" {
            Ok(SignedIn { token: "p-token".into(), viewer: participant(), cookie_max_age: Some(2_592_000) })
        } else {
            Err(err("sign_in_link_gone", "Ce lien a déjà servi : tapez le code écrit sur votre carte."))
        }
    }
    async fn sign_out(&self, _visitor: &Visitor) {}
    async fn participant_home(
        &self,
        _visitor: &Visitor,
        kind: Option<SessionKind>,
    ) -> Result<ParticipantHome, UiError> {
        let card = self.card();
        let (mine, open) = if card.mine.is_some() { (vec![card], vec![]) } else { (vec![], vec![card]) };
        let weeks = vec![Week { label: "Semaine du lundi 2 mars".into(), sessions: open }];
        let weeks = if kind.is_some_and(|k| k != SessionKind::Workshop) { vec![] } else { weeks };
        let sms = self.sms.lock().unwrap().unwrap_or(SmsChoice::Receiving);
        Ok(ParticipantHome { mine, weeks, kinds: vec![SessionKind::Workshop, SessionKind::JobDating], kind, sms })
    }
    async fn session_detail(&self, _visitor: &Visitor, id: SessionId) -> Result<SessionDetail, UiError> {
        let card = match id {
            1 => self.card(),
            2 => SessionCard { id: 2, title: HOSTILE.into(), place_label: HOSTILE.into(), ..self.card() },
            _ => return Err(err("not_found", "Séance introuvable.")),
        };
        Ok(SessionDetail {
            card,
            description: "Refaire son CV.".into(),
            company_name: None,
            speaker: None,
            cancellation_label: Some("Annulation possible jusqu'au lundi 2 mars".into()),
            cancelled: false,
            cannot_enrol_reason: None,
            video_link: None,
            can_cancel: true,
        })
    }
    async fn enrol_self(&self, _visitor: &Visitor, _id: SessionId) -> Result<MyEnrolment, UiError> {
        let enrolment = MyEnrolment { status: EnrolmentStatus::Waitlisted, waitlist_position: Some(3) };
        *self.mine.lock().unwrap() = Some(enrolment.clone());
        Ok(enrolment)
    }
    async fn cancel_self(&self, _visitor: &Visitor, _id: SessionId) -> Result<(), UiError> {
        *self.mine.lock().unwrap() = None;
        Ok(())
    }
    async fn set_sms(&self, _visitor: &Visitor, stop: bool) -> Result<(), UiError> {
        *self.sms.lock().unwrap() = Some(if stop { SmsChoice::Stopped } else { SmsChoice::Receiving });
        Ok(())
    }
    async fn answer_page(&self, secret: &str) -> Result<AnswerPage, UiError> {
        match secret {
            "reponse-valable" => Ok(AnswerPage {
                title: "Atelier CV".into(),
                date_label: "mardi 3 mars".into(),
                time_label: "9 h 30 – 11 h 30".into(),
                place_label: "12 rue des Postes, 59000 Lille".into(),
                video_link: None,
                status: self.answered.lock().unwrap().unwrap_or(AnswerStatus::Seated),
            }),
            _ => Err(err("answer_link_unknown", "Ce lien ne marche pas.")),
        }
    }
    async fn answer(&self, secret: &str, coming: bool, _: Option<IpAddr>) -> Result<AnswerPage, UiError> {
        self.answer_page(secret).await?;
        *self.answered.lock().unwrap() = Some(if coming { AnswerStatus::Coming } else { AnswerStatus::Declined });
        self.answer_page(secret).await
    }
    async fn staff_desk(&self, _visitor: &Visitor) -> Result<StaffDesk, UiError> {
        Ok(StaffDesk {
            next: vec![row()],
            soon: vec![],
            seats_and_waiting: vec![row()],
            drafts: vec![],
            may_propose: true,
        })
    }
    async fn programme(&self, _visitor: &Visitor, query: ProgrammeQuery) -> Result<Programme, UiError> {
        let structures = vec![
            Choice { value: "1".into(), label: "Tremplin 59".into() },
            Choice { value: "2".into(), label: "Roubaix Insertion".into() },
        ];
        // Session 1 is Tremplin 59's: a filter on another structure finds nothing.
        let rows = if query.structure.is_some_and(|s| s != 1) { vec![] } else { vec![row()] };
        Ok(Programme {
            structures,
            facilitators: vec![Choice { value: "1".into(), label: "Claire Martin".into() }],
            sites: vec![],
            filter: query,
            groups: vec![ProgrammeGroup { label: "Semaine du lundi 2 mars".into(), rows }],
            month_label: None,
            previous_month: None,
            next_month: None,
        })
    }
    async fn staff_session(&self, _visitor: &Visitor, id: SessionId) -> Result<StaffSession, UiError> {
        if id != 1 {
            return Err(err("not_found", "Séance introuvable."));
        }
        Ok(StaffSession {
            row: row(),
            description: "Refaire son CV.".into(),
            facts: vec![Fact { label: "Lieu".into(), value: "Maison de l'emploi, Lille".into() }],
            facilitators: vec!["Claire Martin (Tremplin 59)".into()],
            reservations: vec![],
            cancel_reason: None,
            series: vec![],
            history: vec![HistoryLine {
                when: "1 mars, 9 h 00".into(),
                who: "Claire Martin".into(),
                what: AuditAction::SessionCreated.label().into(),
            }],
            may_edit: true,
            may_cancel: true,
            may_duplicate: true,
            audit_link: None,
            roster: StaffRoster {
                confirmed: vec![RosterPerson {
                    participant_id: 7,
                    name: "Amina Benali".into(),
                    structure: "Tremplin 59".into(),
                    attendance: Attendance::Present,
                    waitlist_position: None,
                    overbooked: false,
                    enrolled_by: "Inscription faite par Claire Martin".into(),
                    may_cancel: true,
                    may_take_free_seat: false,
                    signature: Some(SignatureMark { path: "M10 50 200 60".into(), time: "9 h 32".into() }),
                    said_coming: true,
                }],
                counts: vec![RosterCount { structure: "Tremplin 59".into(), confirmed: 1, waiting: 0 }],
                names_of_everyone: true,
                may_take_attendance: true,
                may_print_sheet: true,
                may_overbook: true,
                may_close: true,
                may_sign: true,
                staff_signatures: vec![StaffSignatureLine {
                    name: "Karim Haddad".into(),
                    mark: SignatureMark { path: "M20 40 250 70".into(), time: "9 h 40".into() },
                    mine: false,
                }],
                enrollable: vec![Choice { value: "8".into(), label: "Durand Kevin".into() }],
                present: 1,
                ..Default::default()
            },
        })
    }
    async fn session_form(&self, _visitor: &Visitor, id: Option<SessionId>) -> Result<SessionFormPage, UiError> {
        let values = SessionFormValues {
            kind: "workshop".into(),
            title: if id.is_some() { "Atelier CV".into() } else { String::new() },
            date: "2026-03-03".into(),
            start: "09:30".into(),
            end: "11:30".into(),
            capacity: "12".into(),
            organiser: "1".into(),
            audience: "all".into(),
            status: "published".into(),
            ..Default::default()
        };
        Ok(SessionFormPage {
            editing: id,
            in_series: false,
            values,
            organisers: vec![Choice { value: "1".into(), label: "Tremplin 59".into() }],
            structures: vec![Choice { value: "1".into(), label: "Tremplin 59".into() }],
            sites: vec![],
            facilitators: vec![FacilitatorOption {
                id: 1,
                name: "Claire Martin".into(),
                structure: "Tremplin 59".into(),
            }],
        })
    }
    /// Refuses a form without a title, as the core would; accepts any other as session 3.
    async fn submit_session_form(
        &self,
        _visitor: &Visitor,
        _id: Option<SessionId>,
        values: SessionFormValues,
    ) -> Result<SessionId, FormRefusal> {
        if values.title.trim().is_empty() {
            return Err(FormRefusal {
                fields: vec![("title".into(), "Le titre est obligatoire.".into())],
                summary: "Certaines informations sont à corriger.".into(),
                ..Default::default()
            });
        }
        Ok(3)
    }
    fn form_token(&self) -> String {
        "jeton-de-formulaire".into()
    }
    async fn cancel_session(&self, _visitor: &Visitor, _id: SessionId, _reason: String) -> Result<(), FormRefusal> {
        Ok(())
    }
    async fn duplicate_session(
        &self,
        _visitor: &Visitor,
        _id: SessionId,
        date: String,
    ) -> Result<SessionId, FormRefusal> {
        if date.is_empty() {
            return Err(FormRefusal {
                fields: vec![("date".into(), "Choisissez une date.".into())],
                summary: "Certaines informations sont à corriger.".into(),
                ..Default::default()
            });
        }
        Ok(4)
    }
    /// Refuses an overbooking without a reason, as the core would.
    async fn roster_action(
        &self,
        _visitor: &Visitor,
        _id: SessionId,
        action: RosterAction,
    ) -> Result<Done, FormRefusal> {
        match action {
            RosterAction::Overbook(_, reason) if reason.trim().is_empty() => Err(FormRefusal {
                fields: vec![("reason".into(), "Dites pourquoi.".into())],
                summary: "Certaines informations sont à corriger.".into(),
                ..Default::default()
            }),
            _ => Ok(Done::Enrolled),
        }
    }
    async fn mark_attendance(
        &self,
        _visitor: &Visitor,
        _id: SessionId,
        _participant: ParticipantId,
        _attendance: Attendance,
    ) -> Result<(), FormRefusal> {
        Ok(())
    }
    async fn sign_sheet(
        &self,
        _visitor: &Visitor,
        _id: SessionId,
        _participant: Option<ParticipantId>,
        strokes: String,
    ) -> Result<SignatureMark, FormRefusal> {
        Ok(SignatureMark { path: strokes, time: "9 h 32".into() })
    }
    async fn notifications_page(&self, visitor: &Visitor) -> Result<NotificationsPage, UiError> {
        if visitor.token != "s-token" {
            return Err(err("forbidden", "Cette page est pour l'équipe."));
        }
        Ok(NotificationsPage {
            scope: "Les personnes de votre structure".into(),
            rows: vec![
                NotificationRow {
                    when: "3 déc., 14 h 05".into(),
                    participant_id: Some(7),
                    recipient: "Amina Benali".into(),
                    session_id: Some(1),
                    session: "Atelier CV".into(),
                    what: "séance annulée".into(),
                    channel: "SMS".into(),
                    status: format!("{} après 1 essai", MessageStatus::Failed.label()),
                    failed: true,
                    error: "Brevo a répondu 400".into(),
                    text: "Annulé : Atelier CV, mardi 3 mars 9 h 30. Votre structure vous proposera une autre date."
                        .into(),
                },
                NotificationRow {
                    when: "2 déc., 17 h 00".into(),
                    participant_id: None,
                    recipient: "Claire Martin".into(),
                    session_id: None,
                    session: String::new(),
                    what: "séances du lendemain, à l'animateur".into(),
                    channel: "e-mail".into(),
                    status: format!("{} le 2 déc., 17 h 00", MessageStatus::Sent.label()),
                    failed: false,
                    error: String::new(),
                    text: "Votre séance de demain\n\nBonjour,".into(),
                },
            ],
            failed: 1,
            shown_at_most: 200,
            channels: "Aucun fournisseur n'est réglé sur ce serveur.".into(),
        })
    }
    async fn audit_page(&self, visitor: &Visitor, filters: AuditFilters) -> Result<AuditPage, UiError> {
        if visitor.token != "s-token" {
            return Err(err("forbidden", "Le journal est pour les coordinations et l'administration."));
        }
        if !filters.from.is_empty() && filters.from.len() != 10 {
            return Err(err("invalid", "Cette date n'est pas lisible : choisissez-la dans le calendrier."));
        }
        let entries = vec![
            AuditEntry {
                when: "30/11/2026 09:05".into(),
                who: "Claire Martin".into(),
                what: AuditAction::Enrolled.label().into(),
                session: Some((4, "Atelier CV".into())),
                participant: Some((7, Some("Amina Benali".into()))),
                details: "confirmed".into(),
            },
            AuditEntry {
                when: "29/11/2026 18:40".into(),
                who: "Quelqu'un, sans être connecté".into(),
                what: AuditAction::SignInFailed.label().into(),
                session: None,
                participant: Some((9, None)),
                details: "code d'accès, depuis 192.0.2.9".into(),
            },
        ];
        Ok(AuditPage {
            scope: "Les actions de tout le groupement.".into(),
            entries,
            older: None,
            newest: None,
            staff: vec![Choice { value: "1".into(), label: "Claire Martin".into() }],
            csv_query: if filters.from.is_empty() { String::new() } else { format!("?du={}", filters.from) },
            filters,
        })
    }
    async fn figures_page(&self, visitor: &Visitor, filters: FiguresFilters) -> Result<FiguresPage, UiError> {
        if visitor.token != "s-token" {
            return Err(err("forbidden", "Vous n'avez pas le droit de faire cela."));
        }
        if !filters.from.is_empty() && filters.from.len() != 10 {
            return Err(err("invalid", "Cette date n'est pas lisible : choisissez-la dans le calendrier."));
        }
        let month = |label: &str, sessions, capacity, seated, present| TallyRow {
            label: label.into(),
            sessions,
            capacity,
            seated,
            present,
            absent: seated - present,
            fill_percent: Some(seated * 100 / capacity),
            attendance_percent: Some(present * 100 / seated),
            no_show_percent: Some((seated - present) * 100 / seated),
            ..TallyRow::default()
        };
        Ok(FiguresPage {
            scope: "Tout le groupe".into(),
            period: "du 1er septembre 2026 au 30 novembre 2026".into(),
            filters: FiguresFilters { from: "2026-09-01".into(), to: "2026-11-30".into(), ..filters },
            structures: vec![Choice { value: "1".into(), label: "Atelier Nord".into() }],
            kinds: vec![Choice { value: "workshop".into(), label: "Atelier".into() }],
            themes: vec![Choice { value: "cv".into(), label: "CV".into() }],
            headlines: vec![Headline { value: "3".into(), label: "séances tenues".into() }],
            fill_summary: "75 % des places occupées de septembre à novembre 2026.".into(),
            by_month: vec![month("septembre 2026", 1, 12, 9, 8), month("octobre 2026", 2, 24, 18, 12)],
            by_organiser: vec![month("Atelier Nord", 3, 36, 27, 20)],
            by_kind: vec![month("Atelier", 3, 36, 27, 20)],
            pooling_summary: "25 % des présences ont eu lieu dans une séance d'une autre structure (5 sur 20).".into(),
            pooling: PoolingTable {
                rows: vec!["Atelier Nord".into(), "Coup de Main".into()],
                columns: vec!["Atelier Nord".into()],
                cells: vec![vec![15], vec![5]],
            },
            exchanges: vec![ExchangeRow { structure: "Atelier Nord".into(), own: 15, given: 5, received: 0 }],
            reach: vec![ReachRow {
                label: "Tout le groupe".into(),
                people: 11,
                attendances: 20,
                per_person: "1,8".into(),
            }],
            ..FiguresPage::default()
        })
    }
    async fn participants(&self, _visitor: &Visitor, search: String) -> Result<ParticipantsPage, UiError> {
        let rows = vec![ParticipantRow {
            id: 7,
            name: "Benali Amina".into(),
            structure: "Tremplin 59".into(),
            referent: "Claire Martin".into(),
            coming: vec!["mar. 3 mars : Atelier CV".into()],
        }];
        let rows = rows.into_iter().filter(|r| r.name.to_lowercase().contains(&search.to_lowercase())).collect();
        Ok(ParticipantsPage { search, rows, capped: false })
    }
    async fn participant(&self, _visitor: &Visitor, id: ParticipantId) -> Result<ParticipantPage, UiError> {
        if id != 7 {
            return Err(err("not_found", "Participant introuvable."));
        }
        Ok(ParticipantPage {
            id,
            name: "Amina Benali".into(),
            structure: "Tremplin 59".into(),
            referent: "Claire Martin".into(),
            phone: String::new(),
            email: String::new(),
            active: true,
            coming: vec![],
            history: vec![],
            open_sessions: vec![(1, "mar. 3 mars, 9 h 00 : Atelier CV (3 places)".into())],
            audit_link: Some("/equipe/journal?participant=7".into()),
            data_requests: true,
            anonymised: false,
        })
    }
    async fn registration_form(&self, _visitor: &Visitor) -> Result<RegistrationForm, UiError> {
        Ok(RegistrationForm {
            structures: vec![Choice { value: "1".into(), label: "Tremplin 59".into() }],
            referents: vec![Choice { value: "1".into(), label: "Claire Martin (Tremplin 59)".into() }],
            default_referent: "1".into(),
        })
    }
    /// Refuses a registration without a first name, as the core would.
    async fn register_participant(
        &self,
        _visitor: &Visitor,
        values: RegistrationValues,
        _origin: &RequestOrigin,
    ) -> Result<CodeCard, FormRefusal> {
        if values.first_name.trim().is_empty() {
            return Err(FormRefusal {
                fields: vec![("first_name".into(), "Ce champ est obligatoire.".into())],
                summary: "Certaines informations sont à corriger.".into(),
                ..Default::default()
            });
        }
        Ok(card(values.first_name))
    }
    async fn renew_code(
        &self,
        _visitor: &Visitor,
        _id: ParticipantId,
        _origin: &RequestOrigin,
    ) -> Result<CodeCard, FormRefusal> {
        Ok(card("Amina".into()))
    }
    async fn archive_participant(&self, _visitor: &Visitor, _id: ParticipantId) -> Result<(), FormRefusal> {
        Ok(())
    }
    async fn erase_participant(
        &self,
        _visitor: &Visitor,
        _id: ParticipantId,
        confirmed: bool,
    ) -> Result<(), FormRefusal> {
        if confirmed {
            Ok(())
        } else {
            Err(FormRefusal {
                fields: vec![("confirmation".into(), "Cochez la case.".into())],
                summary: "Cochez la case.".into(),
                ..Default::default()
            })
        }
    }
    async fn walk_in(
        &self,
        _visitor: &Visitor,
        _id: SessionId,
        _participant: ParticipantId,
    ) -> Result<(), FormRefusal> {
        Ok(())
    }
    async fn close_sheet(&self, _visitor: &Visitor, _id: SessionId) -> Result<(), FormRefusal> {
        Err(FormRefusal {
            summary: "Il reste 1 personne à noter avant de clore la feuille.".into(),
            ..Default::default()
        })
    }
    async fn is_empty_install(&self) -> bool {
        false
    }
    async fn api_tokens_page(&self, _visitor: &Visitor) -> Result<ApiTokensPage, UiError> {
        Ok(ApiTokensPage {
            tokens: vec![ApiTokenRow {
                id: 4,
                name: "Tableur de suivi".into(),
                created: "3 mars 2026".into(),
                validity: "Valable jusqu'au 1 juin 2026".into(),
                expired: false,
                last_used: "Jamais utilisé".into(),
            }],
            max_days: 365,
            api_docs: "/api/v1/docs".into(),
        })
    }
    async fn api_token_action(&self, _visitor: &Visitor, values: ApiTokenFormValues) -> Result<TokenDone, FormRefusal> {
        match values.action.as_str() {
            TOKEN_CREATE if values.name.trim().is_empty() => Err(FormRefusal {
                fields: vec![(TOKEN_NAME.into(), "Donnez un nom au jeton.".into())],
                summary: "Certaines informations sont à corriger.".into(),
                ..Default::default()
            }),
            TOKEN_CREATE => Ok(TokenDone::Created(NewApiToken {
                name: values.name,
                token: "secret-du-jeton-0123".into(),
                ends: "1 juin 2026".into(),
            })),
            _ => Ok(TokenDone::Revoked),
        }
    }
    async fn admin_page(&self, _visitor: &Visitor) -> Result<AdminPage, UiError> {
        Ok(AdminPage {
            structures: vec![StructureLine { name: "Tremplin 59".into(), kind: "Entreprise d'insertion (EI)".into() }],
            sites: vec![],
            accounts: vec![AccountLine {
                id: 2,
                name: "Claire Martin".into(),
                email: "claire@tremplin.fr".into(),
                role: "CIP · Tremplin 59".into(),
                state: "Actif".into(),
                active: true,
                may_change: true,
            }],
            structure_kinds: vec![Choice { value: "ei".into(), label: "EI".into() }],
            roles: vec![Choice { value: "cip".into(), label: "CIP".into() }],
            structure_choices: vec![Choice { value: "1".into(), label: "Tremplin 59".into() }],
        })
    }
    /// Refuses an invitation without an e-mail, as the core would; answers a link otherwise.
    async fn admin_action(
        &self,
        _visitor: &Visitor,
        values: AdminFormValues,
        _origin: &RequestOrigin,
    ) -> Result<AdminDone, FormRefusal> {
        match values.action.as_str() {
            "invite" if values.email.is_empty() => Err(FormRefusal {
                fields: vec![("email".into(), "Adresse e-mail invalide.".into())],
                summary: "Certaines informations sont à corriger.".into(),
                ..Default::default()
            }),
            "invite" => Ok(AdminDone::Link(InvitationLink {
                name: values.name,
                url: "http://localhost/invitation/secret".into(),
                expires: "lundi 7 décembre 2026 à 9 h 00".into(),
            })),
            _ => Ok(AdminDone::Said(Done::StructureAdded)),
        }
    }
    async fn invitation(&self, token: &str) -> Result<InvitedPerson, UiError> {
        match token {
            "secret" => Ok(InvitedPerson { name: "Claire Martin".into(), email: "claire@tremplin.fr".into() }),
            _ => Err(err("invitation_gone", "Ce lien ne fonctionne plus.")),
        }
    }
    async fn accept_invitation(&self, _token: &str, _password: &str, _confirmation: &str) -> Result<SignedIn, UiError> {
        Err(err("invitation_gone", "Ce lien ne fonctionne plus."))
    }
    async fn calendar_options(&self, visitor: &Visitor) -> Result<CalendarOptions, UiError> {
        let staff = visitor.token == "s-token";
        Ok(CalendarOptions {
            is_participant: !staff,
            can_follow_group: staff,
            structures: if staff { vec![StructureChoice { id: 1, name: "Tremplin 59".into() }] } else { vec![] },
            can_follow_own_sessions: true,
        })
    }
    async fn my_feeds(&self, visitor: &Visitor) -> Result<Vec<FeedRow>, UiError> {
        let feeds = self.feeds.lock().unwrap();
        Ok(feeds
            .iter()
            .filter(|f| f.owner == visitor.token)
            .map(|f| FeedRow { id: f.id, name: f.name.clone(), created_label: "le mardi 3 mars 2026".into() })
            .collect())
    }
    async fn create_feed(
        &self,
        visitor: &Visitor,
        feed: NewFeed,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError> {
        let staff = visitor.token == "s-token";
        let base = match (feed.scope, staff) {
            (FeedChoice::Group, true) => "Toile — programme du groupe",
            (FeedChoice::Structure(1), true) => "Toile — Tremplin 59",
            (FeedChoice::Mine, true) => "Toile — mes séances (Claire Martin)",
            (FeedChoice::Mine, false) => "Toile — mes ateliers",
            _ => return Err(err("forbidden", "Vous n'avez pas le droit de faire cela.")),
        };
        let name = match feed.kind {
            Some(kind) => format!("{base} · {}", kind.label()),
            None => base.to_owned(),
        };
        let mut feeds = self.feeds.lock().unwrap();
        let id = feeds.iter().map(|f| f.id).max().unwrap_or(0) + 1;
        feeds.push(FakeFeed { id, owner: visitor.token.clone(), name, version: 1 });
        Ok(link(feeds.last().unwrap(), origin))
    }
    async fn regenerate_feed(
        &self,
        visitor: &Visitor,
        id: i64,
        origin: &RequestOrigin,
    ) -> Result<NewFeedLink, UiError> {
        let mut feeds = self.feeds.lock().unwrap();
        let feed = feeds.iter_mut().find(|f| f.id == id && f.owner == visitor.token).ok_or_else(not_mine)?;
        feed.version += 1;
        Ok(link(feed, origin))
    }
    async fn delete_feed(&self, visitor: &Visitor, id: i64) -> Result<(), UiError> {
        let mut feeds = self.feeds.lock().unwrap();
        let before = feeds.len();
        feeds.retain(|f| !(f.id == id && f.owner == visitor.token));
        if feeds.len() == before { Err(not_mine()) } else { Ok(()) }
    }
}

fn card(first_name: String) -> CodeCard {
    CodeCard {
        participant_id: 7,
        first_name,
        code: "KP4T-9WXA".into(),
        address: "localhost/connexion".into(),
        link: "http://localhost/connexion/carte/lien-de-carte".into(),
        qr: QrCode { size: 29, path: "M4 4h1v1h-1z".into() },
    }
}
