use std::collections::BTreeMap;

use super::{RuleMeta, Severity};

/// A rule of `rules` by kebab name or code (`dangling-reference`, `CT004`).
pub fn find(rules: &[&'static RuleMeta], name_or_code: &str) -> Option<&'static RuleMeta> {
    rules
        .iter()
        .copied()
        .find(|r| r.name == name_or_code || r.code.eq_ignore_ascii_case(name_or_code))
}

/// "did you mean" help for an unknown rule name.
pub fn suggest(rules: &[&'static RuleMeta], unknown: &str) -> Option<String> {
    crate::suggest::help(unknown, rules.iter().map(|r| r.name))
}

/// A rule that can fire in a run, at the severity the configuration gives it.
#[derive(Clone, Copy, Debug)]
pub struct ActiveRule {
    pub meta: &'static RuleMeta,
    pub severity: Severity,
    /// Shipped with contrail (Rust or built-in Rego): it has a page under docs/rules/.
    pub builtin: bool,
}

/// The rules of a run that `disable` leaves on, at their configured severity, by code.
pub fn active(
    rules: impl IntoIterator<Item = (&'static RuleMeta, bool)>,
    disabled: &[&'static RuleMeta],
    severity: &BTreeMap<&'static str, Severity>,
) -> Vec<ActiveRule> {
    let mut active: Vec<ActiveRule> = rules
        .into_iter()
        .filter(|(meta, _)| !is_disabled(meta, disabled))
        .map(|(meta, builtin)| ActiveRule {
            meta,
            severity: severity.get(meta.code).copied().unwrap_or(meta.severity),
            builtin,
        })
        .collect();
    active.sort_by(|a, b| a.meta.code.cmp(b.meta.code));
    active
}

pub(crate) fn is_disabled(rule: &RuleMeta, disabled: &[&'static RuleMeta]) -> bool {
    disabled.iter().any(|r| std::ptr::eq(*r, rule))
}
