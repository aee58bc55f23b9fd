//! The server side of the forms that post to their own page (see `forms`): each handler reads
//! the fields, asks the port, and either sends the browser on (303) or renders the same page
//! again with the fields as typed and the messages (422, or the refusing rule's status: 403,
//! 404, 409…).

use crate::forms::{Answer, posted};
use crate::models::{
    ALREADY_DONE, AdminDone, AdminFormValues, ApiTokenFormValues, ERASE_ACTION, ERASE_CONFIRMATION, FORM_TOKEN,
    FormOnce, FormRefusal, RegistrationValues, RosterAction, SessionFormValues, TokenDone,
};
use crate::port::{SharedPort, Visitor};
use crate::render::{PageContext, render};
use crate::routes::DONE;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, LOCATION};
use axum::http::{StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use leptos::prelude::*;
use toile_shared::done::Done;
use toile_shared::{Attendance, ErrorCode, SessionId, paths};

/// What a form posted to a page asks for.
#[derive(Clone, Copy, Debug)]
enum Action {
    Propose,
    Change,
    Cancel,
    Duplicate,
    /// Enrol, overbook, cancel or seat someone, from the session's page.
    Roster,
    /// Mark someone present, absent or excused.
    Attendance,
}

/// What a form about a participant asks for.
#[derive(Clone, Copy, Debug)]
enum PersonAction {
    /// Register a participant (the answer is their code card).
    Register,
    /// Draw a new code for a participant (the answer is their code card).
    NewCode,
    /// Archive a participant who has left, or erase their data at their request (posted to
    /// their record's page).
    Archive,
}

/// The routes that take the forms' posts, beside the pages' own (GET) routes.
pub fn routes(router: axum::Router<LeptosOptions>, pages: PageContext) -> axum::Router<LeptosOptions> {
    let handle = |action: Action| {
        let pages = pages.clone();
        post(move |request: Request| handle(pages.clone(), action, request))
    };
    let person = |action: PersonAction| {
        let pages = pages.clone();
        post(move |request: Request| people(pages.clone(), action, request))
    };
    let session = format!("{}/{{id}}", paths::STAFF_SESSIONS);
    router
        .route(paths::NEW_SESSION, handle(Action::Propose))
        .route(&format!("{session}/{}", paths::segments::EDIT), handle(Action::Change))
        .route(&format!("{session}/{}", paths::segments::CANCEL), handle(Action::Cancel))
        .route(&format!("{session}/{}", paths::segments::DUPLICATE), handle(Action::Duplicate))
        .route(&session, handle(Action::Roster))
        .route(&format!("{session}/{}", paths::segments::ATTENDANCE), handle(Action::Attendance))
        .route(paths::ADMIN, {
            let pages = pages.clone();
            post(move |request: Request| admin(pages.clone(), request))
        })
        .route(paths::API_TOKENS, {
            let pages = pages.clone();
            post(move |request: Request| api_tokens(pages.clone(), request))
        })
        .route(paths::NEW_PARTICIPANT, person(PersonAction::Register))
        .route(&format!("{}/{{id}}/{}", paths::PARTICIPANTS, paths::segments::CODE), person(PersonAction::NewCode))
        .route(&format!("{}/{{id}}", paths::PARTICIPANTS), person(PersonAction::Archive))
}

/// A form is small: more is not a form of ours.
const FORM_LIMIT: usize = 64 * 1024;

/// The request's parts, who sent it and the fields; or the answer when it cannot be a form of
/// ours (nobody signed in, too long).
async fn read(request: Request) -> Result<(Parts, Visitor, Vec<(String, String)>), Response> {
    let (parts, body) = request.into_parts();
    let Some(visitor) = parts.extensions.get::<Visitor>().cloned() else {
        return Err(see_other(paths::SIGN_IN));
    };
    let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
        return Err((StatusCode::PAYLOAD_TOO_LARGE, "Formulaire trop long.").into_response());
    };
    Ok((parts, visitor, serde_urlencoded::from_bytes(&bytes).unwrap_or_default()))
}

