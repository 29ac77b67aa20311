//! The reviewer view of a comparison (`contrail diff`): every change with its badge
//! (breaking, needs review, safe), its migration path and the teams that must review it, and
//! the coverage KPIs before and after. Verdicts and reviewers come from the policies
//! (`contrail.compat`, `contrail.governance`), so an override changes `diff` as it does `check`.

use serde::Serialize;

use crate::catalog::{self, Catalog, Stats};
use crate::diff::Sides;
use crate::locate::{self, LocatedChange};
use crate::Contract;

/// What a change means for the reviewer, from worst to best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Badge {
    Breaking,
    NeedsReview,
    Safe,
}

impl Badge {
    pub fn as_str(self) -> &'static str {
        match self {
            Badge::Breaking => "breaking",
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
    pub coverage: Sides<Stats>,
    /// Base files that could not be read (`base-unreadable`): their resources were not
    /// compared, so the reviewer must be told.
    pub not_compared: Vec<String>,
}

impl Review {
    /// The headline: the worst badge of any change (`safe` when nothing changed).
    pub fn verdict(&self) -> Badge {
        self.changes
            .iter()
            .map(|c| c.badge)
            .min()
            .unwrap_or(Badge::Safe)
    }

    pub fn count(&self, badge: Badge) -> usize {
        self.changes.iter().filter(|c| c.badge == badge).count()
    }
}

/// Asks the policies what each change of `catalog` (the contract's, compared with its base by
/// [`crate::compiled`]) means for the reviewer.
pub fn review(contract: &Contract, catalog: &Catalog) -> Result<Review, crate::Error> {
    let Some(base) = &contract.base else {
        return Err(crate::Error::Review(
            "there is no base to compare with".into(),
        ));
    };
    let answers = contract
        .policies
        .query(
            catalog,
            &[
                "data.contrail.compat.verdicts",
                "data.contrail.governance.reviews",
            ],
        )
        .map_err(crate::Error::Review)?;
    let [verdicts, reviews] = answers.as_slice() else {
        return Err(crate::Error::Review("the policies gave no answer".into()));
    };
    for (value, query, package) in [
        (verdicts, "data.contrail.compat.verdicts", "contrail.compat"),
        (
            reviews,
            "data.contrail.governance.reviews",
            "contrail.governance",
        ),
    ] {
        if !value.is_object() && !catalog.changes.is_empty() {
            return Err(crate::Error::Review(format!(
                "`{query}` is not defined; a module replacing `{package}` must define it (see docs/policies.md)"
            )));
        }
    }
    let models = locate::Models {
        head: &contract.model,
        base: Some(&base.model),
    };
    let located = locate::locate_changes(&catalog.changes, models, &contract.sources);
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
            let t = contract.model.teams.get(&team);
            Reviewer {
                reviewers: t.map(|t| t.reviewers.clone()).unwrap_or_default(),
                governance: t.is_some_and(|t| t.governance),
                team,
            }
        })
        .collect();
    Ok(Review {
        base: base.spec.clone(),
        changes,
        reviewers,
        coverage: Sides {
            base: catalog::stats(&base.model),
            head: catalog::stats(&contract.model),
        },
        not_compared: base.unreadable.iter().cloned().collect(),
    })
}
