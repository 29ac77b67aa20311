//! rudder-cli projects (RudderStack's data catalog as code): YAML documents with `version`,
//! `kind`, `metadata` and `spec`, in `rudder/v0.1` (also spelt `rudder/0.1`) or `rudder/v1`.
//!
//! Properties become Properties (a custom type's type and constraints copied in), events
//! become Events whose property list is their tracking-plan rule's. A native document draws
//! every span from one file, so an event with a rule is written where its rule is: its
//! `name` is the rule's `event` reference, and what the events file says of it (description,
//! category) is copied there. Categories become an event's `domain`; they are not resources.

use std::collections::BTreeMap;
use std::ops::Range;

use super::tree::{string, MapBuilder};
use super::{Adapted, UNMAPPED};
use crate::finding::{Anchor, Finding, Kind as NativeKind};
use crate::source::decode::{Decoder, Fields, INVALID_VALUE, UNKNOWN_FIELD};
use crate::source::yaml::{Node, Value};
use crate::source::{FileId, Sources};
use crate::suggest;

const ENVELOPE: &[&str] = &["version", "kind", "metadata", "spec"];
const METADATA: &[&str] = &["name", "import"];
const VERSIONS: &[(&str, Version)] = &[
    ("rudder/v0.1", Version::V0),
    ("rudder/0.1", Version::V0),
    ("rudder/v1", Version::V1),
];
const PRIMITIVES: &[&str] = &[
    "string", "integer", "number", "boolean", "null", "array", "object",
];
const EVENT_TYPES: &[(&str, ())] = &[
    ("track", ()),
    ("screen", ()),
    ("identify", ()),
    ("group", ()),
    ("page", ()),
];
const IDENTITY_SECTIONS: &[(&str, ())] =
    &[("properties", ()), ("traits", ()), ("context.traits", ())];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    V0,
    V1,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Properties,
    Events,
    Categories,
    CustomTypes,
    TrackingPlan,
}

impl Kind {
    /// The kinds of a version, as written.
    fn choices(version: Version) -> &'static [(&'static str, Kind)] {
        match version {
            Version::V0 => &[
                ("properties", Kind::Properties),
                ("events", Kind::Events),
                ("categories", Kind::Categories),
                ("custom-types", Kind::CustomTypes),
                ("tp", Kind::TrackingPlan),
            ],
            Version::V1 => &[
                ("properties", Kind::Properties),
                ("events", Kind::Events),
                ("categories", Kind::Categories),
                ("custom-types", Kind::CustomTypes),
                ("tracking-plan", Kind::TrackingPlan),
            ],
        }
    }

    /// What a reference to this kind is called, in messages.
    fn noun(self) -> &'static str {
        match self {
            Kind::Properties => "property",
            Kind::Events => "event",
            Kind::Categories => "category",
            Kind::CustomTypes => "custom type",
            Kind::TrackingPlan => "tracking plan",
        }
    }

    /// The path segment of a `rudder/v0.1` reference and the prefix of a `rudder/v1` one.
    fn ref_names(self) -> (&'static str, &'static str) {
        match self {
            Kind::Properties => ("properties", "property"),
            Kind::Events => ("events", "event"),
            Kind::Categories => ("categories", "category"),
            Kind::CustomTypes => ("custom-types", "custom-type"),
            Kind::TrackingPlan => ("tp", "tracking-plan"),
        }
    }
}

/// One definition (a property, an event …) with where it was written.
struct Def<'a> {
    file: FileId,
    version: Version,
    /// `metadata.name` of its document: the group of `rudder/v0.1` references.
    group: String,
    item: &'a Node,
    id: String,
}

/// Every definition of the catalog by kind and id, in file order.
#[derive(Default)]
struct Catalog<'a> {
    defs: BTreeMap<(Kind, String), Vec<Def<'a>>>,
    plans: Vec<Def<'a>>,
}

/// A tracking-plan rule as the event's document will carry it.
struct Rule<'a> {
    file: FileId,
    version: Version,
    /// The `event` reference (`rudder/v0.1`: the `$ref` inside `event`).
    event_ref: &'a Node,
    node: &'a Node,
    plan: String,
}

