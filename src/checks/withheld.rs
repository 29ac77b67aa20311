use crate::finding::{Anchor, Finding};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Says how many findings that a name is missing, unused or unrouted were not reported
    /// because a file of the contract did not parse, and which files. Those findings come
    /// from rules such as `dangling-reference`, `destination-unused` and `event-unrouted`
    /// (their pages say "withheld while a file of the contract does not parse").
    ///
    /// ## Why is this bad?
    /// A file that does not parse may define the names that look missing, or use the ones
    /// that look unused: reporting them would bury the one real error under false ones. Fix
    /// the file (its own finding, `yaml-syntax` or `file-unreadable`, says where), and they
    /// are checked again.
    ///
    /// ## Example
    /// `properties/city.yaml` has `description: City code: three letters` (an unquoted
    /// `: `), so it does not parse; `events/ride.yaml` lists `{ ref: city }`. Instead of a
    /// `dangling-reference` for `city`, the run reports the `yaml-syntax` error and:
    /// ```text
    /// CT017 references-not-checked
    ///   held back 1 finding about missing, unused or unrouted names:
    ///   `properties/city.yaml` did not parse and may define or use them
    /// ```
    pub(crate) static RULE = {
        code: "CT017",
        name: "references-not-checked",
        category: Structure,
        severity: Info,
        summary: "Findings withheld because a file did not parse",
    };
}

/// Drops the findings of `absence` rules when files failed to parse (`unparsed`, as their
/// paths) and says once how many were dropped.
pub fn withhold(findings: Vec<Finding>, unparsed: &[&str]) -> Vec<Finding> {
    if unparsed.is_empty() {
        return findings;
    }
    let (withheld, mut kept): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|f| f.rule.absence);
    if !withheld.is_empty() {
        let files: Vec<String> = unparsed.iter().map(|f| format!("`{f}`")).collect();
        let (n, what) = match withheld.len() {
            1 => (1, "finding"),
            n => (n, "findings"),
        };
        kept.push(
            Finding::new(
                &RULE,
                Anchor::Repo,
                format!(
                    "held back {n} {what} about missing, unused or unrouted names: {} did not parse and may define or use them",
                    files.join(", ")
                ),
            )
            .with_help("fix the file first; the names are checked again once it parses".to_string()),
        );
    }
    kept
}
