//! `/agenda`: Toile's sessions in one's own calendar app, through secret links.
//!
//! A participant gets one button for their own sessions; staff choose the group's programme, a
//! structure's or their own sessions, optionally of one kind. A new or renewed link is shown
//! once: in a read-only field with a copy button (the page's one island), as a one-tap
//! `webcal://` subscription, and with short steps for Google, Outlook and Apple calendars. Every
//! form is a plain post (see `functions::calendars` for how the new link reaches the page).

use crate::assets::IslandScripts;
use crate::components::{Alert, HintedLabel, Loaded, PageHead, PostButton, action_error};
use crate::functions::{
    CreateCalendarFeed, DELETED_QUERY, DELETED_VALUE, DeleteCalendarFeed, RegenerateCalendarFeed, fetch_agenda,
};
use crate::models::{Agenda, CalendarOptions, FeedRow, NewFeedLink};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use toile_shared::SessionKind;

const DELETED: &str = "Le lien est supprimé : il ne marche plus.";

#[component]
pub fn AgendaPage() -> impl IntoView {
    let create = ServerAction::<CreateCalendarFeed>::new();
    let regenerate = ServerAction::<RegenerateCalendarFeed>::new();
    let delete = ServerAction::<DeleteCalendarFeed>::new();
    let agenda = Resource::new(|| (), |_| fetch_agenda());
    // After a deletion the form comes back here with `?lien=supprime`.
    let query = use_query_map();
    let deleted = move || query.read().get(DELETED_QUERY).as_deref() == Some(DELETED_VALUE);

    view! {
        <PageHead title="Mon agenda" />
        <main id="contenu" class="page">
            <h1>"Mon agenda"</h1>
            <Alert error=action_error(create) />
            <Alert error=action_error(regenerate) />
            <Alert error=action_error(delete) />
            <div role="status" class="news">
                {move || deleted().then(|| view! { <p>{DELETED}</p> })}
            </div>
            <Loaded resource=agenda body=move |agenda| view! { <AgendaBody agenda create regenerate delete /> } />
        </main>
    }
}

#[component]
fn AgendaBody(
    agenda: Agenda,
    create: ServerAction<CreateCalendarFeed>,
    regenerate: ServerAction<RegenerateCalendarFeed>,
    delete: ServerAction<DeleteCalendarFeed>,
) -> impl IntoView {
    let Agenda { options, feeds, fresh } = agenda;
    let participant = options.is_participant;
    let has_feeds = !feeds.is_empty();
    let create_part = if participant {
        view! {
            <p>
                "Les séances où vous avez une place peuvent s'afficher dans l'agenda de votre téléphone. \
                Elles se mettent à jour toutes seules."
            </p>
            {if has_feeds {
                view! {
                    <p>
                        "Vous avez déjà un lien d'agenda. Vous l'avez perdu ? \
                        Touchez « Nouveau lien » plus bas : l'ancien lien ne marchera plus."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ActionForm action=create>
                        <PostButton name="scope" value="mine" class="button-primary">
                            "Créer mon lien d'agenda"
                        </PostButton>
                    </ActionForm>
                }
                    .into_any()
            }}
        }
        .into_any()
    } else {
        view! {
            <p>
                "Abonnez votre agenda (Google, Outlook, Apple, Thunderbird) aux séances de Toile : \
                elles s'y ajoutent et s'y mettent à jour toutes seules. \
                Ces agendas ne montrent jamais le nom des participant·es."
            </p>
            <StaffForm options create />
        }
        .into_any()
    };
    view! {
        // The link from a form posted without JavaScript.
        {fresh.map(|link| view! { <NewLinkPanel link /> })}
        {create_part}
        <FeedList feeds participant regenerate delete />
    }
}

