//! JSON Schema event catalogs: a directory of plain JSON Schema files, one event per file
//! (`format: jsonschema`; the event is the schema's `title`, else the file name), and
//! Snowplow Iglu registries (`format: iglu`: `schemas/<vendor>/<name>/jsonschema/<version>`,
//! self-describing schemas whose `self` names them; the event is `<name>`, from the highest
//! version, whose MODEL is its `version`).
//!
//! Each top-level property of the event's schema becomes a Property named by its key, with
//! the event's `required` list and `additionalProperties`. Properties are one namespace: a
//! key defined differently by two events keeps its first definition, and the other is a
//! `construct-unmapped` finding. What contrail cannot express (nested object properties,
//! remote `$ref`, `oneOf` branches of different shapes, constraints it has no field for) is a
//! `construct-unmapped` finding naming the construct; the rest of the schema is still read.

use std::collections::BTreeMap;
use std::ops::Range;

use super::rudder::unmapped;
use super::tree::{string, MapBuilder};
use super::Adapted;
use crate::finding::Anchor;
use crate::source::decode::{Decoder, INVALID_VALUE};
use crate::source::yaml::{Node, Value};
use crate::source::{FileId, Sources};

/// Keywords that describe rather than constrain: read where contrail has a field for them
/// (`description`, `default`), otherwise passed over.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "id",
    "$comment",
    "title",
    "description",
    "examples",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "self",
];

/// Constraints with a contrail field of the same meaning: JSON Schema name → contrail name.
const CONSTRAINTS: &[(&str, &str)] = &[
    ("format", "format"),
    ("enum", "enum"),
    ("pattern", "pattern"),
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("minLength", "min_length"),
    ("maxLength", "max_length"),
    ("minItems", "min_items"),
    ("maxItems", "max_items"),
];

/// `$ref` chains longer than this are cycles (or hostile), and reported.
const MAX_REFS: usize = 32;

/// `$ref`s followed in one file at most: definitions that refer twice to the next one
/// (through `items` and a union) expand to twice as much per level.
const MAX_EXPANSIONS: usize = 4096;

/// An Iglu schema version, `MODEL-REVISION-ADDITION`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaVer {
    pub model: u64,
    pub revision: u64,
    pub addition: u64,
}

impl SchemaVer {
    /// The largest number of a version part: bounded so that counting on from any
    /// version is plain arithmetic, never an overflow.
    pub const MAX_PART: u64 = u32::MAX as u64;

    pub fn parse(text: &str) -> Option<SchemaVer> {
        let mut parts = text.split('-').map(|p| {
            (!p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p == "0" || !p.starts_with('0')))
            .then(|| p.parse::<u64>().ok().filter(|n| *n <= SchemaVer::MAX_PART))
            .flatten()
        });
        let v = SchemaVer {
            model: parts.next()??,
            revision: parts.next()??,
            addition: parts.next()??,
        };
        (parts.next().is_none() && v.model >= 1).then_some(v)
    }
}

impl std::fmt::Display for SchemaVer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{}", self.model, self.revision, self.addition)
    }
}

/// An Iglu file's place: vendor, name and version from its path
/// (`<catalog>/schemas/<vendor>/<name>/jsonschema/<version>`).
pub fn iglu_path(rel_path: &str) -> Option<(&str, &str, SchemaVer)> {
    let mut parts = rel_path.rsplit('/');
    let version = SchemaVer::parse(parts.next()?)?;
    (parts.next()? == "jsonschema").then_some(())?;
    let name = parts.next()?;
    let vendor = parts.next()?;
    (parts.next()? == "schemas").then_some((vendor, name, version))
}

/// Adapts a directory of plain JSON Schema files: one event per file.
pub(super) fn adapt_plain(sources: &Sources, files: &[FileId], out: &mut Adapted) {
    let mut seen = BTreeMap::new();
    for &file in files {
        let Some(root) = sources.documents(file).first() else {
            continue;
        };
        let rel = &sources.map.get(file).rel_path;
        let stem = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".json");
        let title = root.get("title").filter(|t| t.as_str().is_some());
        // Without a title, the event is placed at the schema's opening brace.
        let brace = root.span.start..root.span.start + 1;
        let name = title.map_or(string(stem, brace), Node::clone);
        event(file, root, &name, None, &mut seen, out);
    }
}