/// Adapts the rudder-cli files of one catalog.
pub(super) fn adapt(sources: &Sources, files: &[FileId], out: &mut Adapted) {
    let mut catalog = Catalog::default();
    for &file in files {
        let mut d = Decoder::new(file);
        for doc in sources.documents(file) {
            envelope(&mut d, doc, &mut catalog);
        }
        out.findings.append(&mut d.findings);
    }
    let mut rules: BTreeMap<String, Rule> = BTreeMap::new();
    for plan in &catalog.plans {
        let mut d = Decoder::new(plan.file);
        tracking_plan(&mut d, &catalog, plan, &mut rules);
        out.findings.append(&mut d.findings);
    }
    for ((kind, id), defs) in &catalog.defs {
        // A second definition of an id is decoded too: `duplicate-name` reports it.
        for def in defs {
            let mut d = Decoder::new(def.file);
            match kind {
                Kind::Properties => {
                    let doc = property(&mut d, &catalog, def);
                    out.docs.entry(def.file).or_default().push(doc);
                }
                Kind::Events => {
                    let rule = rules.remove(id);
                    let file = rule.as_ref().map_or(def.file, |r| r.file);
                    let mut r = Decoder::new(file);
                    let doc = event(&mut d, &mut r, &catalog, def, rule.as_ref());
                    out.findings.append(&mut r.findings);
                    out.docs.entry(file).or_default().push(doc);
                }
                Kind::CustomTypes => custom_type_fields(&mut d, def),
                Kind::Categories | Kind::TrackingPlan => {}
            }
            out.findings.append(&mut d.findings);
        }
    }
}

/// Reads one document's envelope and records its definitions.
fn envelope<'a>(d: &mut Decoder, doc: &'a Node, catalog: &mut Catalog<'a>) {
    if doc.value == Value::Null {
        return;
    }
    if let Some(kind) = native_kind(doc) {
        d.report(
            &INVALID_VALUE,
            kind.span.clone(),
            format!(
                "a contrail resource (`kind: {}`) in a rudder-cli project: it is not read",
                kind.as_str().unwrap_or_default()
            ),
            Some(
                "keep contrail's own files outside the directory that `catalogs:` names (or, for \
                 `contrail import`, pass that directory, not the contract)"
                    .into(),
            ),
        );
        return;
    }
    let Some(f) = d.mapping(doc, "rudder-cli document", ENVELOPE) else {
        return;
    };
    for key in ENVELOPE {
        f.expect(d, key);
    }
    let Some(version) = f.string(d, "version") else {
        return;
    };
    let Some(&(_, version_kind)) = VERSIONS.iter().find(|(v, _)| *v == version.value) else {
        d.report(
            &INVALID_VALUE,
            version.span,
            format!("unknown rudder-cli spec version `{}`", version.value),
            Some("contrail reads `rudder/v0.1` (also written `rudder/0.1`) and `rudder/v1`".into()),
        );
        return;
    };
    let Some(kind_text) = f.string(d, "kind") else {
        return;
    };
    let choices = Kind::choices(version_kind);
    let Some(&(_, kind)) = choices.iter().find(|(k, _)| *k == kind_text.value) else {
        let other = match version_kind {
            Version::V0 => Kind::choices(Version::V1),
            Version::V1 => Kind::choices(Version::V0),
        };
        let help = if other.iter().any(|(k, _)| *k == kind_text.value) {
            format!(
                "`{}` is a kind of the other spec version; in `{}` write one of: {}",
                kind_text.value,
                version.value,
                names(choices)
            )
        } else {
            suggest::help(&kind_text.value, choices.iter().map(|(k, _)| *k))
                .unwrap_or_else(|| format!("use one of: {}", names(choices)))
        };
        d.report(
            &INVALID_VALUE,
            kind_text.span,
            format!("unknown rudder-cli kind `{}`", kind_text.value),
            Some(help),
        );
        return;
    };
    let group = f
        .get("metadata")
        .and_then(|m| d.mapping(m, "metadata", METADATA))
        .and_then(|m| m.required_string(d, "name"))
        .map(|s| s.value)
        .unwrap_or_default();
    let Some(spec) = f.get("spec") else {
        return;
    };
    let (what, list_key, allowed): (&str, &str, &[&str]) = match kind {
        Kind::Properties => ("properties spec", "properties", &["properties"]),
        Kind::Events => ("events spec", "events", &["events"]),
        Kind::Categories => ("categories spec", "categories", &["categories"]),
        Kind::CustomTypes => ("custom-types spec", "types", &["types"]),
        Kind::TrackingPlan => {
            let plan = &["id", "display_name", "description", "rules"];
            if let Some(s) = d.mapping(spec, "tracking plan", plan) {
                if let Some(id) = s.required_string(d, "id") {
                    catalog.plans.push(Def {
                        file: d.file,
                        version: version_kind,
                        group,
                        item: spec,
                        id: id.value,
                    });
                }
            }
            return;
        }
    };
    let Some(s) = d.mapping(spec, what, allowed) else {
        return;
    };
    s.expect(d, list_key);
    s.list_of(d, list_key, |d, _, item| {
        let f = d.mapping(item, kind.noun(), item_fields(kind, version_kind))?;
        let id = f.required_string(d, "id")?;
        catalog
            .defs
            .entry((kind, id.value.clone()))
            .or_default()
            .push(Def {
                file: d.file,
                version: version_kind,
                group: group.clone(),
                item,
                id: id.value,
            });
        Some(())
    });
}

