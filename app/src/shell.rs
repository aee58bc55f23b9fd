//! The HTML document around the app, rendered by the server only. It loads no script: a page
//! with interactive parts adds the browser bundle itself (`assets::IslandScripts`).

use crate::App;
use crate::assets::asset;
use leptos::prelude::*;
use leptos_meta::MetaTags;

pub fn shell(_options: LeptosOptions) -> impl IntoView {
    // Pages render on the server only: the data they read needs no copy in the page for the
    // browser (islands turn this back on for themselves, as `HydrationScripts` would).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <meta name="description" content="Les ateliers collectifs des structures du groupe." />
                <link rel="stylesheet" href=asset("pkg/toile.css") />
                <link rel="icon" href=asset("favicon.svg") type="image/svg+xml" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
