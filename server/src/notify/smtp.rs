//! E-mail through SMTP (lettre): plain text and simple HTML, in French. `TOILE_SMTP_URL` names
//! the server, e.g. `smtp://user:pass@host:587` (STARTTLS is required unless the address says
//! `?tls=none`, for a relay on the same machine), or `smtps://…` for TLS from the start.

use super::Sender;
use crate::config::{SMTP_FROM_ENV, SMTP_URL_ENV};
use crate::core::{Delivery, Outgoing};
use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// The SMTP sender for `url`, writing from `from` ("Toile <toile@exemple.fr>").
    pub fn new(url: &str, from: &str) -> Result<Smtp, String> {
        let url = with_tls_said(url);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("{SMTP_URL_ENV} n'est pas une adresse SMTP lisible : {e}"))?
            .timeout(Some(super::SEND_TIMEOUT))
            .build();
        let from = from.parse().map_err(|e| format!("{SMTP_FROM_ENV} n'est pas une adresse e-mail lisible : {e}"))?;
        Ok(Smtp { transport, from })
    }
}

/// The address as lettre reads it: `smtp://` without a `tls` parameter asks for STARTTLS
/// (lettre would send in clear), and `tls=none` (which lettre does not know) is plain SMTP.
fn with_tls_said(url: &str) -> String {
    if !url.starts_with("smtp://") {
        return url.to_string();
    }
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let plain = params.contains(&"tls=none");
    let mut kept: Vec<&str> = params.into_iter().filter(|p| *p != "tls=none").collect();
    if !plain && !kept.iter().any(|p| p.starts_with("tls=")) {
        kept.push("tls=required");
    }
    if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) }
}

/// The text as simple HTML: paragraphs, escaped.
fn html(text: &str) -> String {
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let paragraphs: Vec<String> =
        escaped.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| format!("<p>{}</p>", p.trim())).collect();
    format!("<!doctype html><html lang=\"fr\"><body>{}</body></html>", paragraphs.join(""))
}

#[async_trait]
impl Sender for Smtp {
    fn provider(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, message: &Outgoing) -> Delivery {
        let to: Mailbox = match message.to.parse() {
            Ok(to) => to,
            Err(error) => return Delivery::Permanent(format!("adresse e-mail illisible : {error}")),
        };
        // The key as Message-ID: a message sent again after a crash reads as the same one.
        let id = format!("<{}@toile>", message.idempotency_key.replace(':', "."));
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .message_id(Some(id))
            .multipart(MultiPart::alternative_plain_html(message.body.clone(), html(&message.body)));
        let email = match email {
            Ok(email) => email,
            Err(error) => return Delivery::Permanent(format!("message impossible à écrire : {error}")),
        };
        match self.transport.send(email).await {
            Ok(response) => Delivery::Sent {
                provider: "smtp".into(),
                provider_id: response.message().collect::<Vec<_>>().join(" "),
            },
            Err(error) if error.is_permanent() => Delivery::Permanent(error.to_string()),
            Err(error) => Delivery::Temporary(error.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_asks_for_starttls_unless_told_plain() {
        assert_eq!(with_tls_said("smtp://u:p@mail.fr:587"), "smtp://u:p@mail.fr:587?tls=required");
        assert_eq!(with_tls_said("smtp://127.0.0.1:2525?tls=none"), "smtp://127.0.0.1:2525");
        assert_eq!(with_tls_said("smtp://h:25?tls=opportunistic"), "smtp://h:25?tls=opportunistic");
        assert_eq!(with_tls_said("smtps://u:p@mail.fr"), "smtps://u:p@mail.fr");
    }

    #[test]
    fn the_html_part_is_the_text_escaped_in_paragraphs() {
        assert_eq!(
            html("Bonjour,\n\n<b>A & B</b>\n"),
            "<!doctype html><html lang=\"fr\"><body><p>Bonjour,</p><p>&lt;b&gt;A &amp; B&lt;/b&gt;</p></body></html>"
        );
    }
}
