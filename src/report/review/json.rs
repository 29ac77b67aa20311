//! The reviewer diff as JSON.

use crate::diff::review::{Badge, Review};
use crate::report::json::json_change;
use crate::source::SourceMap;

/// The reviewer diff as JSON: verdict, counts, reviewers, changes (as in `check`'s JSON, with
/// `badge`, `migration` and `teams`) and coverage on both sides.
pub fn render(review: &Review, sources: &SourceMap) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = review
        .changes
        .iter()
        .map(|c| {
            let mut v = json_change(&c.located, sources);
            if let serde_json::Value::Object(map) = &mut v {
                map.insert("badge".into(), serde_json::json!(c.badge));
                map.insert("migration".into(), serde_json::json!(c.migration));
                map.insert("teams".into(), serde_json::json!(c.teams));
            }
            v
        })
        .collect();
    serde_json::json!({
        "version": crate::report::json::SCHEMA_VERSION,
        "verdict": review.verdict(),
        "summary": {
            "breaking": review.count(Badge::Breaking),
            "unknown": review.count(Badge::Unknown),
            "needs_review": review.count(Badge::NeedsReview),
            "safe": review.count(Badge::Safe),
        },
        "reviewers": review.reviewers,
        "not_compared": review.not_compared,
        "changes": changes,
        "coverage": {"base": review.coverage.base, "head": review.coverage.head},
    })
}
