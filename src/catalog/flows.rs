//! Compiled routing: which events reach which destination, with which properties, after
//! transformations (docs/format.md, "How flows are computed"). Computed once, here; policies only read it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::event_pattern::{first_match, matches_any};
use crate::model::{Destination, Event, Lifecycle, Model, Pipeline, Step, Transformation};

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
pub struct Delivered<'m> {
    pub property: &'m str,
    pub treatment: Treatment,
}

/// One (source, event, destination) route through a pipeline.
#[derive(Clone, Debug, Serialize)]
pub struct Flow<'m> {
    pub source: &'m str,
    pub event: &'m str,
    pub destination: &'m str,
    pub pipeline: &'m str,
    /// The pipeline's `events` entry that selects the event.
    pub selected_by: &'m str,
    /// The destination's `events` entry that allows the event (null when none does, or
    /// when the destination has no allowlist).
    pub allowed_by: Option<&'m str>,
    /// The destination's `deny` entry that matches the event, if any.
    pub denied_by: Option<&'m str>,
    /// Whether the destination takes the event: it has no allowlist or one that matches,
    /// and no `deny` entry matches.
    pub allowed: bool,
    /// Shared by the flows of one (pipeline, event) to each of its destinations.
    #[serde(flatten)]
    pub arrival: Arc<Arrival<'m>>,
}

/// What arrives of one event through one pipeline, after its transformations.
#[derive(Clone, Debug, Serialize)]
pub struct Arrival<'m> {
    /// Names as delivered, sorted.
    pub properties: Vec<&'m str>,
    /// Delivered name → treatment, for hashed and masked properties.
    pub after: BTreeMap<&'m str, Treatment>,
    /// Delivered name → declared property, for renamed properties.
    pub renamed: BTreeMap<&'m str, &'m str>,
    #[serde(skip)]
    pub delivered: BTreeMap<&'m str, Delivered<'m>>,
    /// The pipeline's transformations that applied, in order.
    #[serde(skip)]
    pub transformations: Vec<&'m str>,
}

/// One row of the data map: a declared property reaching a destination with one treatment.
#[derive(Clone, Debug, Serialize)]
pub struct Exposure<'m> {
    pub destination: &'m str,
    pub property: &'m str,
    pub treatment: Treatment,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_as: Option<&'m str>,
    pub events: BTreeSet<&'m str>,
    pub sources: BTreeSet<&'m str>,
    pub pipelines: BTreeSet<&'m str>,
}

/// Every flow, sorted by (pipeline, event, destination). Unresolved references make no flows.
/// Pipelines, and the events of each, are routed side by side.
pub fn flows(model: &Model) -> Vec<Flow<'_>> {
    model
        .pipelines
        .par_iter()
        .flat_map(|(pipeline_name, pipeline)| pipeline_flows(model, pipeline_name, pipeline))
        .collect()
}

fn pipeline_flows<'m>(
    model: &'m Model,
    pipeline_name: &'m str,
    pipeline: &'m Pipeline,
) -> Vec<Flow<'m>> {
    let Some(source_name) = &pipeline.source else {
        return Vec::new();
    };
    let Some(source) = model.sources.get(source_name) else {
        return Vec::new();
    };
    let transformations: Vec<_> = pipeline
        .transformations
        .iter()
        .filter_map(|t| Some((t.as_str(), model.transformations.get(t)?)))
        .collect();
    let destinations: BTreeMap<&str, &Destination> = pipeline
        .destinations
        .iter()
        .filter_map(|d| Some((d.as_str(), model.destinations.get(d)?)))
        .collect();
    model
        .events
        .par_iter()
        .flat_map_iter(|(event_name, event)| {
            let selected_by = first_match(&pipeline.events, event_name).filter(|_| {
                event.lifecycle.lifecycle != Lifecycle::Removed
                    && matches_any(&source.events, event_name)
            });
            let Some(selected_by) = selected_by else {
                return Vec::new();
            };
            let arrival = Arc::new(arrival(model, event, event_name, &transformations));
            destinations
                .iter()
                .map(|(destination, d)| {
                    let allowed_by = d
                        .events
                        .as_deref()
                        .and_then(|allow| first_match(allow, event_name));
                    let denied_by = first_match(&d.deny, event_name);
                    Flow {
                        source: source_name,
                        event: event_name,
                        destination,
                        pipeline: pipeline_name,
                        selected_by,
                        allowed_by,
                        denied_by,
                        allowed: (d.events.is_none() || allowed_by.is_some())
                            && denied_by.is_none(),
                        arrival: Arc::clone(&arrival),
                    }
                })
                .collect()
        })
        .collect()
}