/// Adapts an Iglu registry: every version of each schema, the newest one as its event;
/// every file's path must be a SchemaVer path and agree with its `self`.
pub(super) fn adapt_iglu(sources: &Sources, files: &[FileId], out: &mut Adapted) {
    let mut schemas: BTreeMap<(String, String), Vec<(SchemaVer, FileId)>> = BTreeMap::new();
    for &file in files {
        let rel = &sources.map.get(file).rel_path;
        let Some(root) = sources.documents(file).first() else {
            continue;
        };
        let mut d = Decoder::new(file);
        let Some((vendor, name, version)) = iglu_path(rel) else {
            d.report(
                &INVALID_VALUE,
                0..0,
                format!("`{rel}` is not an Iglu schema path"),
                Some("Iglu schemas live at `schemas/<vendor>/<name>/jsonschema/<MODEL-REVISION-ADDITION>`, e.g. `schemas/com.acme/checkout_started/jsonschema/1-0-0`, each number at most 4294967295".into()),
            );
            out.findings.append(&mut d.findings);
            continue;
        };
        self_describes(&mut d, root, vendor, name, version);
        out.findings.append(&mut d.findings);
        schemas
            .entry((vendor.to_string(), name.to_string()))
            .or_default()
            .push((version, file));
    }
    let mut seen = BTreeMap::new();
    for ((vendor, name), mut versions) in schemas {
        versions.sort();
        let newest = versions.len() - 1;
        for (i, &(version, file)) in versions.iter().enumerate() {
            let Some(root) = sources.documents(file).first() else {
                continue;
            };
            let me = root.get("self");
            let at = me
                .and_then(|s| s.get("name"))
                .map_or(root.span.clone(), |n| n.span.clone());
            let version_node = Node {
                span: me
                    .and_then(|s| s.get("version"))
                    .map_or(at.clone(), |n| n.span.clone()),
                value: Value::Int(i64::try_from(version.model).unwrap_or(i64::MAX)),
            };
            // Property definitions are compared across the events of the model only.
            let mut own = BTreeMap::new();
            let seen = if i == newest { &mut seen } else { &mut own };
            event(
                file,
                root,
                &string(&name, at),
                Some(version_node),
                seen,
                out,
            );
            if i != newest {
                out.older.insert(file);
            }
        }
        out.versions.push(super::Versioned {
            schema: format!("{vendor}/{name}"),
            versions: versions
                .into_iter()
                .map(|(version, file)| super::Version {
                    version,
                    file,
                    complete: true,
                })
                .collect(),
        });
    }
}

/// `self: {vendor, name, format, version}` agrees with the file's path.
fn self_describes(d: &mut Decoder, root: &Node, vendor: &str, name: &str, version: SchemaVer) {
    let Some(me) = root.get("self") else {
        d.report(
            &crate::source::decode::MISSING_FIELD,
            root.span.start..root.span.start + 1,
            "this Iglu schema has no `self` (vendor, name, format, version)",
            Some("a self-describing schema starts with `\"self\": {\"vendor\": ..., \"name\": ..., \"format\": \"jsonschema\", \"version\": \"1-0-0\"}`".into()),
        );
        return;
    };
    let Some(fields) = d.mapping(me, "self", &["vendor", "name", "format", "version"]) else {
        return;
    };
    let version_text = version.to_string();
    for (key, expected) in [
        ("vendor", vendor),
        ("name", name),
        ("format", "jsonschema"),
        ("version", version_text.as_str()),
    ] {
        fields.expect(d, key);
        if let Some(value) = fields.string(d, key) {
            if value.value != expected {
                d.report(
                    &INVALID_VALUE,
                    value.span,
                    format!("`self.{key}` is `{}` but the file's path says `{expected}`", value.value),
                    Some("an Iglu schema's path and its `self` must agree: move the file or fix `self`".into()),
                );
            }
        }
    }
}

