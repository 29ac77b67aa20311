//! Structural rules that judge the decoded model, in Rust, one file per rule: each file
//! declares its rule and the function that detects it. Rules found while reading files are
//! declared where they are detected (`source`, `model`, `diff::base`, `policy`).

mod dangling_reference;
mod deprecated_without_sunset;
mod duplicate_name;
mod invalid_constraint;
mod reference_cycle;
mod unknown_format;
mod withheld;

pub use withheld::{withhold, Unread};

use crate::finding::Finding;
use crate::model::Model;
use crate::rules::RuleMeta;

/// A structural rule and the function that detects it.
pub struct Check {
    pub rule: &'static RuleMeta,
    pub run: fn(&Model, &mut Vec<Finding>),
}

/// Every structural rule, in the order they run: the one table `run` and the registry read.
pub static CHECKS: &[Check] = &[
    Check {
        rule: &duplicate_name::RULE,
        run: duplicate_name::check,
    },
    Check {
        rule: &dangling_reference::RULE,
        run: dangling_reference::check,
    },
    Check {
        rule: &invalid_constraint::RULE,
        run: invalid_constraint::check,
    },
    Check {
        rule: &deprecated_without_sunset::RULE,
        run: deprecated_without_sunset::check,
    },
    Check {
        rule: &reference_cycle::RULE,
        run: reference_cycle::check,
    },
    Check {
        rule: &unknown_format::RULE,
        run: unknown_format::check,
    },
];

/// The rules of this stage that judge the run rather than the model.
pub static RULES: &[&RuleMeta] = &[&withheld::RULE];

/// Runs every structural rule over the decoded model.
pub fn run(model: &Model) -> Vec<Finding> {
    let mut out = Vec::new();
    for check in CHECKS {
        (check.run)(model, &mut out);
    }
    out
}
