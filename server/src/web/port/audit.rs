//! The audit trail for the pages: the filters of the address read, each entry in words. The
//! page and its CSV file show the same entries.

use crate::core::{AuditCursor, AuditLine, AuditQuery, Core, CoreError, CoreResult};
use chrono::{DateTime, NaiveDate, Utc};
use toile_app::models::{AuditEntry, AuditFilters, AuditPage, Choice};
use toile_shared::audit::AuditAction;
use toile_shared::authz::{Actor, AuditScope};

/// The filters as the core takes them; a date or number that does not read is the person's
/// mistake, said in French.
pub(crate) fn query(filters: &AuditFilters) -> CoreResult<AuditQuery> {
    fn date(field: &str, text: &str) -> CoreResult<Option<NaiveDate>> {
        match text.trim() {
            "" => Ok(None),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| {
                CoreError::invalid(field, "Cette date n'est pas lisible : choisissez-la dans le calendrier.")
            }),
        }
    }
    fn number(field: &str, text: &str) -> CoreResult<Option<i64>> {
        match text.trim() {
            "" => Ok(None),
            text => text.parse().map(Some).map_err(|_| CoreError::invalid(field, "Ce filtre n'est pas valable.")),
        }
    }
    Ok(AuditQuery {
        from: date(AuditFilters::FROM, &filters.from)?,
        to: date(AuditFilters::TO, &filters.to)?,
        session: number(AuditFilters::SESSION, &filters.session)?,
        participant: number(AuditFilters::PARTICIPANT, &filters.participant)?,
        staff: number(AuditFilters::STAFF, &filters.staff)?,
    })
}

pub(super) async fn page(core: &Core, actor: &Actor, filters: AuditFilters) -> CoreResult<AuditPage> {
    let query = query(&filters)?;
    let before = match filters.before.trim() {
        "" => None,
        text => Some(
            AuditCursor::parse(text)
                .ok_or_else(|| CoreError::invalid(AuditFilters::BEFORE, "Cette page du journal n'existe pas."))?,
        ),
    };
    let (lines, next) = core.audit_trail_page(actor, &query, before).await?;
    let filtered = query_string(&query);
    let at = |cursor: Option<String>| {
        let mut address = format!("{}{filtered}", toile_shared::paths::AUDIT);
        if let Some(cursor) = cursor {
            address.push(if filtered.is_empty() { '?' } else { '&' });
            address.push_str(&format!("{}={cursor}", AuditFilters::BEFORE));
        }
        address
    };
    let staff = core
        .staff_directory(actor)
        .await?
        .into_iter()
        .map(|member| Choice { value: member.id.to_string(), label: member.name })
        .collect();
    let scope = match actor.audit_scope() {
        Some(AuditScope::Structure(_)) => {
            "Les actions qui concernent votre structure : son équipe, ses participants, ses séances."
        }
        _ => "Les actions de tout le groupement.",
    };
    Ok(AuditPage {
        scope: scope.into(),
        entries: lines.iter().map(entry).collect(),
        older: next.map(|cursor| at(Some(cursor.to_string()))),
        newest: before.map(|_| at(None)),
        staff,
        csv_query: filtered.clone(),
        filters,
    })
}

/// One entry in words: who acted is named when staff; a participant acting is not.
pub(crate) fn entry(line: &AuditLine) -> AuditEntry {
    let who = match (&line.actor_name, line.actor.split(':').next().unwrap_or_default()) {
        (Some(name), _) => name.clone(),
        (None, "participant") => "Une personne accompagnée".into(),
        (None, "operator") => "Administration (ligne de commande)".into(),
        (None, "anonymous") => "Quelqu'un, sans être connecté".into(),
        _ => "Toile, automatiquement".into(),
    };
    AuditEntry {
        when: when(line.at),
        who,
        what: AuditAction::label_of(&line.action).to_string(),
        session: line.session.clone(),
        participant: line.participant.clone(),
        details: line.details.clone(),
    }
}

/// "30/11/2026 09:05", Paris time: the trail spans years, and a spreadsheet sorts it.
fn when(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris).format("%d/%m/%Y %H:%M").to_string()
}

/// `?du=2026-11-01&au=…`: the filters read, written back (dates and numbers need no escaping).
fn query_string(query: &AuditQuery) -> String {
    let pairs = [
        (AuditFilters::FROM, query.from.map(|d| d.to_string())),
        (AuditFilters::TO, query.to.map(|d| d.to_string())),
        (AuditFilters::SESSION, query.session.map(|id| id.to_string())),
        (AuditFilters::PARTICIPANT, query.participant.map(|id| id.to_string())),
        (AuditFilters::STAFF, query.staff.map(|id| id.to_string())),
    ];
    let written: Vec<String> =
        pairs.into_iter().filter_map(|(name, value)| value.map(|value| format!("{name}={value}"))).collect();
    if written.is_empty() { String::new() } else { format!("?{}", written.join("&")) }
}