/// A property key's first definition: its file and schema, to compare later ones with.
type Seen = BTreeMap<String, (FileId, Range<u32>, serde_json::Value)>;

/// One event (and its properties) from the schema `root` of `file`, named by `name`.
fn event(
    file: FileId,
    root: &Node,
    name: &Node,
    version: Option<Node>,
    seen: &mut Seen,
    out: &mut Adapted,
) {
    let mut d = Decoder::new(file);
    let name_text = name.as_str().unwrap_or_default().to_string();
    let mut doc = MapBuilder::resource("Event", &name_text, name.span.clone());
    if let Some(description) = root.get("description") {
        doc.set("description", description.clone());
    }
    if let Some(version) = version {
        doc.set("version", version);
    }
    let mut r = Resolver {
        root,
        file,
        d: &mut d,
        visiting: Vec::new(),
        expanded: 0,
    };
    let Some(schema) = r.follow(root) else {
        out.findings.append(&mut d.findings);
        return;
    };
    r.check_keywords(
        schema,
        &[
            "type",
            "properties",
            "required",
            "additionalProperties",
            "definitions",
            "$defs",
        ],
    );
    if let Some(ty) = schema.get("type") {
        if ty.as_str() != Some("object") {
            // A valid schema (a list of contexts, say), but not one contrail can read as an
            // event's payload: nothing of it is checked or compared.
            r.d.findings.push(unmapped(
                file,
                ty.span.clone(),
                "a schema whose `type` is not `\"object\"` is not checked: contrail reads an event's payload as an object of properties".into(),
            ));
        }
    }
    let mut required: Vec<&str> = Vec::new();
    if let Some(list) = schema.get("required") {
        // Anything but a list (a single name, say) is reported where it is.
        let items = match &list.value {
            Value::Seq(items) => items.as_slice(),
            _ => std::slice::from_ref(list),
        };
        for item in items {
            match item.as_str() {
                Some(name) if matches!(list.value, Value::Seq(_)) => required.push(name),
                _ => r.d.report(
                    &INVALID_VALUE,
                    item.span.clone(),
                    "`required` must be a list of property names",
                    None,
                ),
            }
        }
    }
    if let Some((key, value)) = schema.get_entry("additionalProperties") {
        match value.value {
            Value::Bool(_) => doc.set_at("additional_properties", key.span.clone(), value.clone()),
            _ => {
                r.d.findings.push(unmapped(
                    file,
                    key.span.clone(),
                    "a schema under `additionalProperties` is not checked: contrail's events are open (`true`) or closed (`false`); read as open".into(),
                ));
                doc.set_at(
                    "additional_properties",
                    key.span.clone(),
                    Node {
                        span: key.span.clone(),
                        value: Value::Bool(true),
                    },
                );
            }
        }
    } else {
        // JSON Schema's default: other properties are allowed.
        doc.set(
            "additional_properties",
            Node {
                span: name.span.clone(),
                value: Value::Bool(true),
            },
        );
    }
    let mut properties_out = Vec::new();
    // Definitions the model takes from another event: kept after the resources, so that
    // this version's own schema can still be compared with its neighbours.
    let mut elsewhere = Vec::new();
    let mut refs = Vec::new();
    if let Some(props) = schema.get("properties") {
        let Some(entries) = props.as_map() else {
            r.d.report(
                &INVALID_VALUE,
                props.span.clone(),
                "`properties` must be an object",
                None,
            );
            out.findings.append(&mut d.findings);
            return;
        };
        for (key, value) in entries {
            let Some(prop_name) = key.as_str() else {
                continue;
            };
            let mut item = MapBuilder::new(key.span.clone());
            item.set("ref", string(prop_name, key.span.clone()));
            if required.contains(&prop_name) {
                item.set(
                    "required",
                    Node {
                        span: key.span.clone(),
                        value: Value::Bool(true),
                    },
                );
            }
            refs.push(item.finish());
            let mut property = MapBuilder::resource("Property", prop_name, key.span.clone());
            r.value_schema(value, &mut property, 0);
            let property = property.finish();
            let shape = without_spans(&property);
            match seen.get(prop_name) {
                Some((first_file, first_span, first)) if *first != shape => {
                    let finding = unmapped(
                        file,
                        key.span.clone(),
                        format!("property `{prop_name}` is defined differently by another event; contrail keeps one definition per property name, the first one"),
                    )
                    .with_related(Anchor::span(*first_file, first_span.clone()), "the definition contrail reads");
                    r.d.findings.push(finding);
                    elsewhere.push(property);
                }
                Some(_) => elsewhere.push(property),
                None => {
                    seen.insert(prop_name.to_string(), (file, key.span.clone(), shape));
                    properties_out.push(property);
                }
            }
        }
        doc.set(
            "properties",
            Node {
                span: props.span.clone(),
                value: Value::Seq(refs),
            },
        );
    }
    out.findings.append(&mut d.findings);
    let docs = out.docs.entry(file).or_default();
    docs.push(doc.finish());
    docs.extend(properties_out);
    if !elsewhere.is_empty() {
        out.resources.insert(file, docs.len());
        docs.extend(elsewhere);
    }
}

