use serde::Serialize;

use super::common::{lowercase_ids, LifecycleFields, PiiClass, Retention};
use super::owner_and_description;
use super::schema::Schema;
use crate::source::decode::{Decoder, Fields};

pub(super) const FIELDS: &[&str] = &[
    "kind",
    "name",
    "acknowledge",
    "type",
    "format",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "items",
    "min_items",
    "max_items",
    "pii",
    "consent",
    "lawful_basis",
    "residency",
    "retention",
    "owner",
    "description",
    "lifecycle",
    "sunset",
    "replaced_by",
    "default",
];

/// Legal bases that stand in for consent (GDPR art. 6).
const LAWFUL_BASES: &[(&str, &str)] = &[
    ("contract", "contract"),
    ("legal_obligation", "legal_obligation"),
    ("legitimate_interest", "legitimate_interest"),
    ("vital_interests", "vital_interests"),
    ("public_task", "public_task"),
];

/// A property of the tracking plan: its value schema and its privacy facts.
#[derive(Clone, Debug, Serialize)]
pub struct Property {
    #[serde(flatten)]
    pub schema: Schema,
    /// `None` = unclassified.
    pub pii: Option<PiiClass>,
    pub consent: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lawful_basis: Option<&'static str>,
    pub residency: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub lifecycle: LifecycleFields,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acknowledge: Vec<super::common::Acknowledgement>,
}

impl Property {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        // `type: null` is the null type, not an absent type.
        if f.node.get("type").is_none() {
            f.expect(d, "type");
        }
        let (owner, description) = owner_and_description(d, f);
        let retention = Retention::decode(d, f);
        Self {
            schema: Schema::decode(d, f),
            pii: f.choice(d, "pii", PiiClass::CHOICES),
            consent: values(f.string_list(d, "consent")),
            lawful_basis: f.choice(d, "lawful_basis", LAWFUL_BASES),
            residency: lowercase_ids(d, f, "residency"),
            retention: retention.as_ref().map(|r| r.text.clone()),
            retention_days: retention.map(|r| r.days),
            owner,
            description,
            lifecycle: LifecycleFields::decode(d, f, false),
            default: f.get("default").map(|n| n.to_json()),
            acknowledge: super::common::Acknowledgement::decode_list(d, f),
        }
    }
}

/// The strings of a decoded list (absent = empty).
pub(super) fn values(list: Option<Vec<crate::source::decode::Spanned<String>>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|s| s.value)
        .collect()
}
