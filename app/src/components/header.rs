//! The bar on top of signed-in pages: app name, who is signed in, the menu, sign-out.

use crate::functions::{SignOut, current_viewer, home_path};
use crate::models::ViewerKind;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use toile_shared::paths;

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
                                    <span class="visually-hidden">"Compte : "</span>
                                    {v.display_name}
                                </p>
                                <Menu kind=v.kind />
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

/// The signed-in person's pages; the current one is marked for screen readers.
#[component]
fn Menu(kind: ViewerKind) -> impl IntoView {
    // Read once: every page renders its own header. Tracking the location here, inside the
    // header's `Suspense`, stops the router from completing client-side navigations.
    let here = use_location().pathname.get_untracked();
    let current = |path: &str| (here == path).then_some("page");
    let sessions = home_path(kind);
    let sessions_label = match kind {
        ViewerKind::Participant => "Mes séances",
        ViewerKind::Staff(_) => "Séances",
    };
    view! {
        <nav class="menu" aria-label="Menu">
            <ul>
                <li>
                    <a href=sessions aria-current=current(sessions)>{sessions_label}</a>
                </li>
                <li>
                    <a href=paths::AGENDA aria-current=current(paths::AGENDA)>"Mon agenda"</a>
                </li>
            </ul>
        </nav>
    }
}
