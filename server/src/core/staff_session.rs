//! A session as its staff work with it, read once: its page (the overview, the roster as the
//! viewer may see it, and who the viewer could still enrol) and its sign-in sheet.

use super::roster::Roster;
use super::sessions::{SessionOverview, staff_only, visible};
use super::views::ParticipantView;
use super::{Core, CoreError, CoreResult, MAX_PAGE_SIZE};
use toile_shared::SessionId;
use toile_shared::authz::Actor;

/// What a session's staff page shows.
#[derive(Clone, Debug)]
pub struct StaffSessionView {
    pub overview: SessionOverview,
    pub roster: Roster,
    /// The viewer's participants who could still be enrolled, by name: active, open to the
    /// session, not already in it or waiting.
    pub enrollable: Vec<ParticipantView>,
}

/// The sign-in sheet: the session's facts and everyone confirmed, for its managers only.
#[derive(Clone, Debug)]
pub struct SignInSheet {
    pub overview: SessionOverview,
    pub roster: Roster,
}

impl Core {
    /// A session's staff page, the session read once.
    pub async fn staff_session(&self, actor: &Actor, id: SessionId) -> CoreResult<StaffSessionView> {
        let (overview, roster, audience) = {
            let mut conn = self.store.read().await?;
            let session = visible(&mut conn, actor, id).await?;
            staff_only(actor)?;
            let roster = self.roster_of(&mut conn, actor, &session).await?;
            let audience = session.seats.audience();
            (self.overview_of(&mut conn, actor, session).await?, roster, audience)
        };
        // Staff without participants of their own simply have no one to add; the first page of
        // their people is plenty for a list to choose from.
        let theirs = match self.participants(actor, None, None, MAX_PAGE_SIZE).await {
            Ok((people, _)) => people,
            Err(_) => vec![],
        };
        let listed = |person: &ParticipantView| {
            roster.confirmed.iter().chain(&roster.waiting).any(|line| line.person.participant_id == person.id)
        };
        // Only people the session is open to: their enrolment would be refused.
        let enrollable =
            theirs.into_iter().filter(|p| p.active && !listed(p) && audience.includes(p.structure_id)).collect();
        Ok(StaffSessionView { overview, roster, enrollable })
    }

    /// The sign-in sheet of a session: its managers only, as they run it.
    pub async fn sign_in_sheet(&self, actor: &Actor, session_id: SessionId) -> CoreResult<SignInSheet> {
        staff_only(actor)?;
        let mut conn = self.store.read().await?;
        let session = visible(&mut conn, actor, session_id).await?;
        let roster = self.roster_of(&mut conn, actor, &session).await?;
        if !roster.may_print_sheet {
            return Err(CoreError::Forbidden);
        }
        let overview = self.overview_of(&mut conn, actor, session).await?;
        Ok(SignInSheet { overview, roster })
    }
}
