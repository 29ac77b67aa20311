//! What the detectors of routing resources (Source, Destination, Pipeline, Transformation)
//! share: the changes of one resource that both sides define, each at its field on both
//! sides, and the events the resource carries.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::catalog::{Catalog, Flow};
use crate::diff::{At, Change, ChangeKind, Context};
use crate::finding::FieldPath;
use crate::model::Kind;

/// The changes of one routing resource, collected before they get its events.
pub(super) struct Resource<'a> {
    cx: &'a Context<'a>,
    kind: Kind,
    name: &'a str,
    changes: Vec<Change>,
}

impl<'a> Resource<'a> {
    pub fn new(cx: &'a Context<'a>, kind: Kind, name: &'a str) -> Self {
        Self {
            cx,
            kind,
            name,
            changes: Vec::new(),
        }
    }

    /// A change of `field`, at `base` and `head` (paths in the resource; `None` where that
    /// side holds nothing of it). The caller may set `property` before pushing it.
    pub fn change(
        &self,
        kind: ChangeKind,
        field: &str,
        base: Option<FieldPath>,
        head: Option<FieldPath>,
        from: impl Serialize,
        to: impl Serialize,
    ) -> Change {
        let at = |path: Option<FieldPath>| path.map(|p| At::new(self.kind, self.name, p));
        let mut c = Change::new(kind, self.cx.mode)
            .values(from, to)
            .at(at(base), at(head));
        c.field = Some(field.to_string());
        c
    }

    pub fn push(&mut self, c: Change) {
        self.changes.push(c);
    }

    /// A field whose value changed: one change at the field on both sides.
    pub fn changed(
        &mut self,
        kind: ChangeKind,
        field: &str,
        from: impl Serialize,
        to: impl Serialize,
    ) {
        let path = FieldPath::key(field);
        let c = self.change(kind, field, Some(path.clone()), Some(path), from, to);
        self.push(c);
    }

    /// A list field (globs, purposes, names): one change per entry only one side lists,
    /// `added` at the new entry (the list in the base), `removed` at the old one (the list
    /// in head).
    pub fn entries(
        &mut self,
        (added, removed): (ChangeKind, ChangeKind),
        field: &str,
        base: &[String],
        head: &[String],
    ) {
        let list = FieldPath::key(field);
        let null = serde_json::Value::Null;
        for entry in base.iter().filter(|e| !head.contains(e)) {
            let item = list.clone().then(entry.as_str());
            let c = self.change(removed, field, Some(item), Some(list.clone()), entry, &null);
            self.push(c);
        }
        for entry in head.iter().filter(|e| !base.contains(e)) {
            let item = list.clone().then(entry.as_str());
            let c = self.change(added, field, Some(list.clone()), Some(item), &null, entry);
            self.push(c);
        }
    }

    /// Appends the changes to `out`, each listing the events the resource carries in the
    /// base or in head (what a reviewer weighs the change by).
    pub fn finish(self, out: &mut Vec<Change>) {
        if self.changes.is_empty() {
            return;
        }
        let mut events = BTreeSet::new();
        for catalog in [self.cx.base_catalog, self.cx.head_catalog] {
            events.extend(carried(catalog, self.kind, self.name));
        }
        let events: Vec<String> = events.into_iter().map(str::to_string).collect();
        for mut c in self.changes {
            c.events = events.clone();
            out.push(c);
        }
    }
}

/// The events of the flows that go through the resource.
fn carried<'c>(catalog: &'c Catalog, kind: Kind, name: &'c str) -> impl Iterator<Item = &'c str> {
    let through = move |f: &Flow| match kind {
        Kind::Source => f.source == name,
        Kind::Destination => f.destination == name,
        Kind::Pipeline => f.pipeline == name,
        Kind::Transformation => f.arrival.transformations.contains(&name),
        _ => false,
    };
    catalog
        .flows
        .iter()
        .filter(move |f| through(f))
        .map(|f| f.event)
}
