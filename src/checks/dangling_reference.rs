use crate::finding::{Anchor, Finding};
use crate::model::Model;
use crate::rules::declare_rule;
use crate::suggest;

declare_rule! {
    /// ## What it does
    /// Flags a reference to a resource that does not exist: a property `ref`, an `owner`
    /// team, a consent purpose, a pipeline's `source`, `destinations` or
    /// `transformations`, a step's property, an identity match key, `replaced_by`.
    ///
    /// ## Why is this bad?
    /// Routing, schemas and policies would silently skip the missing piece: a route to a
    /// destination that does not exist delivers nothing, an event with a misspelt
    /// property ref has no schema for it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: cart_id
    /// type: string
    /// ---
    /// kind: Event
    /// name: checkout_started
    /// properties:
    ///   - { ref: cart_idd }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: cart_id
    /// type: string
    /// ---
    /// kind: Event
    /// name: checkout_started
    /// properties:
    ///   - { ref: cart_id }
    /// ```
    pub(crate) static RULE = {
        code: "CT004",
        name: "dangling-reference",
        category: Structure,
        severity: Error,
        summary: "Reference to a resource that is not defined",
        absence: true,
    };
}

pub(crate) fn check(model: &Model, out: &mut Vec<Finding>) {
    for r in model.references() {
        if model.contains(r.target_kind, r.target) {
            continue;
        }
        let help = suggest::help(r.target, model.names(r.target_kind)).unwrap_or_else(|| {
            format!(
                "define it (`kind: {}`, `name: {}`) or fix the name",
                r.target_kind, r.target
            )
        });
        let anchor = Anchor::resource(r.from_kind, r.from, r.field);
        let message = format!("{} `{}` is not defined", r.target_kind, r.target);
        out.push(Finding::new(&RULE, anchor, message).with_help(help));
    }
}
