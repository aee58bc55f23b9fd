//! Staff accounts set up in the browser's way: invitations to choose one's own password (single
//! use, seven days), password resets, accounts turned off, and only admins doing any of it; on
//! both backends.

use chrono::Duration;
use tests::fixtures::{OPERATOR, first_admin};
use tests::http::{sign_in_by_form, without_redirects as client};
use tests::{TestApp, TestDb, on_every_backend};
use toile_server::core::{Clock, CoreError, NewSite, NewUser, PasswordRefusal};
use toile_shared::ErrorCode;
use toile_shared::authz::Actor;
use toile_shared::{Role, StructureKind};

on_every_backend!(
    an_invitation_lets_the_person_choose_their_password_once_within_seven_days,
    a_reset_stops_the_old_password_and_signs_the_person_out,
    a_password_reset_revokes_the_account_s_api_tokens_and_the_admin_page_says_so,
    a_new_password_too_short_too_common_or_built_on_the_name_is_refused_in_french,
    a_password_chosen_before_the_policy_still_signs_in,
    only_admins_set_up_the_group_and_its_accounts,
    an_admin_invites_a_cip_who_chooses_a_password_without_javascript,
    an_unknown_e_mail_is_refused_like_a_wrong_password_and_a_burst_of_them_without_a_fault,
    the_sign_in_page_explains_the_first_step_only_while_nobody_can_sign_in,
);

fn cip(email: &str, structure: i64) -> NewUser {
    NewUser {
        email: email.into(),
        display_name: "Claire Martin".into(),
        role: Role::Cip,
        structure_id: Some(structure),
        password: None,
    }
}

async fn an_invitation_lets_the_person_choose_their_password_once_within_seven_days(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let a = app.structure("Tremplin").await;
    let invitation = core.invite_user(&app.admin_actor(), cip("claire@tremplin.fr", a)).await.unwrap();
    assert_eq!(core.invitation(&invitation.token).await.unwrap().email, "claire@tremplin.fr");
    assert!(core.sign_in_staff("claire@tremplin.fr", "", None).await.is_err(), "no password until they choose one");
    let mismatch = core.accept_invitation(&invitation.token, "un-long-mot-choisi", "un-autre-mot").await;
    assert!(matches!(&mismatch, Err(CoreError::Invalid(f)) if f[0].field == "confirmation"), "{mismatch:?}");
    let short = core.accept_invitation(&invitation.token, "court", "court").await;
    assert!(matches!(&short, Err(CoreError::WeakPassword(PasswordRefusal::TooShort))), "{short:?}");
    let signed = core.accept_invitation(&invitation.token, "un-long-mot-choisi", "un-long-mot-choisi").await.unwrap();
    assert!(matches!(signed.actor, Actor::Staff { role: Role::Cip, .. }));
    let again = core.accept_invitation(&invitation.token, "encore-un-mot", "encore-un-mot").await;
    assert!(matches!(again, Err(CoreError::Conflict { code: ErrorCode::InvitationGone, .. })), "single use");
    core.sign_in_staff("claire@tremplin.fr", "un-long-mot-choisi", None).await.expect("the chosen password signs in");

    // Eight days later, an unused link no longer works.
    let late = core.invite_user(&app.admin_actor(), cip("hugo@tremplin.fr", a)).await.unwrap();
    let clock = Clock::system();
    let later = core.with_clock(clock.clone());
    clock.advance(Duration::days(8));
    let expired = later.accept_invitation(&late.token, "un-long-mot-choisi", "un-long-mot-choisi").await;
    assert!(matches!(expired, Err(CoreError::Conflict { code: ErrorCode::InvitationGone, .. })), "{expired:?}");
    assert!(later.invitation(&late.token).await.is_err());
}

