//! The root component: meta context, stylesheet and the route table.

use crate::document_title::document_title;
use crate::routes::*;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};
use toile_shared::paths::segments::{
    ADMIN, AGENDA, ANSWER, API_TOKENS, ATTENDANCE, AUDIT, CANCEL, CODE, DUPLICATE, EDIT, FIGURES, INVITATION, NEW,
    NOTIFICATIONS, PARTICIPANTS, PROGRAMME, SESSIONS, SIGN_IN, STAFF,
};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every route renders in `Async` mode: the server waits for the data and sends complete HTML,
    // so pages work without JavaScript and redirects can still set the status code. Only islands
    // (`#[island]`) run in the browser.
    view! {
        // Every page's title goes through this formatter, which escapes it on the server.
        <Title formatter=document_title />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                <Route path=StaticSegment(SIGN_IN) view=SignInPage ssr=SsrMode::Async />
                <Route path=StaticSegment(SESSIONS) view=ParticipantSessionsPage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment(SESSIONS), ParamSegment("id"))
                    view=SessionPage
                    ssr=SsrMode::Async
                />
                <Route path=StaticSegment(STAFF) view=StaffDeskPage ssr=SsrMode::Async />
                <Route path=(StaticSegment(STAFF), StaticSegment(PROGRAMME)) view=ProgrammePage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(SESSIONS))
                    view=StaffSessionsRedirect
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(SESSIONS), StaticSegment(NEW))
                    view=NewSessionPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(SESSIONS), ParamSegment("id"))
                    view=StaffSessionPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(SESSIONS), ParamSegment("id"), StaticSegment(EDIT))
                    view=EditSessionPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(SESSIONS), ParamSegment("id"), StaticSegment(CANCEL))
                    view=CancelSessionPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(SESSIONS), ParamSegment("id"), StaticSegment(DUPLICATE))
                    view=DuplicateSessionPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(SESSIONS), ParamSegment("id"), StaticSegment(ATTENDANCE))
                    view=AttendancePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(PARTICIPANTS))
                    view=ParticipantsListPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(PARTICIPANTS), StaticSegment(NEW))
                    view=NewParticipantPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(PARTICIPANTS), ParamSegment("id"))
                    view=ParticipantRecordPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(PARTICIPANTS), ParamSegment("id"), StaticSegment(CODE))
                    view=ParticipantCodePage
                    ssr=SsrMode::Async
                />
                <Route path=(StaticSegment(STAFF), StaticSegment(AUDIT)) view=AuditTrailPage ssr=SsrMode::Async />
                <Route path=(StaticSegment(STAFF), StaticSegment(FIGURES)) view=StaffFiguresPage ssr=SsrMode::Async />
                <Route path=(StaticSegment(STAFF), StaticSegment(API_TOKENS)) view=ApiTokensPage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment(STAFF), StaticSegment(NOTIFICATIONS))
                    view=NotificationsPage
                    ssr=SsrMode::Async
                />
                <Route path=StaticSegment(ADMIN) view=AdminPage ssr=SsrMode::Async />
                <Route path=(StaticSegment(INVITATION), ParamSegment("token")) view=InvitationPage ssr=SsrMode::Async />
                <Route path=StaticSegment(AGENDA) view=AgendaPage ssr=SsrMode::Async />
                <Route path=(StaticSegment(ANSWER), ParamSegment("secret")) view=AnswerLinkPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
