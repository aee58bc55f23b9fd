//! `GET /equipe/seances/{id}/emargement.pdf` and `…/emargement.csv`: the sheet for the session's
//! managers, downloaded under a name that says which session and day it is; a participant's
//! history and the audit trail as CSV files; a copy of a person's data. Every download is
//! recorded in the audit trail.

use super::{SheetContent, csv, pdf, report};
use crate::config::Config;
use crate::core::{Core, CoreError, Download};
use crate::json_error::http_status;
use crate::signed_in::SignedIn;
use crate::web::port::{audit, figures};
use axum::Router;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;
use toile_app::models::{AuditFilters, FIGURES_TABLES, FiguresFilters};
use toile_shared::{ErrorCode, paths};

#[derive(Clone)]
struct SheetState {
    core: Core,
    config: Arc<Config>,
}

#[derive(Clone, Copy)]
enum Format {
    Pdf,
    Csv,
}

/// The sheet's routes, with no fallback: merge them before the pages' router.
pub fn router(core: Core, config: Arc<Config>) -> Router {
    let state = SheetState { core, config };
    Router::new()
        .route(&route("pdf"), get(|s, a, id| sheet(s, a, id, Format::Pdf)))
        .route(&route("csv"), get(|s, a, id| sheet(s, a, id, Format::Csv)))
        .route(&format!("{}/{{id}}/{}", paths::PARTICIPANTS, paths::segments::HISTORY_CSV), get(history))
        .route(
            &format!("{}/{{id}}/{}", paths::PARTICIPANTS, paths::segments::PERSONAL_DATA_JSON),
            get(|s, a, id| personal_data(s, a, id, CopyFormat::Json)),
        )
        .route(
            &format!("{}/{{id}}/{}", paths::PARTICIPANTS, paths::segments::PERSONAL_DATA_HTML),
            get(|s, a, id| personal_data(s, a, id, CopyFormat::Html)),
        )
        .route(paths::AUDIT_CSV, get(audit_trail))
        .route(paths::FIGURES_CSV, get(figures_table))
        .route(paths::FIGURES_PDF, get(funders_report))
        .with_state(state)
}

fn route(extension: &str) -> String {
    format!("{}/{{id}}/{}.{extension}", paths::STAFF_SESSIONS, paths::segments::SIGN_IN_SHEET)
}

async fn sheet(
    State(state): State<SheetState>,
    SignedIn(actor): SignedIn,
    PathId(id, _): PathId<OfSession>,
    format: Format,
) -> Response {
    let sheet = match state.core.sign_in_sheet(&actor, id).await {
        Ok(sheet) => SheetContent::new(&sheet, &state.config),
        Err(error) => {
            let forbidden = "La feuille d'émargement est pour l'équipe qui anime ou organise la séance.";
            return refused(error, OfSession::MISSING, forbidden);
        }
    };
    let (body, content_type, extension) = match format {
        Format::Pdf => match pdf::render(&sheet) {
            Ok(bytes) => (bytes, "application/pdf", "pdf"),
            Err(error) => return failed(CoreError::Internal(error)),
        },
        Format::Csv => (csv::render(&sheet), "text/csv; charset=utf-8", "csv"),
    };
    if let Err(error) =
        state.core.record_download(&actor, Download::SignInSheet { session: id, format: extension }).await
    {
        return failed(error);
    }
    attachment(content_type, &format!("{}.{extension}", sheet.file_stem), body)
}

/// `GET /equipe/participants/{id}/historique.csv`: a person's sessions and attendance, for their
/// structure's staff.
async fn history(
    State(state): State<SheetState>,
    SignedIn(actor): SignedIn,
    PathId(id, _): PathId<OfParticipant>,
) -> Response {
    // The record alone: the history, without what the record page also offers.
    let record = match state.core.participant_record(&actor, id).await {
        Ok(record) => record,
        // Another structure's person is not found rather than forbidden, as on the record page.
        Err(CoreError::Forbidden) => return plain(ErrorCode::NotFound, OfParticipant::MISSING),
        Err(error) => return refused(error, OfParticipant::MISSING, OfParticipant::MISSING),
    };
    if let Err(error) = state.core.record_download(&actor, Download::History { participant: id }).await {
        return failed(error);
    }
    let name = format!("{} {}", record.entry.first_name, record.entry.last_name);
    let lines: Vec<_> = record.history.iter().map(crate::web::port::people::record_line).collect();
    attachment(CSV, &format!("historique-participant-{id}.csv"), csv::history(&name, &lines))
}

#[derive(Clone, Copy)]
enum CopyFormat {
    Json,
    Html,
}

/// `GET /equipe/participants/{id}/donnees.json` and `…/donnees.html`: a copy of everything Toile
/// holds on the person, for their structure's coordinator to hand over (recorded).
async fn personal_data(
    State(state): State<SheetState>,
    SignedIn(actor): SignedIn,
    PathId(id, _): PathId<OfParticipant>,
    copy: CopyFormat,
) -> Response {
    let data = match state.core.personal_data(&actor, id).await {
        Ok(data) => crate::web::personal_data::DataCopy::new(&data),
        Err(error) => {
            let forbidden = "La copie des données d'une personne est remise par la coordination de sa structure.";
            return refused(error, OfParticipant::MISSING, forbidden);
        }
    };
    let (body, content_type, extension) = match copy {
        CopyFormat::Json => (data.to_json(), "application/json; charset=utf-8", "json"),
        CopyFormat::Html => (data.to_html(&state.config.group_name), "text/html; charset=utf-8", "html"),
    };
    attachment(content_type, &format!("donnees-participant-{id}.{extension}"), body)
}