async fn a_reset_stops_the_old_password_and_signs_the_person_out(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let a = app.structure("Tremplin").await;
    let staff = app.cip("claire@tremplin.fr", a).await;
    let browser = core.sign_in_staff("claire@tremplin.fr", "motdepasse-test", None).await.unwrap();
    let reset = core.reset_password(&app.admin_actor(), staff.id).await.unwrap();
    assert!(core.sign_in_staff("claire@tremplin.fr", "motdepasse-test", None).await.is_err(), "the old password");
    assert!(core.actor_for_sign_in(&browser.token).await.is_err(), "their browser");
    core.accept_invitation(&reset.token, "nouveau-mot-de-passe", "nouveau-mot-de-passe").await.unwrap();
    core.sign_in_staff("claire@tremplin.fr", "nouveau-mot-de-passe", None).await.expect("the new one");
    let second = core.reset_password(&app.admin_actor(), staff.id).await.unwrap();
    let third = core.reset_password(&app.admin_actor(), staff.id).await.unwrap();
    assert!(core.invitation(&second.token).await.is_err(), "a new link replaces the one before");
    assert!(core.invitation(&third.token).await.is_ok());
}

async fn a_password_reset_revokes_the_account_s_api_tokens_and_the_admin_page_says_so(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let staff = app.cip("claire@tremplin.fr", a).await;
    let (status, _) = staff.api.get("/me").await;
    assert_eq!(status, 200, "the token works before the reset");
    app.core.reset_password(&app.admin_actor(), staff.id).await.unwrap();
    let (status, body) = staff.api.get("/me").await;
    assert_eq!(status, 401, "whoever learnt the password may have made this token: {body}");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE user_id = $1")
        .bind(staff.id)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let revoked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'api_tokens_revoked'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(revoked, 1, "the journal says so");

    let admin = first_admin_signed_in(&app).await;
    let page = tests::http::text_as(&format!("{}/admin", app.base), &admin).await;
    assert!(
        page.contains("Un nouveau lien de mot de passe arrête aussitôt l&#x27;ancien mot de passe")
            || page.contains("Un nouveau lien de mot de passe arrête aussitôt l'ancien mot de passe"),
        "{page}"
    );
    assert!(page.contains("ses jetons d&#x27;API sont révoqués") || page.contains("ses jetons d'API sont révoqués"));
}

/// A password chosen through `token`'s link, posted as the page's script does: status and body.
async fn choose(base: &str, token: &str, password: &str) -> (u16, String) {
    let response = client()
        .post(format!("{base}/fn/accept_invitation"))
        .header("accept", "application/json")
        .header("origin", base)
        .form(&[("token", token), ("password", password), ("confirmation", password)])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn a_new_password_too_short_too_common_or_built_on_the_name_is_refused_in_french(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let invitation = app.core.invite_user(&app.admin_actor(), cip("claire.martin@tremplin.fr", a)).await.unwrap();
    let refusals = [
        ("court-court", "password_too_short", "Le mot de passe doit faire au moins 12 caractères."),
        ("1qaz2wsx3edc", "password_too_common", "Ce mot de passe fait partie des plus courants"),
        ("MARTIN-2026-!", "password_personal", "Ce mot de passe contient votre nom ou votre adresse e-mail"),
        ("ClaireÀLille!", "password_personal", "Ce mot de passe contient votre nom ou votre adresse e-mail"),
    ];
    for (password, code, sentence) in refusals {
        let (status, body) = choose(&app.base, &invitation.token, password).await;
        assert_eq!(status, 422, "{password}: {body}");
        assert!(body.contains(code) && body.contains(sentence), "{password}: {body}");
    }
    let (status, body) = choose(&app.base, &invitation.token, "tremplin-soleil-42").await;
    assert!(status < 400, "a good password is taken, the link was not used up by the refusals: {body}");

    // The same rule on a reset's link.
    let id = app.core.user_id_by_email(&OPERATOR, "claire.martin@tremplin.fr").await.unwrap().unwrap();
    let reset = app.core.reset_password(&app.admin_actor(), id).await.unwrap();
    let (status, body) = choose(&app.base, &reset.token, "claire-martin").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("password_personal"), "{body}");
    let (status, body) = choose(&app.base, &reset.token, "password").await;
    assert!(status == 422 && body.contains("password_too_short"), "{body}");

    // And at the command line's door: `toile user add` goes through `add_user`.
    let added = app
        .core
        .add_user(
            &OPERATOR,
            NewUser {
                email: "hugo@tremplin.fr".into(),
                display_name: "Hugo Petit".into(),
                role: Role::Admin,
                structure_id: None,
                password: Some("hugo-petit-2026".into()),
            },
        )
        .await;
    assert!(matches!(added, Err(CoreError::WeakPassword(PasswordRefusal::Personal))), "{added:?}");
}

