//! `/admin`: setting up the group. Structures, their sites, and staff accounts: a new member
//! gets an invitation link to choose their own password (shown once, to pass on), an account is
//! turned off when someone leaves, a forgotten password is reset with a new link. Each form posts
//! to this page (`form_posts`).

use crate::assets::IslandScripts;
use crate::components::{Loaded, PageHead};
use crate::forms::{
    FieldError, FormSummary, FormToken, LineButton, SubmitButton, described_by, invalid, options, typed,
};
use crate::functions::fetch_admin_page;
use crate::models::{ALREADY_DONE, AccountLine, AdminPage, Choice, InvitationLink};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use toile_shared::done::{Done, DonePage};

use super::DONE;

fn done_message(code: &str) -> Option<&'static str> {
    match code {
        ALREADY_DONE => Some(
            "Ce formulaire était déjà enregistré : rien n'a été fait en double. Un lien d'invitation ne se montre \
             qu'une fois : s'il est perdu, donnez un nouveau lien à la personne.",
        ),
        code => Done::said_on(DonePage::Admin, code),
    }
}

/// A field of one of the page's forms, as the page shows it again: its id (`form` prefixes it,
/// several forms have a name), and what was typed, which a refused form gets back only in
/// that form.
struct Refill {
    id: String,
    mine: bool,
    value: String,
}

fn refill(form: &'static str, name: &'static str) -> Refill {
    let mine = typed("action").as_deref() == Some(form);
    let value = mine.then(|| typed(name)).flatten().unwrap_or_default();
    Refill { id: format!("{form}-{name}"), mine, value }
}

/// A text field of one of the page's forms; `form` prefixes its id (several forms have a name).
#[component]
fn Text(
    form: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] kind: Option<&'static str>,
) -> impl IntoView {
    let Refill { id, mine, value } = refill(form, name);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind.unwrap_or("text")
                value=value
                aria-describedby=mine.then(|| described_by(name)).flatten()
                aria-invalid=mine.then(|| invalid(name)).flatten()
            />
            {mine.then(|| view! { <FieldError field=name /> })}
        </div>
    }
}

#[component]
fn Select(
    form: &'static str,
    name: &'static str,
    label: &'static str,
    choices: Vec<Choice>,
    #[prop(optional)] none: Option<&'static str>,
) -> impl IntoView {
    let Refill { id, mine, value: chosen } = refill(form, name);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-invalid=mine.then(|| invalid(name)).flatten()>
                {none.map(|label| view! { <option value="">{label}</option> })}
                {options(choices, Some(chosen.as_str()))}
            </select>
            {mine.then(|| view! { <FieldError field=name /> })}
        </div>
    }
}

#[component]
fn Account(account: AccountLine) -> impl IntoView {
    let id = account.id.to_string();
    view! {
        <li class="roster-person">
            <p>
                <strong>{account.name.clone()}</strong>
                {format!(" · {} · {}", account.email, account.role)}
            </p>
            <p class="muted">{account.state.clone()}</p>
            {(account.may_change && account.active)
                .then(|| {
                    view! {
                        <div class="roster-actions">
                            <LineButton
                                action="reset"
                                field="user"
                                value=id.clone()
                                label="Nouveau lien de mot de passe"
                                which=account.name.clone()
                            />
                            <LineButton
                                action="deactivate"
                                field="user"
                                value=id.clone()
                                label="Désactiver"
                                which=account.name.clone()
                            />
                        </div>
                    }
                })}
        </li>
    }
}

#[component]
fn Link(link: InvitationLink) -> impl IntoView {
    view! {
        <section class="new-link" aria-labelledby="lien-titre">
            <h2 id="lien-titre">{format!("Le lien pour {}", link.name)}</h2>
            <p>
                {format!(
                    "Envoyez-lui ce lien : il sert une seule fois, jusqu'au {}, pour choisir son mot de passe. Il ne sera plus affiché.",
                    link.expires,
                )}
            </p>
            <p>
                <label for="lien-invitation">"Lien d'invitation"</label>
                <input id="lien-invitation" type="text" readonly value=link.url.clone() />
            </p>
        </section>
    }
}

#[component]
fn Admin(page: AdminPage) -> impl IntoView {
    let AdminPage { structures, sites, accounts, structure_kinds, roles, structure_choices } = page;
    view! {
        <section aria-labelledby="comptes">
            <h2 id="comptes">"L'équipe"</h2>
            <p class="hint" id="nouveau-lien-aide">
                "Un nouveau lien de mot de passe arrête aussitôt l'ancien mot de passe : la personne est déconnectée partout et ses jetons d'API sont révoqués."
            </p>
            <ul class="roster">
                {accounts.into_iter().map(|account| view! { <Account account /> }).collect_view()}
            </ul>
            <h3>"Inviter une personne"</h3>
            <form method="post" class="panel">
                <input type="hidden" name="action" value="invite" />
                <Text form="invite" name="name" label="Prénom et nom" />
                <Text form="invite" name="email" label="Adresse e-mail" kind="email" />
                <Select form="invite" name="role" label="Rôle" choices=roles />
                <Select
                    form="invite"
                    name="structure"
                    label="Structure (sauf pour le groupe)"
                    choices=structure_choices.clone()
                    none="Aucune : tout le groupe"
                />
                <FormToken />
                <SubmitButton label="Créer le compte et son lien".to_string() />
            </form>
        </section>
        <section aria-labelledby="structures">
            <h2 id="structures">"Les structures"</h2>
            <ul class="roster">
                {structures
                    .into_iter()
                    .map(|s| view! { <li class="roster-person"><p><strong>{s.name}</strong>{format!(" · {}", s.kind)}</p></li> })
                    .collect_view()}
            </ul>
            <h3>"Ajouter une structure"</h3>
            <form method="post" class="panel">
                <input type="hidden" name="action" value="structure" />
                <Text form="structure" name="name" label="Nom" />
                <Select form="structure" name="kind" label="Type" choices=structure_kinds />
                <Text form="structure" name="siret" label="SIRET (facultatif)" />
                <FormToken />
                <SubmitButton label="Ajouter la structure".to_string() />
            </form>
        </section>
        <section aria-labelledby="lieux">
            <h2 id="lieux">"Les lieux"</h2>
            <ul class="roster">
                {sites.into_iter().map(|s| view! { <li class="roster-person"><p>{s.label}</p></li> }).collect_view()}
            </ul>
            <h3>"Ajouter un lieu"</h3>
            <form method="post" class="panel">
                <input type="hidden" name="action" value="site" />
                <Select form="site" name="structure" label="Structure" choices=structure_choices />
                <Text form="site" name="name" label="Nom du lieu" />
                <Text form="site" name="address" label="Adresse" />
                <Text form="site" name="postcode" label="Code postal" />
                <Text form="site" name="city" label="Ville" />
                <FormToken />
                <SubmitButton label="Ajouter le lieu".to_string() />
            </form>
        </section>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(|| (), |_| fetch_admin_page());
    let done = move || query.read().get(DONE).and_then(|code| done_message(&code));
    let link = use_context::<InvitationLink>();
    view! {
        <PageHead title="Administration" />
        <main id="contenu" class="page page-wide">
            <h1>"Administration"</h1>
            <div role="status" class="news">
                {move || done().map(|m| view! { <p>{m}</p> })}
            </div>
            {link.map(|link| view! { <Link link /> })}
            <FormSummary />
            <Loaded resource=page body=move |page| view! { <Admin page /> } />
        </main>
        <IslandScripts />
    }
}
