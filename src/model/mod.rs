//! The typed contract: one file per kind, each decoding its documents from spanned YAML.

mod common;
mod consent_purpose;
mod coverage;
mod destination;
mod event;
mod identity_rule;
mod overlay;
mod pipeline;
mod property;
mod references;
mod schema;
mod source;
mod team;
mod transformation;

use std::collections::BTreeMap;

pub use crate::finding::{Kind, Origin};
pub(crate) use common::INVALID_DATE;
pub use common::{
    is_calendar_date, Acknowledgement, Lifecycle, LifecycleFields, Normalize, PiiClass,
};
pub use consent_purpose::ConsentPurpose;
pub use coverage::{coverage, Coverage, CoverageKpis};
pub use destination::{AcceptsDirect, Destination, Environment};
pub use event::{Compatibility, Event, PropertyRef};
pub use identity_rule::{IdentityRule, MatchKey, Merge, Suppress};
pub use overlay::section as overlay_section;
pub use pipeline::Pipeline;
pub use property::Property;
pub use references::Reference;
pub use schema::{Items, Schema, TypeName};
pub use source::{Platform, Source};
pub use team::Team;
pub use transformation::{Step, Transformation, TransformationTest};

use crate::finding::{Anchor, Finding};
use crate::rules::{declare_rule, RuleMeta};
use crate::source::decode::{Decoder, Fields, MisspeltKey, INVALID_VALUE, MISSING_FIELD};
use crate::source::yaml::{Node, Value};
use crate::source::{Batch, FileId, Sources};
use crate::suggest;

/// The rules the model stage detects while decoding documents.
pub static RULES: &[&RuleMeta] = &[&UNKNOWN_KIND, &INVALID_DOCUMENT, &common::INVALID_DATE];

/// The rules whose finding means a document of the file was not read as written (of an
/// unknown kind, not a resource, a field unknown or missing): the names it defines or uses
/// are not all known. A value that is read but wrong (`invalid-value`) leaves them known.
pub static RULES_OF_RESOURCES: &[&RuleMeta] = &[
    &UNKNOWN_KIND,
    &INVALID_DOCUMENT,
    &crate::source::decode::UNKNOWN_FIELD,
    &crate::source::decode::MISSING_FIELD,
];

declare_rule! {
    /// ## What it does
    /// Flags a document whose `kind` is not one of Property, Event, Source, Destination,
    /// Pipeline, Transformation, IdentityRule, Team, ConsentPurpose, Overlay.
    ///
    /// ## Why is this bad?
    /// The document is not part of the contract, so what it declares is silently missing.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Proprety
    /// name: email
    /// type: string
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ```
    pub(crate) static UNKNOWN_KIND = {
        code: "CT005",
        name: "unknown-kind",
        category: Structure,
        severity: Error,
        summary: "Document has an unknown kind",
    };
}

declare_rule! {
    /// ## What it does
    /// Flags a document that is not a mapping (a list, a scalar, an empty document) in a
    /// file that holds resources, and a file with no documents at all under an explicit
    /// `include`. A list of resources (`- kind: Property ...`) is flagged under the default
    /// include too: any `kind` in a file makes it a resource file.
    ///
    /// ## Why is this bad?
    /// Every document is one resource with `kind` and `name`. Anything else in a resource
    /// file is either a mistake (a lost indentation level) or data contrail would ignore.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ---
    /// - kind: Property
    ///   name: phone
    ///   type: string
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ---
    /// kind: Property
    /// name: phone
    /// type: string
    /// ```
    pub(crate) static INVALID_DOCUMENT = {
        code: "CT013",
        name: "invalid-document",
        category: Structure,
        severity: Error,
        summary: "Document is not a resource mapping",
    };
}

