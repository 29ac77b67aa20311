//! `routing.json`: per destination, the events it receives and the properties that arrive
//! (names as delivered; `after` gives hashed/masked ones, `renamed` the declared property).

use serde_json::{json, Value};

use super::glob::matches_any;
use super::Catalog;

/// Only routes the destination allows are in the plan; a route it does not allow is a policy
/// finding, never delivered.
pub fn routing_plan(catalog: &Catalog) -> Value {
    let mut destinations = serde_json::Map::new();
    for (name, d) in catalog.destinations {
        let allowed = |event: &str| {
            d.events
                .as_ref()
                .is_none_or(|allow| matches_any(allow, event))
                && !matches_any(&d.deny, event)
        };
        let routes: Vec<Value> = catalog
            .flows
            .iter()
            .filter(|f| &f.destination == name && allowed(&f.event))
            .map(|f| {
                json!({
                    "event": f.event,
                    "source": f.source,
                    "pipeline": f.pipeline,
                    "properties": f.properties,
                    "after": f.after,
                    "renamed": f.renamed,
                })
            })
            .collect();
        let mut events: Vec<&str> = routes.iter().filter_map(|r| r["event"].as_str()).collect();
        events.sort();
        events.dedup();
        destinations.insert(
            name.clone(),
            json!({
                "type": d.kind,
                "environment": d.environment,
                "region": d.region,
                "events": events,
                "routes": routes,
            }),
        );
    }
    json!({ "destinations": destinations })
}
