//! Anchors → file and byte range. An absent field lands on its nearest existing parent (on
//! the key, when a misspelt key stands for it); a resource-level finding on the resource's
//! `name:` value.

use std::ops::Range;

use crate::finding::{Anchor, FieldPath, Finding, Kind, PathSegment};
use crate::model::{self, overlay_section, Model, Origin, INVALID_DATE};
use crate::source::decode::{MisspeltKey, INVALID_VALUE};
use crate::source::yaml::{Node, Value};
use crate::source::{self, FileId, Sources};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: FileId,
    pub range: Range<u32>,
}

/// A finding with its place in the files.
#[derive(Clone, Debug)]
pub struct Located {
    pub finding: Finding,
    pub location: Option<Location>,
    pub related: Vec<(Option<Location>, String)>,
    /// Stable across unrelated edits: rule and anchor, no line numbers.
    pub fingerprint: String,
}

/// Every finding of a run, located, sorted and deduplicated.
#[derive(Clone, Debug, Default)]
pub struct LocatedFindings {
    pub findings: Vec<Located>,
}

impl LocatedFindings {
    /// How many findings have this severity.
    pub fn count(&self, severity: crate::rules::Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.finding.severity == severity)
            .count()
    }
}

/// The models anchors are resolved in: the contract's, and its base's when there is one.
#[derive(Clone, Copy)]
pub struct Models<'a> {
    pub head: &'a Model,
    pub base: Option<&'a Model>,
}

impl<'a> Models<'a> {
    pub fn head(head: &'a Model) -> Self {
        Self { head, base: None }
    }

    /// Every misspelt key of both sides.
    fn misspelt(self) -> impl Iterator<Item = &'a MisspeltKey> {
        let base = self.base.map(|b| b.misspelt.as_slice()).unwrap_or_default();
        self.head.misspelt.iter().chain(base)
    }
}

/// Locates, sorts by (file, position, code, message) and drops exact duplicates, and the
/// findings that rest on what could not be read (see [`unread`]).
pub fn locate(findings: Vec<Finding>, models: Models, sources: &Sources) -> LocatedFindings {
    let mut located: Vec<Located> = findings
        .into_iter()
        .map(|finding| {
            let location = resolve(&finding.anchor, models, sources);
            let related = finding
                .related
                .iter()
                .map(|l| (resolve(&l.anchor, models, sources), l.message.clone()))
                .collect();
            let fingerprint = fingerprint(&finding, sources);
            Located {
                finding,
                location,
                related,
                fingerprint,
            }
        })
        .collect();
    let path = |l: &Located| {
        l.location
            .as_ref()
            .map(|loc| sources.map.get(loc.file).rel_path.clone())
    };
    located.sort_by(|a, b| {
        path(a)
            .cmp(&path(b))
            .then_with(|| {
                let start = |l: &Located| {
                    l.location
                        .as_ref()
                        .map(|loc| (loc.range.start, loc.range.end))
                };
                start(a).cmp(&start(b))
            })
            .then_with(|| a.finding.rule.code.cmp(b.finding.rule.code))
            .then_with(|| a.finding.message.cmp(&b.finding.message))
    });
    located.dedup_by(|a, b| {
        a.finding.rule.code == b.finding.rule.code
            && a.location == b.location
            && a.finding.message == b.finding.message
    });
    let unread = unread(&located, models);
    located.retain(|l| !rests_on(l, &unread));
    LocatedFindings { findings: located }
}

/// Where a field was written but could not be read: a value that is `invalid-value` (`pii:
/// public`) or `invalid-date`, a misspelt key (`pi: direct`). Everything after decoding sees
/// such a field as absent, so whatever a check or a policy says there (`pii-unclassified`), or
/// with a label there, is about a value nobody wrote: the one finding is the reader's.
fn unread(located: &[Located], models: Models) -> Vec<Location> {
    let invalid = located
        .iter()
        .filter(|l| {
            [&INVALID_VALUE, &INVALID_DATE]
                .iter()
                .any(|r| std::ptr::eq(*r, l.finding.rule))
        })
        .filter_map(|l| l.location.clone());
    let misspelt = models.misspelt().map(|m| Location {
        file: m.file,
        range: m.key.clone(),
    });
    invalid.chain(misspelt).collect()
}

/// A finding of a later stage (not the readers' own) at an unread place, or pointing at one.
fn rests_on(l: &Located, unread: &[Location]) -> bool {
    let at_unread = |loc: &Option<Location>| loc.as_ref().is_some_and(|loc| unread.contains(loc));
    let mut readers = source::RULES.iter().chain(model::RULES);
    !readers.any(|r| std::ptr::eq(*r, l.finding.rule))
        && (at_unread(&l.location) || l.related.iter().any(|(loc, _)| at_unread(loc)))
}

