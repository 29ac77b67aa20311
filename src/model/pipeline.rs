use serde::Serialize;

use super::owner_and_description;
use super::property::values;
use crate::source::decode::{Decoder, Fields};

pub(super) const FIELDS: &[&str] = &[
    "kind",
    "name",
    "source",
    "destinations",
    "events",
    "transformations",
    "owner",
    "description",
];

/// Routes events of one source to destinations, through transformations.
#[derive(Clone, Debug, Serialize)]
pub struct Pipeline {
    pub source: Option<String>,
    pub destinations: Vec<String>,
    /// Globs of the events it routes.
    pub events: Vec<String>,
    /// Applied in order.
    pub transformations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Pipeline {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        f.expect(d, "destinations");
        f.expect(d, "events");
        let (owner, description) = owner_and_description(d, f);
        Self {
            source: f.required_string(d, "source").map(|s| s.value),
            destinations: values(f.string_list(d, "destinations")),
            events: values(f.string_list(d, "events")),
            transformations: values(f.string_list(d, "transformations")),
            owner,
            description,
        }
    }
}
