//! Any unknown address.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page introuvable" />
        <main id="contenu" class="page">
            <h1>"Page introuvable"</h1>
            <p>"Cette adresse ne mène à aucune page."</p>
            <p>
                <a href="/">"Retour à l'accueil"</a>
            </p>
        </main>
    }
}
