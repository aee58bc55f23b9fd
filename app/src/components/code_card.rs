//! The access-code card: printed on A6 in large type for a person who may read little French.
//! Their first name, the code, the sign-in address and a QR code that signs them in once (a
//! single-use link of its own, never the code: after that, or 30 days on, they type the code),
//! and three pictures: scan, type your code, choose a session.

use crate::models::CodeCard;
use leptos::prelude::*;

/// A phone with a square on its screen: "scan".
fn scan() -> impl IntoView {
    view! {
        <svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true">
            <rect x="12" y="4" width="24" height="40" rx="4" fill="none" stroke="currentColor" stroke-width="3" />
            <rect x="18" y="14" width="12" height="12" fill="currentColor" />
        </svg>
    }
}

/// Keys: "type your code".
fn keys() -> impl IntoView {
    view! {
        <svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true">
            <rect x="4" y="14" width="40" height="20" rx="3" fill="none" stroke="currentColor" stroke-width="3" />
            <circle cx="14" cy="24" r="3" fill="currentColor" />
            <circle cx="24" cy="24" r="3" fill="currentColor" />
            <circle cx="34" cy="24" r="3" fill="currentColor" />
        </svg>
    }
}

/// A calendar with a tick: "choose a session".
fn choose() -> impl IntoView {
    view! {
        <svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true">
            <rect x="6" y="10" width="36" height="32" rx="3" fill="none" stroke="currentColor" stroke-width="3" />
            <path d="M6 18h36M15 6v8M33 6v8" stroke="currentColor" stroke-width="3" />
            <path d="M16 30l6 6 10-12" fill="none" stroke="currentColor" stroke-width="4" />
        </svg>
    }
}

#[component]
pub fn CodeCardView(card: CodeCard) -> impl IntoView {
    let size = card.qr.size;
    view! {
        <article class="code-card" aria-labelledby="carte-titre">
            <h2 id="carte-titre" class="code-card-name">
                {card.first_name.clone()}
            </h2>
            <p class="code-card-label">"Votre code"</p>
            <p class="code-card-code" id="code-personnel">
                {card.code.clone()}
            </p>
            <svg
                class="code-card-qr"
                viewBox=format!("0 0 {size} {size}")
                role="img"
                aria-label="QR code : il ouvre Toile et vous connecte une première fois"
                data-link=card.link.clone()
                shape-rendering="crispEdges"
            >
                <rect width=size.to_string() height=size.to_string() fill="#ffffff" />
                <path d=card.qr.path.clone() fill="#000000" />
            </svg>
            <p class="code-card-address">{card.address.clone()}</p>
            <ol class="code-card-steps">
                <li>{scan()}<span>"Scannez"</span></li>
                <li>{keys()}<span>"Tapez votre code"</span></li>
                <li>{choose()}<span>"Choisissez une séance"</span></li>
            </ol>
        </article>
    }
}
