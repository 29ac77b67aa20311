use serde::Serialize;

use super::common::Normalize;
use super::owner_and_description;
use crate::source::decode::{choose, Decoder, Fields};
use crate::source::yaml::Node;

pub(super) const FIELDS: &[&str] = &[
    "kind",
    "name",
    "acknowledge",
    "match_keys",
    "merge",
    "suppress",
    "owner",
    "description",
];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Merge {
    #[default]
    MostRecent,
    FirstSeen,
    HighestPrecedence,
}

const MERGES: &[(&str, Merge)] = &[
    ("most_recent", Merge::MostRecent),
    ("first_seen", Merge::FirstSeen),
    ("highest_precedence", Merge::HighestPrecedence),
];

/// How profiles are stitched together.
#[derive(Clone, Debug, Serialize)]
pub struct IdentityRule {
    pub match_keys: Vec<MatchKey>,
    pub merge: Merge,
    pub suppress: Vec<Suppress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acknowledge: Vec<super::common::Acknowledgement>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MatchKey {
    pub property: String,
    /// 1 = highest.
    pub precedence: Option<u64>,
    pub normalize: Vec<Normalize>,
}

/// Placeholder values of a property that must never stitch profiles.
#[derive(Clone, Debug, Serialize)]
pub struct Suppress {
    pub property: String,
    pub values: Vec<serde_json::Value>,
}

impl IdentityRule {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        f.expect(d, "match_keys");
        let (owner, description) = owner_and_description(d, f);
        Self {
            match_keys: f
                .list_of(d, "match_keys", |d, _, node| match_key(d, node))
                .unwrap_or_default(),
            merge: f.choice(d, "merge", MERGES).unwrap_or_default(),
            suppress: f
                .list_of(d, "suppress", |d, _, node| {
                    let s = d.mapping(node, "suppress entry", &["property", "values"])?;
                    s.expect(d, "values");
                    let property = s.required_string(d, "property")?.value;
                    let values = match s.get("values").map(|n| &n.value) {
                        Some(crate::source::yaml::Value::Seq(items)) => {
                            items.iter().map(Node::to_json).collect()
                        }
                        Some(_) => {
                            let node = s.get("values")?;
                            d.wrong_type(&s, "values", node, "a list of values");
                            return None;
                        }
                        None => return None,
                    };
                    Some(Suppress { property, values })
                })
                .unwrap_or_default(),
            owner,
            description,
            acknowledge: super::common::Acknowledgement::decode_list(d, f),
        }
    }
}

fn match_key(d: &mut Decoder, node: &Node) -> Option<MatchKey> {
    let k = d.mapping(node, "match key", &["property", "precedence", "normalize"])?;
    let property = k.required_string(d, "property")?.value;
    let normalize = k
        .one_or_list(d, "normalize")
        .unwrap_or_default()
        .iter()
        .filter_map(|v| choose(d, "match key", "normalize", v, Normalize::CHOICES))
        .collect();
    Some(MatchKey {
        property,
        precedence: k.count(d, "precedence"),
        normalize,
    })
}