fn names<T>(choices: &[(&str, T)]) -> String {
    choices
        .iter()
        .map(|(k, _)| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn item_fields(kind: Kind, version: Version) -> &'static [&'static str] {
    match (kind, version) {
        (Kind::Properties, Version::V0) => &["id", "name", "description", "type", "propConfig"],
        (Kind::Properties, Version::V1) => &[
            "id",
            "name",
            "description",
            "type",
            "types",
            "item_type",
            "item_types",
            "config",
        ],
        (Kind::Events, _) => &["id", "name", "event_type", "description", "category"],
        (Kind::Categories, _) => &["id", "name"],
        (Kind::CustomTypes, Version::V0) => &[
            "id",
            "name",
            "description",
            "type",
            "config",
            "properties",
            "variants",
        ],
        (Kind::CustomTypes, Version::V1) => &[
            "id",
            "name",
            "description",
            "type",
            "item_type",
            "item_types",
            "config",
            "properties",
            "variants",
        ],
        (Kind::TrackingPlan, _) => &[],
    }
}

impl<'a> Catalog<'a> {
    /// The definition a reference names, or a finding at the reference. `expected` is the
    /// kind the reference must be of.
    fn resolve(
        &self,
        d: &mut Decoder,
        version: Version,
        reference: &Node,
        expected: Kind,
    ) -> Option<&Def<'a>> {
        let text = reference.as_str().unwrap_or_default();
        let (segment, prefix) = expected.ref_names();
        let parsed = match version {
            Version::V0 => text
                .strip_prefix("#/")
                .and_then(|rest| rest.strip_prefix(segment))
                .and_then(|rest| rest.strip_prefix('/'))
                .and_then(|rest| rest.split_once('/'))
                .filter(|(g, id)| !g.is_empty() && !id.is_empty() && !id.contains('/'))
                .map(|(g, id)| (Some(g), id)),
            Version::V1 => text
                .strip_prefix('#')
                .and_then(|rest| rest.strip_prefix(prefix))
                .and_then(|rest| rest.strip_prefix(':'))
                .filter(|id| !id.is_empty())
                .map(|id| (None, id)),
        };
        let Some((group, id)) = parsed else {
            let form = match version {
                Version::V0 => format!("`#/{segment}/<group>/<id>`"),
                Version::V1 => format!("`#{prefix}:<id>`"),
            };
            let found = match reference.as_str() {
                Some(s) => format!("`{s}`"),
                None => reference.value.type_name().to_string(),
            };
            d.report(
                &INVALID_VALUE,
                reference.span.clone(),
                format!(
                    "a {} reference must look like {form}, found {found}",
                    expected.noun()
                ),
                None,
            );
            return None;
        };
        let defs = self.defs.get(&(expected, id.to_string()));
        let found =
            defs.and_then(|defs| defs.iter().find(|def| group.is_none_or(|g| def.group == g)));
        if found.is_none() {
            let known = self
                .defs
                .range((expected, String::new())..)
                .take_while(|((k, _), _)| *k == expected)
                .map(|((_, id), _)| id.as_str());
            let help = match (group, defs) {
                (Some(_), Some(defs)) => Some(format!(
                    "`{id}` is defined in the group `{}` (the `metadata.name` of its file)",
                    defs[0].group
                )),
                _ => suggest::help(id, known),
            };
            d.report(
                &INVALID_VALUE,
                reference.span.clone(),
                format!(
                    "`{text}` refers to no {} of the rudder-cli catalog",
                    expected.noun()
                ),
                help,
            );
        }
        found
    }
}

