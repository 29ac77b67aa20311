use serde::Serialize;

use crate::source::decode::{Decoder, Fields};

pub(super) const FIELDS: &[&str] = &["kind", "name", "description"];

/// A purpose users consent to (analytics, marketing, ...).
#[derive(Clone, Debug, Serialize)]
pub struct ConsentPurpose {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl ConsentPurpose {
    pub(super) fn decode(d: &mut Decoder, f: &Fields) -> Self {
        Self {
            description: f.string(d, "description").map(|s| s.value),
        }
    }
}
