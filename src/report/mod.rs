//! Reporters: each writes the same located findings in one format.

pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod place;
pub mod review;
pub mod sarif;
mod snippet;

use crate::locate::LocatedFindings;
use crate::rules::Severity;

/// What a run covered, for the summary line and JSON.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub events: usize,
    pub properties: usize,
}

impl Totals {
    pub fn count(report: &LocatedFindings, files: usize, events: usize, properties: usize) -> Self {
        Self {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            files,
            events,
            properties,
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
