//! Where the site's files (CSS, the browser bundle) are served from.

use leptos::prelude::LeptosOptions;

/// Built by cargo-leptos, the binary knows its site from the environment; run otherwise (tests,
/// `cargo run`), it serves the site that `cargo leptos build` left in `target/site`.
pub fn site_options() -> std::io::Result<LeptosOptions> {
    if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        return leptos::prelude::get_configuration(None)
            .map(|conf| conf.leptos_options)
            .map_err(|e| std::io::Error::other(e.to_string()));
    }
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    Ok(LeptosOptions::builder().output_name("toile").site_root(site_root).site_pkg_dir("pkg").build())
}