/// A document's content as plain JSON (spans left out), to compare definitions.
fn without_spans(node: &Node) -> serde_json::Value {
    let mut value = node.to_json();
    if let serde_json::Value::Object(map) = &mut value {
        map.remove("kind");
    }
    value
}

/// Reads value schemas of one file, following its local `$ref`s.
struct Resolver<'a, 'd> {
    root: &'a Node,
    file: FileId,
    d: &'d mut Decoder,
    /// The `$ref`s being expanded: one met again refers back to itself (through `items`
    /// or a union), and expanding it would not end.
    visiting: Vec<&'a str>,
    /// `$ref`s followed so far, up to [`MAX_EXPANSIONS`].
    expanded: usize,
}

impl<'a> Resolver<'a, '_> {
    /// `node` with its local `$ref`s followed (`#/definitions/x`, `#/$defs/x`, any JSON
    /// pointer into this file); `None` (reported) for a remote or broken one.
    fn follow(&mut self, mut node: &'a Node) -> Option<&'a Node> {
        for _ in 0..MAX_REFS {
            let Some(reference) = node.get("$ref") else {
                return Some(node);
            };
            let Some(text) = reference.as_str() else {
                self.d.report(
                    &INVALID_VALUE,
                    reference.span.clone(),
                    "`$ref` must be a string",
                    None,
                );
                return None;
            };
            let Some(pointer) = text.strip_prefix('#') else {
                self.d.findings.push(unmapped(
                    self.file,
                    reference.span.clone(),
                    format!("the remote `$ref` `{text}` is not followed: contrail reads references inside the file (`#/definitions/...`, `#/$defs/...`)"),
                ));
                return None;
            };
            if self.visiting.contains(&text) {
                self.d.findings.push(unmapped(
                    self.file,
                    reference.span.clone(),
                    format!("the recursive schema `{text}` is not checked: it refers back to itself, and contrail's values have a finite shape"),
                ));
                return None;
            }
            self.expanded += 1;
            if self.expanded > MAX_EXPANSIONS {
                // Reported once: the rest of the file's references are not followed.
                if self.expanded == MAX_EXPANSIONS + 1 {
                    self.d.findings.push(unmapped(
                        self.file,
                        reference.span.clone(),
                        format!("`{text}` is not followed: the schema expands to more than {MAX_EXPANSIONS} references"),
                    ));
                }
                return None;
            }
            self.visiting.push(text);
            match pointer_get(self.root, pointer) {
                Some(target) => node = target,
                None => {
                    self.d.report(
                        &INVALID_VALUE,
                        reference.span.clone(),
                        format!("`$ref` `{text}` points at nothing in this file"),
                        None,
                    );
                    return None;
                }
            }
        }
        self.d.findings.push(unmapped(
            self.file,
            node.span.clone(),
            format!("`$ref` chain longer than {MAX_REFS}: a reference cycle is not followed"),
        ));
        None
    }

    /// Reports the keywords of `schema` that are neither annotations, `allowed`, nor
    /// constraints contrail has a field for.
    fn check_keywords(&mut self, schema: &Node, allowed: &[&str]) {
        for (key, _) in schema.as_map().unwrap_or_default() {
            let Some(k) = key.as_str() else { continue };
            let known = ANNOTATIONS.contains(&k)
                || allowed.contains(&k)
                || CONSTRAINTS.iter().any(|(name, _)| *name == k);
            if !known {
                self.d.findings.push(unmapped(
                    self.file,
                    key.span.clone(),
                    format!("`{k}` is not checked: contrail has no such construct"),
                ));
            }
        }
    }

    /// A property's (or an array's `items`) schema into `out`: type, constraints,
    /// description and default, under contrail's names.
    fn value_schema(&mut self, node: &'a Node, out: &mut MapBuilder, depth: usize) {
        // A description beside a `$ref` is the property's own (JSON Schema 2019-09 on).
        if let Some(description) = node.get("description").filter(|_| depth == 0) {
            out.set("description", description.clone());
        }
        let visiting = self.visiting.len();
        self.value_constraints(node, out, depth);
        self.visiting.truncate(visiting);
        if !out.has("type") {
            let ty = untyped(out.get("enum"), node.span.clone());
            out.set("type", ty);
        }
    }

    fn value_constraints(&mut self, node: &'a Node, out: &mut MapBuilder, depth: usize) {
        let Some(schema) = self.follow(node) else {
            return;
        };
        if schema.as_map().is_none() {
            if let Value::Bool(_) = schema.value {
                // `true` allows anything: no type, no constraint.
                return;
            }
            self.d.report(
                &INVALID_VALUE,
                schema.span.clone(),
                "a property's schema must be an object",
                None,
            );
            return;
        }
        self.check_keywords(
            schema,
            &[
                "type",
                "const",
                "items",
                "properties",
                "required",
                "additionalProperties",
                "oneOf",
                "anyOf",
                "definitions",
                "$defs",
            ],
        );
        if let Some(description) = schema.get("description").filter(|_| depth == 0) {
            out.set("description", description.clone());
        }
        if let Some(default) = schema.get("default").filter(|_| depth == 0) {
            out.set("default", default.clone());
        }
        if let Some(ty) = schema.get("type") {
            out.set("type", ty.clone());
        }
        for (name, native) in CONSTRAINTS {
            if let Some((key, value)) = schema.get_entry(name) {
                out.set_at(native, key.span.clone(), value.clone());
            }
        }
        if let Some((key, value)) = schema.get_entry("const") {
            out.set_at(
                "enum",
                key.span.clone(),
                Node {
                    span: value.span.clone(),
                    value: Value::Seq(vec![value.clone()]),
                },
            );
        }
        if let Some((key, items)) = schema.get_entry("items") {
            match items.value {
                Value::Map(_) => {
                    let mut inner = MapBuilder::new(items.span.clone());
                    self.value_schema(items, &mut inner, depth + 1);
                    out.set_at("items", key.span.clone(), inner.finish());
                }
                _ => self.d.findings.push(unmapped(
                    self.file,
                    key.span.clone(),
                    "`items` as a list (a tuple) is not checked: contrail's arrays have one item schema".into(),
                )),
            }
        }
        // Keywords of a nested object: contrail has nowhere to keep them.
        for keyword in ["required", "additionalProperties"] {
            if let Some((key, _)) = schema.get_entry(keyword) {
                self.d.findings.push(unmapped(
                    self.file,
                    key.span.clone(),
                    format!("`{keyword}` of a property's own object is not checked: contrail's object properties have no nested properties"),
                ));
            }
        }
        if let Some((key, _)) = schema.get_entry("properties") {
            self.d.findings.push(unmapped(
                self.file,
                key.span.clone(),
                "the nested properties of an object are not checked: contrail's object properties have no nested properties".into(),
            ));
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some((key, branches)) = schema.get_entry(combinator) {
                self.union(combinator, key, branches, out, depth);
            }
        }
    }

    /// `oneOf` / `anyOf` whose branches differ only in their type (`[{"type": "string"},
    /// {"type": "null"}]`) is a list of types; any other is reported, not checked.
    fn union(
        &mut self,
        combinator: &str,
        key: &Node,
        branches: &'a Node,
        out: &mut MapBuilder,
        depth: usize,
    ) {
        let Value::Seq(items) = &branches.value else {
            self.d.report(
                &INVALID_VALUE,
                branches.span.clone(),
                format!("`{combinator}` must be a list"),
                None,
            );
            return;
        };
        let mut types = Vec::new();
        let mut rest: Option<MapBuilder> = None;
        let visiting = self.visiting.len();
        for branch in items {
            // Branches are siblings: one's `$ref`s are not another's ancestors.
            self.visiting.truncate(visiting);
            let Some(branch) = self.follow(branch) else {
                return;
            };
            let only_type = branch.as_map().is_some_and(|m| {
                m.iter()
                    .all(|(k, _)| matches!(k.as_str(), Some("type" | "description" | "title")))
            });
            let ty = branch.get("type");
            match (ty, only_type, rest.is_none()) {
                (Some(ty), true, _) => types.push(ty.clone()),
                (Some(ty), false, true) => {
                    types.push(ty.clone());
                    let mut inner = MapBuilder::new(branch.span.clone());
                    self.value_constraints(branch, &mut inner, depth + 1);
                    rest = Some(inner);
                }
                _ => {
                    self.d.findings.push(unmapped(
                        self.file,
                        key.span.clone(),
                        format!("`{combinator}` with branches of different shapes is not checked: contrail reads a union of types, with constraints on at most one branch"),
                    ));
                    return;
                }
            }
        }
        if out.has("type") {
            self.d.findings.push(unmapped(
                self.file,
                key.span.clone(),
                format!("`{combinator}` beside `type` is not checked"),
            ));
            return;
        }
        let mut names = Vec::new();
        for ty in types {
            match ty.value {
                Value::Seq(list) => names.extend(list),
                _ => names.push(ty),
            }
        }
        out.set_at(
            "type",
            key.span.clone(),
            Node {
                span: branches.span.clone(),
                value: Value::Seq(names),
            },
        );
        if let Some(Value::Map(entries)) = rest.map(|b| b.finish().value) {
            for (k, v) in entries {
                if let Some(name) = k.as_str() {
                    if name != "type" {
                        out.set_at(name, k.span.clone(), v);
                    }
                }
            }
        }
    }
}

