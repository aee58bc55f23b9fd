//! The bar on top of signed-in pages: app name, who is signed in, sign-out.

use crate::functions::{SignOut, current_viewer};
use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| current_viewer());
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Toile"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    viewer
                        .await
                        .ok()
                        .flatten()
                        .map(|v| {
                            view! {
                                <p class="who">
                                    <span class="visually-hidden">"Connecté·e : "</span>
                                    {v.display_name}
                                </p>
                            }
                        })
                })}
            </Suspense>
            // A POST form, so signing out works without JavaScript and cannot be triggered by a link.
            <ActionForm action=sign_out attr:class="sign-out">
                <button type="submit" class="button-quiet">"Se déconnecter"</button>
            </ActionForm>
        </header>
    }
}
