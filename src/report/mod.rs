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
    /// Files that could not be read or parsed (their findings are printed first).
    #[serde(skip_serializing_if = "is_zero")]
    pub unparsed: usize,
    pub events: usize,
    pub properties: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Whether a finding says a whole file could not be read or parsed.
fn is_file_failure(located: &crate::locate::Located) -> bool {
    crate::source::RULES_OF_FILES
        .iter()
        .any(|r| std::ptr::eq(*r, located.finding.rule))
}

impl Totals {
    pub fn count(report: &LocatedFindings, files: usize, events: usize, properties: usize) -> Self {
        Self {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            files,
            unparsed: report
                .findings
                .iter()
                .filter(|f| is_file_failure(f))
                .filter_map(|f| f.location.as_ref().map(|l| l.file))
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            events,
            properties,
        }
    }
}

/// `1 error`, `2 errors`: a count and the word that goes with it.
pub(crate) fn plural<N>(n: N, one: &str, many: &str) -> String
where
    N: std::fmt::Display + PartialEq + From<u8>,
{
    let word = if n == N::from(1) { one } else { many };
    format!("{n} {word}")
}
