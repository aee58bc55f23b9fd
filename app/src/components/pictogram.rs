//! A small drawing for each kind of session, next to its name (never instead of it): people who
//! read with difficulty find "their" workshops by sight. Inline SVG: no request, any size, and
//! the colour of the text around it.

use leptos::prelude::*;
use toile_shared::SessionKind;

/// The drawing's lines, in a 24 × 24 box.
fn strokes(kind: SessionKind) -> &'static str {
    match kind {
        // A sheet with lines: a CV, a letter.
        SessionKind::Workshop => "M6 3h9l3 3v15H6zM9 9h6M9 13h6M9 17h4",
        // Someone speaking.
        SessionKind::CompanyTalk => {
            "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM3 20c0-3.3 2.7-6 6-6s6 2.7 6 6M15 4h6v5h-3l-3 2z"
        }
        // "i" in a circle.
        SessionKind::InfoSession => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 11v6M12 7v1",
        // A factory.
        SessionKind::CompanyVisit => "M3 21V11l5 3v-3l5 3V5h8v16zM7 18h2M12 18h2M17 18h2",
        // Two people meeting.
        SessionKind::JobDating => {
            "M7 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM17 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 20c0-3 2.2-5 5-5s5 2 5 5M12 20c0-3 2.2-5 5-5s5 2 5 5"
        }
        // Three dots.
        SessionKind::Other => "M5 12h.01M12 12h.01M19 12h.01",
    }
}

#[component]
pub fn Pictogram(kind: SessionKind) -> impl IntoView {
    view! {
        <svg
            class="pictogram"
            viewBox="0 0 24 24"
            width="24"
            height="24"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            <path d=strokes(kind) />
        </svg>
    }
}
