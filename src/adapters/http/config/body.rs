//! The request bodies of `PUT /api/config` (a JSON merge patch) and
//! `POST /api/config/validate` (a whole document).
//!
//! Both are read as plain JSON values, because the configuration use case applies the merge
//! patch and reports unknown fields and bad values itself (422 with every problem, one line
//! each); a typed body would stop at the first. They are documented with real schemas
//! nonetheless: the whole document with [`ConfigDto`]'s, the patch with a copy of it derived
//! here in which every field, nested sections included, is optional and nullable (`null`
//! resets a field to its default, as RFC 7396 has it).

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, Type};
use serde_json::{Value, json};

use super::dto::ConfigDto;

/// The name of the patch schema of `name`: `Config` → `ConfigPatch`.
fn patch_name(name: &str) -> String {
    format!("{name}Patch")
}

/// A JSON body documented as the whole configuration.
#[derive(Debug)]
pub struct ConfigDocument(pub Value);

/// A JSON body documented as a partial configuration (a merge patch).
#[derive(Debug)]
pub struct ConfigPatch(pub Value);

macro_rules! raw_json_type {
    ($ty:ident, $name:expr, $register:expr) => {
        impl Type for $ty {
            const IS_REQUIRED: bool = true;
            type RawValueType = Value;
            type RawElementValueType = Value;

            fn name() -> Cow<'static, str> {
                Cow::Owned($name)
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Reference($name)
            }

            fn register(registry: &mut Registry) {
                $register(registry);
            }

            fn as_raw_value(&self) -> Option<&Value> {
                Some(&self.0)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Value> + 'a> {
                Box::new(std::iter::once(&self.0))
            }
        }

        impl ParseFromJSON for $ty {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                value.map(Self).ok_or_else(ParseError::expected_input)
            }
        }
    };
}

raw_json_type!(ConfigDocument, ConfigDto::name().into_owned(), |registry| {
    ConfigDto::register(registry)
});
raw_json_type!(
    ConfigPatch,
    patch_name(&ConfigDto::name()),
    register_config_patch
);

fn register_config_patch(registry: &mut Registry) {
    ConfigDto::register(registry);
    let name = register_patch(registry, &ConfigDto::name());
    if let Some(schema) = registry.schemas.get_mut(&name) {
        schema.example = Some(json!({
            "scheduler": { "enabled": true, "interval_minutes": 30 },
            "logging": { "level": "DEBUG" }
        }));
        schema.description = Some(
            "A change to the configuration (JSON merge patch, RFC 7396): name only what \
             changes, nested sections included; `null` resets a field to its default.",
        );
    }
}

/// Registers the patch copy of the object schema `name` (and of the object schemas it
/// holds) and returns its name.
fn register_patch(registry: &mut Registry, name: &str) -> String {
    let patch = patch_name(name);
    if registry.schemas.contains_key(&patch) {
        return patch;
    }
    let Some(mut schema) = registry.schemas.get(name).cloned() else {
        return patch;
    };
    schema.required.clear();
    schema.example = None;
    schema.rust_typename = None;
    for (_, property) in &mut schema.properties {
        let nested = patch_property(registry, property.clone());
        *property = nested.merge(MetaSchema {
            nullable: true,
            ..MetaSchema::ANY
        });
    }
    registry.schemas.insert(patch.clone(), schema);
    patch
}

/// A property of a patch: references to object schemas point to their patch copies.
fn patch_property(registry: &mut Registry, property: MetaSchemaRef) -> MetaSchemaRef {
    let is_object = |registry: &Registry, name: &str| {
        registry
            .schemas
            .get(name)
            .is_some_and(|s| !s.properties.is_empty())
    };
    match property {
        MetaSchemaRef::Reference(name) if is_object(registry, &name) => {
            MetaSchemaRef::Reference(register_patch(registry, &name))
        }
        MetaSchemaRef::Inline(mut schema) => {
            for part in &mut schema.all_of {
                if let MetaSchemaRef::Reference(name) = part
                    && is_object(registry, name)
                {
                    *part = MetaSchemaRef::Reference(register_patch(registry, name));
                }
            }
            MetaSchemaRef::Inline(schema)
        }
        other => other,
    }
}
