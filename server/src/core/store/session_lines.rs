//! PostgreSQL: the enrolments of one session line up in this process, first come first served,
//! each keeping its place only until its transaction holds the session's row lock.
//!
//! Why: when the holder of a hot session row commits, PostgreSQL wakes every transaction waiting
//! for that row at once and they race for it, in no order; and each of them holds a pool
//! connection while it waits, so a burst of 64 enrolments on 16 connections also keeps every
//! other request (the token check of the next enrolment) waiting for a connection. In this line,
//! at most one transaction of the process waits on the row (the next one, its BEGIN already
//! sent), and the others wait here, in order, without a connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use toile_shared::SessionId;
use tokio::sync::OwnedMutexGuard;

/// One line per session with someone in it.
#[derive(Debug, Default)]
pub struct SessionLines {
    lines: Mutex<HashMap<SessionId, Arc<tokio::sync::Mutex<()>>>>,
}

/// The front of a session's line, held until the session row is locked (or the write ends).
pub struct Place {
    lines: Arc<SessionLines>,
    session: SessionId,
    turn: Option<OwnedMutexGuard<()>>,
}

impl SessionLines {
    /// Waits for the front of the session's line (Tokio's mutex serves waiters in order).
    pub async fn join(self: &Arc<Self>, session: SessionId) -> Place {
        let line = self.lines.lock().expect("lines").entry(session).or_default().clone();
        let turn = line.lock_owned().await;
        Place { lines: self.clone(), session, turn: Some(turn) }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lines.lock().expect("lines").len()
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut lines = self.lines.lines.lock().expect("lines");
        // Nobody else in the line (only the map and this turn hold it): the line goes. Joining
        // takes the map's lock first, so nobody can join between this check and the removal.
        if lines.get(&self.session).is_some_and(|line| Arc::strong_count(line) == 2) {
            lines.remove(&self.session);
        }
        self.turn.take();
    }
}

impl std::fmt::Debug for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Place({})", self.session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn places_in_a_session_line_are_served_in_order_and_empty_lines_go() {
        let lines = Arc::new(SessionLines::default());
        let first = lines.join(7).await;
        let served = Arc::new(Mutex::new(vec![]));
        let mut waiting = vec![];
        for n in 0..5 {
            let (lines, served) = (lines.clone(), served.clone());
            waiting.push(tokio::spawn(async move {
                let _place = lines.join(7).await;
                served.lock().unwrap().push(n);
            }));
            // Each joins after the one before.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let other = tokio::time::timeout(Duration::from_secs(1), lines.join(8)).await;
        assert!(other.is_ok(), "another session's line does not wait for this one");
        drop(other);
        assert!(served.lock().unwrap().is_empty(), "nobody passes the front of the line");
        drop(first);
        for task in waiting {
            task.await.unwrap();
        }
        assert_eq!(*served.lock().unwrap(), [0, 1, 2, 3, 4]);
        assert_eq!(lines.len(), 0, "no line is kept for a session nobody waits for");
    }
}
