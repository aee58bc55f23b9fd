//! `toile seed --demo`: a realistic demo network of the Lille area, built through the core's
//! own use cases so the demo obeys every rule. Idempotent: a second run changes nothing.

mod history;

use crate::core::{Core, CoreError, CoreResult, NewParticipant, NewSite, NewUser};
use chrono::{Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;
use toile_shared::ErrorCode;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::session_input::{Location, ReservedSeats, SessionInput};
use toile_shared::{Audience, Role, SessionKind, StructureKind, WorkshopTheme};

/// Every demo staff account signs in with this password.
pub const DEMO_PASSWORD: &str = "demo-toile-2026";
const MARKER_EMAIL: &str = "coordination@demo.toile.fr";
/// Demo participants whose access codes are fixed, to try the participant pages.
const DEMO_CODES: [(&str, &str, &str); 3] =
    [("Amina", "Benali", "TRAM-4CAF"), ("Kevin", "Dupont", "JARD-9NRD"), ("Fatou", "Diallo", "ETTE-7VXY")];

struct DemoStructure {
    name: &'static str,
    kind: StructureKind,
    site: (&'static str, &'static str, &'static str, &'static str),
    coordinator: (&'static str, &'static str),
    cips: &'static [(&'static str, &'static str)],
}

const STRUCTURES: [DemoStructure; 4] = [
    DemoStructure {
        name: "Tremplin 59",
        kind: StructureKind::Ei,
        site: ("Atelier Tremplin", "12 rue des Postes", "59000", "Lille"),
        coordinator: ("Nadia Haddad", "nadia.haddad@demo.toile.fr"),
        cips: &[("Claire Martin", "claire.martin@demo.toile.fr"), ("Julien Lefebvre", "julien.lefebvre@demo.toile.fr")],
    },
    DemoStructure {
        name: "Les Jardins du Nord",
        kind: StructureKind::Aci,
        site: ("Jardin de la Lys", "3 chemin du Halage", "59100", "Roubaix"),
        coordinator: ("Marc Vandenberghe", "marc.vandenberghe@demo.toile.fr"),
        cips: &[("Sophie Leroy", "sophie.leroy@demo.toile.fr"), ("Karim Mansouri", "karim.mansouri@demo.toile.fr")],
    },
    DemoStructure {
        name: "Solid'Emploi Intérim",
        kind: StructureKind::Etti,
        site: ("Agence Solid'Emploi", "45 boulevard Gambetta", "59200", "Tourcoing"),
        coordinator: ("Isabelle Caron", "isabelle.caron@demo.toile.fr"),
        cips: &[("Thomas Dubois", "thomas.dubois@demo.toile.fr"), ("Léa Moreau", "lea.moreau@demo.toile.fr")],
    },
    DemoStructure {
        name: "Coup de Main Services",
        kind: StructureKind::Ai,
        site: ("Local Coup de Main", "8 place de la République", "59650", "Villeneuve-d'Ascq"),
        coordinator: ("Paul Girard", "paul.girard@demo.toile.fr"),
        cips: &[("Aïcha Traoré", "aicha.traore@demo.toile.fr")],
    },
];

const FIRST_NAMES: [&str; 16] = [
    "Yasmine",
    "Mohamed",
    "Julie",
    "Mamadou",
    "Sandrine",
    "Rachid",
    "Océane",
    "Dylan",
    "Nathalie",
    "Ibrahim",
    "Laetitia",
    "Bruno",
    "Samira",
    "Jordan",
    "Christelle",
    "Moussa",
];
const LAST_NAMES: [&str; 16] = [
    "Lambert",
    "Cherif",
    "Roussel",
    "Konaté",
    "Delattre",
    "Boukhari",
    "Vasseur",
    "Camara",
    "Deschamps",
    "Hamidi",
    "Lemaire",
    "Sylla",
    "Carpentier",
    "Mercier",
    "Duhamel",
    "Ndiaye",
];

/// The `n`-th weekday from tomorrow at `hour:minute` in Paris.
fn weekday_slot(n: i64, hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    let mut day = crate::core::paris::day_of(Utc::now());
    let mut left = n;
    loop {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
            if left < 0 {
                break;
            }
        }
    }
    let local = day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time"));
    Paris.from_local_datetime(&local).earliest().expect("a real Paris time").with_timezone(&Utc)
}

