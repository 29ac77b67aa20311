//! Changes of a transformation that both sides define: the events it applies to, and its
//! steps as what they mean for privacy: a property protected more or less (hash < mask <
//! drop), data added or no longer added (`join`, `set`), and any other change of `steps`
//! (renames, order, a `set` value).

use std::collections::{BTreeMap, BTreeSet};

use super::resource::Resource;
use crate::diff::pair::{self, Pair};
use crate::diff::{Change, ChangeKind, Context};
use crate::finding::FieldPath;
use crate::model::{Kind, Step, Transformation};

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    for p in pair::by_name(&cx.base.transformations, &cx.head.transformations) {
        let Pair::Both(name, b, h) = p else {
            continue;
        };
        if cx.skipped(Kind::Transformation, name) {
            continue;
        }
        let mut r = Resource::new(cx, Kind::Transformation, name);
        r.entries(
            (
                ChangeKind::TransformationEventsAdded,
                ChangeKind::TransformationEventsRemoved,
            ),
            "events",
            &b.events,
            &h.events,
        );
        let explained = protection(&mut r, b, h) | enrichment(&mut r, b, h);
        let renames = |t: &Transformation| -> Vec<Step> {
            t.steps
                .iter()
                .filter(|s| matches!(s, Step::Rename { .. }))
                .cloned()
                .collect()
        };
        if renames(b) != renames(h) || (!explained && b.steps != h.steps) {
            r.changed(
                ChangeKind::TransformationStepsChanged,
                "steps",
                &b.steps,
                &h.steps,
            );
        }
        r.finish(out);
    }
}

/// `steps.N` for the step written at position N, else `steps`.
fn step_path(position: Option<usize>) -> FieldPath {
    let steps = FieldPath::key("steps");
    match position {
        Some(n) => steps.then_index(n),
        None => steps,
    }
}

/// The strongest protecting step of each property: (strength, action, written position).
fn protections(t: &Transformation) -> BTreeMap<&str, (u8, &'static str, usize)> {
    let mut out: BTreeMap<&str, (u8, &'static str, usize)> = BTreeMap::new();
    for (step, position) in t.steps.iter().zip(&t.step_positions) {
        let (property, strength) = match step {
            Step::Hash(p) => (p, 1),
            Step::Mask(p) => (p, 2),
            Step::Drop(p) => (p, 3),
            _ => continue,
        };
        let entry = out.entry(property).or_insert((0, "", 0));
        if strength > entry.0 {
            *entry = (strength, step.action(), *position);
        }
    }
    out
}

/// One change per property protected more (`protection_added`) or less
/// (`protection_removed`) than in the base; whether there was any.
fn protection(r: &mut Resource, b: &Transformation, h: &Transformation) -> bool {
    let (before, after) = (protections(b), protections(h));
    let properties: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    let mut any = false;
    for property in properties {
        let (b, h) = (before.get(property), after.get(property));
        let strength = |s: Option<&(u8, &str, usize)>| s.map_or(0, |s| s.0);
        let kind = match strength(h).cmp(&strength(b)) {
            std::cmp::Ordering::Greater => ChangeKind::TransformationProtectionAdded,
            std::cmp::Ordering::Less => ChangeKind::TransformationProtectionRemoved,
            std::cmp::Ordering::Equal => continue,
        };
        let mut c = r.change(
            kind,
            "steps",
            Some(step_path(b.map(|s| s.2))),
            Some(step_path(h.map(|s| s.2))),
            b.map(|s| s.1),
            h.map(|s| s.1),
        );
        c.property = Some(property.to_string());
        r.push(c);
        any = true;
    }
    any
}

/// What a step adds to the events it applies to: a joined dataset or a set property.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Enrichment<'t> {
    Join { key: &'t str, dataset: &'t str },
    Set(&'t str),
}

/// Every enrichment, with the step as the change shows it (one `set` key per entry) and its
/// written position.
fn enrichments(t: &Transformation) -> BTreeMap<Enrichment<'_>, (serde_json::Value, usize)> {
    let mut out = BTreeMap::new();
    for (step, position) in t.steps.iter().zip(&t.step_positions) {
        match step {
            Step::Join { key, dataset } => {
                let shown = serde_json::json!({"join": {"key": key, "dataset": dataset}});
                out.insert(Enrichment::Join { key, dataset }, (shown, *position));
            }
            Step::Set(values) => {
                for (property, value) in values {
                    let shown = serde_json::json!({"set": {property: value}});
                    out.insert(Enrichment::Set(property), (shown, *position));
                }
            }
            _ => {}
        }
    }
    out
}

/// One change per enrichment only one side has; whether there was any.
fn enrichment(r: &mut Resource, b: &Transformation, h: &Transformation) -> bool {
    let (before, after) = (enrichments(b), enrichments(h));
    let null = serde_json::Value::Null;
    let mut any = false;
    let sides = [
        (&before, &after, ChangeKind::TransformationEnrichmentRemoved),
        (&after, &before, ChangeKind::TransformationEnrichmentAdded),
    ];
    for (here, there, kind) in sides {
        for (e, (shown, position)) in here.iter().filter(|(e, _)| !there.contains_key(*e)) {
            let (item, list) = (Some(step_path(Some(*position))), Some(step_path(None)));
            let mut c = if kind == ChangeKind::TransformationEnrichmentAdded {
                r.change(kind, "steps", list, item, &null, shown)
            } else {
                r.change(kind, "steps", item, list, shown, &null)
            };
            if let Enrichment::Set(property) = e {
                c.property = Some(property.to_string());
            }
            r.push(c);
            any = true;
        }
    }
    any
}
