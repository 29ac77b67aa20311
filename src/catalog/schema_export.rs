//! One JSON Schema (draft 2020-12) per event, validating the event's properties object.

use serde_json::{json, Map, Value};

use crate::model::{Event, Items, Lifecycle, Model, Property, Schema, TypeName};

pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema of an event's payload properties. Removed properties (on the ref or the
/// property) are left out, so a closed event rejects them.
pub fn event_schema(model: &Model, name: &str, event: &Event) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (r, property) in model.carried(event) {
        let mut schema = property_schema(model, property, &mut vec![r.name.as_str()]);
        if r.lifecycle.lifecycle == Lifecycle::Deprecated {
            schema.insert("deprecated".into(), Value::Bool(true));
        }
        if let Some(d) = &r.description {
            schema.insert("description".into(), json!(d));
        }
        properties.insert(r.name.clone(), Value::Object(schema));
        if r.required {
            required.push(r.name.clone());
        }
    }
    required.sort();
    required.dedup();
    let mut out = Map::new();
    out.insert("$schema".into(), json!(DRAFT_2020_12));
    out.insert("$id".into(), json!(format!("urn:contrail:event:{name}")));
    out.insert("title".into(), json!(name));
    if let Some(d) = &event.description {
        out.insert("description".into(), json!(d));
    }
    if event.lifecycle.lifecycle == Lifecycle::Deprecated {
        out.insert("deprecated".into(), Value::Bool(true));
    }
    out.insert("type".into(), json!("object"));
    out.insert("properties".into(), Value::Object(properties));
    out.insert("required".into(), json!(required));
    if !event.additional_properties {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    Value::Object(out)
}

/// `visiting` guards `items.ref` cycles (reported by `reference-cycle`; here they end in `{}`).
fn property_schema<'m>(
    model: &'m Model,
    property: &'m Property,
    visiting: &mut Vec<&'m str>,
) -> Map<String, Value> {
    let mut out = value_schema(model, &property.schema, visiting);
    if let Some(d) = &property.description {
        out.insert("description".into(), json!(d));
    }
    if let Some(d) = &property.default {
        out.insert("default".into(), d.clone());
    }
    if property.lifecycle.lifecycle == Lifecycle::Deprecated {
        out.insert("deprecated".into(), Value::Bool(true));
    }
    out
}

fn value_schema<'m>(
    model: &'m Model,
    s: &'m Schema,
    visiting: &mut Vec<&'m str>,
) -> Map<String, Value> {
    let mut out = Map::new();
    let mut types: Vec<&str> = s
        .types
        .iter()
        .map(|t| match t {
            TypeName::String | TypeName::Datetime => "string",
            TypeName::Integer => "integer",
            TypeName::Number => "number",
            TypeName::Boolean => "boolean",
            TypeName::Object => "object",
            TypeName::Array => "array",
            TypeName::Null => "null",
        })
        .collect();
    types.sort_unstable();
    types.dedup();
    match types.as_slice() {
        [] => {}
        [one] => drop(out.insert("type".into(), json!(one))),
        many => drop(out.insert("type".into(), json!(many))),
    }
    let datetime_only =
        s.types.contains(&TypeName::Datetime) && !s.types.contains(&TypeName::String);
    match &s.format {
        Some(f) => drop(out.insert("format".into(), json!(f))),
        None if datetime_only => drop(out.insert("format".into(), json!("date-time"))),
        None => {}
    }
    if let Some(values) = &s.enum_values {
        let mut values = values.clone();
        if s.types.contains(&TypeName::Null) && !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
        out.insert("enum".into(), Value::Array(values));
    }
    if let Some(p) = &s.pattern {
        out.insert("pattern".into(), json!(p));
    }
    let numbers = [("minimum", &s.minimum), ("maximum", &s.maximum)];
    for (key, v) in numbers {
        if let Some(v) = v {
            out.insert(key.into(), Value::Number(v.clone()));
        }
    }
    let counts = [
        ("minLength", s.min_length),
        ("maxLength", s.max_length),
        ("minItems", s.min_items),
        ("maxItems", s.max_items),
    ];
    for (key, v) in counts {
        if let Some(v) = v {
            out.insert(key.into(), json!(v));
        }
    }
    match s.items.as_deref() {
        Some(Items::Inline(inner)) => {
            out.insert(
                "items".into(),
                Value::Object(value_schema(model, inner, visiting)),
            );
        }
        Some(Items::Ref { name }) => {
            let items = match model.properties.get(name) {
                Some(p) if !visiting.contains(&name.as_str()) => {
                    visiting.push(name);
                    let schema = property_schema(model, p, visiting);
                    visiting.pop();
                    schema
                }
                _ => Map::new(),
            };
            out.insert("items".into(), Value::Object(items));
        }
        None => {}
    }
    out
}