/// Staff choose what to follow: the group, a structure, or their own sessions; and a kind.
#[component]
fn StaffForm(options: CalendarOptions, create: ServerAction<CreateCalendarFeed>) -> impl IntoView {
    let CalendarOptions { can_follow_group, structures, can_follow_own_sessions, .. } = options;
    let has_structures = !structures.is_empty();
    if !(can_follow_group || has_structures || can_follow_own_sessions) {
        return None;
    }
    let first = if can_follow_group {
        "group"
    } else if has_structures {
        "structure"
    } else {
        "mine"
    };
    let structure_select = has_structures.then(|| {
        view! {
            <HintedLabel field="structure" label="Structure" hint="Pour « Le programme d'une structure »." />
            <select id="structure" name="structure_id" aria-describedby="structure-aide">
                {structures
                    .into_iter()
                    .map(|s| view! { <option value=s.id>{s.name}</option> })
                    .collect_view()}
            </select>
        }
    });
    Some(view! {
        <section class="panel" aria-labelledby="titre-suivre">
            <h2 id="titre-suivre">"Suivre dans mon agenda"</h2>
            <ActionForm action=create>
                <fieldset class="choices">
                    <legend>"Que voulez-vous suivre ?"</legend>
                    {can_follow_group
                        .then(|| {
                            view! {
                                <ScopeChoice
                                    value="group"
                                    label="Tout le programme du groupe"
                                    checked=first == "group"
                                />
                            }
                        })}
                    {has_structures
                        .then(|| {
                            view! {
                                <ScopeChoice
                                    value="structure"
                                    label="Le programme d'une structure"
                                    checked=first == "structure"
                                />
                            }
                        })}
                    {can_follow_own_sessions
                        .then(|| {
                            view! {
                                <ScopeChoice
                                    value="mine"
                                    label="Mes séances"
                                    hint="Celles que j'anime et celles où mes participant·es ont une place."
                                    checked=first == "mine"
                                />
                            }
                        })}
                </fieldset>
                {structure_select}
                <label for="kind">"Type de séance"</label>
                <select id="kind" name="kind">
                    <option value="">"Tous les types"</option>
                    {SessionKind::ALL
                        .iter()
                        .map(|kind| view! { <option value=kind.code()>{kind.label()}</option> })
                        .collect_view()}
                </select>
                <button type="submit" class="button-primary">
                    "Créer le lien"
                </button>
            </ActionForm>
        </section>
    })
}

#[component]
fn ScopeChoice(
    value: &'static str,
    label: &'static str,
    checked: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = format!("suivre-{value}");
    view! {
        <div class="choice">
            <input type="radio" name="scope" id=id.clone() value=value checked=checked />
            <label for=id>
                {label} {hint.map(|h| view! { <span class="choice-hint">{h}</span> })}
            </label>
        </div>
    }
}

