//! `/connexion`: one form for participants (personal code), one for staff (e-mail, password).

use crate::components::{Alert, HintedLabel, action_error};
use crate::functions::{RETURN_TO, SignInParticipant, SignInStaff, fetch_first_run, local_path};
use crate::models::CardLinkRefused;
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
    let first_run = Resource::new(|| (), |_| fetch_first_run());
    // A card's link that no longer works opens this page, saying so (`card_sign_in`). A code in
    // the address is never filled in: it would stay in the phone's history.
    let card_link = use_context::<CardLinkRefused>().map(|refused| refused.0);
    // The page the person was sent here from; the server follows it only if it is Toile's.
    let return_to = use_query_map().read_untracked().get(RETURN_TO).filter(|path| local_path(path).is_some());
    let return_field =
        move || return_to.clone().map(|path| view! { <input type="hidden" name=RETURN_TO value=path /> });
    let (participant_return, staff_return) = (return_field.clone(), return_field);

    view! {
        <Title text="Connexion" />
        <header class="site-header">
            <span class="brand">"Toile"</span>
        </header>
        <main id="contenu" class="page">
            <h1>"Connexion"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { first_run.await.unwrap_or(false).then(first_run_help) })}
            </Suspense>
            <section class="panel" aria-labelledby="titre-participant">
                <h2 id="titre-participant">"Vous participez aux ateliers"</h2>
                {card_link.map(|sentence| view! { <p role="alert" class="alert" id="lien-carte">{sentence}</p> })}
                <ActionForm action=participant>
                    {participant_return()}
                    <HintedLabel
                        field="code"
                        label="Votre code personnel"
                        hint="Votre conseiller ou conseillère vous l'a donné. Exemple : KP4T-9WXA"
                    />
                    <input
                        id="code"
                        name="code"
                        type="text"
                        required
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        aria-describedby="code-aide code-erreur"
                        aria-invalid=invalid(participant_error)
                    />
                    <Alert error=participant_error id="code-erreur" />
                    <div class="choice">
                        <input id="shared_phone" name="shared_phone" type="checkbox" />
                        <label for="shared_phone">
                            "Ce téléphone n'est pas le mien "
                            <span class="choice-hint">
                                "Téléphone prêté ou partagé : Toile vous déconnecte après 15 minutes sans rien faire."
                            </span>
                        </label>
                    </div>
                    <button type="submit" class="button-primary">
                        "Me connecter"
                    </button>
                </ActionForm>
            </section>
            <section class="panel" aria-labelledby="titre-equipe">
                <h2 id="titre-equipe">"Vous faites partie de l'équipe"</h2>
                <ActionForm action=staff>
                    {staff_return()}
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

/// On a fresh install nobody can sign in yet: the first account is made in a terminal.
fn first_run_help() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="premier-pas">
            <h2 id="premier-pas">"Toile est installée : créez le premier compte"</h2>
            <p>"Personne ne peut encore se connecter. Sur le serveur, créez le compte d'administration :"</p>
            <pre><code>"toile user add --email vous@exemple.fr --name \"Votre nom\" --role admin"</code></pre>
            <p>
                "La commande demande le mot de passe. Connectez-vous ensuite ici : la page Administration sert à créer les structures, les lieux et les comptes de l'équipe."
            </p>
        </section>
    }
}