/// The type of a schema without `type` (or one not read): the types of its `enum` values
/// (`const` included, read as an `enum` of one), else every type, since JSON Schema then accepts any value.
fn untyped(values: Option<&Node>, span: Range<u32>) -> Node {
    let mut names: Vec<&str> = match values.map(|v| &v.value) {
        Some(Value::Seq(values)) if !values.is_empty() => values
            .iter()
            .map(|v| match v.value {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Int(_) => "integer",
                Value::Float(_) => "number",
                Value::Str(_) => "string",
                Value::Seq(_) => "array",
                Value::Map(_) => "object",
            })
            .collect(),
        _ => vec!["string", "number", "boolean", "object", "array", "null"],
    };
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [one] => string(*one, span),
        _ => Node {
            span: span.clone(),
            value: Value::Seq(names.iter().map(|n| string(*n, span.clone())).collect()),
        },
    }
}

/// The node a JSON pointer (RFC 6901, after the `#`) names in `root`.
fn pointer_get<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match &node.value {
            Value::Map(_) => node.get(&token)?,
            Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemaver_paths_are_read() {
        assert_eq!(
            iglu_path("registry/schemas/com.acme/checkout/jsonschema/1-0-2"),
            Some((
                "com.acme",
                "checkout",
                SchemaVer {
                    model: 1,
                    revision: 0,
                    addition: 2
                }
            ))
        );
        for bad in [
            "schemas/a/b/jsonschema/1-0",
            "schemas/a/b/avro/1-0-0",
            "schemas/a/b/jsonschema/0-1-0",
            "schemas/a/b/jsonschema/1-01-0",
            "schemas/a/b/jsonschema/18446744073709551615-0-0",
            "schemas/a/b/jsonschema/1-4294967296-0",
        ] {
            assert_eq!(iglu_path(bad), None, "{bad}");
        }
    }
}
