//! The body of a page that reads one thing from the server: "Chargement…" while it comes (with
//! JavaScript on), then the page, or the refusal in words with the page's real status.

use crate::models::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[component]
pub fn Loaded<T, V, B>(
    resource: Resource<Result<T, UiError>>,
    /// The page made of what came.
    body: B,
    /// The page's title and heading when the refusal is all there is to show.
    #[prop(optional)]
    heading: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
    B: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => body(value).into_any(),
                        Err(error) => view! { <Refusal error heading /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A page's data refused: the French words, and the answer's status (nobody signed in: a 303
/// to the sign-in page; refused: 403; unknown: 404; see `request::set_page_status`).
#[component]
pub fn Refusal(
    error: UiError,
    /// The page's title and heading, when the refusal is all there is to show.
    heading: Option<&'static str>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::functions::request::set_page_status(&error);
    view! {
        {heading.map(|text| view! { <Title text /> <h1>{text}</h1> })}
        <p role="alert" class="alert">{error.message}</p>
    }
}
