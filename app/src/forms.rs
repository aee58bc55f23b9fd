//! Forms that post to their own page. A refused form comes back as the same page with what was
//! typed and a French message next to each field at fault (and one on top), with or without
//! JavaScript; an accepted one sends the browser on (see `form_posts` for the server side).

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

pub use crate::models::posted;

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

/// A creating form's one-time token, drawn on the server each time the form is shown: the same
/// form posted twice (a double tap, "back" and send again) makes one thing (`form_posts::once`).
#[component]
pub fn FormToken() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let token = use_context::<crate::port::SharedPort>().map(|port| port.form_token()).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let token = String::new();
    view! { <input type="hidden" name=crate::models::FORM_TOKEN value=token /> }
}

/// A form's submit button. With JavaScript, once the form is sent it says so and is disabled
/// until the answer comes (a second tap sends nothing); without, it is a plain button, and the
/// form's token keeps a second post from making anything. Not the HTML `disabled` attribute: a
/// disabled button's own name and value would leave the post.
#[island]
pub fn SubmitButton(label: String, #[prop(optional)] class: Option<String>) -> impl IntoView {
    let sending = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move || {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Some(form) = button.get().and_then(|button| button.form()) else { return };
        let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            if sending.get_untracked() {
                event.prevent_default();
            } else {
                sending.set(true);
            }
        });
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
        // Back on this page from the browser's history: that post is over.
        let on_show = Closure::<dyn FnMut()>::new(move || sending.set(false));
        let _ = window().add_event_listener_with_callback("pageshow", on_show.as_ref().unchecked_ref());
        on_show.forget();
    });
    view! {
        <button
            type="submit"
            class=class.unwrap_or_else(|| "button-primary".into())
            node_ref=button
            aria-disabled=move || sending.get().then_some("true")
        >
            {move || if sending.get() { "Envoi en cours…".to_string() } else { label.clone() }}
        </button>
    }
}
