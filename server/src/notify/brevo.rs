//! SMS through Brevo's transactional SMS API: `POST {TOILE_BREVO_URL}` (by default
//! `https://api.brevo.com/v3/transactionalSMS/send`) with the `api-key` header and
//! `{"sender", "recipient", "content", "type": "transactional"}`; Brevo answers 201 with the
//! `messageId`. A 5xx, a 429 or no answer is tried again later; another 4xx is a failure staff
//! see. Another provider fits behind the same `Sender` trait.

use super::Sender;
use crate::config::SMS_SENDER_ENV;
use crate::core::{Delivery, Outgoing};
use async_trait::async_trait;
use serde_json::json;
use toile_shared::phone::international;

pub struct Brevo {
    client: reqwest::Client,
    url: String,
    api_key: String,
    /// What the phone shows as the sender: at most 11 letters or digits.
    sender: String,
}

impl Brevo {
    pub fn new(url: &str, api_key: &str, sender: &str) -> Result<Brevo, String> {
        let sender: String = sender.chars().filter(char::is_ascii_alphanumeric).take(11).collect();
        if sender.is_empty() {
            return Err(format!("{SMS_SENDER_ENV} : 11 lettres ou chiffres au plus, par exemple Toile."));
        }
        let client = reqwest::Client::builder()
            .timeout(super::SEND_TIMEOUT)
            .build()
            .map_err(|e| format!("client HTTP : {e}"))?;
        Ok(Brevo { client, url: url.to_string(), api_key: api_key.to_string(), sender })
    }
}

#[async_trait]
impl Sender for Brevo {
    fn provider(&self) -> &'static str {
        "brevo"
    }

    async fn send(&self, message: &Outgoing) -> Delivery {
        let Some(recipient) = international(&message.to) else {
            return Delivery::Permanent(format!("numéro de téléphone illisible : {}", super::mask::phone(&message.to)));
        };
        let body = json!({
            "sender": self.sender,
            "recipient": recipient,
            "content": message.body,
            "type": "transactional",
            "tag": "toile",
        });
        let answer = self
            .client
            .post(&self.url)
            .header("api-key", &self.api_key)
            .header("accept", "application/json")
            .json(&body)
            .send()
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => return Delivery::Temporary(format!("Brevo injoignable : {error}")),
        };
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        if status.is_success() {
            let id = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("messageId").map(|id| id.to_string()))
                .unwrap_or_default();
            return Delivery::Sent { provider: "brevo".into(), provider_id: id };
        }
        let said = format!("Brevo a répondu {status} : {}", text.chars().take(300).collect::<String>());
        if status.is_server_error() || status.as_u16() == 429 {
            Delivery::Temporary(said)
        } else {
            Delivery::Permanent(said)
        }
    }
}
