use serde::Serialize;

use super::property::values;
use crate::source::decode::{Decoder, Fields};

pub(super) const FIELDS: &[&str] = &["kind", "name", "reviewers", "governance", "description"];

/// A team that owns resources and reviews their changes.
#[derive(Clone, Debug, Serialize)]
pub struct Team {
    /// Code-review handles such as `@shop/checkout`.
    pub reviewers: Vec<String>,
    /// A governance team reviews PII, consent, residency and identity changes.
    pub governance: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Team {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        Self {
            reviewers: values(f.string_list(d, "reviewers")),
            governance: f.bool(d, "governance").unwrap_or(false),
            description: f.string(d, "description").map(|s| s.value),
        }
    }
}
