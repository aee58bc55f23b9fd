//! A field's label with the hint under it.

use leptos::prelude::*;

/// The label of the field `field`, then `hint` under it, with the id `<field>-aide` that the
/// field's `aria-describedby` names.
#[component]
pub fn HintedLabel(field: &'static str, label: &'static str, hint: &'static str) -> impl IntoView {
    view! {
        <label for=field>{label}</label>
        <p class="hint" id=format!("{field}-aide")>
            {hint}
        </p>
    }
}
