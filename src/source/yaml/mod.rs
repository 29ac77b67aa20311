//! YAML text → a spanned tree, under limits. Built on saphyr's event parser so that depth,
//! alias expansion and document count are bounded while parsing, duplicate keys are reported
//! with both locations, and every node keeps its byte range.

mod parse;
mod scalar;

pub use parse::parse;

use std::borrow::Cow;
use std::ops::Range;

/// A YAML node with the byte range it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Range<u32>,
    pub value: Value,
}

/// A YAML value after core-schema resolution (YAML 1.2: `yes` is a string, `null` and `~` are null).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What a user would call this value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The value of `key` in a mapping node, with the key node.
    pub fn get_entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.as_map()?.iter().find(|(k, _)| k.as_str() == Some(key))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|(_, v)| v)
    }

    /// The value that names a mapping: its `name`, `ref` or `property` (list items are
    /// addressed by it, and findings about the mapping land on it).
    pub fn natural_key(&self) -> Option<&Node> {
        ["name", "ref", "property"].iter().find_map(|k| self.get(k))
    }

    /// The scalar as text (`1` → "1", `true` → "true"); `None` for null and collections.
    pub fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Bool(b) => Some(Cow::Owned(b.to_string())),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Float(f) => Some(Cow::Owned(f.to_string())),
            _ => None,
        }
    }

    /// Plain JSON for values that are data (defaults, `set` values, test payloads).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = k.scalar_text().map(Cow::into_owned).unwrap_or_default();
                        (key, v.to_json())
                    })
                    .collect(),
            ),
        }
    }
}

/// Bounds that keep hostile YAML from exhausting the stack, memory or time.
#[derive(Clone, Copy, Debug)]
pub struct YamlLimits {
    /// Deepest nesting of collections.
    pub max_depth: usize,
    /// Alias uses (`*name`) per file.
    pub max_aliases: usize,
    /// Documents per file.
    pub max_documents: usize,
    /// Size of the file once aliases are expanded (nodes + scalar bytes).
    pub max_expanded: usize,
}

/// What stopped a parse. Ranges are byte ranges in the file.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum YamlError {
    #[error("{message}")]
    Syntax { range: Range<u32>, message: String },
    #[error("duplicate key `{key}`")]
    DuplicateKey {
        key: String,
        range: Range<u32>,
        first: Range<u32>,
    },
    #[error("{what} exceeds the limit of {limit} (`limits.{setting}` in contrail.yaml)")]
    Limit {
        range: Range<u32>,
        what: &'static str,
        setting: &'static str,
        limit: usize,
    },
}

impl YamlError {
    pub fn range(&self) -> Range<u32> {
        match self {
            YamlError::Syntax { range, .. }
            | YamlError::DuplicateKey { range, .. }
            | YamlError::Limit { range, .. } => range.clone(),
        }
    }
}