async fn handle(pages: PageContext, action: Action, request: Request) -> Response {
    let (parts, visitor, pairs) = match read(request).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let id = session_id(&parts);
    let field = |name: &str| posted(&pairs, name).unwrap_or_default().to_string();
    let port = &pages.port;
    let outcome = match (action, id) {
        (Action::Propose, _) => {
            let proposed = port.submit_session_form(&visitor, None, SessionFormValues::from_pairs(&pairs));
            match once(port, &visitor, &parts, &pairs, proposed, |id| paths::staff_session(*id)).await {
                Ok(id) => Ok(done(id, Done::SessionProposed)),
                Err(Again::Made(made)) => return see_other(&made),
                Err(Again::Refused(refusal)) => Err(refusal),
            }
        }
        (Action::Change, Some(id)) => port
            .submit_session_form(&visitor, Some(id), SessionFormValues::from_pairs(&pairs))
            .await
            .map(|id| done(id, Done::SessionChanged)),
        (Action::Cancel, Some(id)) => {
            port.cancel_session(&visitor, id, field("reason")).await.map(|_| done(id, Done::SessionCancelled))
        }
        (Action::Duplicate, Some(id)) => {
            let copied = port.duplicate_session(&visitor, id, field("date"));
            match once(port, &visitor, &parts, &pairs, copied, |copy| paths::staff_session(*copy)).await {
                Ok(copy) => Ok(done(copy, Done::SessionCopied)),
                Err(Again::Made(made)) => return see_other(&made),
                Err(Again::Refused(refusal)) => Err(refusal),
            }
        }
        (Action::Roster, Some(id)) => match RosterAction::from_pairs(&pairs) {
            Some(action) => port.roster_action(&visitor, id, action).await.map(|code| roster_done(id, code)),
            None => Err(FormRefusal { summary: "Choisissez une personne dans la liste.".into(), ..Default::default() }),
        },
        (Action::Attendance, Some(id)) if field("action") == "close" => {
            port.close_sheet(&visitor, id).await.map(|_| format!("{}#feuille", paths::attendance(id)))
        }
        (Action::Attendance, Some(id)) if field("action") == "walk_in" => match field("participant").parse() {
            Ok(participant) => port
                .walk_in(&visitor, id, participant)
                .await
                .map(|_| format!("{}#p-{participant}", paths::attendance(id))),
            Err(_) => {
                Err(FormRefusal { summary: "Choisissez une personne dans la liste.".into(), ..Default::default() })
            }
        },
        (Action::Attendance, Some(id)) => {
            let participant = field("participant").parse().ok();
            let attendance = Attendance::parse(&field("status"));
            match (participant, attendance) {
                (Some(participant), Some(attendance)) => port
                    .mark_attendance(&visitor, id, participant, attendance)
                    .await
                    .map(|_| format!("{}#p-{participant}", paths::attendance(id))),
                _ => Err(FormRefusal {
                    summary: "Choisissez présent·e, absent·e ou excusé·e pour une personne de la liste.".into(),
                    ..Default::default()
                }),
            }
        }
        (_, None) => Err(FormRefusal {
            summary: "Cette séance n'existe pas.".into(),
            code: ErrorCode::NotFound.code().into(),
            ..Default::default()
        }),
    };
    match outcome {
        Ok(location) => see_other(&location),
        Err(refusal) => again(pages, parts, Answer { pairs, refusal }).await,
    }
}

/// Registering, a new code, archiving: the code card is rendered at once (the code is shown
/// this once, never stored in the clear), or the list says the person is archived.
async fn people(pages: PageContext, action: PersonAction, request: Request) -> Response {
    let (parts, visitor, pairs) = match read(request).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let port = pages.port.clone();
    let id = parts.uri.path().trim_start_matches(paths::PARTICIPANTS).split('/').nth(1).and_then(|s| s.parse().ok());
    let origin = crate::functions::request::origin_of(&parts);
    let card = match (action, id) {
        (PersonAction::Register, _) => {
            let registered = port.register_participant(&visitor, RegistrationValues::from_pairs(&pairs), &origin);
            match once(&port, &visitor, &parts, &pairs, registered, |card| paths::participant(card.participant_id))
                .await
            {
                Ok(card) => Ok(card),
                Err(Again::Made(made)) => return see_other(&made),
                Err(Again::Refused(refusal)) => Err(refusal),
            }
        }
        (PersonAction::NewCode, Some(id)) => port.renew_code(&visitor, id, &origin).await,
        (PersonAction::Archive, Some(id)) => {
            // The record's two forms: archiving, and erasing at the person's request.
            let done = if posted(&pairs, "action") == Some(ERASE_ACTION) {
                let confirmed = posted(&pairs, ERASE_CONFIRMATION).is_some_and(|value| !value.is_empty());
                port.erase_participant(&visitor, id, confirmed).await.map(|()| Done::ParticipantErased)
            } else {
                port.archive_participant(&visitor, id).await.map(|()| Done::ParticipantArchived)
            };
            return match done {
                Ok(done) => see_other(&format!("{}?{DONE}={done}", paths::PARTICIPANTS)),
                Err(refusal) => again(pages, parts, Answer { pairs, refusal }).await,
            };
        }
        _ => Err(FormRefusal { summary: "Cette personne n'existe pas.".into(), ..Default::default() }),
    };
    match card {
        Ok(card) => shown_once(render(pages, parts, StatusCode::OK, move || provide_context(card.clone())).await),
        Err(refusal) => again(pages, parts, Answer { pairs, refusal }).await,
    }
}