/// Every resource of a contract, by kind and name (the first definition of a name wins;
/// later ones are `duplicate-name` findings).
#[derive(Debug, Default)]
pub struct Model {
    pub properties: BTreeMap<String, Property>,
    pub events: BTreeMap<String, Event>,
    pub sources: BTreeMap<String, Source>,
    pub destinations: BTreeMap<String, Destination>,
    pub pipelines: BTreeMap<String, Pipeline>,
    pub transformations: BTreeMap<String, Transformation>,
    pub identity: BTreeMap<String, IdentityRule>,
    pub teams: BTreeMap<String, Team>,
    pub purposes: BTreeMap<String, ConsentPurpose>,
    /// Every definition of every name, in file order.
    pub origins: BTreeMap<(Kind, String), Vec<Origin>>,
    /// Keys that look like a field their mapping lacks: a finding about that field lands on
    /// the key (`locate`).
    pub misspelt: Vec<MisspeltKey>,
    /// The Overlay document that gives a property or event facts (`kind: Overlay`).
    pub overlaid: BTreeMap<(Kind, String), Origin>,
}

/// One decoded document.
// Each value is moved once, into its map; boxing would only add allocations.
#[allow(clippy::large_enum_variant)]
pub enum Resource {
    Property(Property),
    Event(Event),
    Source(Source),
    Destination(Destination),
    Pipeline(Pipeline),
    Transformation(Transformation),
    IdentityRule(IdentityRule),
    Team(Team),
    ConsentPurpose(ConsentPurpose),
}

impl Model {
    /// Adds a decoded resource; a name already taken keeps its first definition.
    pub fn insert(&mut self, origin: Origin, kind: Kind, name: String, resource: Resource) {
        let origins = self.origins.entry((kind, name.clone())).or_default();
        origins.push(origin);
        if origins.len() > 1 {
            return;
        }
        match resource {
            Resource::Property(r) => drop(self.properties.insert(name, r)),
            Resource::Event(r) => drop(self.events.insert(name, r)),
            Resource::Source(r) => drop(self.sources.insert(name, r)),
            Resource::Destination(r) => drop(self.destinations.insert(name, r)),
            Resource::Pipeline(r) => drop(self.pipelines.insert(name, r)),
            Resource::Transformation(r) => drop(self.transformations.insert(name, r)),
            Resource::IdentityRule(r) => drop(self.identity.insert(name, r)),
            Resource::Team(r) => drop(self.teams.insert(name, r)),
            Resource::ConsentPurpose(r) => drop(self.purposes.insert(name, r)),
        }
    }

    /// The names defined for a kind.
    pub fn names(&self, kind: Kind) -> Vec<&str> {
        self.origins
            .range((kind, String::new())..)
            .take_while(|((k, _), _)| *k == kind)
            .map(|((_, n), _)| n.as_str())
            .collect()
    }

    pub fn contains(&self, kind: Kind, name: &str) -> bool {
        self.origins.contains_key(&(kind, name.to_string()))
    }

    /// The properties an event still carries: refs to defined properties, minus those
    /// removed on the ref or on the property itself. Flows and schemas both start here.
    pub fn carried<'m>(
        &'m self,
        event: &'m Event,
    ) -> impl Iterator<Item = (&'m PropertyRef, &'m Property)> {
        event.properties.iter().filter_map(|r| {
            let property = self.properties.get(&r.name)?;
            let removed = r.lifecycle.lifecycle == Lifecycle::Removed
                || property.lifecycle.lifecycle == Lifecycle::Removed;
            (!removed).then_some((r, property))
        })
    }

    pub fn origin(&self, kind: Kind, name: &str) -> Option<Origin> {
        self.origins
            .get(&(kind, name.to_string()))
            .and_then(|o| o.first().copied())
    }
}

/// The key of the first `kind` anywhere in `doc`: a sign that the document holds resources,
/// even when it is not one itself (a list of them, a mapping that wraps them). Files with
/// none are skipped under the default include. Iterative: nesting is bounded by a limit
/// the user may raise, the stack is not.
pub fn find_kind(doc: &Node) -> Option<&Node> {
    let mut pending = vec![doc];
    while let Some(node) = pending.pop() {
        match &node.value {
            Value::Map(entries) => {
                if let Some((key, _)) = entries.iter().find(|(k, _)| k.as_str() == Some("kind")) {
                    return Some(key);
                }
                pending.extend(entries.iter().rev().map(|(_, v)| v));
            }
            Value::Seq(items) => pending.extend(items.iter().rev()),
            _ => {}
        }
    }
    None
}

