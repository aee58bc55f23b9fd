//! What Brevo tells Toile about its SMS: `POST /webhooks/brevo/sms/<secret>`, the address given
//! to Brevo as a transactional SMS webhook. Toile acts on one thing only: a person who answered
//! STOP (Brevo's unsubscription event, or a reply whose first word is STOP) gets no more SMS.
//! Every other event (sent, delivered, bounced…) is acknowledged and left alone: Brevo calls
//! again while it gets no 2xx.
//!
//! The payload, from Brevo's "Transactional webhooks" documentation: `to` (the number, digits
//! with the country code, e.g. `33612345678`) and `msg_status`; the event report names the
//! events `unsubscribe` and `replied`, with the reply's text in `reply`. Fields are read
//! leniently (`event` for `msg_status`, the number as text or as a number), because the
//! documentation shows examples rather than a schema.

use crate::core::Core;
use crate::json_error::JsonError;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use toile_shared::{ErrorCode, paths};

#[derive(Deserialize)]
struct SmsEvent {
    #[serde(default)]
    to: Option<Value>,
    #[serde(default)]
    msg_status: Option<String>,
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    reply: Option<String>,
}

impl SmsEvent {
    /// The number that asked to stop, if this event is such a request.
    fn stop_from(&self) -> Option<String> {
        let status = self.msg_status.as_deref().or(self.event.as_deref()).map(letters).unwrap_or_default();
        let stop = match status.as_str() {
            "unsubscribe" | "unsubscribed" | "unsubscription" => true,
            "replied" | "reply" | "replies" => self.reply.as_deref().is_some_and(says_stop),
            _ => false,
        };
        let number = match self.to.as_ref()? {
            Value::String(number) => number.clone(),
            Value::Number(number) => number.to_string(),
            _ => return None,
        };
        stop.then_some(number)
    }
}

/// `msg_status` as letters alone, in lower case: `hard_bounce` and `hardBounce` alike.
fn letters(status: &str) -> String {
    status.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect()
}

/// A reply asks to stop when its first word is STOP (the word every French SMS offers) or
/// ARRÊT, in any case, with or without accent or punctuation.
fn says_stop(reply: &str) -> bool {
    let first = reply.split_whitespace().next().unwrap_or_default();
    let word: String = first.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_uppercase).collect();
    matches!(word.as_str(), "STOP" | "ARRET" | "ARRÊT")
}

/// The webhook's route, with no fallback.
pub fn router(core: Core) -> Router {
    Router::new().route(&format!("{}/{{secret}}", paths::SMS_WEBHOOK), post(event)).with_state(core)
}

async fn event(State(core): State<Core>, Path(secret): Path<String>, body: Bytes) -> Result<Json<Value>, JsonError> {
    let event: SmsEvent = serde_json::from_slice(&body).map_err(|_| {
        JsonError::new(ErrorCode::BadRequest, "Le corps attendu est l'objet JSON d'un événement SMS de Brevo.")
    })?;
    // The same answer whatever the number: the caller learns nothing of who is a participant
    // (the audit trail records each stop).
    core.sms_provider_event(&secret, event.stop_from().as_deref()).await?;
    Ok(Json(json!({ "received": true })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: Value) -> SmsEvent {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn an_unsubscription_or_a_stop_reply_asks_to_stop_and_nothing_else_does() {
        let unsubscribe = event(json!({"to": "33612345678", "msg_status": "unsubscribe", "messageId": 1}));
        assert_eq!(unsubscribe.stop_from().as_deref(), Some("33612345678"));
        let reply = |text: &str| event(json!({"to": 33612345678u64, "msg_status": "replied", "reply": text}));
        for text in ["STOP", "stop", "Stop.", "STOP SMS", "Arrêt", "arret"] {
            assert_eq!(reply(text).stop_from().as_deref(), Some("33612345678"), "{text}");
        }
        for text in ["Je viens", "OK stop", ""] {
            assert_eq!(reply(text).stop_from(), None, "{text}");
        }
        for status in ["sent", "delivered", "hard_bounce", "softBounce"] {
            assert_eq!(event(json!({"to": "33612345678", "msg_status": status})).stop_from(), None, "{status}");
        }
        assert_eq!(event(json!({"msg_status": "unsubscribe"})).stop_from(), None, "no number, nobody to stop");
    }
}