/// The admin page's forms: back to the page saying what was done, or the page with an
/// invitation link shown once.
async fn admin(pages: PageContext, request: Request) -> Response {
    let (parts, visitor, pairs) = match read(request).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let origin = crate::functions::request::origin_of(&parts);
    let acted = pages.port.admin_action(&visitor, AdminFormValues::from_pairs(&pairs), &origin);
    let acted = match once(&pages.port, &visitor, &parts, &pairs, acted, |_| paths::ADMIN.to_string()).await {
        Ok(done) => Ok(done),
        Err(Again::Made(made)) => return see_other(&made),
        Err(Again::Refused(refusal)) => Err(refusal),
    };
    match acted {
        Ok(AdminDone::Said(code)) => see_other(&format!("{}?{DONE}={code}", paths::ADMIN)),
        Ok(AdminDone::Link(link)) => {
            shown_once(render(pages, parts, StatusCode::OK, move || provide_context(link.clone())).await)
        }
        Err(refusal) => again(pages, parts, Answer { pairs, refusal }).await,
    }
}

/// The API tokens page's forms: back to the page saying a token was revoked, or the page with
/// a new token shown once.
async fn api_tokens(pages: PageContext, request: Request) -> Response {
    let (parts, visitor, pairs) = match read(request).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let acted = pages.port.api_token_action(&visitor, ApiTokenFormValues::from_pairs(&pairs));
    let acted = match once(&pages.port, &visitor, &parts, &pairs, acted, |_| paths::API_TOKENS.to_string()).await {
        Ok(done) => Ok(done),
        Err(Again::Made(made)) => return see_other(&made),
        Err(Again::Refused(refusal)) => Err(refusal),
    };
    match acted {
        Ok(TokenDone::Revoked) => see_other(&format!("{}?{DONE}={}", paths::API_TOKENS, Done::TokenRevoked)),
        Ok(TokenDone::Created(token)) => {
            shown_once(render(pages, parts, StatusCode::OK, move || provide_context(token.clone())).await)
        }
        Err(refusal) => again(pages, parts, Answer { pairs, refusal }).await,
    }
}

/// Why a creating form's work did not run: it ran for the same form before (the address of
/// what it made, to show saying so), or the form cannot be taken.
enum Again {
    Made(String),
    Refused(FormRefusal),
}

/// Runs a creating form's `work` once per one-time token (`FormToken`): the same form posted
/// again leads to the page of what the first post made (`made`), saying it was already
/// recorded, and makes nothing new; while the first is under way, the second waits for it. A
/// refused post frees its token for the corrected form. A post without a token just runs.
async fn once<T>(
    port: &SharedPort,
    visitor: &Visitor,
    parts: &Parts,
    pairs: &[(String, String)],
    work: impl Future<Output = Result<T, FormRefusal>>,
    made: impl FnOnce(&T) -> String,
) -> Result<T, Again> {
    let Some(token) = posted(pairs, FORM_TOKEN).filter(|token| !token.is_empty()) else {
        return work.await.map_err(Again::Refused);
    };
    let fields: Vec<_> = pairs.iter().filter(|(name, _)| name != FORM_TOKEN).collect();
    let request = format!("{}?{}", parts.uri.path(), serde_urlencoded::to_string(&fields).unwrap_or_default());
    match port.form_once(visitor, token, &request).await {
        FormOnce::First => {}
        FormOnce::Made(address) => return Err(Again::Made(format!("{address}?{DONE}={ALREADY_DONE}"))),
        FormOnce::OtherForm => {
            return Err(Again::Refused(FormRefusal {
                summary: "Ce formulaire a déjà été envoyé et enregistré, avec d'autres valeurs : rien de plus n'est \
                          fait. Pour enregistrer aussi celui-ci, vérifiez-le puis envoyez-le de nouveau."
                    .into(),
                code: ErrorCode::FormAlreadySent.code().into(),
                ..Default::default()
            }));
        }
        FormOnce::UnderWay => {
            return Err(Again::Refused(FormRefusal {
                summary: "Ce formulaire est déjà en cours d'envoi : attendez un instant, puis rechargez la page."
                    .into(),
                code: ErrorCode::FormBeingSent.code().into(),
                ..Default::default()
            }));
        }
    }
    match work.await {
        Ok(done) => {
            port.form_answered(visitor, token, Some(made(&done))).await;
            Ok(done)
        }
        Err(refusal) => {
            port.form_answered(visitor, token, None).await;
            Err(Again::Refused(refusal))
        }
    }
}

/// A page that shows a secret (a code, a link): never kept by a cache, nor the back button's.
fn shown_once(mut response: Response) -> Response {
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn session_id(parts: &Parts) -> Option<SessionId> {
    parts.uri.path().trim_start_matches(paths::STAFF_SESSIONS).split('/').nth(1)?.parse().ok()
}

fn done(id: SessionId, what: Done) -> String {
    format!("{}?{DONE}={what}", paths::staff_session(id))
}

/// Back to the session's list of people, saying what was done.
fn roster_done(id: SessionId, what: Done) -> String {
    format!("{}?{DONE}={what}#inscriptions", paths::staff_session(id))
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location.to_string())]).into_response()
}

/// The page the form is on, rendered again with the answer.
async fn again(pages: PageContext, parts: Parts, answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.refusal.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    render(pages, parts, status, move || provide_context(answer.clone())).await
}