async fn a_password_chosen_before_the_policy_still_signs_in(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let staff = app.cip("claire@tremplin.fr", a).await;
    // A password of 8 characters, as the previous release allowed, stored as it stored it.
    let old = toile_server::core::hash_password("password").unwrap();
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(old)
        .bind(staff.id)
        .execute(&app.sql)
        .await
        .unwrap();
    app.core.sign_in_staff("claire@tremplin.fr", "password", None).await.expect("signing in never checks the policy");
}

async fn only_admins_set_up_the_group_and_its_accounts(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let core = &app.core;
    let a = app.structure("Tremplin").await;
    let target = app.cip("cible@tremplin.fr", a).await.id;
    let staff =
        |id: i64, role: Role, structure: Option<i64>| Actor::Staff { user_id: id, role, structure_id: structure };
    let actors = [
        ("CIP", staff(app.cip("cip@tremplin.fr", a).await.id, Role::Cip, Some(a)), false),
        (
            "coordinator",
            staff(app.staff("co@tremplin.fr", Role::Coordinator, Some(a)).await.id, Role::Coordinator, Some(a)),
            false,
        ),
        (
            "group coordinator",
            staff(app.staff("g@groupe.fr", Role::GroupCoordinator, None).await.id, Role::GroupCoordinator, None),
            false,
        ),
        ("admin", app.admin_actor(), true),
    ];
    for (who, actor, expected) in actors {
        let forbidden = |result: Result<(), CoreError>| matches!(result, Err(CoreError::Forbidden));
        let site = NewSite {
            structure_id: a,
            name: "Atelier".into(),
            address: "1 rue".into(),
            postcode: "59000".into(),
            city: "Lille".into(),
            access_notes: None,
        };
        let tries = [
            ("list accounts", forbidden(core.accounts(&actor).await.map(|_| ()))),
            (
                "add a structure",
                forbidden(
                    core.ensure_structure(&actor, &format!("S {who}"), StructureKind::Ei, None).await.map(|_| ()),
                ),
            ),
            ("add a site", forbidden(core.add_site(&actor, site).await.map(|_| ()))),
            ("invite", forbidden(core.invite_user(&actor, cip(&format!("{}@x.fr", who.len()), a)).await.map(|_| ()))),
            ("reset a password", forbidden(core.reset_password(&actor, target).await.map(|_| ()))),
        ];
        for (action, refused) in tries {
            assert_eq!(!refused, expected, "{action} by the {who}");
        }
    }
    assert!(matches!(
        core.deactivate_user_id(&app.admin_actor(), app.admin_id).await,
        Err(CoreError::Conflict { code: ErrorCode::OwnAccount, .. })
    ));
    core.deactivate_user_id(&OPERATOR, target).await.unwrap();
    let accounts = core.accounts(&app.admin_actor()).await.unwrap();
    assert!(accounts.iter().any(|a| a.id == target && a.active == 0));
}

