//! Who may enrol in a session: every structure of the group, or a chosen list.

use crate::StructureId;
use serde::{Deserialize, Serialize};

/// Nothing else is accepted: an unknown field is an error, never ignored (its OpenAPI schema is
/// in `openapi`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Audience {
    /// `{"all": true}`
    All { all: bool },
    /// `{"structure_ids": [..]}`
    Structures { structure_ids: Vec<StructureId> },
}

impl Audience {
    pub fn all() -> Self {
        Audience::All { all: true }
    }

    pub fn only(structure_ids: Vec<StructureId>) -> Self {
        Audience::Structures { structure_ids }
    }

    pub fn includes(&self, structure: StructureId) -> bool {
        match self {
            Audience::All { all } => *all,
            Audience::Structures { structure_ids } => structure_ids.contains(&structure),
        }
    }

    pub fn is_everyone(&self) -> bool {
        matches!(self, Audience::All { all: true })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_audience_includes_every_structure() {
        assert!(Audience::all().includes(42));
    }

    #[test]
    fn an_audience_is_one_of_its_two_shapes_and_nothing_more() {
        let read = |json: &str| serde_json::from_str::<Audience>(json).ok();
        assert_eq!(read(r#"{"all": true}"#), Some(Audience::all()));
        assert_eq!(read(r#"{"structure_ids": [2]}"#), Some(Audience::only(vec![2])));
        assert_eq!(read(r#"{"all": true, "structure_ids": [2]}"#), None);
        assert_eq!(read(r#"{"all": true, "colour": "red"}"#), None);
    }

    #[test]
    fn a_listed_audience_includes_only_its_structures() {
        let audience = Audience::only(vec![1, 3]);
        assert!(audience.includes(3));
        assert!(!audience.includes(2));
    }
}
