//! `/`: sends each person to their own start page.

use crate::functions::{current_viewer, home_path};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use toile_shared::paths;

#[component]
pub fn HomePage() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| current_viewer());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let path = match viewer.await {
                    Ok(Some(viewer)) => home_path(viewer.kind),
                    _ => paths::SIGN_IN,
                };
                view! { <Redirect path=path /> }
            })}
        </Suspense>
    }
}
