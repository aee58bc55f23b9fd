//! Error messages from the server, in a live region that exists before the message arrives so
//! screen readers announce it when an action fails with JavaScript on.

use crate::models::UiError;
use leptos::prelude::*;

/// The error of an action's last run: with JS the response body, without JS the `__err` query
/// parameter Leptos adds when it redirects the form post back to the page (which the server
/// carries in a signed flash cookie, never in the address the browser sees).
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<UiError>>
where
    S: leptos::server_fn::ServerFn<Error = UiError> + Send + Sync + Clone + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

#[component]
pub fn Alert(
    #[prop(into)] error: Signal<Option<UiError>>,
    /// Lets a field point at the message with `aria-describedby`.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div role="alert" class="alert" id=id>
            {move || error.get().map(|e| view! { <p>{e.message}</p> })}
        </div>
    }
}