/// The demo is loaded by the operator at the command line.
const OPERATOR: Actor = Actor::Operator;

pub async fn demo(core: &Core) -> CoreResult<String> {
    if core.user_id_by_email(&OPERATOR, MARKER_EMAIL).await?.is_some() {
        return Ok("Les données de démonstration sont déjà là : rien à faire.".into());
    }
    if core.user_id_by_email(&OPERATOR, "admin@demo.toile.fr").await?.is_some() {
        return Err(CoreError::conflict(
            ErrorCode::PartialDemo,
            "Une démo incomplète est déjà en base : repartez d'une base vide.",
        ));
    }
    let admin_id = core
        .add_user(
            &OPERATOR,
            NewUser {
                email: "admin@demo.toile.fr".into(),
                // Not "Administration Toile": a password may not hold its owner's name, and the
                // demo password holds "toile".
                display_name: "Administration du groupe".into(),
                role: Role::Admin,
                structure_id: None,
                password: Some(DEMO_PASSWORD.into()),
            },
        )
        .await?;
    let admin = Actor::Staff { user_id: admin_id, role: Role::Admin, structure_id: None };

    // Per structure: its id, its site, its CIPs as actors, its participants.
    let mut structures = Vec::new();
    for (index, demo) in STRUCTURES.iter().enumerate() {
        let id = core.ensure_structure(&OPERATOR, demo.name, demo.kind, None).await?;
        let (site_name, address, postcode, city) = demo.site;
        let site = NewSite {
            structure_id: id,
            name: site_name.into(),
            address: address.into(),
            postcode: postcode.into(),
            city: city.into(),
            access_notes: Some("Accès de plain-pied. Sonnez à l'accueil.".into()),
        };
        let site = core.add_site(&OPERATOR, site).await?;
        core.add_user(
            &OPERATOR,
            NewUser {
                email: demo.coordinator.1.into(),
                display_name: demo.coordinator.0.into(),
                role: Role::Coordinator,
                structure_id: Some(id),
                password: Some(DEMO_PASSWORD.into()),
            },
        )
        .await?;
        let mut cips = Vec::new();
        for (name, email) in demo.cips {
            let user_id = core
                .add_user(
                    &OPERATOR,
                    NewUser {
                        email: (*email).into(),
                        display_name: (*name).into(),
                        role: Role::Cip,
                        structure_id: Some(id),
                        password: Some(DEMO_PASSWORD.into()),
                    },
                )
                .await?;
            cips.push(Actor::Staff { user_id, role: Role::Cip, structure_id: Some(id) });
        }
        let mut participants = Vec::new();
        for n in 0..16 {
            let (first, last) = match DEMO_CODES.get(index).filter(|_| n == 0) {
                Some((first, last, _)) => (first.to_string(), last.to_string()),
                None => (FIRST_NAMES[(n + index * 5) % 16].to_string(), LAST_NAMES[(n * 3 + index) % 16].to_string()),
            };
            let referent = &cips[n % cips.len()];
            let (participant, _) = core
                .register_participant(
                    referent,
                    NewParticipant {
                        first_name: first,
                        last_name: last,
                        structure_id: id,
                        referent_id: None,
                        phone: None,
                        email: None,
                    },
                )
                .await?;
            if let Some((_, _, code)) = DEMO_CODES.get(index).filter(|_| n == 0) {
                core.set_access_code(referent, participant.id, code).await?;
            }
            participants.push(participant.id);
        }
        structures.push((id, site, cips, participants));
    }

    let mut sessions = 0;
    let mut plan = Vec::new();
    let themes = [
        ("Faire son CV", WorkshopTheme::Cv),
        ("Préparer un entretien d'embauche", WorkshopTheme::Interview),
        ("Écrire une lettre de motivation", WorkshopTheme::CoverLetter),
        ("Chercher des offres sur internet", WorkshopTheme::JobSearch),
    ];
    let companies = [
        (
            "Transports Lemaire",
            "Sylvie Lemaire, responsable RH",
            "Chauffeurs-livreurs : les métiers et les recrutements",
        ),
        (
            "Clinique des Flandres",
            "Hugo Martel, cadre de santé",
            "Agent·e de service hospitalier : découvrir le métier",
        ),
        ("Boulangeries Paul Nord", "Inès Dupuis, recruteuse", "Vendeur·se en boulangerie : rencontre avec l'employeur"),
        (
            "Logistique Métropole",
            "Farid Belkacem, chef d'équipe",
            "Préparateur·rice de commandes : ce qu'on attend de vous",
        ),
    ];
    for slot in 0..26i64 {
        let (structure, site, cips, _) = &structures[(slot as usize) % 3];
        let cip = &cips[(slot as usize) % cips.len()];
        let hour = if slot % 2 == 0 { 9 } else { 14 };
        let starts_at = weekday_slot(slot + 1, hour, 0);
        let (title, kind, theme, company, speaker, duration) = match slot % 5 {
            0 | 2 => {
                let (title, theme) = themes[(slot as usize / 2) % themes.len()];
                (title.to_string(), SessionKind::Workshop, Some(theme), None, None, 2)
            }
            1 => {
                let (company, speaker, title) = companies[(slot as usize / 5) % companies.len()];
                (
                    title.to_string(),
                    SessionKind::CompanyTalk,
                    None,
                    Some(company.to_string()),
                    Some(speaker.to_string()),
                    2,
                )
            }
            3 => (
                "Information collective : les formations qualifiantes".to_string(),
                SessionKind::InfoSession,
                None,
                None,
                None,
                2,
            ),
            _ => (
                "Visite d'un entrepôt logistique".to_string(),
                SessionKind::CompanyVisit,
                None,
                Some("Logistique Métropole".to_string()),
                None,
                3,
            ),
        };
        let audience = if slot % 6 == 5 {
            Audience::only(vec![structures[0].0, structures[1].0, *structure])
        } else {
            Audience::all()
        };
        let reserved = slot % 4 == 1 && audience.is_everyone();
        let input = SessionInput {
            theme,
            description: "Un moment en groupe, avec un·e conseiller·ère. Venez avec vos questions. Pas besoin de savoir bien lire ou écrire.".into(),
            location: Some(Location::Site { site_id: *site }),
            audience,
            reserved_seats: if reserved { vec![ReservedSeats { structure_id: *structure, seats: 4 }] } else { vec![] },
            reserved_until: reserved.then(|| starts_at - Duration::days(3)),
            enrolment_closes_at: Some(starts_at - Duration::hours(2)),
            cancellation_deadline: Some(starts_at - Duration::days(1)),
            company_name: company,
            speaker,
            ..SessionInput::published(title, kind, starts_at, starts_at + Duration::hours(duration), if slot == 2 { 6 } else { 12 }, *structure)
        };
        let view = core.create_session(cip, input, 1).await?;
        plan.push((view.id, slot));
        sessions += 1;
    }
    // A weekly series of digital-skills workshops, co-facilitated across two structures.
    let (structure, site, cips, _) = &structures[1];
    let partner = structures[0].2[0].staff_user_id().expect("CIPs are staff");
    let own = cips[0].staff_user_id().expect("CIPs are staff");
    let starts_at = weekday_slot(2, 10, 0);
    let series = core
        .create_session(
            &cips[0],
            SessionInput {
                theme: Some(WorkshopTheme::Digital),
                description: "Chaque semaine, on apprend une chose simple sur le téléphone ou l'ordinateur.".into(),
                location: Some(Location::Site { site_id: *site }),
                facilitator_ids: vec![own, partner],
                ..SessionInput::published(
                    "Le numérique pas à pas : téléphone, e-mail, France Travail",
                    SessionKind::Workshop,
                    starts_at,
                    starts_at + Duration::minutes(90),
                    8,
                    *structure,
                )
            },
            6,
        )
        .await?;
    sessions += 6;
    // A job dating by video link, for Solid'Emploi and Coup de Main only.
    let (structure, _, cips, _) = &structures[2];
    let starts_at = weekday_slot(15, 14, 0);
    core.create_session(
        &cips[0],
        SessionInput {
            description: "Des entretiens courts avec trois entreprises du bâtiment.".into(),
            location: Some(Location::Video { video_url: "https://visio.example.org/job-dating-btp".into() }),
            audience: Audience::only(vec![structures[2].0, structures[3].0]),
            ..SessionInput::published(
                "Job dating : métiers de l'intérim dans le BTP",
                SessionKind::JobDating,
                starts_at,
                starts_at + Duration::hours(3),
                20,
                *structure,
            )
        },
        1,
    )
    .await?;
    sessions += 1;

    // Enrolments: CIPs enrol their participants; one session fills up with a waiting list.
    let mut enrolments = 0;
    for (session_id, slot) in &plan {
        let wanted = match slot {
            2 => 9, // 6 seats: full, 3 waiting
            s if s % 3 == 0 => 5,
            _ => 2,
        };
        for k in 0..wanted {
            let (_, _, cips, participants) = &structures[(k + *slot as usize) % 3];
            let participant = participants[(k * 3 + *slot as usize) % participants.len()];
            match core.enrol(&cips[0], *session_id, participant, Request::Normal).await {
                Ok(_) => enrolments += 1,
                // Overlaps and audiences are real rules: the demo simply skips those people.
                Err(CoreError::Refused(_)) => {}
                Err(other) => return Err(other),
            }
        }
    }
    // The first demo participant is already enrolled in the series' first workshop.
    let (_, _, cips, participants) = &structures[0];
    if core.enrol(&cips[0], series.id, participants[0], Request::Normal).await.is_ok() {
        enrolments += 1;
    }
    // One cancelled session.
    let (cancelled, _) = plan[plan.len() - 2];
    core.cancel_session(&admin, cancelled, Some("L'entreprise a dû reporter sa venue.".into())).await?;
    // Twelve weeks of sessions already held, with their attendance, for the figures.
    let (held, past_enrolments) = history::history(core, &admin, &structures).await?;
    sessions += held;
    enrolments += past_enrolments;

    // The marker of a complete demo comes last, so an interrupted run is not mistaken for one.
    core.add_user(
        &OPERATOR,
        NewUser {
            email: MARKER_EMAIL.into(),
            display_name: "Hélène Fontaine".into(),
            role: Role::GroupCoordinator,
            structure_id: None,
            password: Some(DEMO_PASSWORD.into()),
        },
    )
    .await?;

    let participants: usize = structures.iter().map(|s| s.3.len()).sum();
    Ok(format!(
        "Démo créée : {} structures, {} participant·es, {sessions} séances, {enrolments} inscriptions.",
        structures.len(),
        participants
    ))
}

/// The demo sign-ins, when the demo data is present.
pub async fn demo_sign_ins(core: &Core) -> CoreResult<Option<String>> {
    if core.user_id_by_email(&OPERATOR, MARKER_EMAIL).await?.is_none() {
        return Ok(None);
    }
    let codes = DEMO_CODES
        .iter()
        .map(|(first, last, code)| format!("  {first} {last} : code {code}"))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Some(format!(
        "Données de démonstration :\n  équipe : claire.martin@demo.toile.fr (CIP), {MARKER_EMAIL} (coordination), admin@demo.toile.fr — mot de passe {DEMO_PASSWORD}\n  participant·es :\n{codes}"
    )))
}
