//! `/equipe/jetons`: a staff member's API tokens, for their own software (a spreadsheet, a
//! script). A token is made with a name and a length of validity, shown once, listed with its
//! last use, and revoked from here. The forms post to this page (`form_posts`).

use crate::assets::IslandScripts;
use crate::components::{Loaded, PageHead};
use crate::forms::{FieldError, FormSummary, FormToken, LineButton, SubmitButton, described_by, invalid, typed};
use crate::functions::fetch_api_tokens;
use crate::models::{
    ALREADY_DONE, ApiTokenRow, ApiTokensPage, NewApiToken, TOKEN_CREATE, TOKEN_DAYS, TOKEN_DURATIONS, TOKEN_ID,
    TOKEN_NAME, TOKEN_REVOKE,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use toile_shared::api_tokens::MAX_TOKEN_NAME_CHARS;
use toile_shared::done::{Done, DonePage};

use super::DONE;

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(|| (), |_| fetch_api_tokens());
    let revoked = move || query.read().get(DONE).and_then(|code| Done::said_on(DonePage::ApiTokens, &code));
    let again = move || query.read().get(DONE).is_some_and(|done| done == ALREADY_DONE);
    let fresh = use_context::<NewApiToken>();
    view! {
        <PageHead title="Jetons d'API" />
        <main id="contenu" class="page page-wide">
            <h1>"Jetons d'API"</h1>
            <div role="status" class="news">
                {move || revoked().map(|m| view! { <p>{m}</p> })}
                {move || {
                    again()
                        .then(|| {
                            view! {
                                <p>
                                    "Ce jeton était déjà créé par ce formulaire : rien n'a été fait en double. Il ne se montre qu'une fois : s'il est perdu, révoquez-le et créez-en un autre."
                                </p>
                            }
                        })
                }}
            </div>
            {fresh.map(|token| view! { <Fresh token /> })}
            <FormSummary />
            <Loaded resource=page body=move |page| view! { <Tokens page /> } />
        </main>
        <IslandScripts />
    }
}

#[component]
fn Fresh(token: NewApiToken) -> impl IntoView {
    view! {
        <section class="new-link" aria-labelledby="jeton-titre">
            <h2 id="jeton-titre">{format!("Le jeton « {} »", token.name)}</h2>
            <p>
                {format!(
                    "Copiez-le dans votre logiciel maintenant : il ne sera plus affiché. Il marche jusqu'au {}. Gardez-le secret comme un mot de passe.",
                    token.ends,
                )}
            </p>
            <p>
                <label for="jeton-secret">"Jeton"</label>
                <input id="jeton-secret" type="text" readonly value=token.token.clone() />
            </p>
        </section>
    }
}

#[component]
fn Tokens(page: ApiTokensPage) -> impl IntoView {
    let chosen_days = typed(TOKEN_DAYS).unwrap_or_else(|| "90".into());
    view! {
        <p>
            "Un jeton permet à un logiciel (un tableur, un script) de lire et de modifier Toile en votre nom, avec vos droits, par "
            <a href=page.api_docs.clone()>"l'API"</a>
            ". Révoquez-le dès qu'il ne sert plus."
        </p>
        <h2>"Vos jetons"</h2>
        {if page.tokens.is_empty() {
            view! { <p>"Vous n'avez aucun jeton."</p> }.into_any()
        } else {
            view! {
                <ul class="roster">
                    {page.tokens.into_iter().map(|token| view! { <Token token /> }).collect_view()}
                </ul>
            }
                .into_any()
        }}
        <h2>"Créer un jeton"</h2>
        <form method="post">
            <input type="hidden" name="action" value=TOKEN_CREATE />
            <div class="field">
                <label for=TOKEN_NAME>"Nom (le logiciel qui s'en servira)"</label>
                <input
                    id=TOKEN_NAME
                    name=TOKEN_NAME
                    type="text"
                    required
                    maxlength=MAX_TOKEN_NAME_CHARS
                    value=typed(TOKEN_NAME).unwrap_or_default()
                    aria-invalid=invalid(TOKEN_NAME)
                    aria-describedby=described_by(TOKEN_NAME)
                />
                <FieldError field=TOKEN_NAME />
            </div>
            <div class="field">
                <label for=TOKEN_DAYS>"Valable pendant"</label>
                <select id=TOKEN_DAYS name=TOKEN_DAYS aria-invalid=invalid(TOKEN_DAYS)>
                    {TOKEN_DURATIONS
                        .into_iter()
                        .filter(|(days, _)| *days <= page.max_days)
                        .map(|(days, words)| {
                            let value = days.to_string();
                            let selected = value == chosen_days;
                            view! { <option value=value selected=selected>{words}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldError field=TOKEN_DAYS />
            </div>
            <FormToken />
            <SubmitButton label="Créer le jeton".to_string() />
        </form>
    }
}

#[component]
fn Token(token: ApiTokenRow) -> impl IntoView {
    view! {
        <li class="roster-person">
            <p>
                <strong>{token.name.clone()}</strong>
                {format!(" · créé le {}", token.created)}
            </p>
            <p class=if token.expired { "cancelled" } else { "muted" }>
                {format!("{} · {}", token.validity, token.last_used)}
            </p>
            <LineButton
                action=TOKEN_REVOKE
                field=TOKEN_ID
                value=token.id.to_string()
                label="Révoquer"
                which=token.name.clone()
            />
        </li>
    }
}
