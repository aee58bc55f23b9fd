//! The top of signed-in pages: the page's title in the browser's tab, and the bar with the app's
//! name, then, for a signed-in person only, who they are, their menu and sign-out.

use crate::assets::asset;
use crate::functions::{SignOut, current_viewer};
use crate::models::ViewerKind;
use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title};
use leptos_router::hooks::use_location;
use toile_shared::{Role, paths};

/// A page's title in the browser's tab, then the site's header.
#[component]
pub fn PageHead(#[prop(into)] title: TextProp) -> impl IntoView {
    view! {
        <Title text=title />
        <SiteHeader />
    }
}

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
                                // A POST form, so signing out works without JavaScript and cannot
                                // be triggered by a link.
                                <ActionForm action=sign_out attr:class="sign-out">
                                    <button type="submit" class="button-quiet">"Se déconnecter"</button>
                                </ActionForm>
                            }
                        })
                })}
            </Suspense>
        </header>
    }
}

/// The signed-in person's pages; the current one is marked for screen readers.
#[component]
fn Menu(kind: ViewerKind) -> impl IntoView {
    // Read once: every page renders its own header (pages render on the server only).
    let here = use_location().pathname.get_untracked();
    let current = |path: &str| (here == path).then_some("page");
    let entries: Vec<(&str, &str)> = match kind {
        ViewerKind::Participant => vec![(paths::PARTICIPANT_SESSIONS, "Mes séances"), (paths::AGENDA, "Mon agenda")],
        ViewerKind::Staff(role) => {
            let mut entries = vec![
                (paths::STAFF_HOME, "Mon espace"),
                (paths::PROGRAMME, "Programme"),
                (paths::PARTICIPANTS, "Participants"),
                (paths::NEW_SESSION, "Proposer"),
                (paths::AGENDA, "Mon agenda"),
                (paths::FIGURES, "Chiffres"),
            ];
            // Links only: who may read the journal or administer is decided in the core.
            if role != Role::Cip {
                entries.push((paths::AUDIT, "Journal"));
            }
            if role == Role::Admin {
                entries.push((paths::ADMIN, "Administration"));
            }
            entries
        }
    };
    // Staff pages have their own stylesheet: participants' phones never download it.
    let staff_styles = matches!(kind, ViewerKind::Staff(_)).then(|| view! { <Stylesheet href=asset("equipe.css") /> });
    view! {
        {staff_styles}
        <nav class="menu" aria-label="Menu">
            <ul>
                {entries
                    .iter()
                    .map(|(path, label)| {
                        view! {
                            <li>
                                <a href=*path aria-current=current(path)>{*label}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
