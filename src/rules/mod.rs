//! What a rule is (code, name, category, default severity, docs), how a stage declares one
//! ([`declare_rule!`]). The list of every rule of a
//! run is `contrail::rules_of_run`; `Config::apply` is where configuration changes a finding.

mod meta;
mod registry;

pub use meta::{Category, RuleMeta, Severity};
pub(crate) use registry::is_disabled;
pub use registry::{active, find, suggest, ActiveRule};

/// Declares a rule's identity and docs in the file that detects it.
///
/// The `///` lines become [`RuleMeta::docs`] (Markdown: What it does / Why is this bad? /
/// Example / Use instead), so `contrail explain` and the docs pages read the same text.
/// `absence: true` marks a rule whose findings say a name is missing, unused or unrouted
/// ([`RuleMeta::absence`]).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $id:ident = {
            code: $code:literal,
            name: $name:literal,
            category: $category:ident,
            severity: $severity:ident,
            summary: $summary:literal
            $(, absence: $absence:literal)? $(,)?
        };
    ) => {
        $vis static $id: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            category: $crate::rules::Category::$category,
            severity: $crate::rules::Severity::$severity,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
            absence: false $(|| $absence)?,
        };
    };
}
pub(crate) use declare_rule;
