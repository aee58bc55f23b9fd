//! Where the stylesheet, the browser bundle and other static files are served from: a path that
//! changes with their content (`/s/<hash>/…`, see the server's `web::assets`), so browsers may
//! keep them for a year. The server provides the base as context; pages only build paths.

use leptos::prelude::*;

/// The base path of this build's static files, e.g. `/s/3f9a0c1d2e4b`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteAssets {
    pub base: String,
}

/// The address of a static file of this build, e.g. `asset("pkg/toile.css")`.
pub fn asset(path: &str) -> String {
    let base = use_context::<SiteAssets>().map(|assets| assets.base).unwrap_or_default();
    format!("{base}/{path}")
}

/// The browser bundle, for a page that has islands (interactive parts): pages without any never
/// load it. Placed in the body, where module scripts and preloads are allowed too.
#[component]
pub fn IslandScripts() -> impl IntoView {
    let options = use_context::<LeptosOptions>();
    let root = use_context::<SiteAssets>().map(|assets| assets.base).unwrap_or_default();
    options.map(|options| view! { <HydrationScripts options islands=true root /> })
}