/// A property as a native Property: its type and constraints, its own or its custom type's.
fn property(d: &mut Decoder, catalog: &Catalog, def: &Def) -> Node {
    let f = Fields {
        node: def.item,
        what: "property",
    };
    let id = f
        .get("id")
        .map_or(def.item.span.clone(), |n| n.span.clone());
    let mut doc = MapBuilder::resource("Property", &def.id, id);
    if let Some(description) = f.get("description") {
        doc.set("description", description.clone());
    }
    let config_key = match def.version {
        Version::V0 => "propConfig",
        Version::V1 => "config",
    };
    // The property's own constraints come first, so that they win over its custom type's.
    if let Some(config) = f.get(config_key) {
        constraints(d, config, &mut doc);
    }
    item_types(d, &f, &mut doc);
    if let Some(types) = f.get("types") {
        doc.set("type", types.clone());
    }
    if let Some(ty) = f.get("type") {
        match ty.as_str() {
            Some(text) if text.starts_with('#') => {
                if let Some(custom) = catalog.resolve(d, def.version, ty, Kind::CustomTypes) {
                    copy_custom_type(custom, ty.span.clone(), &mut doc);
                }
            }
            Some(text) => doc.set("type", primitive_types(d, text, ty.span.clone())),
            None => d.wrong_type(&f, "type", ty, "a type name or a custom-type reference"),
        }
    }
    doc.finish()
}

/// A `type` written `string` or `string,null` as the native type (one name, or a list).
fn primitive_types(d: &mut Decoder, text: &str, span: Range<u32>) -> Node {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    for part in &parts {
        if !PRIMITIVES.contains(part) {
            let help = suggest::help(part, PRIMITIVES.iter().copied())
                .unwrap_or_else(|| format!("use one of: {}", PRIMITIVES.join(", ")));
            d.report(
                &INVALID_VALUE,
                span.clone(),
                format!("`{part}` is not a rudder-cli type"),
                Some(help),
            );
        }
    }
    match parts.as_slice() {
        [one] => string(*one, span),
        _ => Node {
            span: span.clone(),
            value: Value::Seq(parts.iter().map(|p| string(*p, span.clone())).collect()),
        },
    }
}

/// The type and constraints of a custom type, written into a property at `at` (the
/// property's `type` reference: findings about them land there). Object custom types'
/// nested properties and variants are reported where the custom type is defined.
fn copy_custom_type(custom: &Def, at: Range<u32>, doc: &mut MapBuilder) {
    let f = Fields {
        node: custom.item,
        what: "custom type",
    };
    let relocated = |node: &Node| relocate(node, &at);
    if let Some(config) = f.get("config") {
        let mut copied = MapBuilder::new(at.clone());
        // The custom type's own problems are reported at its definition.
        let mut own = Decoder::new(custom.file);
        constraints(&mut own, config, &mut copied);
        if let Value::Map(entries) = copied.finish().value {
            for (k, v) in entries {
                if let Some(key) = k.as_str() {
                    doc.set_at(key, at.clone(), relocated(&v));
                }
            }
        }
    }
    let mut items = MapBuilder::new(at.clone());
    let mut own = Decoder::new(custom.file);
    item_types(&mut own, &f, &mut items);
    if let Value::Map(entries) = items.finish().value {
        for (_, v) in entries {
            doc.set_at("items", at.clone(), relocated(&v));
        }
    }
    if let Some(ty) = f.get("type").and_then(Node::as_str) {
        let mut own = Decoder::new(custom.file);
        doc.set("type", primitive_types(&mut own, ty, at.clone()));
    }
}

/// `node` with every span moved to `at` (a value copied from another place of the catalog).
fn relocate(node: &Node, at: &Range<u32>) -> Node {
    let value = match &node.value {
        Value::Seq(items) => Value::Seq(items.iter().map(|n| relocate(n, at)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (relocate(k, at), relocate(v, at)))
                .collect(),
        ),
        other => other.clone(),
    };
    Node {
        span: at.clone(),
        value,
    }
}

