use serde::Serialize;

use super::common::lowercase_id;
use super::owner_and_description;
use super::property::values;
use crate::source::decode::{Decoder, Fields};

pub(super) const FIELDS: &[&str] = &[
    "kind",
    "name",
    "platform",
    "region",
    "events",
    "owner",
    "description",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Web,
    Ios,
    Android,
    Server,
}

const PLATFORMS: &[(&str, Platform)] = &[
    ("web", Platform::Web),
    ("ios", Platform::Ios),
    ("android", Platform::Android),
    ("server", Platform::Server),
];

/// Where events are collected.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub platform: Option<Platform>,
    /// Where data is collected (informational).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Globs of the events it emits.
    pub events: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Source {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        f.expect(d, "platform");
        f.expect(d, "events");
        let (owner, description) = owner_and_description(d, f);
        Self {
            platform: f.choice(d, "platform", PLATFORMS),
            region: lowercase_id(d, f, "region"),
            events: values(f.string_list(d, "events")),
            owner,
            description,
        }
    }
}
