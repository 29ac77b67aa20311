use serde::Serialize;

use super::common::{lowercase_id, PiiClass, Retention};
use super::owner_and_description;
use super::property::values;
use crate::source::decode::{Decoder, Fields};

pub(super) const FIELDS: &[&str] = &[
    "kind",
    "name",
    "acknowledge",
    "type",
    "environment",
    "region",
    "pii",
    "consent",
    "retention",
    "events",
    "deny",
    "owner",
    "description",
    "accepts_direct",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Prod,
    Nonprod,
}

/// How a destination takes direct identifiers (`direct` and `sensitive` properties).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AcceptsDirect {
    /// As they are.
    Plain,
    /// Only hashed, as ad platforms match them (their conversion APIs reject plain ones).
    Hashed,
}

const ACCEPTS_DIRECT: &[(&str, AcceptsDirect)] = &[
    ("plain", AcceptsDirect::Plain),
    ("hashed", AcceptsDirect::Hashed),
];

const ENVIRONMENTS: &[(&str, Environment)] = &[
    ("prod", Environment::Prod),
    ("nonprod", Environment::Nonprod),
];

/// Where data is delivered, and what it may receive.
#[derive(Clone, Debug, Serialize)]
pub struct Destination {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub environment: Option<Environment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The highest PII class it may receive (absent = none).
    pub pii: PiiClass,
    /// How it takes direct identifiers; absent = `hashed` for `type: ads`, else `plain`.
    pub accepts_direct: AcceptsDirect,
    /// Consent purposes it is covered for.
    pub consent: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u64>,
    /// Allow globs; `None` allows every event.
    pub events: Option<Vec<String>>,
    pub deny: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acknowledge: Vec<super::common::Acknowledgement>,
}

impl Destination {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        f.expect(d, "type");
        f.expect(d, "environment");
        let (owner, description) = owner_and_description(d, f);
        let retention = Retention::decode(d, f);
        let kind = lowercase_id(d, f, "type");
        let accepts_direct =
            f.choice(d, "accepts_direct", ACCEPTS_DIRECT)
                .unwrap_or(match kind.as_deref() {
                    Some("ads") => AcceptsDirect::Hashed,
                    _ => AcceptsDirect::Plain,
                });
        Self {
            kind,
            accepts_direct,
            environment: f.choice(d, "environment", ENVIRONMENTS),
            region: lowercase_id(d, f, "region"),
            pii: f
                .choice(d, "pii", PiiClass::CHOICES)
                .unwrap_or(PiiClass::None),
            consent: values(f.string_list(d, "consent")),
            retention: retention.as_ref().map(|r| r.text.clone()),
            retention_days: retention.map(|r| r.days),
            events: f.string_list(d, "events").map(|l| values(Some(l))),
            deny: values(f.string_list(d, "deny")),
            owner,
            description,
            acknowledge: super::common::Acknowledgement::decode_list(d, f),
        }
    }
}
