//! OpenAPI schemas the derive cannot tell: free text under the rules of `text`, the fields of a
//! session (`#[schema(schema_with = …)]`), and the untagged `Audience` and `Location`, one closed
//! object per variant.

use crate::session_input::{Location, MAX_ADDRESS_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS};
use crate::{Audience, SessionStatus, text};
use serde_json::Value;
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, SchemaType,
    Type,
};
use utoipa::{PartialSchema, ToSchema};

/// An integer id.
pub fn id() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Integer).format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
}

fn text_of(max: usize, pattern: String) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).max_length(Some(max)).pattern(Some(pattern))
}

/// One line of at most `max` characters, not blank (`text::line_pattern`).
pub fn line(max: usize) -> ObjectBuilder {
    text_of(max, text::line_pattern()).min_length(Some(1))
}

/// At most `max` characters, none a control character, maybe blank.
pub fn plain(max: usize) -> ObjectBuilder {
    text_of(max, text::no_control_pattern())
}

/// At most `max` characters over several lines.
pub fn lines(max: usize) -> ObjectBuilder {
    text_of(max, text::lines_pattern())
}

/// The same schema, also allowing `null`.
pub fn or_null(schema: ObjectBuilder, inner: Type) -> ObjectBuilder {
    schema.schema_type(SchemaType::from_iter([inner, Type::Null]))
}

pub fn title() -> ObjectBuilder {
    line(MAX_TITLE_CHARS)
}

pub fn title_or_null() -> ObjectBuilder {
    or_null(title(), Type::String)
}

pub fn description() -> ObjectBuilder {
    lines(MAX_TEXT_CHARS)
}

pub fn description_or_null() -> ObjectBuilder {
    or_null(description(), Type::String)
}

/// A company's or a speaker's name.
pub fn short_text_or_null() -> ObjectBuilder {
    or_null(plain(MAX_TITLE_CHARS), Type::String)
}

/// A new or changed session is `draft` or `published` (`null`: the default, or unchanged).
pub fn draft_or_published_or_null() -> ObjectBuilder {
    let codes = SessionStatus::ALL.iter().filter(|s| **s != SessionStatus::Cancelled).map(|s| Value::from(s.code()));
    or_null(ObjectBuilder::new(), Type::String)
        .enum_values(Some(codes.chain([Value::Null])))
        .description(Some("`published` or `draft`: cancelling has its own action."))
}

/// An object with exactly these properties, each required.
fn closed(description: &str, properties: Vec<(&str, RefOr<Schema>)>) -> ObjectBuilder {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(description))
        .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)));
    for (name, schema) in properties {
        object = object.property(name, schema).required(name);
    }
    object
}

impl PartialSchema for Audience {
    fn schema() -> RefOr<Schema> {
        let all = ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([true]));
        let structure_ids = ArrayBuilder::new().items(id()).min_items(Some(1));
        OneOfBuilder::new()
            .description(Some("Who may enrol: every structure of the group, or the structures listed."))
            .item(closed("Every structure of the group.", vec![("all", all.into())]))
            .item(closed("Only these structures.", vec![("structure_ids", structure_ids.into())]))
            .into()
    }
}

impl ToSchema for Audience {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Audience")
    }
}

impl PartialSchema for Location {
    fn schema() -> RefOr<Schema> {
        let video_url = ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some("http://x".len()))
            .max_length(Some(MAX_URL_CHARS))
            .pattern(Some(text::web_address_pattern()));
        OneOfBuilder::new()
            .description(Some("Where the session takes place: a site, an address, or a video-call link."))
            .item(closed("A site of a structure of the group.", vec![("site_id", id().into())]))
            .item(closed("Any other address, written out.", vec![("address", line(MAX_ADDRESS_CHARS).into())]))
            .item(closed("A video-call link (http or https).", vec![("video_url", video_url.into())]))
            .into()
    }
}

impl ToSchema for Location {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Location")
    }
}