/// The custom type's problems of its own (fields that cannot be mapped), once, at its
/// definition.
fn custom_type_fields(d: &mut Decoder, def: &Def) {
    let f = Fields {
        node: def.item,
        what: "custom type",
    };
    if let Some(config) = f.get("config") {
        constraints(d, config, &mut MapBuilder::new(config.span.clone()));
    }
    for key in ["properties", "variants"] {
        if let Some((k, _)) = def.item.get_entry(key) {
            d.findings.push(unmapped(
                d.file,
                k.span.clone(),
                format!("the `{key}` of custom type `{}` are not checked: contrail's object properties have no nested properties", def.id),
            ));
        }
    }
    if let Some(ty) = f.get("type").and_then(Node::as_str) {
        primitive_types(d, ty, f.get("type").map_or(0..0, |n| n.span.clone()));
    }
}

/// v1 `item_type` / `item_types` as the native `items: {type: ...}`.
fn item_types(d: &mut Decoder, f: &Fields, doc: &mut MapBuilder) {
    for key in ["item_type", "item_types"] {
        let Some(node) = f.get(key) else { continue };
        let ty = match node.as_str() {
            Some(text) => primitive_types(d, text, node.span.clone()),
            None => node.clone(),
        };
        let (key_node, _) = f.node.get_entry(key).expect("the key just read");
        let mut items = MapBuilder::new(node.span.clone());
        items.set_at("type", key_node.span.clone(), ty);
        doc.set_at("items", key_node.span.clone(), items.finish());
    }
}

/// Constraints from a `propConfig` / `config` mapping (camelCase or snake_case), under
/// contrail's names; the ones contrail has no field for are `construct-unmapped` findings.
fn constraints(d: &mut Decoder, config: &Node, doc: &mut MapBuilder) {
    let Some(entries) = config.as_map() else {
        d.report(
            &INVALID_VALUE,
            config.span.clone(),
            format!(
                "a property's config must be a mapping, found {}",
                config.value.type_name()
            ),
            None,
        );
        return;
    };
    for (key, value) in entries {
        let Some(name) = key.as_str() else { continue };
        let native = match name {
            "enum" => "enum",
            "pattern" => "pattern",
            "format" => "format",
            "minimum" => "minimum",
            "maximum" => "maximum",
            "minLength" | "min_length" => "min_length",
            "maxLength" | "max_length" => "max_length",
            "minItems" | "min_items" => "min_items",
            "maxItems" | "max_items" => "max_items",
            "itemTypes" | "item_types" => {
                let mut items = MapBuilder::new(value.span.clone());
                items.set_at("type", key.span.clone(), value.clone());
                doc.set_at("items", key.span.clone(), items.finish());
                continue;
            }
            "multipleOf" | "multiple_of" | "exclusiveMinimum" | "exclusive_minimum"
            | "exclusiveMaximum" | "exclusive_maximum" | "uniqueItems" | "unique_items" => {
                d.findings.push(unmapped(
                    d.file,
                    key.span.clone(),
                    format!("`{name}` is not checked: contrail has no such constraint"),
                ));
                continue;
            }
            other => {
                let known = [
                    "enum",
                    "pattern",
                    "format",
                    "minimum",
                    "maximum",
                    "minLength",
                    "maxLength",
                    "min_length",
                    "max_length",
                    "minItems",
                    "maxItems",
                    "min_items",
                    "max_items",
                    "itemTypes",
                    "item_types",
                    "multipleOf",
                    "multiple_of",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "uniqueItems",
                ];
                let help = suggest::help(other, known.iter().copied());
                d.report(
                    &UNKNOWN_FIELD,
                    key.span.clone(),
                    format!("unknown field `{other}` in a property's config"),
                    help,
                );
                continue;
            }
        };
        doc.set_at(native, key.span.clone(), value.clone());
    }
}

pub(super) fn unmapped(file: FileId, range: Range<u32>, message: String) -> Finding {
    Finding::new(&UNMAPPED, Anchor::span(file, range), message)
}

