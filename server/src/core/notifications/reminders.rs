//! The reminders: at `REMINDER_HOUR` o'clock, Paris time, the day before a session, everyone
//! seated is asked whether they are still coming (`Notice::Reminder`, with their link to
//! answer); where the group asks for it, again at `MORNING_HOUR` on the day
//! (`Notice::MorningReminder`). The delivery worker looks for reminders due on each pass; a
//! person is reminded once per start time, so a session moved to another day is reminded again
//! for its new date.

use super::{Notice, queue};
use crate::core::paris;
use crate::core::store::answers::{self as stored, ReminderColumn, Unreminded};
use crate::core::store::{from_ts, to_ts};
use crate::core::{Core, CoreResult};
use chrono::{DateTime, Duration, Utc};
use toile_shared::ParticipantId;

/// The hour of the day before a session at which its people are reminded (Paris time): early
/// enough for a freed seat to find someone on the waiting list.
pub const REMINDER_HOUR: u32 = 10;

/// The hour of the morning reminder (Paris time): when the quiet hours end by default.
pub const MORNING_HOUR: u32 = 8;

/// No reminder for a session this close: the person is already on their way.
const TOO_LATE: Duration = Duration::hours(1);

/// When the people of a session starting at `starts_at` are reminded: at `REMINDER_HOUR` the
/// day before, on the wall clock of Paris (the same hour in summer and in winter).
pub fn reminder_time(starts_at: DateTime<Utc>) -> DateTime<Utc> {
    let day_before = paris::day_of(starts_at) - Duration::days(1);
    paris::hour_on(day_before, REMINDER_HOUR).unwrap_or(starts_at - Duration::days(1))
}

/// When the people of a session starting at `starts_at` are reminded on the day: at
/// `MORNING_HOUR`, Paris time (a session at 9:00 or earlier gets none: `TOO_LATE`).
pub fn morning_reminder_time(starts_at: DateTime<Utc>) -> DateTime<Utc> {
    let day = paris::day_of(starts_at);
    paris::hour_on(day, MORNING_HOUR).unwrap_or(starts_at - Duration::hours(2))
}

/// One round of reminders: when it comes, what it says, where it is recorded.
#[derive(Clone, Copy)]
struct Round {
    time: fn(DateTime<Utc>) -> DateTime<Utc>,
    notice: Notice,
    column: ReminderColumn,
}

const DAY_BEFORE: Round = Round { time: reminder_time, notice: Notice::Reminder, column: ReminderColumn::DayBefore };
const MORNING: Round =
    Round { time: morning_reminder_time, notice: Notice::MorningReminder, column: ReminderColumn::Morning };

impl Core {
    /// Queues the reminders due now (the day before, and the morning of where the group asks
    /// for it), session by session, each in its own transaction. People seated after a
    /// reminder's time were just told and are not reminded. Returns how many people were
    /// reminded. Only reads when nothing is due.
    pub async fn queue_reminders(&self) -> CoreResult<usize> {
        let mut reminded = self.queue_round(DAY_BEFORE).await?;
        if self.settings.messaging.morning_reminders {
            reminded += self.queue_round(MORNING).await?;
        }
        Ok(reminded)
    }

    async fn queue_round(&self, round: Round) -> CoreResult<usize> {
        let now = self.clock.now();
        // A reminder is due at most a day and a half before the session (10:00 the day before
        // a session at 23:59 is 38 hours before it): a window of two days is enough.
        let due: Vec<Unreminded> = {
            let mut conn = self.store.read().await?;
            stored::unreminded(&mut conn, round.column, to_ts(now + TOO_LATE), to_ts(now + Duration::days(2))).await?
        };
        let due: Vec<Unreminded> = due.into_iter().filter(|row| (round.time)(from_ts(row.starts_at)) <= now).collect();
        let mut reminded = 0;
        for session in due.chunk_by(|a, b| a.session_id == b.session_id) {
            let (id, starts_at) = (session[0].session_id, session[0].starts_at);
            let moment = to_ts((round.time)(from_ts(starts_at)));
            let (remind, skip): (Vec<&Unreminded>, Vec<&Unreminded>) =
                session.iter().partition(|row| row.seated_at < moment);
            let remind: Vec<ParticipantId> = remind.iter().map(|row| row.participant_id).collect();
            let skip: Vec<ParticipantId> = skip.iter().map(|row| row.participant_id).collect();
            let mut tx = self.store.write(now).await?;
            // Read again under the write: another server may have reminded them meanwhile, or
            // the session moved; the occasion (the start time) keeps a second queue harmless.
            let still: Vec<ParticipantId> = stored::unreminded(&mut tx, round.column, starts_at - 1, starts_at + 1)
                .await?
                .into_iter()
                .filter(|row| row.session_id == id)
                .map(|row| row.participant_id)
                .collect();
            let remind: Vec<ParticipantId> = remind.into_iter().filter(|p| still.contains(p)).collect();
            queue(&mut tx, &self.settings.messaging, round.notice, id, &remind, starts_at).await?;
            stored::mark_reminded(&mut tx, round.column, id, &remind, starts_at).await?;
            stored::mark_reminded(&mut tx, round.column, id, &skip, starts_at).await?;
            tx.commit().await?;
            reminded += remind.len();
        }
        Ok(reminded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::paris::wall as paris;

    /// Both reminders keep their hour on the Paris wall clock, whatever the season.
    #[test]
    fn the_reminders_come_at_ten_the_day_before_and_eight_on_the_day_in_summer_and_winter() {
        // At ten the day before.
        assert_eq!(reminder_time(paris(2026, 3, 3, 9, 30)), paris(2026, 3, 2, 10, 0));
        assert_eq!(reminder_time(paris(2026, 7, 7, 14, 0)), paris(2026, 7, 6, 10, 0));
        // Across the clock changes: Monday after the last Sunday of March and of October.
        assert_eq!(reminder_time(paris(2026, 3, 30, 9, 0)), paris(2026, 3, 29, 10, 0));
        assert_eq!(reminder_time(paris(2026, 10, 26, 9, 0)), paris(2026, 10, 25, 10, 0));
        // A session just after midnight is reminded the calendar day before.
        assert_eq!(reminder_time(paris(2026, 5, 12, 0, 30)), paris(2026, 5, 11, 10, 0));
        // At eight on the day.
        assert_eq!(morning_reminder_time(paris(2026, 3, 3, 14, 0)), paris(2026, 3, 3, 8, 0));
        assert_eq!(morning_reminder_time(paris(2026, 7, 7, 9, 30)), paris(2026, 7, 7, 8, 0));
        // The clock changes that night: 8:00 is still 8:00 on the wall.
        assert_eq!(morning_reminder_time(paris(2026, 3, 29, 10, 0)), paris(2026, 3, 29, 8, 0));
        assert_eq!(morning_reminder_time(paris(2026, 10, 25, 10, 0)), paris(2026, 10, 25, 8, 0));
    }
}
