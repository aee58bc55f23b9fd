//! The demo's past: twelve weeks of sessions already held, their attendance taken, so the
//! figures page shows something true to life. Each step goes through the core at the time it
//! would have happened (a clock of its own, moved back), so every rule holds as it did then.

use crate::core::{Clock, Core, CoreError, CoreResult};
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;
use toile_shared::session_input::{Location, SessionInput};
use toile_shared::{Attendance, SessionKind, WorkshopTheme};

/// A demo structure: its id, its site, its CIPs, its participants.
pub(super) type Structure = (i64, i64, Vec<Actor>, Vec<i64>);

const WEEKS: i64 = 12;

/// How full each past session gets, in tenths of its capacity: some empty out, one overflows
/// into a waiting list.
const FILL_TENTHS: [u32; 7] = [4, 7, 9, 10, 6, 12, 8];

/// Creates the past sessions and their people; answers how many sessions and enrolments.
pub(super) async fn history(core: &Core, admin: &Actor, structures: &[Structure]) -> CoreResult<(usize, usize)> {
    let clock = Clock::system();
    let past = core.with_clock(clock.clone());
    let this_monday = {
        let today = crate::core::paris::day_of(Utc::now());
        today - Duration::days(i64::from(today.weekday().num_days_from_monday()))
    };
    let (mut sessions, mut enrolments) = (0, 0);
    let mut n = 0usize;
    for week in (1..=WEEKS).rev() {
        let monday = this_monday - Duration::weeks(week);
        for slot in 0..3usize {
            n += 1;
            let (organiser, site, cips, _) = &structures[(week as usize + slot) % structures.len()];
            let day = monday + Duration::days(slot as i64 + 1);
            let hour = if slot == 1 { 14 } else { 9 };
            let starts = Paris
                .from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("a time")))
                .earliest()
                .expect("a Paris time")
                .with_timezone(&Utc);
            let (title, kind, theme, company) = subject(n);
            let capacity = [8, 10, 12][n % 3];
            // Every third week, a CIP of the next structure co-facilitates.
            let mut facilitators = vec![cips[n % cips.len()].staff_user_id().expect("CIPs are staff")];
            if week % 3 == 0 && slot == 0 {
                let partner = &structures[(week as usize + 1) % structures.len()].2[0];
                facilitators.push(partner.staff_user_id().expect("CIPs are staff"));
            }
            move_to(&clock, starts - Duration::days(10));
            let input = SessionInput {
                theme,
                description: "Un moment en groupe, avec un·e conseiller·ère.".into(),
                location: Some(Location::Site { site_id: *site }),
                cancellation_deadline: Some(starts - Duration::days(1)),
                facilitator_ids: facilitators,
                company_name: company.map(str::to_string),
                ..SessionInput::published(title, kind, starts, starts + Duration::hours(2), capacity, *organiser)
            };
            let session = past.create_session(&cips[0], input, 1).await?.id;
            sessions += 1;
            if week == 5 && slot == 2 {
                // The company could not come: cancelled before anyone enrolled.
                move_to(&clock, starts - Duration::days(3));
                past.cancel_session(admin, session, Some("L'entreprise a dû annuler sa venue.".into())).await?;
                continue;
            }
            let wanted = capacity * FILL_TENTHS[n % FILL_TENTHS.len()] / 10;
            let mut seated = Vec::new();
            for k in 0..wanted as usize {
                // Mostly the organiser's own people, then the others'.
                let from =
                    if k % 5 < 3 { (week as usize + slot) % structures.len() } else { (n + k) % structures.len() };
                let (_, _, their_cips, people) = &structures[from];
                let person = people[(n * 7 + k * 3) % people.len()];
                match past.enrol(&their_cips[0], session, person, Request::Normal).await {
                    Ok(_) => {
                        enrolments += 1;
                        seated.push(person);
                    }
                    // A person already in (the same person picked twice) or busy elsewhere.
                    Err(CoreError::Refused(_) | CoreError::Conflict { .. }) => {}
                    Err(other) => return Err(other),
                }
            }
            // Attendance taken at the end; the last week's sometimes not yet.
            move_to(&clock, starts + Duration::hours(2));
            for (k, person) in seated.into_iter().enumerate() {
                let mark = match (n * 3 + k * 7) % 12 {
                    0 | 1 => Attendance::Absent,
                    2 => Attendance::Excused,
                    3 if week == 1 => continue,
                    _ => Attendance::Present,
                };
                match past.set_attendance(admin, session, person, mark).await {
                    Ok(_) => {}
                    // Waiting when the session started: no attendance to take.
                    Err(CoreError::Conflict { .. }) => {}
                    Err(other) => return Err(other),
                }
            }
        }
    }
    Ok((sessions, enrolments))
}

/// Sets the demo's own clock to `at`.
fn move_to(clock: &Clock, at: DateTime<Utc>) {
    clock.advance(at - clock.now());
}

/// The `n`-th past session's subject: workshops, company talks and visits, information sessions.
fn subject(n: usize) -> (&'static str, SessionKind, Option<WorkshopTheme>, Option<&'static str>) {
    match n % 6 {
        0 => ("Faire son CV", SessionKind::Workshop, Some(WorkshopTheme::Cv), None),
        1 => ("Préparer un entretien d'embauche", SessionKind::Workshop, Some(WorkshopTheme::Interview), None),
        2 => (
            "Chauffeurs-livreurs : les métiers et les recrutements",
            SessionKind::CompanyTalk,
            None,
            Some("Transports Lemaire"),
        ),
        3 => ("Le numérique pas à pas", SessionKind::Workshop, Some(WorkshopTheme::Digital), None),
        4 => ("Information collective : les formations qualifiantes", SessionKind::InfoSession, None, None),
        _ => ("Visite d'un entrepôt logistique", SessionKind::CompanyVisit, None, Some("Logistique Métropole")),
    }
}