pub fn resolve(anchor: &Anchor, models: Models, sources: &Sources) -> Option<Location> {
    match anchor {
        Anchor::Span { file, range } => Some(Location {
            file: *file,
            range: range.clone(),
        }),
        Anchor::File(file) => Some(Location {
            file: *file,
            range: 0..0,
        }),
        Anchor::Repo => None,
        Anchor::Resource { kind, name, field } => {
            in_model(models.head, *kind, name, field, sources, models)
        }
        Anchor::Base { kind, name, field } => {
            in_model(models.base?, *kind, name, field, sources, models)
        }
        Anchor::Document { origin, field } => {
            in_document(*origin, field.segments(), sources, models)
        }
    }
}

/// A field of a resource: in its Overlay entry when the overlay gives it, else where the
/// resource is defined.
fn in_model(
    model: &Model,
    kind: Kind,
    name: &str,
    field: &FieldPath,
    sources: &Sources,
    models: Models,
) -> Option<Location> {
    let origin = model.origin(kind, name)?;
    let overlay = model
        .overlaid
        .get(&(kind, name.to_string()))
        .zip(overlay_section(kind));
    if let (Some((overlay, section)), Some(PathSegment::Key(first))) =
        (overlay, field.segments().first())
    {
        let doc = sources.documents(overlay.file).get(overlay.doc);
        let entry = doc.and_then(|d| d.get(section)).and_then(|s| s.get(name));
        if entry.is_some_and(|e| e.get(first).is_some()) {
            let mut path = vec![
                PathSegment::Key(section.to_string()),
                PathSegment::Key(name.to_string()),
            ];
            path.extend(field.segments().iter().cloned());
            return in_document(*overlay, &path, sources, models);
        }
    }
    in_document(origin, field.segments(), sources, models)
}

fn in_document(
    origin: Origin,
    path: &[PathSegment],
    sources: &Sources,
    models: Models,
) -> Option<Location> {
    let doc = sources.documents(origin.file).get(origin.doc)?;
    let mut node = doc;
    let mut depth = 0;
    for segment in path {
        match child(node, segment) {
            Some(next) => {
                node = next;
                depth += 1;
            }
            None => break,
        }
    }
    let misspelt = |field: &PathSegment| {
        let PathSegment::Key(field) = field else {
            return None;
        };
        models
            .misspelt()
            .find(|m| m.file == origin.file && m.mapping == node.span && m.field == *field)
    };
    let range = match path.get(depth) {
        _ if path.is_empty() => name_range(node),
        None => node.span.clone(),
        Some(absent) => match misspelt(absent) {
            Some(m) => m.key.clone(),
            None => name_range(node),
        },
    };
    Some(Location {
        file: origin.file,
        range,
    })
}

/// A mapping's natural key value (`name`, `ref`, `property`), else the node itself.
fn name_range(node: &Node) -> Range<u32> {
    node.natural_key().unwrap_or(node).span.clone()
}

fn child<'n>(node: &'n Node, segment: &PathSegment) -> Option<&'n Node> {
    match (&node.value, segment) {
        (Value::Map(_), PathSegment::Key(k)) => node.get(k),
        (Value::Seq(items), PathSegment::Index(i)) => items.get(*i),
        (Value::Seq(items), PathSegment::Key(k)) => items.iter().find(|item| {
            item.as_str() == Some(k.as_str())
                || item.natural_key().and_then(Node::as_str) == Some(k.as_str())
        }),
        _ => None,
    }
}

/// FNV-1a over the rule and what the finding is about, so line moves do not change it.
fn fingerprint(finding: &Finding, sources: &Sources) -> String {
    let subject = match &finding.anchor {
        Anchor::Resource { kind, name, field } => format!("{kind}/{name}/{field}"),
        Anchor::Base { kind, name, field } => format!("base:{kind}/{name}/{field}"),
        Anchor::Document { origin, field } => {
            format!(
                "{}#{}/{field}",
                sources.map.get(origin.file).rel_path,
                origin.doc
            )
        }
        Anchor::Span { file, .. } | Anchor::File(file) => sources.map.get(*file).rel_path.clone(),
        Anchor::Repo => String::new(),
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in [finding.rule.code, "\0", &subject, "\0", &finding.message]
        .iter()
        .flat_map(|s| s.bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