/// Reads a tracking plan's rules: the first rule of each event is the one its document
/// carries; a later one for the same event is reported.
fn tracking_plan<'a>(
    d: &mut Decoder,
    catalog: &Catalog<'a>,
    plan: &Def<'a>,
    rules: &mut BTreeMap<String, Rule<'a>>,
) {
    let f = Fields {
        node: plan.item,
        what: "tracking plan",
    };
    let rule_fields: &[&str] = match plan.version {
        Version::V0 => &["type", "id", "event", "properties", "includes", "variants"],
        Version::V1 => &[
            "type",
            "id",
            "event",
            "identity_section",
            "additional_properties",
            "properties",
            "includes",
            "variants",
        ],
    };
    f.list_of(d, "rules", |d, _, node| {
        let r = d.mapping(node, "tracking-plan rule", rule_fields)?;
        r.expect(d, "type");
        if let Some(ty) = r.string(d, "type") {
            if ty.value != "event_rule" {
                d.report(
                    &INVALID_VALUE,
                    ty.span,
                    format!("unknown tracking-plan rule type `{}`", ty.value),
                    Some("rudder-cli tracking plans hold `event_rule` rules".into()),
                );
                return None;
            }
        }
        r.expect(d, "event");
        let event_ref = match plan.version {
            Version::V0 => {
                let e = d.mapping(
                    r.get("event")?,
                    "rule event",
                    &["$ref", "allow_unplanned", "identity_section"],
                )?;
                e.expect(d, "$ref");
                e.bool(d, "allow_unplanned");
                e.choice(d, "identity_section", IDENTITY_SECTIONS);
                e.get("$ref")?
            }
            Version::V1 => {
                r.bool(d, "additional_properties");
                r.choice(d, "identity_section", IDENTITY_SECTIONS);
                r.get("event")?
            }
        };
        let event = catalog.resolve(d, plan.version, event_ref, Kind::Events)?;
        if let Some(first) = rules.get(&event.id) {
            let finding = unmapped(
                d.file,
                event_ref.span.clone(),
                format!(
                    "event `{}` is also planned by tracking plan `{}`: contrail keeps one property list per event, the first one's",
                    event.id, first.plan
                ),
            )
            .with_related(Anchor::span(first.file, first.event_ref.span.clone()), "the rule contrail reads");
            d.findings.push(finding);
            return None;
        }
        rules.insert(
            event.id.clone(),
            Rule {
                file: d.file,
                version: plan.version,
                event_ref,
                node,
                plan: plan.id.clone(),
            },
        );
        Some(())
    });
}

/// An event as a native Event, with its rule's properties when a tracking plan has one.
/// `d` reports at the event's definition, `r` at its rule.
fn event(
    d: &mut Decoder,
    r: &mut Decoder,
    catalog: &Catalog,
    def: &Def,
    rule: Option<&Rule>,
) -> Node {
    let f = Fields {
        node: def.item,
        what: "event",
    };
    f.choice(d, "event_type", EVENT_TYPES);
    let category = f
        .get("category")
        .and_then(|c| catalog.resolve(d, def.version, c, Kind::Categories));
    let Some(rule) = rule else {
        let id = f
            .get("id")
            .map_or(def.item.span.clone(), |n| n.span.clone());
        let mut doc = MapBuilder::resource("Event", &def.id, id.clone());
        if let Some(description) = f.get("description") {
            doc.set("description", description.clone());
        }
        if let Some(category) = category {
            doc.set(
                "domain",
                string(
                    &category.id,
                    f.get("category").map_or(id, |n| n.span.clone()),
                ),
            );
        }
        return doc.finish();
    };
    let at = rule.event_ref.span.clone();
    let mut doc = MapBuilder::resource("Event", &def.id, at.clone());
    if let Some(description) = f.get("description") {
        doc.set("description", relocate(description, &at));
    }
    if let Some(category) = category {
        doc.set("domain", string(&category.id, at.clone()));
    }
    let rf = Fields {
        node: rule.node,
        what: "tracking-plan rule",
    };
    let open = match rule.version {
        Version::V0 => rf.get("event").and_then(|e| e.get_entry("allow_unplanned")),
        Version::V1 => rule.node.get_entry("additional_properties"),
    };
    if let Some((key, value)) = open.filter(|(_, v)| matches!(v.value, Value::Bool(_))) {
        doc.set_at("additional_properties", key.span.clone(), value.clone());
    }
    let mut refs: Vec<Node> = Vec::new();
    rule_properties(
        r,
        catalog,
        rule.version,
        rf.get("properties"),
        true,
        &mut refs,
    );
    if let Some((key, _)) = rule.node.get_entry("includes") {
        r.findings.push(unmapped(
            r.file,
            key.span.clone(),
            "`includes` (property groups) is not read: list the properties in the rule".into(),
        ));
    }
    if let Some(variants) = rf.get("variants") {
        variant_properties(r, catalog, rule.version, variants, &mut refs);
    }
    if !refs.is_empty() {
        let span = rf.get("properties").map_or(at, |p| p.span.clone());
        doc.set(
            "properties",
            Node {
                span,
                value: Value::Seq(refs),
            },
        );
    }
    doc.finish()
}

