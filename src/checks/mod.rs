//! Structural rules, in Rust, one file per rule. Rules detected while reading files
//! (`yaml-syntax`, `unknown-field`, …) are declared here and raised by `source` and `model`;
//! the rest judge the decoded model.

pub(crate) mod base_unreadable;
pub(crate) mod dangling_reference;
pub(crate) mod deprecated_without_sunset;
pub(crate) mod duplicate_name;
pub(crate) mod file_unreadable;
pub(crate) mod invalid_constraint;
pub(crate) mod invalid_date;
pub(crate) mod invalid_document;
pub(crate) mod invalid_value;
pub(crate) mod limit_exceeded;
pub(crate) mod missing_field;
pub(crate) mod reference_cycle;
pub(crate) mod unknown_field;
pub(crate) mod unknown_format;
pub(crate) mod unknown_kind;
pub(crate) mod yaml_syntax;

use crate::finding::Finding;
use crate::model::Model;

/// Runs every structural rule that judges the decoded model.
pub fn run(model: &Model) -> Vec<Finding> {
    let mut out = Vec::new();
    duplicate_name::check(model, &mut out);
    dangling_reference::check(model, &mut out);
    invalid_constraint::check(model, &mut out);
    deprecated_without_sunset::check(model, &mut out);
    reference_cycle::check(model, &mut out);
    unknown_format::check(model, &mut out);
    out
}
