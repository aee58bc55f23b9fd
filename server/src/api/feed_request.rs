//! What a new calendar feed follows: read leniently (codes as text, ids as options) so that every
//! mistake is named by its field, and documented as what it really is, one shape per scope.

use crate::core::{CoreError, FeedScope};
use serde::Deserialize;
use std::borrow::Cow;
use toile_shared::openapi::id;
use toile_shared::session_input::FieldError;
use toile_shared::{CalendarScope, ParticipantId, SessionKind, StructureId, UserId};
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// `scope` with the one id it needs, and an optional kind of session.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedRequest {
    pub scope: String,
    pub structure_id: Option<StructureId>,
    pub user_id: Option<UserId>,
    pub participant_id: Option<ParticipantId>,
    pub kind: Option<String>,
}

/// Each id field, and the scope that needs it.
const IDS: [(&str, CalendarScope, &str); 3] = [
    ("structure_id", CalendarScope::Structure, "The structure whose programme to follow."),
    ("user_id", CalendarScope::Staff, "The staff member whose sessions to follow."),
    ("participant_id", CalendarScope::Participant, "The participant whose sessions to follow."),
];

impl FeedRequest {
    /// The scope and kind asked for, or every field at fault.
    pub fn parse(&self) -> Result<(FeedScope, Option<SessionKind>), CoreError> {
        let mut errors = vec![];
        let mut fail =
            |field: &str, message: &str| errors.push(FieldError { field: field.into(), message: message.into() });
        let kind = match self.kind.as_deref() {
            None => None,
            Some(code) => {
                let kind = SessionKind::parse(code);
                if kind.is_none() {
                    fail("kind", "Type de séance inconnu.");
                }
                kind
            }
        };
        let scope = CalendarScope::parse(&self.scope);
        if scope.is_none() {
            fail("scope", "Type d'agenda inconnu : group, structure, staff ou participant.");
        }
        let ids = [self.structure_id, self.user_id, self.participant_id];
        let mut id = None;
        if let Some(scope) = scope {
            for ((field, needed_by, _), value) in IDS.into_iter().zip(ids) {
                match (scope == needed_by, value) {
                    (true, None) => fail(field, "Ce champ est obligatoire pour ce type d'agenda."),
                    (false, Some(_)) => fail(field, "Ce champ ne s'applique pas à ce type d'agenda."),
                    (true, Some(value)) => id = Some(value),
                    (false, None) => {}
                }
            }
        }
        let scope = match (scope, id) {
            (Some(CalendarScope::Group), _) => Some(FeedScope::Group),
            (Some(CalendarScope::Structure), Some(id)) => Some(FeedScope::Structure(id)),
            (Some(CalendarScope::Staff), Some(id)) => Some(FeedScope::Staff(id)),
            (Some(CalendarScope::Participant), Some(id)) => Some(FeedScope::Participant(id)),
            _ => None,
        };
        match scope {
            Some(scope) if errors.is_empty() => Ok((scope, kind)),
            _ => Err(CoreError::Invalid(errors)),
        }
    }
}

/// One object per scope: its code, the id it needs (required), the other ids only as `null`,
/// and the optional kind.
impl PartialSchema for FeedRequest {
    fn schema() -> RefOr<Schema> {
        let kind = || {
            OneOfBuilder::new()
                .item(ObjectBuilder::new().schema_type(Type::Null))
                .item(Ref::from_schema_name(SessionKind::name()))
                .description(Some("Only sessions of this kind."))
        };
        let mut shapes = OneOfBuilder::new()
            .description(Some("What to follow: a scope, the one id it needs, and an optional kind of session."));
        for scope in CalendarScope::ALL.iter().copied() {
            let code = ObjectBuilder::new().schema_type(Type::String).enum_values(Some([scope.code()]));
            let mut shape = ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(scope.label()))
                .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
                .property("scope", code)
                .required("scope")
                .property("kind", kind());
            for (field, needed_by, description) in IDS {
                shape = if scope == needed_by {
                    shape.property(field, id().description(Some(description))).required(field)
                } else {
                    shape.property(field, ObjectBuilder::new().schema_type(Type::Null))
                };
            }
            shapes = shapes.item(shape);
        }
        shapes.into()
    }
}

impl ToSchema for FeedRequest {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("FeedRequest")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((SessionKind::name().into(), SessionKind::schema()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(scope: &str) -> FeedRequest {
        FeedRequest { scope: scope.into(), ..Default::default() }
    }

    fn fields(error: CoreError) -> Vec<String> {
        match error {
            CoreError::Invalid(fields) => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn each_scope_needs_its_id_and_only_it() {
        assert_eq!(request("group").parse().unwrap(), (FeedScope::Group, None));
        let structure = FeedRequest { structure_id: Some(3), kind: Some("job_dating".into()), ..request("structure") };
        assert_eq!(structure.parse().unwrap(), (FeedScope::Structure(3), Some(SessionKind::JobDating)));
        assert_eq!(fields(request("staff").parse().unwrap_err()), ["user_id"]);
        assert_eq!(fields(request("participant").parse().unwrap_err()), ["participant_id"]);
        let extra = FeedRequest { user_id: Some(1), ..request("group") };
        assert_eq!(fields(extra.parse().unwrap_err()), ["user_id"]);
    }

    #[test]
    fn an_unknown_scope_or_kind_names_its_field() {
        let bad = FeedRequest { kind: Some("party".into()), ..request("everyone") };
        assert_eq!(fields(bad.parse().unwrap_err()), ["kind", "scope"]);
    }

    #[test]
    fn codes_are_taken_as_written() {
        assert_eq!(fields(request(" group").parse().unwrap_err()), ["scope"]);
        let empty_kind = FeedRequest { kind: Some(String::new()), ..request("group") };
        assert_eq!(fields(empty_kind.parse().unwrap_err()), ["kind"]);
    }
}
