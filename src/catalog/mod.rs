//! The catalog: the normalized contract that `compile` writes and policies read.

mod artifacts;
mod event_pattern;
mod flows;
mod routing;
mod schema_export;

use std::collections::BTreeMap;

use serde::Serialize;

pub use artifacts::write_artifacts;
pub use event_pattern::matches_any;
pub use flows::{Application, Arrival, Delivered, Exposure, Flow, PipelineSelection, Treatment};
pub use routing::{routing_plan, RoutingPlan};
pub use schema_export::event_schema;

use crate::model::{
    ConsentPurpose, Destination, Event, IdentityRule, Model, Pipeline, Property, Source, Team,
    Transformation,
};

/// The compiled contract: its resources and the flows routing resolves them into. With the
/// comparison, it is the policy input and `catalog.json` (`policy::Input`, documented in
/// docs/format.md "Compiled output"). Keys are sorted.
#[derive(Debug, Serialize)]
pub struct Catalog<'m> {
    pub events: &'m BTreeMap<String, Event>,
    pub properties: &'m BTreeMap<String, Property>,
    pub sources: &'m BTreeMap<String, Source>,
    pub destinations: &'m BTreeMap<String, Destination>,
    pub pipelines: &'m BTreeMap<String, Pipeline>,
    pub transformations: &'m BTreeMap<String, Transformation>,
    pub identity: &'m BTreeMap<String, IdentityRule>,
    pub teams: &'m BTreeMap<String, Team>,
    pub purposes: &'m BTreeMap<String, ConsentPurpose>,
    pub flows: Vec<Flow<'m>>,
    pub exposures: Vec<Exposure<'m>>,
    /// Per pipeline `events` entry, the events it selects.
    pub selections: Vec<PipelineSelection<'m>>,
    /// Which pipelines apply which transformation to which event.
    pub applications: Vec<Application<'m>>,
}

/// Compiles the model: resolves routing into flows and exposures.
pub fn compile(model: &Model) -> Catalog<'_> {
    let flows = flows::flows(model);
    let ((exposures, applications), selections) = rayon::join(
        || rayon::join(|| flows::exposures(&flows), || flows::applications(&flows)),
        || flows::selections(model),
    );
    Catalog {
        events: &model.events,
        properties: &model.properties,
        sources: &model.sources,
        destinations: &model.destinations,
        pipelines: &model.pipelines,
        transformations: &model.transformations,
        identity: &model.identity,
        teams: &model.teams,
        purposes: &model.purposes,
        flows,
        exposures,
        selections,
        applications,
    }
}
