//! What each destination receives, before and after: events (with the pipelines that route
//! them) and properties (by treatment, with their PII class). One change for each that is
//! new, and one for each that is gone.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{Catalog, Exposure, Treatment};
use crate::diff::{At, Change, ChangeKind, Context};
use crate::finding::FieldPath;
use crate::model::{Compatibility, Kind, Model};

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    events(cx, out);
    properties(cx, out);
}

/// The destination itself, on a side where it is defined.
fn destination_at(model: &Model, destination: &str) -> Option<At> {
    model
        .destinations
        .contains_key(destination)
        .then(|| At::new(Kind::Destination, destination, FieldPath::root()))
}

/// Whether a route through `pipelines` (as `model` defines them) to `destination` depends
/// on a resource that was not compared: then its base side is unknown, and so is whether
/// it is new or gone.
fn not_compared<'a>(
    cx: &Context,
    model: &Model,
    destination: &str,
    mut pipelines: impl Iterator<Item = &'a str>,
) -> bool {
    cx.skipped(Kind::Destination, destination)
        || pipelines.any(|name| {
            cx.skipped(Kind::Pipeline, name)
                || model.pipelines.get(name).is_some_and(|p| {
                    p.source
                        .as_deref()
                        .is_some_and(|s| cx.skipped(Kind::Source, s))
                        || p.transformations
                            .iter()
                            .any(|t| cx.skipped(Kind::Transformation, t))
                })
        })
}

/// A row of what `destination` receives: `value` is what arrives now (`to`) when it is new,
/// what arrived (`from`, with the base's place) when it is gone.
fn row(
    cx: &Context,
    kind: ChangeKind,
    mode: Compatibility,
    destination: &str,
    value: serde_json::Value,
) -> Change {
    let null = serde_json::Value::Null;
    let new = matches!(
        kind,
        ChangeKind::DestinationNewEvent | ChangeKind::DestinationNewProperty
    );
    let (from, to, base_at) = if new {
        (null, value, None)
    } else {
        (value, null, destination_at(cx.base, destination))
    };
    Change::new(kind, mode)
        .values(from, to)
        .at(base_at, destination_at(cx.head, destination))
}

/// (destination, event) → the pipelines that route it.
fn routes<'c>(catalog: &Catalog<'c>) -> BTreeMap<(&'c str, &'c str), BTreeSet<&'c str>> {
    let mut out: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for f in &catalog.flows {
        out.entry((f.destination, f.event))
            .or_default()
            .insert(f.pipeline);
    }
    out
}

fn events(cx: &Context, out: &mut Vec<Change>) {
    let (base, head) = (routes(cx.base_catalog), routes(cx.head_catalog));
    let sides = [
        (&head, &base, cx.head, ChangeKind::DestinationNewEvent),
        (
            &base,
            &head,
            cx.base,
            ChangeKind::DestinationNoLongerReceivesEvent,
        ),
    ];
    for (here, there, model, kind) in sides {
        for (&(destination, event), pipelines) in here {
            if there.contains_key(&(destination, event))
                || cx.skipped(Kind::Event, event)
                || not_compared(cx, model, destination, pipelines.iter().copied())
            {
                continue;
            }
            let mode = cx.mode_of_event(event);
            let mut c = row(cx, kind, mode, destination, serde_json::json!(pipelines));
            c.event = Some(event.to_string());
            c.events = vec![event.to_string()];
            out.push(c);
        }
    }
}

/// (destination, property, treatment) → its exposure rows (one per delivered name).
type Received<'e, 'c> = BTreeMap<(&'c str, &'c str, Treatment), Vec<&'e Exposure<'c>>>;

fn received<'e, 'c>(catalog: &'e Catalog<'c>) -> Received<'e, 'c> {
    let mut out: Received = BTreeMap::new();
    for e in &catalog.exposures {
        out.entry((e.destination, e.property, e.treatment))
            .or_default()
            .push(e);
    }
    out
}

fn properties(cx: &Context, out: &mut Vec<Change>) {
    let (base, head) = (received(cx.base_catalog), received(cx.head_catalog));
    let sides = [
        (&head, &base, cx.head, ChangeKind::DestinationNewProperty),
        (
            &base,
            &head,
            cx.base,
            ChangeKind::DestinationNoLongerReceivesProperty,
        ),
    ];
    for (here, there, model, kind) in sides {
        for (&key, rows) in here {
            let (destination, property, treatment) = key;
            let pipelines = rows.iter().flat_map(|e| e.pipelines.iter().copied());
            if there.contains_key(&key)
                || cx.skipped(Kind::Property, property)
                || not_compared(cx, model, destination, pipelines)
            {
                continue;
            }
            let events: BTreeSet<&str> =
                rows.iter().flat_map(|e| e.events.iter().copied()).collect();
            // What arrives, as this side's property says: its treatment and PII class.
            let pii = model.properties.get(property).and_then(|p| p.pii);
            let arrival = serde_json::json!({"treatment": treatment, "pii": pii});
            let mut c = row(cx, kind, cx.mode, destination, arrival);
            c.property = Some(property.to_string());
            c.events = events.iter().map(|s| s.to_string()).collect();
            out.push(c);
        }
    }
}
