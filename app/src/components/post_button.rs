//! The inside of a one-button form: the value it posts and the button that sends it.

use leptos::prelude::*;

/// Posts `name` = `value` with a button whose content is `children` (its label).
#[component]
pub fn PostButton(name: &'static str, value: impl ToString, class: &'static str, children: Children) -> impl IntoView {
    view! {
        <input type="hidden" name=name value=value.to_string() />
        <button type="submit" class=class>
            {children()}
        </button>
    }
}