/// A rule's property references as native property refs (`{ref, required}`), each at its
/// reference. `as_written` keeps `required`; variant properties are optional (required in
/// one case only, so not in every payload).
fn rule_properties(
    d: &mut Decoder,
    catalog: &Catalog,
    version: Version,
    list: Option<&Node>,
    as_written: bool,
    refs: &mut Vec<Node>,
) {
    let Some(list) = list else { return };
    let Some(items) = seq(d, list, "properties") else {
        return;
    };
    let (ref_key, fields): (&str, &[&str]) = match version {
        Version::V0 => (
            "$ref",
            &["$ref", "required", "properties", "additionalProperties"],
        ),
        Version::V1 => (
            "property",
            &[
                "property",
                "required",
                "properties",
                "additional_properties",
            ],
        ),
    };
    for item in items {
        let Some(p) = d.mapping(item, "rule property", fields) else {
            continue;
        };
        p.expect(d, ref_key);
        let required = p.bool(d, "required");
        let Some(reference) = p.get(ref_key) else {
            continue;
        };
        let Some(target) = catalog.resolve(d, version, reference, Kind::Properties) else {
            continue;
        };
        if let Some((key, _)) = item.get_entry("properties") {
            d.findings.push(unmapped(
                d.file,
                key.span.clone(),
                format!("the nested properties of `{}` are not checked: contrail's object properties have no nested properties", target.id),
            ));
        }
        if refs
            .iter()
            .any(|r| r.get("ref").and_then(Node::as_str) == Some(target.id.as_str()))
        {
            continue;
        }
        let mut r = MapBuilder::new(item.span.clone());
        r.set("ref", string(&target.id, reference.span.clone()));
        let required_node = p
            .get("required")
            .filter(|_| as_written && required.is_some());
        if let Some(node) = required_node {
            r.set("required", node.clone());
        }
        refs.push(r.finish());
    }
}

/// The properties of a rule's variants (`discriminator` cases and default), as optional refs.
fn variant_properties(
    d: &mut Decoder,
    catalog: &Catalog,
    version: Version,
    variants: &Node,
    refs: &mut Vec<Node>,
) {
    let Some(items) = seq(d, variants, "variants") else {
        return;
    };
    for variant in items {
        let Some(v) = d.mapping(
            variant,
            "variant",
            &["type", "discriminator", "cases", "default"],
        ) else {
            continue;
        };
        v.expect(d, "type");
        if let Some(ty) = v.string(d, "type") {
            if ty.value != "discriminator" {
                d.report(
                    &INVALID_VALUE,
                    ty.span,
                    format!("unknown variant type `{}`", ty.value),
                    Some("rudder-cli variants are of type `discriminator`".into()),
                );
            }
        }
        v.expect(d, "discriminator");
        if let Some(discriminator) = v.get("discriminator") {
            catalog.resolve(d, version, discriminator, Kind::Properties);
        }
        v.expect(d, "cases");
        v.list_of(d, "cases", |d, _, case| {
            let c = d.mapping(
                case,
                "variant case",
                &["display_name", "match", "description", "properties"],
            )?;
            c.expect(d, "match");
            c.expect(d, "properties");
            rule_properties(d, catalog, version, c.get("properties"), false, refs);
            Some(())
        });
        match (version, v.get("default")) {
            (Version::V0, default) => rule_properties(d, catalog, version, default, false, refs),
            (Version::V1, Some(default)) => {
                if let Some(f) = d.mapping(default, "variant default", &["properties"]) {
                    rule_properties(d, catalog, version, f.get("properties"), false, refs);
                }
            }
            (Version::V1, None) => {}
        }
    }
}

fn seq<'n>(d: &mut Decoder, node: &'n Node, key: &str) -> Option<&'n [Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        other => {
            d.report(
                &INVALID_VALUE,
                node.span.clone(),
                format!("`{key}` must be a list, found {}", other.type_name()),
                None,
            );
            None
        }
    }
}

/// The `kind` of a document written in contrail's own format (a native kind, and neither
/// `version` nor `spec`): a contract file where a rudder-cli one was expected.
fn native_kind(doc: &Node) -> Option<&Node> {
    let kind = doc.get("kind")?;
    let native = kind
        .as_str()
        .is_some_and(|k| NativeKind::ALL.iter().any(|n| n.as_str() == k));
    (native && doc.get("version").is_none() && doc.get("spec").is_none()).then_some(kind)
}