/// `GET /equipe/journal.csv?du=…`: the audit trail with the page's filters, for coordinators and
/// admins.
async fn audit_trail(
    State(state): State<SheetState>,
    Query(params): Query<HashMap<String, String>>,
    SignedIn(actor): SignedIn,
) -> Response {
    let filters = AuditFilters::from_query(|name| params.get(name).cloned());
    let read = match audit::query(&filters) {
        Ok(query) => state.core.export_audit_trail(&actor, &query).await,
        Err(error) => Err(error),
    };
    let lines = match read {
        Ok((lines, _)) => lines,
        Err(error) => {
            let forbidden = "Le journal est pour les coordinations et l'administration.";
            return refused(error, "Journal introuvable.", forbidden);
        }
    };
    let entries: Vec<_> = lines.iter().map(audit::entry).collect();
    attachment(CSV, "journal-toile.csv", csv::audit(&entries))
}

/// `GET /equipe/chiffres.csv?tableau=mois&du=…`: one table of the figures page, with its filters.
/// Counts only, so not recorded as a download of personal data.
async fn figures_table(
    State(state): State<SheetState>,
    Query(params): Query<HashMap<String, String>>,
    SignedIn(actor): SignedIn,
) -> Response {
    let name = params.get(FiguresFilters::TABLE).map(String::as_str).unwrap_or_default();
    let Some(&(name, _)) = FIGURES_TABLES.iter().find(|(table, _)| *table == name) else {
        return plain(ErrorCode::NotFound, "Ce tableau n'existe pas.");
    };
    let filters = FiguresFilters::from_query(|name| params.get(name).cloned());
    let page = match figures::page(&state.core, &actor, filters).await {
        Ok(page) => page,
        Err(error) => return figures_refusal(error),
    };
    let Some((header, rows)) = figures::table(&page, name) else {
        return plain(ErrorCode::NotFound, "Ce tableau n'existe pas.");
    };
    let file = format!("chiffres-{name}-{}-{}.csv", page.filters.from, page.filters.to);
    attachment(CSV, &file, csv::figures(&header, &rows))
}

/// `GET /equipe/chiffres.pdf?du=…&structure=…`: the funders' report of the page's filters.
async fn funders_report(
    State(state): State<SheetState>,
    Query(params): Query<HashMap<String, String>>,
    SignedIn(actor): SignedIn,
) -> Response {
    let filters = FiguresFilters::from_query(|name| params.get(name).cloned());
    let read = match figures::query(&filters, figures::today(&state.core)) {
        Ok(query) => state.core.figures(&actor, &query).await,
        Err(error) => Err(error),
    };
    let figures = match read {
        Ok(figures) => figures,
        Err(error) => return figures_refusal(error),
    };
    let report = report::ReportContent::new(&figures, &figures::period_label(&figures.query), &state.config);
    let body = match report::render(&report) {
        Ok(bytes) => bytes,
        Err(error) => return failed(CoreError::Internal(error)),
    };
    attachment("application/pdf", &format!("{}.pdf", report.file_stem), body)
}

/// A figures file refused, in words.
fn figures_refusal(error: CoreError) -> Response {
    refused(error, "Structure introuvable.", "Les chiffres sont pour l'équipe : ceux de votre structure.")
}

/// A download the core refused, in the words of what was asked for. Only filters can be invalid.
fn refused(error: CoreError, not_found: &'static str, forbidden: &'static str) -> Response {
    let words = match &error {
        CoreError::NotFound(_) => not_found,
        CoreError::Forbidden => forbidden,
        CoreError::Invalid(_) => "Ces filtres ne sont pas valables.",
        _ => return failed(error),
    };
    plain(error.error_code(), words)
}

/// A download that did not happen, with the error's status: our own fault is logged and not
/// described.
fn failed(error: CoreError) -> Response {
    let words = match &error {
        CoreError::Internal(_) => {
            tracing::error!(%error, "download failed");
            "Un problème technique est survenu. Réessayez dans un moment.".to_string()
        }
        other => other.to_string(),
    };
    plain(error.error_code(), words)
}

const CSV: &str = "text/csv; charset=utf-8";

/// A file to download under `file_name`. Names of people in social support, or figures about
/// them: never kept by a shared cache.
fn attachment(content_type: &str, file_name: &str, body: impl Into<axum::body::Body>) -> Response {
    let headers = [
        (CONTENT_TYPE, content_type.to_string()),
        (CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
        (CACHE_CONTROL, "private, no-store".into()),
    ];
    (headers, body.into()).into_response()
}

/// The `{id}` of the path, naming a `W`; one that names nothing is the plain 404 of a `W`.
/// Read after the sign-in, so that a signed-out visitor is sent to sign in first.
struct PathId<W>(i64, PhantomData<W>);

/// What a download's `{id}` names, and what it answers when it names nothing.
trait Named {
    const MISSING: &'static str;
}

struct OfSession;
struct OfParticipant;

impl Named for OfSession {
    const MISSING: &'static str = "Séance introuvable.";
}

impl Named for OfParticipant {
    const MISSING: &'static str = "Participant introuvable.";
}

impl<W: Named, S: Send + Sync> FromRequestParts<S> for PathId<W> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let missing = || plain(ErrorCode::NotFound, W::MISSING);
        let Path(id) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| missing())?;
        id.parse().map(|id| PathId(id, PhantomData)).map_err(|_| missing())
    }
}

/// A short sentence, with the status of its error code.
fn plain(code: ErrorCode, message: impl Into<String>) -> Response {
    let headers = [(CONTENT_TYPE, "text/plain; charset=utf-8"), (CACHE_CONTROL, "no-store")];
    (http_status(code), headers, message.into()).into_response()
}
