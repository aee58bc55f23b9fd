//! `/connexion`: one form for participants (personal code), one for staff (e-mail, password).

use crate::components::{Alert, action_error};
use crate::functions::{SignInParticipant, SignInStaff};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let participant = ServerAction::<SignInParticipant>::new();
    let staff = ServerAction::<SignInStaff>::new();
    let participant_error = action_error(participant);
    let staff_error = action_error(staff);
    let invalid = |error: Signal<_>| move || error.with(Option::is_some).then_some("true");
    // The QR code of a person's card opens this page with their code filled in.
    let card_code = use_query_map().read_untracked().get("code").unwrap_or_default();

    view! {
        <Title text="Connexion" />
        <header class="site-header">
            <span class="brand">"Toile"</span>
        </header>
        <main id="contenu" class="page">
            <h1>"Connexion"</h1>
            <section class="panel" aria-labelledby="titre-participant">
                <h2 id="titre-participant">"Vous participez aux ateliers"</h2>
                <ActionForm action=participant>
                    <label for="code">"Votre code personnel"</label>
                    <p class="hint" id="code-aide">
                        "Votre conseiller ou conseillère vous l'a donné. Exemple : KP4T-9WXA"
                    </p>
                    <input
                        id="code"
                        name="code"
                        type="text"
                        required
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        value=card_code
                        aria-describedby="code-aide code-erreur"
                        aria-invalid=invalid(participant_error)
                    />
                    <Alert error=participant_error id="code-erreur" />
                    <button type="submit" class="button-primary">
                        "Me connecter"
                    </button>
                </ActionForm>
            </section>
            <section class="panel" aria-labelledby="titre-equipe">
                <h2 id="titre-equipe">"Vous faites partie de l'équipe"</h2>
                <ActionForm action=staff>
                    <label for="email">"Adresse e-mail"</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        required
                        autocomplete="username"
                        aria-describedby="equipe-erreur"
                        aria-invalid=invalid(staff_error)
                    />
                    <label for="password">"Mot de passe"</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        required
                        autocomplete="current-password"
                        aria-describedby="equipe-erreur"
                        aria-invalid=invalid(staff_error)
                    />
                    <Alert error=staff_error id="equipe-erreur" />
                    <button type="submit" class="button-primary">
                        "Se connecter"
                    </button>
                </ActionForm>
            </section>
        </main>
    }
}
