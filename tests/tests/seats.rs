//! Reserved seats are a guarantee, not a separate quota: after any enrolment or cancellation,
//! capacity holds, every structure's guarantee holds, no seat stays empty while someone waiting
//! could take it, and a freed seat goes to the first person waiting who can take it. Checked on
//! SQLite and PostgreSQL against a brute-force model, on random sequences.

use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tests::{TestApp, TestDb, on_every_backend};
use toile_shared::EnrolmentStatus;
use toile_shared::authz::Actor;
use toile_shared::enrolment::Request;

on_every_backend!(
    a_freed_reserved_seat_goes_to_the_first_person_waiting,
    random_enrolments_and_cancellations_match_the_brute_force_model,
);

/// The case the issue reported: 12 seats, 4 guaranteed to A.
async fn a_freed_reserved_seat_goes_to_the_first_person_waiting(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let a = app.structure("A").await;
    let b = app.structure("B").await;
    let release = (chrono::Utc::now() + Duration::days(2)).to_rfc3339();
    let session = app
        .session(
            &app.admin,
            a,
            Duration::days(5),
            12,
            json!({"reserved_seats": [{"structure_id": a, "seats": 4}], "reserved_until": release}),
        )
        .await;
    let path = format!("/sessions/{}/enrolments", session["id"]);
    let mut from_a = vec![];
    for n in 0..5 {
        let (id, _) = app.participant(a, &format!("A{n}")).await;
        let (_, body) = app.admin.post(&path, json!({"participant_id": id})).await;
        assert_eq!(body["status"], "confirmed");
        from_a.push(id);
    }
    let mut waiting = vec![];
    for n in 0..10 {
        let (id, _) = app.participant(b, &format!("B{n}")).await;
        let (_, body) = app.admin.post(&path, json!({"participant_id": id})).await;
        let expected = if n < 7 { "confirmed" } else { "waitlisted" };
        assert_eq!(body["status"], expected, "B{n}");
        if n >= 7 {
            waiting.push(id);
        }
    }
    let (status, body) = app.admin.delete(&format!("{path}/{}", from_a[0])).await;
    assert_eq!(status, 200);
    assert_eq!(body["promoted_participant_id"], waiting[0], "A still has 4 seated: the seat is anyone's");
    let (_, fetched) = app.admin.get(&format!("/sessions/{}", session["id"])).await;
    assert_eq!((fetched["seats_taken"].as_i64(), fetched["waitlist_count"].as_i64()), (Some(12), Some(2)));
    assert_eq!(fetched["reserved_seats"], json!([{"structure_id": a, "seats": 4, "taken": 4}]));
}

/// Who is where, as both the model and the system see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Seated,
    Waiting,
    Out,
}

struct Person {
    id: i64,
    structure: usize,
    place: Place,
    /// When they joined the waiting list (or enrolled): the model's queue order.
    since: usize,
}

/// The rules restated the slow way: a set of seated people is allowed if there is *some*
/// assignment of them to seats (each structure's reserved seats for its own people while the
/// reservations hold, open seats for anyone), found by trying every split.
struct Model {
    capacity: u32,
    /// (structure index, seats)
    reservations: [(usize, u32); 2],
    holding: bool,
}

impl Model {
    fn allows(&self, seated: &[usize]) -> bool {
        let total = seated.len() as u32;
        if !self.holding {
            return total <= self.capacity;
        }
        let reserved: u32 = self.reservations.iter().map(|r| r.1).sum();
        let open = self.capacity - reserved;
        let count = |structure: usize| seated.iter().filter(|s| **s == structure).count() as u32;
        let [(first, first_seats), (second, second_seats)] = self.reservations;
        (0..=first_seats.min(count(first)))
            .any(|in_first| (0..=second_seats.min(count(second))).any(|in_second| total - in_first - in_second <= open))
    }

    fn seated(people: &[Person]) -> Vec<usize> {
        people.iter().filter(|p| p.place == Place::Seated).map(|p| p.structure).collect()
    }

    fn can_seat(&self, people: &[Person], structure: usize) -> bool {
        let mut seated = Self::seated(people);
        seated.push(structure);
        self.allows(&seated)
    }

    /// Seats the first person waiting who can be seated, again and again.
    fn promote(&self, people: &mut [Person]) {
        loop {
            let mut queue: Vec<usize> = (0..people.len()).filter(|i| people[*i].place == Place::Waiting).collect();
            queue.sort_by_key(|i| people[*i].since);
            match queue.into_iter().find(|i| self.can_seat(people, people[*i].structure)) {
                Some(i) => people[i].place = Place::Seated,
                None => return,
            }
        }
    }
}

