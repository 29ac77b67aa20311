use std::collections::BTreeMap;

use serde::Serialize;

use super::owner_and_description;
use super::property::values;
use crate::source::decode::{Decoder, Fields, INVALID_VALUE};
use crate::source::yaml::Node;

pub(super) const FIELDS: &[&str] = &[
    "kind",
    "name",
    "events",
    "steps",
    "tests",
    "owner",
    "description",
];

const STEP_KINDS: &[&str] = &["hash", "mask", "drop", "rename", "join", "set"];

/// Changes events on their way to destinations.
#[derive(Clone, Debug, Serialize)]
pub struct Transformation {
    /// Globs of the events it applies to.
    pub events: Vec<String>,
    pub steps: Vec<Step>,
    /// Index of each step in the written list (findings address steps by it).
    #[serde(skip)]
    pub step_positions: Vec<usize>,
    pub tests: Vec<TransformationTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One step; each names the declared property it acts on.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// Delivered pseudonymised (`hashed`).
    Hash(String),
    /// Delivered with its value redacted (`masked`).
    Mask(String),
    /// Not delivered.
    Drop(String),
    /// Delivered under a new name with the old one's facts.
    Rename { from: String, to: String },
    /// Enriched from an external dataset keyed by a property every event must carry.
    Join { key: String, dataset: String },
    /// Adds declared properties with fixed values.
    Set(BTreeMap<String, serde_json::Value>),
}

/// An example run of the transformation: `input` must become `output`.
#[derive(Clone, Debug, Serialize)]
pub struct TransformationTest {
    pub name: String,
    pub event: String,
    pub input: serde_json::Value,
    pub output: serde_json::Value,
}

impl Transformation {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        f.expect(d, "events");
        f.expect(d, "steps");
        let (owner, description) = owner_and_description(d, f);
        let (step_positions, steps) = f
            .list_of(d, "steps", |d, position, node| {
                Some((position, step(d, node)?))
            })
            .unwrap_or_default()
            .into_iter()
            .unzip();
        Self {
            events: values(f.string_list(d, "events")),
            steps,
            step_positions,
            tests: f
                .list_of(d, "tests", |d, _, node| {
                    let t = d.mapping(
                        node,
                        "transformation test",
                        &["name", "event", "input", "output"],
                    )?;
                    t.expect(d, "input");
                    t.expect(d, "output");
                    Some(TransformationTest {
                        name: t.required_string(d, "name")?.value,
                        event: t.required_string(d, "event")?.value,
                        input: t.get("input")?.to_json(),
                        output: t.get("output")?.to_json(),
                    })
                })
                .unwrap_or_default(),
            owner,
            description,
        }
    }
}

fn step(d: &mut Decoder, node: &Node) -> Option<Step> {
    let f = d.mapping(node, "step", STEP_KINDS)?;
    let entries = node.as_map().unwrap_or_default();
    if entries.len() != 1 {
        d.report(
            &INVALID_VALUE,
            node.span.clone(),
            format!("a step has exactly one action, found {}", entries.len()),
            Some(format!(
                "write one of {} per list item",
                STEP_KINDS.join(", ")
            )),
        );
        return None;
    }
    let (key, value) = &entries[0];
    match key.as_str()? {
        "hash" => f.string(d, "hash").map(|s| Step::Hash(s.value)),
        "mask" => f.string(d, "mask").map(|s| Step::Mask(s.value)),
        "drop" => f.string(d, "drop").map(|s| Step::Drop(s.value)),
        "rename" => {
            let r = d.mapping(value, "rename step", &["from", "to"])?;
            let from = r.required_string(d, "from");
            let to = r.required_string(d, "to");
            Some(Step::Rename {
                from: from?.value,
                to: to?.value,
            })
        }
        "join" => {
            let j = d.mapping(value, "join step", &["key", "dataset"])?;
            let key = j.required_string(d, "key");
            let dataset = j.required_string(d, "dataset");
            Some(Step::Join {
                key: key?.value,
                dataset: dataset?.value,
            })
        }
        "set" => {
            let Some(entries) = value.as_map().filter(|m| !m.is_empty()) else {
                d.wrong_type(&f, "set", value, "a mapping of property names to values");
                return None;
            };
            Some(Step::Set(
                entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.scalar_text()?.into_owned(), v.to_json())))
                    .collect(),
            ))
        }
        _ => None,
    }
}

impl Step {
    /// The declared property the step acts on (for `set`, each key).
    pub fn properties(&self) -> Vec<&str> {
        match self {
            Step::Hash(p) | Step::Mask(p) | Step::Drop(p) => vec![p],
            Step::Rename { from, .. } => vec![from],
            Step::Join { key, .. } => vec![key],
            Step::Set(values) => values.keys().map(String::as_str).collect(),
        }
    }

    /// The step's action word, as written.
    pub fn action(&self) -> &'static str {
        match self {
            Step::Hash(_) => "hash",
            Step::Mask(_) => "mask",
            Step::Drop(_) => "drop",
            Step::Rename { .. } => "rename",
            Step::Join { .. } => "join",
            Step::Set(_) => "set",
        }
    }
}