/// Decodes one document into a resource, reporting every problem in `d`.
pub fn decode_document(d: &mut Decoder, doc: &Node) -> Option<(Kind, String, Resource)> {
    if let (Value::Seq(_), Some(kind)) = (&doc.value, find_kind(doc)) {
        d.report(
            &INVALID_DOCUMENT,
            kind.span.clone(),
            "this document is a list of resources; contrail reads one resource per YAML document",
            Some("separate the resources with `---` lines instead of writing them as list items (`- kind: ...`)".into()),
        );
        return None;
    }
    if !matches!(doc.value, Value::Map(_)) {
        let what = match doc.value {
            Value::Null => "empty".to_string(),
            ref v => v.type_name().to_string(),
        };
        d.report(
            &INVALID_DOCUMENT,
            doc.span.clone(),
            format!(
                "a resource document must be a mapping with `kind` and `name`; this one is {what}"
            ),
            Some(
                "write one resource per document: `kind: Property`, `name: ...`, then its fields"
                    .into(),
            ),
        );
        return None;
    }
    let Some(kind_node) = doc.get("kind") else {
        let range = doc
            .as_map()
            .and_then(|m| m.first())
            .map_or(doc.span.clone(), |(k, _)| k.span.clone());
        let Some(nested) = find_kind(doc) else {
            d.report(
                &MISSING_FIELD,
                range,
                "document is missing the required field `kind`",
                Some(format!("add `kind:` with one of: {}", kind_list())),
            );
            return None;
        };
        let finding = Finding::new(
            &MISSING_FIELD,
            Anchor::span(d.file, range),
            "document is missing the required field `kind`: the resources nested inside it are not read",
        )
        .with_help(Some("contrail reads one resource per YAML document, with `kind` at its top level: write each nested resource as a document of its own, separated by `---`".into()))
        .with_related(Anchor::span(d.file, nested.span.clone()), "a nested `kind`");
        d.findings.push(finding);
        return None;
    };
    let Some(kind_text) = kind_node.as_str() else {
        d.report(
            &UNKNOWN_KIND,
            kind_node.span.clone(),
            format!(
                "`kind` must be a string, found {}",
                kind_node.value.type_name()
            ),
            Some(format!("use one of: {}", kind_list())),
        );
        return None;
    };
    let Some(kind) = Kind::parse(kind_text) else {
        let kinds = Kind::ALL.iter().map(|k| k.as_str()).chain([overlay::KIND]);
        let help = suggest::help(kind_text, kinds)
            .unwrap_or_else(|| format!("use one of: {}", kind_list()));
        d.report(
            &UNKNOWN_KIND,
            kind_node.span.clone(),
            format!("unknown kind `{kind_text}`"),
            Some(help),
        );
        return None;
    };
    let what = kind.as_str();
    let allowed = match kind {
        Kind::Property => property::FIELDS,
        Kind::Event => event::FIELDS,
        Kind::Source => source::FIELDS,
        Kind::Destination => destination::FIELDS,
        Kind::Pipeline => pipeline::FIELDS,
        Kind::Transformation => transformation::FIELDS,
        Kind::IdentityRule => identity_rule::FIELDS,
        Kind::Team => team::FIELDS,
        Kind::ConsentPurpose => consent_purpose::FIELDS,
    };
    let fields = d.mapping(doc, what, allowed)?;
    let name = fields
        .required_string(d, "name")
        .filter(|n| valid_name(d, n));
    let resource = match kind {
        Kind::Property => Resource::Property(Property::decode(d, &fields)),
        Kind::Event => Resource::Event(Event::decode(d, &fields)),
        Kind::Source => Resource::Source(Source::decode(d, &fields)),
        Kind::Destination => Resource::Destination(Destination::decode(d, &fields)),
        Kind::Pipeline => Resource::Pipeline(Pipeline::decode(d, &fields)),
        Kind::Transformation => Resource::Transformation(Transformation::decode(d, &fields)),
        Kind::IdentityRule => Resource::IdentityRule(IdentityRule::decode(d, &fields)),
        Kind::Team => Resource::Team(Team::decode(d, &fields)),
        Kind::ConsentPurpose => Resource::ConsentPurpose(ConsentPurpose::decode(d, &fields)),
    };
    Some((kind, name?.value, resource))
}

