use crate::finding::{Anchor, FieldPath, Finding};
use crate::model::{Kind, Lifecycle, LifecycleFields, Model};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags an event, a property, or a property ref on an event that is `deprecated`
    /// without a `sunset` date.
    ///
    /// ## Why is this bad?
    /// Deprecation is a promise to consumers: the thing stays until a known date, then
    /// goes. Without the date consumers cannot plan, and removal can never be judged safe.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: legacy_id
    /// type: string
    /// lifecycle: deprecated
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: legacy_id
    /// type: string
    /// lifecycle: deprecated
    /// sunset: 2027-03-31
    /// replaced_by: customer_id
    /// ---
    /// kind: Property
    /// name: customer_id
    /// type: string
    /// ```
    pub(crate) static RULE = {
        code: "CT011",
        name: "deprecated-without-sunset",
        category: Structure,
        severity: Error,
        summary: "Deprecated without a sunset date",
    };
}

pub(crate) fn check(model: &Model, out: &mut Vec<Finding>) {
    let mut flag = |kind: Kind, name: &str, at: FieldPath, what: String, l: &LifecycleFields| {
        if l.lifecycle == Lifecycle::Deprecated && l.sunset.is_none() {
            out.push(
                Finding::new(
                    &RULE,
                    Anchor::resource(kind, name, at.then("lifecycle")),
                    format!("{what} is deprecated without a `sunset` date"),
                )
                .with_help(
                    "add `sunset: YYYY-MM-DD` (and `replaced_by:` when something replaces it)"
                        .to_string(),
                ),
            );
        }
    };
    for (name, p) in &model.properties {
        flag(
            Kind::Property,
            name,
            FieldPath::root(),
            format!("property `{name}`"),
            &p.lifecycle,
        );
    }
    for (name, e) in &model.events {
        flag(
            Kind::Event,
            name,
            FieldPath::root(),
            format!("event `{name}`"),
            &e.lifecycle,
        );
        for r in &e.properties {
            let at = FieldPath::key("properties").then_index(r.position);
            let what = format!("property `{}` of event `{name}`", r.name);
            flag(Kind::Event, name, at, what, &r.lifecycle);
        }
    }
}
