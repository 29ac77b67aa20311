//! Compiled routing: which events reach which destination, with which properties, after
//! transformations (DESIGN.md "Flows"). Computed once, here; policies only read it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

use super::glob::matches_any;
use crate::model::{Lifecycle, Model, Step};

/// What a transformation did to a delivered property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Treatment {
    Plain,
    Hashed,
    Masked,
}

/// A property as it arrives: the declared property whose facts apply, and its treatment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivered {
    pub property: String,
    pub treatment: Treatment,
}

/// One (source, event, destination) route through a pipeline.
#[derive(Clone, Debug, Serialize)]
pub struct Flow {
    pub source: String,
    pub event: String,
    pub destination: String,
    pub pipeline: String,
    /// Shared by the flows of one (pipeline, event) to each of its destinations.
    #[serde(flatten)]
    pub arrival: Arc<Arrival>,
}

/// What arrives of one event through one pipeline, after its transformations.
#[derive(Clone, Debug, Serialize)]
pub struct Arrival {
    /// Names as delivered, sorted.
    pub properties: Vec<String>,
    /// Delivered name → treatment, for hashed and masked properties.
    pub after: BTreeMap<String, Treatment>,
    /// Delivered name → declared property, for renamed properties.
    pub renamed: BTreeMap<String, String>,
    #[serde(skip)]
    pub delivered: BTreeMap<String, Delivered>,
}

/// One row of the data map: a declared property reaching a destination with one treatment.
#[derive(Clone, Debug, Serialize)]
pub struct Exposure {
    pub destination: String,
    pub property: String,
    pub treatment: Treatment,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_as: Option<String>,
    pub events: BTreeSet<String>,
    pub sources: BTreeSet<String>,
    pub pipelines: BTreeSet<String>,
}

/// Every flow, sorted by (pipeline, event, destination). Unresolved references make no flows.
pub fn flows(model: &Model) -> Vec<Flow> {
    let mut out = Vec::new();
    for (pipeline_name, pipeline) in &model.pipelines {
        let Some(source_name) = &pipeline.source else {
            continue;
        };
        let Some(source) = model.sources.get(source_name) else {
            continue;
        };
        let transformations: Vec<_> = pipeline
            .transformations
            .iter()
            .filter_map(|t| model.transformations.get(t))
            .collect();
        let destinations: BTreeSet<&String> = pipeline
            .destinations
            .iter()
            .filter(|d| model.destinations.contains_key(*d))
            .collect();
        for (event_name, event) in &model.events {
            if event.lifecycle.lifecycle == Lifecycle::Removed
                || !matches_any(&pipeline.events, event_name)
                || !matches_any(&source.events, event_name)
            {
                continue;
            }
            let mut delivered: BTreeMap<String, Delivered> = model
                .carried(event)
                .map(|(r, _)| {
                    let d = Delivered {
                        property: r.name.clone(),
                        treatment: Treatment::Plain,
                    };
                    (r.name.clone(), d)
                })
                .collect();
            for t in transformations
                .iter()
                .filter(|t| matches_any(&t.events, event_name))
            {
                for step in &t.steps {
                    apply(step, &mut delivered, model);
                }
            }
            let arrival = Arc::new(Arrival {
                properties: delivered.keys().cloned().collect(),
                after: delivered
                    .iter()
                    .filter(|(_, d)| d.treatment != Treatment::Plain)
                    .map(|(k, d)| (k.clone(), d.treatment))
                    .collect(),
                renamed: delivered
                    .iter()
                    .filter(|(k, d)| **k != d.property)
                    .map(|(k, d)| (k.clone(), d.property.clone()))
                    .collect(),
                delivered,
            });
            for destination in &destinations {
                out.push(Flow {
                    source: source_name.clone(),
                    event: event_name.clone(),
                    destination: (*destination).clone(),
                    pipeline: pipeline_name.clone(),
                    arrival: Arc::clone(&arrival),
                });
            }
        }
    }
    out
}

fn apply(step: &Step, delivered: &mut BTreeMap<String, Delivered>, model: &Model) {
    let key_of = |delivered: &BTreeMap<String, Delivered>, property: &str| {
        delivered
            .iter()
            .find(|(_, d)| d.property == property)
            .map(|(k, _)| k.clone())
    };
    match step {
        Step::Drop(p) => {
            if let Some(k) = key_of(delivered, p) {
                delivered.remove(&k);
            }
        }
        Step::Hash(p) | Step::Mask(p) => {
            let treatment = if matches!(step, Step::Hash(_)) {
                Treatment::Hashed
            } else {
                Treatment::Masked
            };
            if let Some(d) = key_of(delivered, p).and_then(|k| delivered.get_mut(&k)) {
                // Masked carries nothing; hashing it afterwards cannot bring data back.
                d.treatment = d.treatment.max(treatment);
            }
        }
        Step::Rename { from, to } => {
            if let Some(d) = key_of(delivered, from).and_then(|k| delivered.remove(&k)) {
                delivered.insert(to.clone(), d);
            }
        }
        Step::Set(values) => {
            for name in values.keys().filter(|k| model.properties.contains_key(*k)) {
                delivered.entry(name.clone()).or_insert_with(|| Delivered {
                    property: name.clone(),
                    treatment: Treatment::Plain,
                });
            }
        }
        Step::Join { .. } => {}
    }
}

/// The flows turned around: one row per (destination, property, treatment, delivered name).
pub fn exposures(flows: &[Flow]) -> Vec<Exposure> {
    let mut rows: BTreeMap<(&str, &str, Treatment, Option<&str>), Exposure> = BTreeMap::new();
    for flow in flows {
        for (name, d) in &flow.arrival.delivered {
            let delivered_as = (name != &d.property).then_some(name.as_str());
            let row = rows
                .entry((&flow.destination, &d.property, d.treatment, delivered_as))
                .or_insert_with(|| Exposure {
                    destination: flow.destination.clone(),
                    property: d.property.clone(),
                    treatment: d.treatment,
                    delivered_as: delivered_as.map(str::to_string),
                    events: BTreeSet::new(),
                    sources: BTreeSet::new(),
                    pipelines: BTreeSet::new(),
                });
            row.events.insert(flow.event.clone());
            row.sources.insert(flow.source.clone());
            row.pipelines.insert(flow.pipeline.clone());
        }
    }
    rows.into_values().collect()
}
