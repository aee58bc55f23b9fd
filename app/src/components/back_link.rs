//! The way back to the page a page belongs to, above its title.

use leptos::prelude::*;

#[component]
pub fn BackLink(href: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <p class="back">
            <a href=href>
                <span aria-hidden="true">"← "</span>
                {label}
            </a>
        </p>
    }
}
