//! Destinations that receive something new: an event, or a property (with its PII class).

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::{At, Change, ChangeKind, Context};
use crate::finding::FieldPath;
use crate::model::Kind;

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    let base_routes: BTreeSet<(&str, &str)> = cx
        .base_catalog
        .flows
        .iter()
        .map(|f| (f.destination, f.event))
        .collect();
    // (destination, event) → the pipelines that now route it.
    let mut new_routes: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for f in &cx.head_catalog.flows {
        if !base_routes.contains(&(f.destination, f.event)) && !cx.skipped(Kind::Event, f.event) {
            new_routes
                .entry((f.destination, f.event))
                .or_default()
                .insert(f.pipeline);
        }
    }
    for ((destination, event), pipelines) in new_routes {
        let mut c = Change::new(ChangeKind::DestinationNewEvent, cx.mode_of_event(event))
            .values(serde_json::Value::Null, pipelines)
            .at(
                None,
                Some(At::new(Kind::Destination, destination, FieldPath::root())),
            );
        c.event = Some(event.to_string());
        c.events = vec![event.to_string()];
        out.push(c);
    }
    let base_exposed: BTreeSet<(&str, &str)> = cx
        .base_catalog
        .exposures
        .iter()
        .map(|e| (e.destination, e.property))
        .collect();
    for e in &cx.head_catalog.exposures {
        if base_exposed.contains(&(e.destination, e.property))
            || cx.skipped(Kind::Property, e.property)
        {
            continue;
        }
        let pii = cx.head.properties.get(e.property).and_then(|p| p.pii);
        let mut c = Change::new(ChangeKind::DestinationNewProperty, cx.mode)
            .values(
                serde_json::Value::Null,
                serde_json::json!({"treatment": e.treatment, "pii": pii}),
            )
            .at(
                None,
                Some(At::new(Kind::Destination, e.destination, FieldPath::root())),
            );
        c.property = Some(e.property.to_string());
        c.events = e.events.iter().map(|s| s.to_string()).collect();
        out.push(c);
    }
}