async fn random_enrolments_and_cancellations_match_the_brute_force_model(db: &TestDb) {
    let app = TestApp::spawn(db).await;
    let structures =
        [app.structure("A").await, app.structure("B").await, app.structure("C").await, app.structure("D").await];
    let admin = app.admin_actor();
    for case in 0..16u64 {
        let mut rng = StdRng::seed_from_u64(case);
        let capacity = rng.gen_range(4..=9u32);
        let first = rng.gen_range(1..=3u32).min(capacity / 2);
        let second = rng.gen_range(1..=2u32).min(capacity - first);
        let model = Model { capacity, reservations: [(0, first), (1, second)], holding: true };
        let release = chrono::Utc::now() + Duration::days(2);
        let session = app
            .session(
                &app.admin,
                structures[0],
                Duration::days(5),
                capacity,
                json!({
                    "title": format!("Cas {case}"),
                    "reserved_seats": [
                        {"structure_id": structures[0], "seats": first},
                        {"structure_id": structures[1], "seats": second},
                    ],
                    "reserved_until": release.to_rfc3339(),
                }),
            )
            .await;
        let id = session["id"].as_i64().unwrap();
        let mut people = Vec::new();
        for n in 0..20 {
            let structure = n % 4;
            let (person, _) = app.participant(structures[structure], &format!("P{case}-{n}")).await;
            people.push(Person { id: person, structure, place: Place::Out, since: 0 });
        }
        let mut model = model;
        let mut released = false;
        for step in 0..36 {
            let roll = rng.gen_range(0..100);
            let out: Vec<usize> = (0..people.len()).filter(|i| people[*i].place == Place::Out).collect();
            let active: Vec<usize> = (0..people.len()).filter(|i| people[*i].place != Place::Out).collect();
            if roll < 4 && !released {
                released = true;
                model.holding = false;
                app.core.clock().advance(Duration::days(3));
                app.core.promote_released_seats().await.unwrap();
                model.promote(&mut people);
            } else if (roll < 62 || active.is_empty()) && !out.is_empty() {
                let i = out[rng.gen_range(0..out.len())];
                let result = app.core.enrol(&admin, id, people[i].id, Request::Normal).await.unwrap();
                let expected =
                    if model.can_seat(&people, people[i].structure) { Place::Seated } else { Place::Waiting };
                people[i].place = expected;
                people[i].since = step + 1;
                let got = result.enrolment.status;
                assert_eq!(
                    got == EnrolmentStatus::Confirmed,
                    expected == Place::Seated,
                    "case {case} step {step}: enrol"
                );
            } else if !active.is_empty() {
                let i = active[rng.gen_range(0..active.len())];
                app.core.unenrol(&admin, id, people[i].id).await.unwrap();
                people[i].place = Place::Out;
                model.promote(&mut people);
            }
            check(&app, &admin, id, &people, &model, case, step).await;
        }
        if released {
            app.core.clock().advance(-Duration::days(3));
        }
    }
}

/// The system agrees with the model, and the rules' promises hold on the stored counts.
async fn check(app: &TestApp, admin: &Actor, session: i64, people: &[Person], model: &Model, case: u64, step: usize) {
    let listed = app.core.enrolments(admin, session).await.unwrap();
    let place_of = |id: i64| match listed.iter().find(|e| e.participant_id == id).map(|e| e.status) {
        Some(EnrolmentStatus::Confirmed) => Place::Seated,
        Some(EnrolmentStatus::Waitlisted) => Place::Waiting,
        _ => Place::Out,
    };
    for person in people {
        assert_eq!(place_of(person.id), person.place, "case {case} step {step}: participant {}", person.id);
    }
    let mut waiting: Vec<&Person> = people.iter().filter(|p| p.place == Place::Waiting).collect();
    waiting.sort_by_key(|p| p.since);
    let mut listed_waiting: Vec<_> = listed.iter().filter(|e| e.status == EnrolmentStatus::Waitlisted).collect();
    listed_waiting.sort_by_key(|e| e.waitlist_position);
    let order: Vec<i64> = listed_waiting.iter().map(|e| e.participant_id).collect();
    assert_eq!(order, waiting.iter().map(|p| p.id).collect::<Vec<_>>(), "case {case} step {step}: waiting order");
    let seated = Model::seated(people);
    assert!(model.allows(&seated), "case {case} step {step}: capacity and guarantees hold");
    for person in &waiting {
        assert!(!model.can_seat(people, person.structure), "case {case} step {step}: a seat stays empty");
    }
    let view = app.core.session(admin, session).await.unwrap();
    assert_eq!(view.seats_taken as usize, seated.len(), "case {case} step {step}: the counter");
}
