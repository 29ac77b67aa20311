//! A value's schema: its type and constraints, as a property or an array's inline `items`
//! declares them.

use serde::Serialize;

use crate::finding::FieldPath;

use crate::source::decode::{choose, Decoder, Fields, Spanned};
use crate::source::yaml::{Node, Value};

/// The value types a property can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeName {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    Datetime,
    Null,
}

impl TypeName {
    const CHOICES: &'static [(&'static str, TypeName)] = &[
        ("string", TypeName::String),
        ("integer", TypeName::Integer),
        ("number", TypeName::Number),
        ("boolean", TypeName::Boolean),
        ("object", TypeName::Object),
        ("array", TypeName::Array),
        ("datetime", TypeName::Datetime),
        ("null", TypeName::Null),
    ];
}

/// A value schema: the type and its constraints (a property, or an array's inline `items`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Schema {
    #[serde(rename = "type")]
    pub types: Vec<TypeName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Items>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
}

/// An array's `items`: another property by name, or an inline schema.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Items {
    Ref {
        #[serde(rename = "ref")]
        name: String,
    },
    Inline(Schema),
}

impl Schema {
    /// This schema and its inline `items` schemas, at any depth, with their paths.
    pub fn levels(&self) -> Vec<(FieldPath, &Schema)> {
        let mut out = vec![(FieldPath::root(), self)];
        while let Some(Items::Inline(inner)) = out.last().and_then(|(_, s)| s.items.as_deref()) {
            let path = out
                .last()
                .map(|(p, _)| p.clone())
                .unwrap_or_default()
                .then("items");
            out.push((path, inner));
        }
        out
    }

    /// The property an array's items refer to, at any depth of inline `items`, with the
    /// path of that `ref`.
    pub fn items_ref(&self) -> Option<(&str, FieldPath)> {
        let (path, deepest) = self.levels().pop()?;
        match deepest.items.as_deref()? {
            Items::Ref { name } => Some((name.as_str(), path.then("items").then("ref"))),
            Items::Inline(_) => None,
        }
    }

    pub const FIELDS: &'static [&'static str] = &[
        "type",
        "format",
        "enum",
        "pattern",
        "minimum",
        "maximum",
        "min_length",
        "max_length",
        "items",
        "min_items",
        "max_items",
    ];

    /// Reads the schema fields of a mapping whose other keys were already checked.
    pub fn decode(d: &mut Decoder, f: &Fields) -> Schema {
        Schema {
            types: types(d, f),
            format: f.string(d, "format").map(|s| s.value),
            enum_values: enum_values(d, f),
            pattern: f.string(d, "pattern").map(|s| s.value),
            minimum: f.number(d, "minimum"),
            maximum: f.number(d, "maximum"),
            min_length: f.count(d, "min_length"),
            max_length: f.count(d, "max_length"),
            items: f.get("items").and_then(|n| items(d, n)).map(Box::new),
            min_items: f.count(d, "min_items"),
            max_items: f.count(d, "max_items"),
        }
    }
}

fn types(d: &mut Decoder, f: &Fields) -> Vec<TypeName> {
    // `type: null` is the null type, so read the raw node rather than `Fields::get`.
    let Some(node) = f.node.get("type") else {
        return Vec::new();
    };
    let one = |d: &mut Decoder, n: &Node| -> Option<TypeName> {
        match &n.value {
            Value::Null => Some(TypeName::Null),
            Value::Str(s) => choose(
                d,
                f.what,
                "type",
                &Spanned {
                    value: s.clone(),
                    span: n.span.clone(),
                },
                TypeName::CHOICES,
            ),
            _ => {
                d.wrong_type(f, "type", n, "a type name or a list of them");
                None
            }
        }
    };
    let mut out: Vec<TypeName> = match &node.value {
        Value::Seq(items) if items.is_empty() => {
            d.wrong_type(f, "type", node, "a type name or a non-empty list of them");
            Vec::new()
        }
        Value::Seq(items) => items.iter().filter_map(|n| one(d, n)).collect(),
        _ => one(d, node).into_iter().collect(),
    };
    out.sort();
    out.dedup();
    out
}

fn enum_values(d: &mut Decoder, f: &Fields) -> Option<Vec<serde_json::Value>> {
    let node = f.get("enum")?;
    match &node.value {
        Value::Seq(items) if !items.is_empty() => Some(items.iter().map(Node::to_json).collect()),
        _ => {
            d.wrong_type(f, "enum", node, "a non-empty list of values");
            None
        }
    }
}

fn items(d: &mut Decoder, node: &Node) -> Option<Items> {
    if node.get("ref").is_some() {
        let f = d.mapping(node, "items", &["ref"])?;
        return f.string(d, "ref").map(|s| Items::Ref { name: s.value });
    }
    let f = d.mapping(node, "items", Schema::FIELDS)?;
    if f.node.get("type").is_none() {
        f.expect(d, "type");
    }
    Some(Items::Inline(Schema::decode(d, &f)))
}
