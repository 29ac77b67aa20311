//! `kind: Overlay`: privacy, ownership and lifecycle facts for properties and events that
//! are defined elsewhere (a rudder-cli or JSON Schema catalog), keyed by their names, so
//! that those files stay untouched. Applied once every resource is decoded; a fact the
//! resource already states is a finding, never a silent override.

use super::common::SharedFacts;
use super::{event, property, Kind, Model, Origin};
use crate::finding::{Anchor, FieldPath, Finding};
use crate::source::decode::{Decoder, INVALID_VALUE};
use crate::source::yaml::Node;
use crate::source::Sources;
use crate::suggest;

/// The kind name, which is not a [`Kind`]: an overlay defines no resource of its own.
pub const KIND: &str = "Overlay";

const FIELDS: &[&str] = &["kind", "name", "description", "properties", "events"];

/// The section of an overlay that gives facts for resources of `kind`.
pub fn section(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Property => Some("properties"),
        Kind::Event => Some("events"),
        _ => None,
    }
}

/// Applies one overlay document to the decoded model, reporting in `d` (the overlay's file).
pub(super) fn apply(
    d: &mut Decoder,
    sources: &Sources,
    origin: Origin,
    doc: &Node,
    model: &mut Model,
) {
    let Some(f) = d.mapping(doc, KIND, FIELDS) else {
        return;
    };
    f.required_string(d, "name");
    for kind in [Kind::Property, Kind::Event] {
        let Some(key) = section(kind) else { continue };
        let Some(entries) = f.get(key) else { continue };
        let Some(entries) = entries.as_map() else {
            d.report(
                &INVALID_VALUE,
                entries.span.clone(),
                format!(
                    "`{key}` of an Overlay must be a mapping of names to facts, found {}",
                    entries.value.type_name()
                ),
                Some(format!("write `{key}: {{ NAME: {{ owner: TEAM }} }}`")),
            );
            continue;
        };
        for (name, facts) in entries {
            let Some(name_text) = name.as_str() else {
                continue;
            };
            entry(d, sources, origin, kind, name, name_text, facts, model);
        }
    }
}

/// One `NAME: {facts}` entry.
#[allow(clippy::too_many_arguments)]
fn entry(
    d: &mut Decoder,
    sources: &Sources,
    origin: Origin,
    kind: Kind,
    name: &Node,
    name_text: &str,
    facts: &Node,
    model: &mut Model,
) {
    let Some(target) = model.origin(kind, name_text) else {
        let help = suggest::help(name_text, model.names(kind))
            .or_else(|| Some(format!("an Overlay gives facts for a {kind} defined in the contract or one of its catalogs")));
        d.report(
            &INVALID_VALUE,
            name.span.clone(),
            format!("the Overlay names `{name_text}`, which is no {kind} of the contract"),
            help,
        );
        return;
    };
    let key = (kind, name_text.to_string());
    if let Some(first) = model.overlaid.get(&key) {
        let finding = Finding::new(&INVALID_VALUE, Anchor::span(d.file, name.span.clone()), format!("{kind} `{name_text}` is given facts by another Overlay entry too; this one is not read"))
            .with_related(
                Anchor::Document { origin: *first, field: FieldPath::key(section(kind).unwrap_or_default()).then(name_text) },
                "the entry contrail reads",
            );
        d.findings.push(finding);
        return;
    }
    let own: &[&str] = match kind {
        Kind::Property => &property::Facts::OWN_FIELDS,
        _ => &event::Facts::OWN_FIELDS,
    };
    let allowed: Vec<&str> = own.iter().chain(&SharedFacts::FIELDS).copied().collect();
    let what = format!("Overlay entry for {kind} `{name_text}`");
    let Some(f) = d.mapping(facts, &what, &allowed) else {
        return;
    };
    // A fact the resource states itself is kept, and the overlay's is reported.
    let stated = sources.documents(target.file).get(target.doc);
    let mut kept = Vec::new();
    for (k, v) in f.node.as_map().unwrap_or_default() {
        // `null` is an empty fact (an import's skeleton): nothing to read, no conflict.
        if v.value == crate::source::yaml::Value::Null {
            continue;
        }
        let written = k
            .as_str()
            .and_then(|k| stated.and_then(|doc| doc.get_entry(k)));
        match written {
            Some((there, _)) => {
                let finding = Finding::new(
                    &INVALID_VALUE,
                    Anchor::span(d.file, k.span.clone()),
                    format!("`{}` of {kind} `{name_text}` is already stated where it is defined; the Overlay's is not read", k.as_str().unwrap_or_default()),
                )
                .with_help(Some("state each fact in one place".into()))
                .with_related(Anchor::span(target.file, there.span.clone()), "stated here");
                d.findings.push(finding);
            }
            None => kept.push((k.clone(), v.clone())),
        }
    }
    let kept = Node {
        span: facts.span.clone(),
        value: crate::source::yaml::Value::Map(kept),
    };
    let f = crate::source::decode::Fields {
        node: &kept,
        what: &what,
    };
    match kind {
        Kind::Property => {
            let facts = property::Facts::decode(d, &f);
            if let Some(p) = model.properties.get_mut(name_text) {
                facts.apply(p);
            }
        }
        _ => {
            let facts = event::Facts::decode(d, &f);
            if let Some(e) = model.events.get_mut(name_text) {
                facts.apply(e);
            }
        }
    }
    model.overlaid.insert(key, origin);
}
