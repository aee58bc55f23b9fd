//! The group's structures and their sites: listed for staff, made by admins and the command line.

use super::audit::Entry;
use super::staff::require_admin;
use super::store::structures as stored;
use super::text_fields::{optional_text, require_text};
use super::views::StructureView;
use super::{Core, CoreError, CoreResult};
use toile_shared::StructureId;
use toile_shared::StructureKind;
use toile_shared::audit::AuditAction;
use toile_shared::authz::Actor;

pub struct NewSite {
    pub structure_id: StructureId,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub access_notes: Option<String>,
}

impl Core {
    /// The structures of the group, for staff.
    pub async fn structures(&self, actor: &Actor) -> CoreResult<Vec<StructureView>> {
        if !(actor.is_staff() || actor.may_administer()) {
            return Err(CoreError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        let rows = stored::all(&mut conn).await?;
        Ok(rows.into_iter().map(|row| StructureView { id: row.id, name: row.name, kind: row.kind }).collect())
    }

    /// Creates a structure, or returns the existing one of that name (command line, demo data).
    pub async fn ensure_structure(
        &self,
        actor: &Actor,
        name: &str,
        kind: StructureKind,
        siret: Option<&str>,
    ) -> CoreResult<StructureId> {
        require_admin(actor)?;
        let name = require_text("name", name, 150)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        if let Some(id) = stored::named(&mut tx, &name).await? {
            return Ok(id);
        }
        let id = stored::insert(&mut tx, &name, kind, siret).await?;
        Entry::new(actor, AuditAction::StructureCreated).details(format!("structure:{id}")).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn add_site(&self, actor: &Actor, site: NewSite) -> CoreResult<i64> {
        require_admin(actor)?;
        let mut tx = self.store.write(self.clock.now()).await?;
        if stored::one(&mut tx, site.structure_id).await?.is_none() {
            return Err(CoreError::invalid("structure_id", "Cette structure n'existe pas."));
        }
        let access_notes = optional_text("access_notes", site.access_notes, 500)?;
        let stored = stored::NewSite {
            structure_id: site.structure_id,
            name: &require_text("name", &site.name, 150)?,
            address: &require_text("address", &site.address, 300)?,
            postcode: &require_text("postcode", &site.postcode, 10)?,
            city: &require_text("city", &site.city, 100)?,
            access_notes: access_notes.as_deref(),
        };
        let id = stored::insert_site(&mut tx, &stored).await?;
        Entry::new(actor, AuditAction::SiteCreated)
            .details(format!("site:{id} structure:{}", site.structure_id))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}
