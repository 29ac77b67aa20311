use crate::finding::{Anchor, Finding};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Says how many findings that a name is missing, unused or unrouted were not reported
    /// because a file of the contract could not be read or parsed, or a document of it was
    /// not read as written, and which files. Those findings come from rules such as
    /// `dangling-reference`, `destination-unused` and `event-unrouted` (their pages say
    /// "withheld while a file of the contract does not parse or one of its documents is not
    /// read as written").
    ///
    /// ## Why is this bad?
    /// A file that does not parse may define the names that look missing, or use the ones
    /// that look unused; so may a document of an unknown `kind`, or one with a field that is
    /// unknown or missing (a misspelt `destinatons:` leaves a pipeline without
    /// destinations). Reporting them would bury the one real error under false ones.
    /// Fix the file (its own finding, such as `yaml-syntax`, `unknown-kind` or
    /// `unknown-field`, says where), and they are checked again.
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
        summary: "Findings withheld because a file did not parse or was not read as written",
    };
}

/// How much of a file was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unread {
    /// Not at all: it could not be read (or was too large).
    NotRead,
    /// Not at all: it did not parse.
    DidNotParse,
    /// A document of it was not read as written (its own finding says why).
    InPart,
}

/// Drops the findings of `absence` rules while files were not read (`unread`, as their paths)
/// and says once how many were dropped.
pub fn withhold(findings: Vec<Finding>, unread: &[(&str, Unread)]) -> Vec<Finding> {
    if unread.is_empty() {
        return findings;
    }
    let (withheld, mut kept): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|f| f.rule.absence);
    if !withheld.is_empty() {
        let files = |how: Unread| {
            let files: Vec<String> = unread
                .iter()
                .filter(|(_, h)| *h == how)
                .map(|(f, _)| format!("`{f}`"))
                .collect();
            let verb = match (how, files.len()) {
                (Unread::NotRead, _) => "could not be read",
                (Unread::DidNotParse, _) => "did not parse",
                (Unread::InPart, 1) => "was not read as written",
                (Unread::InPart, _) => "were not read as written",
            };
            (!files.is_empty()).then(|| format!("{} {verb}", files.join(", ")))
        };
        let parts: Vec<String> = [Unread::NotRead, Unread::DidNotParse, Unread::InPart]
            .into_iter()
            .filter_map(files)
            .collect();
        let why = match parts.as_slice() {
            [one] => format!("{one} and may define or use them"),
            _ => format!("{}; they may define or use them", parts.join(", ")),
        };
        let (n, what) = match withheld.len() {
            1 => (1, "finding"),
            n => (n, "findings"),
        };
        kept.push(
            Finding::new(
                &RULE,
                Anchor::Repo,
                format!("held back {n} {what} about missing, unused or unrouted names: {why}"),
            )
            .with_help(
                "fix those files first (their own findings say where); the names are checked again once they are read in full"
                    .to_string(),
            ),
        );
    }
    kept
}
