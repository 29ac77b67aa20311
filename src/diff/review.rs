//! The reviewer view of a comparison (`contrail diff`): every change with its badge
//! (breaking, needs review, safe), its migration path and the teams that must review it, and
//! the coverage KPIs before and after. Verdicts and reviewers come from the policies
//! (`contrail.compat`, `contrail.governance`), so an override changes `diff` as it does `check`.

use serde::Serialize;

use super::{Base, LocatedChange, Sides};
use crate::model::{self, CoverageKpis, Model};

/// What a change means for the reviewer, from worst to best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Badge {
    Breaking,
    /// Could not be judged: it depends on a base file that could not be read. It may be
    /// breaking, so it ranks just below.
    Unknown,
    NeedsReview,
    Safe,
}

impl Badge {
    pub fn as_str(self) -> &'static str {
        match self {
            Badge::Breaking => "breaking",
            Badge::Unknown => "unknown",
            Badge::NeedsReview => "needs review",
            Badge::Safe => "safe",
        }
    }
}

/// One change as the reviewer sees it.
#[derive(Clone, Debug)]
pub struct ReviewedChange {
    pub located: LocatedChange,
    pub badge: Badge,
    /// How to make it without breaking anyone (breaking changes).
    pub migration: Option<String>,
    /// Teams that must review it.
    pub teams: Vec<String>,
}

/// A team whose review is required, with its code-review handles.
#[derive(Clone, Debug, Serialize)]
pub struct Reviewer {
    pub team: String,
    pub reviewers: Vec<String>,
    pub governance: bool,
}

#[derive(Clone, Debug)]
pub struct Review {
    /// The base as given (`main`, a directory).
    pub base: String,
    pub changes: Vec<ReviewedChange>,
    pub reviewers: Vec<Reviewer>,
    pub coverage: Sides<CoverageKpis>,
    /// Base files that could not be read (`base-unreadable`): their resources were not
    /// compared, so the reviewer must be told.
    pub not_compared: Vec<String>,
}

impl Review {
    /// The headline: the worst badge of any change (`safe` when nothing changed), and never
    /// better than `unknown` while a base file was not compared.
    pub fn verdict(&self) -> Badge {
        let worst = self
            .changes
            .iter()
            .map(|c| c.badge)
            .min()
            .unwrap_or(Badge::Safe);
        if self.not_compared.is_empty() {
            worst
        } else {
            worst.min(Badge::Unknown)
        }
    }

    pub fn count(&self, badge: Badge) -> usize {
        self.changes.iter().filter(|c| c.badge == badge).count()
    }
}

/// What the policies said about the changes, keyed by change index:
/// `data.contrail.compat.verdicts` and `data.contrail.governance.reviews`.
pub struct Answers {
    pub verdicts: serde_json::Value,
    pub reviews: serde_json::Value,
}

/// Each change of a comparison with `base`, as the policies' `answers` judge it.
pub fn review(base: &Base, head: &Model, located: Vec<LocatedChange>, answers: &Answers) -> Review {
    let Answers { verdicts, reviews } = answers;
    let mut changes = Vec::with_capacity(located.len());
    let mut teams = std::collections::BTreeSet::new();
    for (i, located) in located.into_iter().enumerate() {
        let key = i.to_string();
        let verdict = &verdicts[&key];
        let review = &reviews[&key];
        // A governance error (lowered PII class, removed consent purpose, unacknowledged)
        // fails `check` as a breaking change does: the diff's headline must agree.
        let badge = if verdict["verdict"] == "breaking" || review["blocking"] == true {
            Badge::Breaking
        } else if located.change.unknown.is_some() {
            Badge::Unknown
        } else if review["governance"] == true {
            Badge::NeedsReview
        } else {
            Badge::Safe
        };
        let change_teams: Vec<String> = review["teams"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
        teams.extend(change_teams.iter().cloned());
        changes.push(ReviewedChange {
            located,
            badge,
            migration: verdict["migration"].as_str().map(str::to_string),
            teams: change_teams,
        });
    }
    let reviewers = teams
        .into_iter()
        .map(|team| {
            let t = head.teams.get(&team);
            Reviewer {
                reviewers: t.map(|t| t.reviewers.clone()).unwrap_or_default(),
                governance: t.is_some_and(|t| t.governance),
                team,
            }
        })
        .collect();
    Review {
        base: base.spec.clone(),
        changes,
        reviewers,
        coverage: Sides {
            base: model::coverage(&base.model),
            head: model::coverage(head),
        },
        not_compared: base.unreadable.iter().cloned().collect(),
    }
}
