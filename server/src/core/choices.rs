//! What the forms offer to choose from: the group's staff (facilitators from any structure) and
//! the sites of every structure. Staff see names and structures, nothing more.

use super::sessions::{StaffMember, staff_only};
use super::store::{staff, structures};
use super::{Core, CoreResult};
use std::collections::HashMap;
use toile_shared::StructureId;
use toile_shared::authz::Actor;

/// A site of a structure, as a place to choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteChoice {
    pub id: i64,
    pub structure_id: StructureId,
    pub structure_name: String,
    /// "Atelier Tremplin, 12 rue des Postes, 59000 Lille"
    pub label: String,
}

impl Core {
    /// Active staff of the whole group, by name, with their structure.
    pub async fn staff_directory(&self, actor: &Actor) -> CoreResult<Vec<StaffMember>> {
        staff_only(actor)?;
        let mut conn = self.store.read().await?;
        let names: HashMap<StructureId, String> =
            structures::all(&mut conn).await?.into_iter().map(|s| (s.id, s.name)).collect();
        Ok(staff::all(&mut conn)
            .await?
            .into_iter()
            .filter(|row| row.active != 0)
            .map(|row| StaffMember {
                id: row.id,
                name: row.display_name,
                structure_name: row.structure_id.and_then(|id| names.get(&id).cloned()),
                structure_id: row.structure_id,
            })
            .collect())
    }

    /// Every site of the group, by structure.
    pub async fn sites(&self, actor: &Actor) -> CoreResult<Vec<SiteChoice>> {
        staff_only(actor)?;
        let mut conn = self.store.read().await?;
        let names: HashMap<StructureId, String> =
            structures::all(&mut conn).await?.into_iter().map(|s| (s.id, s.name)).collect();
        Ok(structures::sites(&mut conn)
            .await?
            .into_iter()
            .map(|site| SiteChoice {
                id: site.id,
                structure_id: site.structure_id,
                structure_name: names.get(&site.structure_id).cloned().unwrap_or_default(),
                label: site.label,
            })
            .collect())
    }
}
