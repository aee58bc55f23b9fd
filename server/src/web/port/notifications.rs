//! What was sent to participants, worded for staff: failures first, to act on.

use super::french;
use crate::core::{Channel, Core, CoreResult, NOTIFICATIONS_SHOWN, NotificationLine};
use chrono::{DateTime, Utc};
use toile_app::models::{NotificationRow, NotificationsPage};
use toile_shared::MessageStatus;
use toile_shared::authz::Actor;

/// The status's words, with when and how many tries where they tell more.
fn status(line: &NotificationLine, now: DateTime<Utc>) -> String {
    let label = line.status.label();
    match line.status {
        MessageStatus::Sent => match line.sent_at {
            Some(at) => format!("{label} le {}", french::short_date_time(at)),
            None => label.into(),
        },
        MessageStatus::Queued if line.attempts > 0 => {
            format!("nouvel essai le {}", french::short_date_time(line.due_at))
        }
        MessageStatus::Queued if line.due_at > now => format!("part le {}", french::short_date_time(line.due_at)),
        MessageStatus::Failed => {
            format!("{label} après {} essai{}", line.attempts, if line.attempts > 1 { "s" } else { "" })
        }
        MessageStatus::Queued | MessageStatus::Sending | MessageStatus::Dropped => label.into(),
    }
}

fn row(line: &NotificationLine, now: DateTime<Utc>) -> NotificationRow {
    NotificationRow {
        when: french::short_date_time(line.queued_at),
        participant_id: line.participant_id,
        recipient: line.recipient.clone(),
        session_id: line.session_id,
        session: line.session_title.clone(),
        what: line.what.to_string(),
        channel: match line.channel {
            Some(Channel::Sms) => "SMS",
            Some(Channel::Email) => "e-mail",
            None => "",
        }
        .to_string(),
        status: status(line, now),
        failed: line.status == MessageStatus::Failed,
        error: line.last_error.clone().unwrap_or_default(),
        text: line.text.clone(),
    }
}

/// `providers`: which send SMS and e-mail on this server (`SenderSettings::providers`).
pub(super) async fn page(
    core: &Core,
    actor: &Actor,
    providers: (Option<&str>, Option<&str>),
) -> CoreResult<NotificationsPage> {
    let now = core.now();
    let mut lines = core.notifications(actor).await?;
    // Failures first (to act on), each part newest first.
    lines.sort_by_key(|line| line.status != MessageStatus::Failed);
    let channels = match providers {
        (Some(sms), Some(email)) => format!("Les SMS partent par {sms}, les e-mails par {email}."),
        (Some(sms), None) => format!("Les SMS partent par {sms}. Aucun serveur d'e-mail n'est réglé : les e-mails ne partent pas (le journal du serveur note seulement leur type et leur destinataire masqué)."),
        (None, Some(email)) => format!("Les e-mails partent par {email}. Aucun fournisseur de SMS n'est réglé : les SMS ne partent pas (le journal du serveur note seulement leur type et leur destinataire masqué)."),
        (None, None) => "Aucun fournisseur n'est réglé sur ce serveur : les messages ne partent pas : son journal note seulement leur type et leur destinataire masqué (voir le README pour régler SMS et e-mail).".into(),
    };
    Ok(NotificationsPage {
        scope: if actor.is_group_wide() || *actor == Actor::Operator {
            "Tout le groupement".into()
        } else {
            "Les personnes et l'équipe de votre structure".into()
        },
        failed: lines.iter().filter(|l| l.status == MessageStatus::Failed).count() as u32,
        rows: lines.iter().map(|line| row(line, now)).collect(),
        shown_at_most: NOTIFICATIONS_SHOWN as u32,
        channels,
    })
}
