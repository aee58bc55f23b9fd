//! The API tokens page, worded for people.

use super::french;
use super::session_form::refusal;
use crate::core::{ApiTokenLine, Core, CoreResult};
use chrono::{DateTime, Utc};
use toile_app::models::*;
use toile_shared::api_tokens::MAX_TOKEN_DAYS;
use toile_shared::authz::Actor;
use toile_shared::paths;

pub(super) async fn page(core: &Core, actor: &Actor) -> CoreResult<ApiTokensPage> {
    let now = core.now();
    let tokens = core.my_api_tokens(actor).await?;
    Ok(ApiTokensPage {
        tokens: tokens.iter().map(|token| row(token, now)).collect(),
        max_days: MAX_TOKEN_DAYS,
        api_docs: format!("{}/openapi.json", paths::API),
    })
}

fn row(token: &ApiTokenLine, now: DateTime<Utc>) -> ApiTokenRow {
    let expired = token.expires_at.is_some_and(|end| end <= now);
    ApiTokenRow {
        id: token.id,
        name: token.label.clone(),
        created: french::date_with_year(token.created_at),
        validity: match token.expires_at {
            Some(end) if expired => format!("Expiré depuis le {}", french::date_with_year(end)),
            Some(end) => format!("Valable jusqu'au {}", french::date_with_year(end)),
            None => "Sans date de fin".into(),
        },
        expired,
        last_used: match token.last_used_at {
            Some(at) => format!("Utilisé pour la dernière fois le {}", french::date_and_time(at)),
            None => "Jamais utilisé".into(),
        },
    }
}

pub(super) async fn act(core: &Core, actor: &Actor, values: ApiTokenFormValues) -> Result<TokenDone, FormRefusal> {
    let refused = |field: &str, message: &str| FormRefusal {
        fields: vec![(field.into(), message.into())],
        summary: "Certaines informations sont à corriger.".into(),
        ..Default::default()
    };
    match values.action.trim() {
        TOKEN_CREATE => {
            let name = values.name.trim().to_string();
            let days = values
                .days
                .trim()
                .parse::<u32>()
                .ok()
                .ok_or_else(|| refused(TOKEN_DAYS, "Choisissez combien de temps le jeton marchera."))?;
            let created = core.create_own_api_token(actor, &name, days).await.map_err(refusal)?;
            Ok(TokenDone::Created(NewApiToken {
                name,
                token: created.token,
                ends: french::date_with_year(created.expires_at),
            }))
        }
        TOKEN_REVOKE => {
            let id = values.token.trim().parse::<i64>().ok().ok_or_else(|| FormRefusal {
                fields: vec![],
                summary: "Ce jeton n'existe pas.".into(),
                ..Default::default()
            })?;
            core.revoke_my_api_token(actor, id).await.map_err(refusal)?;
            Ok(TokenDone::Revoked)
        }
        _ => Err(FormRefusal {
            fields: vec![],
            summary: "Ce formulaire n'est pas reconnu.".into(),
            ..Default::default()
        }),
    }
}