/// The first admin, made from the command line, signed in through the sign-in form: their cookie.
async fn first_admin_signed_in(app: &TestApp) -> String {
    app.core.add_user(&OPERATOR, first_admin()).await.unwrap();
    sign_in_by_form(&app.base, "/fn/sign_in_staff", &[("email", "chef@groupe.fr"), ("password", "motdepasse-admin")])
        .await
}

async fn an_admin_invites_a_cip_who_chooses_a_password_without_javascript(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    let admin = first_admin_signed_in(&app).await;
    let answer = client()
        .post(format!("{}/admin", app.base))
        .header("cookie", &admin)
        .header("origin", &app.base)
        .form(&[
            ("action", "invite"),
            ("name", "Claire Martin"),
            ("email", "claire@tremplin.fr"),
            ("role", "cip"),
            ("structure", &a.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let html = answer.text().await.unwrap();
    let link = html
        .split(r#"id="lien-invitation""#)
        .nth(1)
        .and_then(|rest| rest.split(r#"value=""#).nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("the link is shown: {html}"));
    assert!(link.starts_with(&format!("{}/invitation/", app.base)), "{link}");
    let token = link.rsplit('/').next().unwrap();
    let page = client().get(link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Bienvenue, Claire Martin"), "{page}");
    let cookie = sign_in_by_form(
        &app.base,
        "/fn/accept_invitation",
        &[("token", token), ("password", "mon-mot-de-passe"), ("confirmation", "mon-mot-de-passe")],
    )
    .await;
    let desk = client().get(format!("{}/equipe", app.base)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(desk.status(), 200, "signed in straight away");
    app.core.sign_in_staff("claire@tremplin.fr", "mon-mot-de-passe", None).await.expect("and with the chosen password");
}

async fn an_unknown_e_mail_is_refused_like_a_wrong_password_and_a_burst_of_them_without_a_fault(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("Tremplin").await;
    app.cip("claire@tremplin.fr", a).await;
    let core = &app.core;
    let timed = |email: &'static str| async move {
        let started = std::time::Instant::now();
        let refused = core.sign_in_staff(email, "pas-le-bon-mot", None).await;
        assert!(matches!(refused, Err(CoreError::BadCredentials)), "{refused:?}");
        started.elapsed()
    };
    let mut known = vec![];
    let mut unknown = vec![];
    for _ in 0..3 {
        known.push(timed("claire@tremplin.fr").await);
        unknown.push(timed("personne@nulle.part").await);
    }
    known.sort();
    unknown.sort();
    // Both run one Argon2 check: an answer much faster for an unknown e-mail would tell who has an account.
    let ratio = unknown[1].as_secs_f64() / known[1].as_secs_f64();
    assert!(ratio > 0.3, "unknown {:?} against known {:?}", unknown, known);

    // A burst of wrong sign-ins waits its turn for the hasher and is refused, none fails: each is
    // a wrong password, or, past ten on one account, refused unchecked.
    let burst = (0..16).map(|i| {
        let core = core.clone();
        tokio::spawn(async move {
            let email = if i % 2 == 0 { "claire@tremplin.fr" } else { "personne@nulle.part" };
            core.sign_in_staff(email, "pas-le-bon-mot", None).await
        })
    });
    for answer in futures::future::join_all(burst).await {
        let answer = answer.unwrap();
        assert!(matches!(answer, Err(CoreError::BadCredentials | CoreError::TooManyAttempts(_))), "{answer:?}");
    }
}

async fn the_sign_in_page_explains_the_first_step_only_while_nobody_can_sign_in(db: &TestDb) {
    // The test app's own admin has no password: nobody can sign in yet.
    let app = TestApp::spawn(db).await;
    let page = || async { client().get(format!("{}/connexion", app.base)).send().await.unwrap().text().await.unwrap() };
    assert!(page().await.contains("créez le premier compte"), "a fresh install says what to do");
    app.core.add_user(&OPERATOR, first_admin()).await.unwrap();
    assert!(!page().await.contains("créez le premier compte"), "not once someone can sign in");
}
