use serde::{Serialize, Serializer};

use super::common::{LifecycleFields, SharedFacts, SharedFields};
use crate::source::decode::{Decoder, Fields};

pub(super) const FIELDS: &[&str] = &[
    "kind",
    "name",
    "acknowledge",
    "owner",
    "domain",
    "description",
    "lifecycle",
    "sunset",
    "replaced_by",
    "version",
    "compatibility",
    "properties",
    "additional_properties",
];

const REF_FIELDS: &[&str] = &[
    "ref",
    "required",
    "description",
    "lifecycle",
    "sunset",
    "replaced_by",
];

/// How a change to an event is judged against its base (as in schema registries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compatibility {
    Backward,
    Forward,
    Full,
    None,
}

impl Compatibility {
    pub const CHOICES: &'static [(&'static str, Compatibility)] = &[
        ("backward", Compatibility::Backward),
        ("forward", Compatibility::Forward),
        ("full", Compatibility::Full),
        ("none", Compatibility::None),
    ];
}

/// An event of the tracking plan.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub lifecycle: LifecycleFields,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compatibility: Option<Compatibility>,
    /// In the order written; the catalog shows them keyed by name.
    #[serde(serialize_with = "refs_by_name")]
    pub properties: Vec<PropertyRef>,
    pub additional_properties: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acknowledge: Vec<super::common::Acknowledgement>,
}

/// A property as used by one event.
#[derive(Clone, Debug, Serialize)]
pub struct PropertyRef {
    #[serde(skip)]
    pub name: String,
    /// Index in the written list (findings address items by it).
    #[serde(skip)]
    pub position: usize,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub lifecycle: LifecycleFields,
}

impl Event {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        let facts = Facts::decode(d, f);
        let mut event = Self {
            owner: None,
            domain: None,
            description: None,
            lifecycle: LifecycleFields::default(),
            version: f.integer(d, "version"),
            compatibility: None,
            properties: f
                .list_of(d, "properties", |d, position, node| {
                    if let Some(name) = node.as_str() {
                        d.report(
                            &crate::source::decode::INVALID_VALUE,
                            node.span.clone(),
                            format!("a property ref is a mapping, found the string `{name}`"),
                            Some(format!("write `{{ ref: {name} }}`")),
                        );
                        return None;
                    }
                    let r = d.mapping(node, "property ref", REF_FIELDS)?;
                    let name = r.required_string(d, "ref")?.value;
                    Some(PropertyRef {
                        name,
                        position,
                        required: r.bool(d, "required").unwrap_or(false),
                        description: r.string(d, "description").map(|s| s.value),
                        lifecycle: LifecycleFields::decode(d, &r, false),
                    })
                })
                .unwrap_or_default(),
            additional_properties: f.bool(d, "additional_properties").unwrap_or(false),
            acknowledge: Vec::new(),
        };
        facts.apply(&mut event);
        event
    }

    pub fn property(&self, name: &str) -> Option<&PropertyRef> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// What an event says beyond its payload: the facts an overlay may also give.
pub(super) struct Facts {
    domain: Option<String>,
    compatibility: Option<Compatibility>,
    shared: SharedFacts,
}

impl Facts {
    /// The keys of [`Facts`] besides [`SharedFacts::FIELDS`], as written.
    pub(super) const OWN_FIELDS: [&'static str; 2] = ["domain", "compatibility"];

    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        Self {
            domain: f.string(d, "domain").map(|s| s.value),
            compatibility: f.choice(d, "compatibility", Compatibility::CHOICES),
            shared: SharedFacts::decode(d, f, true),
        }
    }

    /// Sets on `e` every fact given here.
    pub(super) fn apply(self, e: &mut Event) {
        if self.domain.is_some() {
            e.domain = self.domain;
        }
        if self.compatibility.is_some() {
            e.compatibility = self.compatibility;
        }
        self.shared.apply(SharedFields {
            owner: &mut e.owner,
            description: &mut e.description,
            lifecycle: &mut e.lifecycle,
            acknowledge: &mut e.acknowledge,
        });
    }
}

fn refs_by_name<S: Serializer>(refs: &[PropertyRef], s: S) -> Result<S::Ok, S::Error> {
    let mut sorted: Vec<&PropertyRef> = refs.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    sorted.dedup_by(|a, b| a.name == b.name);
    s.collect_map(sorted.into_iter().map(|r| (&r.name, r)))
}
