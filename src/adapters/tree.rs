//! Building the documents `model` decodes out of nodes of the original file: keys and
//! values that are made up (a `kind`, a copied description) take the span of the node they
//! come from, so whatever a finding points at is a place in the original file.

use std::ops::Range;

use crate::source::yaml::{Node, Value};

pub(super) fn string(text: impl Into<String>, span: Range<u32>) -> Node {
    Node {
        span,
        value: Value::Str(text.into()),
    }
}

/// A mapping under construction; the first key of each name wins, as in [`Node::get`].
pub(super) struct MapBuilder {
    span: Range<u32>,
    entries: Vec<(Node, Node)>,
}

impl MapBuilder {
    pub fn new(span: Range<u32>) -> Self {
        Self {
            span,
            entries: Vec::new(),
        }
    }

    /// A native resource document: `kind`, then `name` (both at the name's span).
    pub fn resource(kind: &str, name: &str, span: Range<u32>) -> Self {
        let mut doc = Self::new(span.clone());
        doc.set("kind", string(kind, span.clone()));
        doc.set("name", string(name, span));
        doc
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Adds `key` (at the value's span) unless it is already set.
    pub fn set(&mut self, key: &str, value: Node) {
        let span = value.span.clone();
        self.set_at(key, span, value);
    }

    /// Adds `key` written at `key_span` unless it is already set.
    pub fn set_at(&mut self, key: &str, key_span: Range<u32>, value: Node) {
        if !self.has(key) {
            self.entries.push((string(key, key_span), value));
        }
    }

    pub fn finish(self) -> Node {
        Node {
            span: self.span,
            value: Value::Map(self.entries),
        }
    }
}
