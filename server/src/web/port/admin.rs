//! The admin page and invitations, worded for people.

use super::calendars::links;
use super::french;
use super::session_form::refusal;
use crate::config::Config;
use crate::core::{Core, CoreError, CoreResult, Invitation, NewSite, NewUser};
use toile_app::models::*;
use toile_shared::authz::Actor;
use toile_shared::done::Done;
use toile_shared::{Role, StructureKind, paths};

pub(super) async fn page(core: &Core, actor: &Actor) -> CoreResult<AdminPage> {
    let accounts = core.accounts(actor).await?;
    let structures = core.structures(actor).await?;
    let sites = core.sites(actor).await?;
    Ok(AdminPage {
        structure_choices: structures
            .iter()
            .map(|s| Choice { value: s.id.to_string(), label: s.name.clone() })
            .collect(),
        structures: structures
            .into_iter()
            .map(|s| StructureLine { name: s.name, kind: s.kind.label().to_string() })
            .collect(),
        sites: sites.into_iter().map(|s| SiteLine { label: s.label }).collect(),
        accounts: accounts
            .into_iter()
            .map(|a| AccountLine {
                id: a.id,
                role: match &a.structure_name {
                    Some(structure) => format!("{} · {structure}", a.role.label()),
                    None => a.role.label().to_string(),
                },
                state: match (a.active != 0, a.has_password != 0) {
                    (false, _) => "Désactivé",
                    (true, false) => "Invitation en attente",
                    (true, true) => "Actif",
                }
                .into(),
                active: a.active != 0,
                may_change: actor.staff_user_id() != Some(a.id),
                name: a.display_name,
                email: a.email,
            })
            .collect(),
        structure_kinds: StructureKind::ALL
            .iter()
            .map(|k| Choice { value: k.code().into(), label: k.label().into() })
            .collect(),
        roles: Role::ALL.iter().map(|r| Choice { value: r.code().into(), label: r.label().into() }).collect(),
    })
}

fn link(invitation: Invitation, config: &Config, origin: &RequestOrigin) -> InvitationLink {
    InvitationLink {
        url: format!("{}{}/{}", links(config, origin).base, paths::INVITATION, invitation.token),
        expires: french::date_and_time(invitation.expires_at),
        name: invitation.display_name,
    }
}

fn invalid(field: &str, message: &str) -> FormRefusal {
    FormRefusal {
        fields: vec![(field.into(), message.into())],
        summary: "Certaines informations sont à corriger.".into(),
        ..Default::default()
    }
}

pub(super) async fn act(
    core: &Core,
    config: &Config,
    actor: &Actor,
    values: AdminFormValues,
    origin: &RequestOrigin,
) -> Result<AdminDone, FormRefusal> {
    let id = |value: &str| value.trim().parse::<i64>().ok();
    match values.action.as_str() {
        "structure" => {
            let kind = StructureKind::parse(&values.kind).ok_or_else(|| invalid("kind", "Choisissez le type."))?;
            let siret = Some(values.siret.trim()).filter(|s| !s.is_empty());
            core.ensure_structure(actor, &values.name, kind, siret).await.map_err(refusal)?;
            Ok(AdminDone::Said(Done::StructureAdded))
        }
        "site" => {
            let structure_id = id(&values.structure).ok_or_else(|| invalid("structure", "Choisissez la structure."))?;
            let site = NewSite {
                structure_id,
                name: values.name,
                address: values.address,
                postcode: values.postcode,
                city: values.city,
                access_notes: None,
            };
            core.add_site(actor, site).await.map_err(refusal)?;
            Ok(AdminDone::Said(Done::SiteAdded))
        }
        "invite" => {
            let role = Role::parse(&values.role).ok_or_else(|| invalid("role", "Choisissez le rôle."))?;
            let user = NewUser {
                email: values.email,
                display_name: values.name,
                role,
                structure_id: id(&values.structure),
                password: None,
            };
            let invitation = core.invite_user(actor, user).await.map_err(refusal)?;
            Ok(AdminDone::Link(link(invitation, config, origin)))
        }
        "reset" => {
            let user = id(&values.user).ok_or_else(|| invalid("user", "Ce compte n'existe pas."))?;
            let invitation = core.reset_password(actor, user).await.map_err(refusal)?;
            Ok(AdminDone::Link(link(invitation, config, origin)))
        }
        "deactivate" => {
            let user = id(&values.user).ok_or_else(|| invalid("user", "Ce compte n'existe pas."))?;
            core.deactivate_user_id(actor, user).await.map_err(refusal)?;
            Ok(AdminDone::Said(Done::AccountDeactivated))
        }
        _ => Err(refusal(CoreError::invalid("action", "Ce formulaire n'est pas reconnu."))),
    }
}
