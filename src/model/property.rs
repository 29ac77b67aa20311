use serde::Serialize;

use super::common::{
    lowercase_ids, LifecycleFields, PiiClass, Retention, SharedFacts, SharedFields,
};
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
        let schema = Schema::decode(d, f);
        let facts = Facts::decode(d, f);
        let mut property = Self {
            schema,
            pii: None,
            consent: Vec::new(),
            lawful_basis: None,
            residency: Vec::new(),
            retention: None,
            retention_days: None,
            owner: None,
            description: None,
            lifecycle: LifecycleFields::default(),
            default: f.get("default").map(|n| n.to_json()),
            acknowledge: Vec::new(),
        };
        facts.apply(&mut property);
        property
    }
}

/// What a property says beyond its value schema: the facts an overlay may also give.
pub(super) struct Facts {
    pii: Option<PiiClass>,
    consent: Option<Vec<String>>,
    lawful_basis: Option<&'static str>,
    residency: Option<Vec<String>>,
    retention: Option<Retention>,
    shared: SharedFacts,
}

impl Facts {
    /// The keys of [`Facts`] besides [`SharedFacts::FIELDS`], as written.
    pub(super) const OWN_FIELDS: [&'static str; 5] =
        ["pii", "consent", "lawful_basis", "residency", "retention"];

    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        Self {
            pii: f.choice(d, "pii", PiiClass::CHOICES),
            consent: f.string_list(d, "consent").map(|l| values(Some(l))),
            lawful_basis: f.choice(d, "lawful_basis", LAWFUL_BASES),
            residency: f.get("residency").map(|_| lowercase_ids(d, f, "residency")),
            retention: Retention::decode(d, f),
            shared: SharedFacts::decode(d, f, false),
        }
    }

    /// Sets on `p` every fact given here.
    pub(super) fn apply(self, p: &mut Property) {
        if self.pii.is_some() {
            p.pii = self.pii;
        }
        if let Some(consent) = self.consent {
            p.consent = consent;
        }
        if self.lawful_basis.is_some() {
            p.lawful_basis = self.lawful_basis;
        }
        if let Some(residency) = self.residency {
            p.residency = residency;
        }
        if let Some(retention) = self.retention {
            p.retention = Some(retention.text);
            p.retention_days = Some(retention.days);
        }
        self.shared.apply(SharedFields {
            owner: &mut p.owner,
            description: &mut p.description,
            lifecycle: &mut p.lifecycle,
            acknowledge: &mut p.acknowledge,
        });
    }
}

/// The strings of a decoded list (absent = empty).
pub(super) fn values(list: Option<Vec<crate::source::decode::Spanned<String>>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|s| s.value)
        .collect()
}