/// A name becomes a file name (`schemas/<event>.json`) and a key everywhere: no path
/// separators, no control characters, not empty, not `.` or `..`.
fn valid_name(d: &mut Decoder, name: &crate::source::decode::Spanned<String>) -> bool {
    let n = name.value.as_str();
    let ok = !n.trim().is_empty()
        && n != "."
        && n != ".."
        && !n.chars().any(|c| c == '/' || c == '\\' || c.is_control());
    if !ok {
        d.report(
            &INVALID_VALUE,
            name.span.clone(),
            format!("`{n}` is not a usable name"),
            Some("names are non-empty and hold no `/`, `\\` or control characters".into()),
        );
    }
    ok
}

fn kind_list() -> String {
    let mut kinds = Kind::ALL.map(|k| k.as_str()).to_vec();
    kinds.push(overlay::KIND);
    kinds.join(", ")
}

/// Reads `owner` and `description`, which every kind may carry.
fn owner_and_description(d: &mut Decoder, f: &Fields) -> (Option<String>, Option<String>) {
    (
        f.string(d, "owner").map(|s| s.value),
        f.string(d, "description").map(|s| s.value),
    )
}

/// The model of a contract, with the findings of decoding it.
#[derive(Debug, Default)]
pub struct Built {
    pub model: Model,
    pub findings: Vec<Finding>,
    /// Files skipped under the default include because no document has a `kind`.
    pub skipped: Vec<FileId>,
}

/// Decodes every parsed document of the files `read` added. Under the default include
/// (`explicit_include` false) a file with no `kind` anywhere, at any depth, is skipped, and
/// empty documents are ignored; a `kind` that is not where a resource's belongs is a finding.
pub fn build(sources: &Sources, read: &Batch, explicit_include: bool) -> Built {
    let mut built = Built::default();
    // Overlays are applied once every resource they may name is decoded.
    let mut overlays = Vec::new();
    let failed: std::collections::HashSet<FileId> = read
        .findings
        .iter()
        .filter_map(|f| f.anchor.file())
        .collect();
    for &file in &read.files {
        let docs = sources.resources(file);
        if failed.contains(&file) {
            continue;
        }
        if !explicit_include && !docs.iter().any(|doc| find_kind(doc).is_some()) {
            built.skipped.push(file);
            continue;
        }
        let mut d = Decoder::new(file);
        if docs.is_empty() {
            d.report(
                &INVALID_DOCUMENT,
                0..0,
                "the file has no documents",
                Some(
                    "add a resource (`kind:` and `name:`) or leave the file out of `include`"
                        .into(),
                ),
            );
        }
        for (index, doc) in docs.iter().enumerate() {
            if !explicit_include && doc.value == Value::Null {
                continue;
            }
            if doc.get("kind").and_then(Node::as_str) == Some(overlay::KIND) {
                overlays.push((Origin { file, doc: index }, doc));
                continue;
            }
            if let Some((kind, name, resource)) = decode_document(&mut d, doc) {
                built
                    .model
                    .insert(Origin { file, doc: index }, kind, name, resource);
            }
        }
        built.findings.append(&mut d.findings);
        built.model.misspelt.append(&mut d.misspelt);
    }
    for (origin, doc) in overlays {
        let mut d = Decoder::new(origin.file);
        overlay::apply(&mut d, sources, origin, doc, &mut built.model);
        built.findings.append(&mut d.findings);
        built.model.misspelt.append(&mut d.misspelt);
    }
    built
}