#[component]
fn FeedList(
    feeds: Vec<FeedRow>,
    participant: bool,
    regenerate: ServerAction<RegenerateCalendarFeed>,
    delete: ServerAction<DeleteCalendarFeed>,
) -> impl IntoView {
    let title = if participant { "Mon lien d'agenda" } else { "Mes liens d'agenda" };
    let content = if feeds.is_empty() {
        view! { <p>"Vous n'avez pas encore de lien d'agenda."</p> }.into_any()
    } else {
        view! {
            <p class="hint">
                "« Nouveau lien » change l'adresse du lien : l'ancienne ne marche plus, \
                il faut ajouter la nouvelle à votre agenda. Utile si le lien est perdu ou a été \
                donné par erreur. « Supprimer » arrête le lien."
            </p>
            <ul class="feeds">
                {feeds.into_iter().map(|feed| view! { <FeedItem feed regenerate delete /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="titre-liens">
            <h2 id="titre-liens">{title}</h2>
            {content}
        </section>
    }
}

#[component]
fn FeedItem(
    feed: FeedRow,
    regenerate: ServerAction<RegenerateCalendarFeed>,
    delete: ServerAction<DeleteCalendarFeed>,
) -> impl IntoView {
    let FeedRow { id, name, created_label } = feed;
    // Each button names the link it acts on, for screen readers.
    let button = |class: &'static str, label: &'static str| {
        let which = format!(" : {name}");
        view! {
            <PostButton name="id" value=id class=class>
                {label}
                <span class="visually-hidden">{which}</span>
            </PostButton>
        }
    };
    let (renew, remove) = (button("button-secondary", "Nouveau lien"), button("button-danger", "Supprimer"));
    view! {
        <li class="feed">
            <h3>{name}</h3>
            <p class="hint">{format!("Créé {created_label}")}</p>
            <div class="feed-actions">
                <ActionForm action=regenerate>{renew}</ActionForm>
                <ActionForm action=delete>{remove}</ActionForm>
            </div>
        </li>
    }
}

/// The secret link, this once, and how to add it to a calendar app.
#[component]
fn NewLinkPanel(link: NewFeedLink) -> impl IntoView {
    let NewFeedLink { name, https_url, webcal_url, .. } = link;
    view! {
        <section class="panel new-link" aria-labelledby="titre-nouveau-lien">
            <h2 id="titre-nouveau-lien">"Votre lien d'agenda"</h2>
            <p class="important">"Copiez ce lien maintenant : il ne sera plus jamais affiché."</p>
            <p>
                "Gardez-le pour vous : avec ce lien, on voit ces séances. \
                Si vous le perdez, créez un nouveau lien."
            </p>
            <CopyLink label=format!("Lien de l'agenda « {name} »") url=https_url />
            // The copy button is the page's one interactive part: the bundle comes with it.
            <IslandScripts />
            <p class="webcal-hint">"Sur iPhone, iPad, Mac ou avec Outlook, en un geste :"</p>
            <a class="button-link" href=webcal_url>
                "S'abonner"
            </a>
            <h3>"Ajouter le lien à votre agenda"</h3>
            <details>
                <summary>"Google Agenda"</summary>
                <p>
                    "Sur un ordinateur, ouvrez Google Agenda. À côté de « Autres agendas », \
                    cliquez sur « + », puis sur « À partir de l'URL ». Collez le lien, puis \
                    cliquez sur « Ajouter l'agenda ». Il s'affiche ensuite aussi sur votre téléphone Android."
                </p>
            </details>
            <details>
                <summary>"Outlook"</summary>
                <p>
                    "Dans le calendrier Outlook, choisissez « Ajouter un calendrier », puis \
                    « S'abonner à partir du web ». Collez le lien, donnez un nom, puis validez."
                </p>
            </details>
            <details>
                <summary>"iPhone, iPad ou Mac (Apple)"</summary>
                <p>
                    "Touchez « S'abonner » plus haut. Ou bien : ouvrez Réglages, puis Calendrier, \
                    puis Comptes, puis Ajouter un compte, puis Autre, puis « Ajouter un calendrier \
                    avec abonnement ». Collez le lien."
                </p>
            </details>
            <p class="hint">
                "Votre agenda se met à jour tout seul, parfois avec quelques heures de retard."
            </p>
        </section>
    }
}

/// The link in a read-only field, and a copy button that appears once the island is alive
/// (without JavaScript the field is there to select by hand).
#[island]
fn CopyLink(label: String, url: String) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let alive = RwSignal::new(false);
    Effect::new(move || alive.set(true));
    let copied = RwSignal::new(None::<&'static str>);
    view! {
        <label for="lien-agenda">{label}</label>
        <input
            id="lien-agenda"
            type="text"
            readonly
            value=url
            node_ref=input
            autocomplete="off"
            spellcheck="false"
            on:focus=move |_| select_all(input)
        />
        <button
            type="button"
            class="button-secondary"
            hidden=move || !alive.get()
            on:click=move |_| copy_link(input, copied)
        >
            "Copier le lien"
        </button>
        <div role="status" class="news">
            {move || copied.get().map(|m| view! { <p>{m}</p> })}
        </div>
    }
}

/// Selects the whole link, ready for the phone's own copy menu.
fn select_all(input: NodeRef<html::Input>) {
    #[cfg(feature = "hydrate")]
    if let Some(input) = input.get_untracked() {
        input.select();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = input;
}

/// Copies the link with the clipboard API where the browser offers it (HTTPS pages); elsewhere
/// the link is left selected for the phone's own copy menu. Says which in the status line.
fn copy_link(input: NodeRef<html::Input>, said: RwSignal<Option<&'static str>>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsValue;
        use web_sys::js_sys::Reflect;
        const BY_HAND: &str = "Le lien est sélectionné : copiez-le avec le menu de votre appareil.";
        let Some(input) = input.get_untracked() else { return };
        input.select();
        let navigator = window().navigator();
        let available = Reflect::get(&navigator, &JsValue::from_str("clipboard"))
            .is_ok_and(|clipboard| !clipboard.is_undefined() && !clipboard.is_null());
        if !available {
            said.set(Some(BY_HAND));
            return;
        }
        let promise = navigator.clipboard().write_text(&input.value());
        leptos::task::spawn_local(async move {
            let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            said.set(Some(if copied { "Lien copié. Collez-le dans votre agenda." } else { BY_HAND }));
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (input, said);
}
