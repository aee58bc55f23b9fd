//! Forms that post to their own page. A refused form comes back as the same page with what was
//! typed and a French message next to each field at fault (and one on top), with or without
//! JavaScript; an accepted one sends the browser on (see `web::forms` for the server side).

use crate::models::FormRefusal;
use leptos::prelude::*;

/// What a refused form sends back to its page: the fields as typed, and what is wrong.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub pairs: Vec<(String, String)>,
    pub refusal: FormRefusal,
}

/// The refused form this page is shown again for, if any.
pub fn answer() -> Option<Answer> {
    use_context::<Answer>()
}

/// A posted form's field, by name.
pub fn posted<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// What was typed in the refused form's field, if any.
pub fn typed(field: &str) -> Option<String> {
    answer()?.pairs.into_iter().find(|(name, _)| name == field).map(|(_, value)| value)
}

/// The message for a field of the refused form, if it has one.
pub fn error_for(field: &str) -> Option<String> {
    answer()?.refusal.fields.into_iter().find(|(name, _)| name == field).map(|(_, message)| message)
}

/// The id of a field's message, for `aria-describedby`.
pub fn error_id(field: &str) -> String {
    format!("{field}-erreur")
}

/// `aria-describedby` for a field: its message, when it has one (a reference to nothing is an
/// accessibility fault).
pub fn described_by(field: &str) -> Option<String> {
    error_for(field).map(|_| error_id(field))
}

/// `aria-invalid` for a field of the refused form.
pub fn invalid(field: &str) -> Option<&'static str> {
    error_for(field).map(|_| "true")
}

/// A field's message, where the field is.
#[component]
pub fn FieldError(field: &'static str) -> impl IntoView {
    error_for(field).map(|message| {
        view! {
            <p class="field-error" id=error_id(field)>
                {message}
            </p>
        }
    })
}

/// What is wrong with the form as a whole, on top of it.
#[component]
pub fn FormSummary() -> impl IntoView {
    answer().map(|answer| {
        view! {
            <div role="alert" class="alert" tabindex="-1" id="erreurs">
                <p>{answer.refusal.summary}</p>
                {(!answer.refusal.fields.is_empty())
                    .then(|| view! { <p>"Corrigez les champs signalés plus bas, puis envoyez de nouveau."</p> })}
            </div>
        }
    })
}

/// A text area of a form posted to its own page: what was typed comes back with its message.
#[component]
pub fn TextArea(name: &'static str, label: &'static str, rows: u32, max_chars: u32) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <textarea
                id=name
                name=name
                rows=rows.to_string()
                maxlength=max_chars.to_string()
                aria-describedby=described_by(name)
                aria-invalid=invalid(name)
            >
                {typed(name).unwrap_or_default()}
            </textarea>
            <FieldError field=name />
        </div>
    }
}

/// A one-button form about one line of a list (a person, an account, a token), posted to its
/// own page: `action` says what to do, `field` = `value` to which line; screen readers hear
/// the button's label followed by `which`, the line's name.
#[component]
pub fn LineButton(
    action: &'static str,
    field: &'static str,
    value: String,
    label: &'static str,
    which: String,
) -> impl IntoView {
    view! {
        <form method="post" class="inline-form">
            <input type="hidden" name="action" value=action />
            <input type="hidden" name=field value=value />
            <button type="submit" class="button-quiet">
                {label}
                <span class="visually-hidden">{format!(" : {which}")}</span>
            </button>
        </form>
    }
}

/// The person a staff form acts on, chosen among `choices` and posted as `participant`.
#[component]
pub fn PersonField(id: &'static str, label: &'static str, choices: Vec<crate::models::Choice>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name="participant">
                {options(choices, None)}
            </select>
        </div>
    }
}

/// A select's options, `chosen` (a value) marked selected.
pub fn options(choices: Vec<crate::models::Choice>, chosen: Option<&str>) -> impl IntoView + use<> {
    choices
        .into_iter()
        .map(|c| {
            let selected = chosen == Some(c.value.as_str());
            view! { <option value=c.value selected=selected>{c.label}</option> }
        })
        .collect_view()
}
