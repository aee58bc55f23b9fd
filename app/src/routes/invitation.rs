//! `/invitation/:secret`: a new staff member (or one whose password was reset) chooses their
//! password, then lands on their desk. Works without JavaScript, like the sign-in page.

use crate::components::{Alert, Refusal, action_error};
use crate::functions::{AcceptInvitation, fetch_invitation};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invited = Resource::new(token, fetch_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = action_error(accept);
    view! {
        <Title text="Choisir son mot de passe" />
        <header class="site-header">
            <span class="brand">"Toile"</span>
        </header>
        <main id="contenu" class="page">
            <h1>"Choisir son mot de passe"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match invited.await {
                        Err(error) => view! { <Refusal error heading=None /> }.into_any(),
                        Ok(person) => {
                            view! {
                                <p>{format!("Bienvenue, {}. Pour vous connecter, votre identifiant sera {}.", person.name, person.email)}</p>
                                <ActionForm action=accept>
                                    <input type="hidden" name="token" value=token() />
                                    <label for="password">"Mot de passe (12 caractères au moins, ni votre nom ni un mot de passe courant)"</label>
                                    <input
                                        id="password"
                                        name="password"
                                        type="password"
                                        required
                                        minlength="12"
                                        autocomplete="new-password"
                                        aria-describedby="invitation-erreur"
                                    />
                                    <label for="confirmation">"Le même, encore une fois"</label>
                                    <input
                                        id="confirmation"
                                        name="confirmation"
                                        type="password"
                                        required
                                        minlength="12"
                                        autocomplete="new-password"
                                        aria-describedby="invitation-erreur"
                                    />
                                    <Alert error id="invitation-erreur" />
                                    <button type="submit" class="button-primary">
                                        "Enregistrer et entrer"
                                    </button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}
