//! `routing.json`: per destination, the events it receives and the properties that arrive
//! (names as delivered; `after` gives hashed/masked ones, `renamed` the declared property).

use std::collections::BTreeMap;

use serde::Serialize;

use super::flows::Arrival;
use super::Catalog;
use crate::model::Environment;

/// Borrows the catalog, so writing it costs no copy of the flows.
#[derive(Serialize)]
pub struct RoutingPlan<'c> {
    destinations: BTreeMap<&'c str, DestinationPlan<'c>>,
}

#[derive(Serialize)]
struct DestinationPlan<'c> {
    #[serde(rename = "type")]
    kind: &'c Option<String>,
    environment: &'c Option<Environment>,
    region: &'c Option<String>,
    events: Vec<&'c str>,
    routes: Vec<Route<'c>>,
}

#[derive(Serialize)]
struct Route<'c> {
    event: &'c str,
    source: &'c str,
    pipeline: &'c str,
    #[serde(flatten)]
    arrival: &'c Arrival<'c>,
}

/// Only routes the destination allows are in the plan; a route it does not allow is a policy
/// finding, never delivered.
pub fn routing_plan<'c>(catalog: &'c Catalog) -> RoutingPlan<'c> {
    let mut routes: BTreeMap<&str, Vec<Route>> = BTreeMap::new();
    for f in catalog.flows.iter().filter(|f| f.allowed) {
        routes.entry(f.destination).or_default().push(Route {
            event: f.event,
            source: f.source,
            pipeline: f.pipeline,
            arrival: &f.arrival,
        });
    }
    let destinations = catalog
        .destinations
        .iter()
        .map(|(name, d)| {
            let routes = routes.remove(name.as_str()).unwrap_or_default();
            let mut events: Vec<&str> = routes.iter().map(|r| r.event).collect();
            events.sort_unstable();
            events.dedup();
            let plan = DestinationPlan {
                kind: &d.kind,
                environment: &d.environment,
                region: &d.region,
                events,
                routes,
            };
            (name.as_str(), plan)
        })
        .collect();
    RoutingPlan { destinations }
}