/// What of `event` arrives after the pipeline's `transformations` that apply to it.
fn arrival<'m>(
    model: &'m Model,
    event: &'m Event,
    event_name: &str,
    transformations: &[(&'m str, &'m Transformation)],
) -> Arrival<'m> {
    let mut delivered: BTreeMap<&str, Delivered> = model
        .carried(event)
        .map(|(r, _)| {
            let d = Delivered {
                property: r.name.as_str(),
                treatment: Treatment::Plain,
            };
            (r.name.as_str(), d)
        })
        .collect();
    let mut applied = Vec::new();
    for (name, t) in transformations
        .iter()
        .filter(|(_, t)| matches_any(&t.events, event_name))
    {
        applied.push(*name);
        for step in &t.steps {
            apply(step, &mut delivered, model);
        }
    }
    Arrival {
        properties: delivered.keys().copied().collect(),
        after: delivered
            .iter()
            .filter(|(_, d)| d.treatment != Treatment::Plain)
            .map(|(k, d)| (*k, d.treatment))
            .collect(),
        renamed: delivered
            .iter()
            .filter(|(k, d)| **k != d.property)
            .map(|(k, d)| (*k, d.property))
            .collect(),
        delivered,
        transformations: applied,
    }
}

fn apply<'m>(step: &'m Step, delivered: &mut BTreeMap<&'m str, Delivered<'m>>, model: &Model) {
    let key_of = |delivered: &BTreeMap<&'m str, Delivered<'m>>, property: &str| {
        delivered
            .iter()
            .find(|(_, d)| d.property == property)
            .map(|(k, _)| *k)
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
                delivered.insert(to.as_str(), d);
            }
        }
        Step::Set(values) => {
            for name in values.keys().filter(|k| model.properties.contains_key(*k)) {
                delivered.entry(name.as_str()).or_insert_with(|| Delivered {
                    property: name.as_str(),
                    treatment: Treatment::Plain,
                });
            }
        }
        Step::Join { .. } => {}
    }
}

/// The flows turned around: one row per (destination, property, treatment, delivered name).
pub fn exposures<'m>(flows: &[Flow<'m>]) -> Vec<Exposure<'m>> {
    // Rows sort by destination first, so each destination's rows are built on their own.
    let mut by_destination: BTreeMap<&str, Vec<&Flow>> = BTreeMap::new();
    for flow in flows {
        by_destination
            .entry(flow.destination)
            .or_default()
            .push(flow);
    }
    by_destination
        .into_par_iter()
        .flat_map_iter(|(destination, flows)| {
            let mut rows: BTreeMap<(&str, Treatment, Option<&str>), Exposure> = BTreeMap::new();
            for flow in flows {
                for (name, d) in &flow.arrival.delivered {
                    let delivered_as = (*name != d.property).then_some(*name);
                    let row = rows
                        .entry((d.property, d.treatment, delivered_as))
                        .or_insert_with(|| Exposure {
                            destination,
                            property: d.property,
                            treatment: d.treatment,
                            delivered_as,
                            events: BTreeSet::new(),
                            sources: BTreeSet::new(),
                            pipelines: BTreeSet::new(),
                        });
                    row.events.insert(flow.event);
                    row.sources.insert(flow.source);
                    row.pipelines.insert(flow.pipeline);
                }
            }
            rows.into_values()
        })
        .collect()
}

/// What one entry of a pipeline's `events` selects: the events it matches that the
/// pipeline's source emits (removed events excluded). Empty = a dead entry.
#[derive(Clone, Debug, Serialize)]
pub struct PipelineSelection<'m> {
    pub pipeline: &'m str,
    pub glob: &'m str,
    pub events: Vec<&'m str>,
}

/// One row per (pipeline, `events` entry), for pipelines whose source is defined.
pub fn selections(model: &Model) -> Vec<PipelineSelection<'_>> {
    let mut out = Vec::new();
    for (pipeline_name, pipeline) in &model.pipelines {
        let Some(source) = pipeline.source.as_ref().and_then(|s| model.sources.get(s)) else {
            continue;
        };
        for glob in &pipeline.events {
            let events = model
                .events
                .iter()
                .filter(|(name, e)| {
                    e.lifecycle.lifecycle != Lifecycle::Removed
                        && super::event_pattern::matches(glob, name)
                        && matches_any(&source.events, name)
                })
                .map(|(name, _)| name.as_str())
                .collect();
            out.push(PipelineSelection {
                pipeline: pipeline_name,
                glob,
                events,
            });
        }
    }
    out
}

/// A transformation applied to an event by pipelines (those of the flows that carry it).
#[derive(Clone, Debug, Serialize)]
pub struct Application<'m> {
    pub transformation: &'m str,
    pub event: &'m str,
    pub pipelines: BTreeSet<&'m str>,
}

/// One row per (transformation, event) that some flow applies, sorted.
pub fn applications<'m>(flows: &[Flow<'m>]) -> Vec<Application<'m>> {
    let mut rows: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for flow in flows {
        for transformation in &flow.arrival.transformations {
            rows.entry((transformation, flow.event))
                .or_default()
                .insert(flow.pipeline);
        }
    }
    rows.into_iter()
        .map(|((transformation, event), pipelines)| Application {
            transformation,
            event,
            pipelines,
        })
        .collect()
}
