use std::collections::BTreeMap;

use crate::finding::{Anchor, FieldPath, Finding};
use crate::model::Model;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a name defined twice for the same kind, and a property listed twice on one
    /// event.
    ///
    /// ## Why is this bad?
    /// Only one definition can win. Which one depends on file order, so a reviewer reading
    /// one of them may be reading the one that does not count.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ---
    /// kind: Property
    /// name: email
    /// type: string
    /// format: email
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// format: email
    /// ```
    pub(crate) static RULE = {
        code: "CT008",
        name: "duplicate-name",
        category: Structure,
        severity: Error,
        summary: "Name is defined more than once",
    };
}

pub(crate) fn check(model: &Model, out: &mut Vec<Finding>) {
    for ((kind, name), origins) in &model.origins {
        let Some((first, rest)) = origins.split_first() else {
            continue;
        };
        for origin in rest {
            let anchor = Anchor::Document {
                origin: *origin,
                field: FieldPath::root(),
            };
            let first_at = Anchor::Document {
                origin: *first,
                field: FieldPath::root(),
            };
            out.push(
                Finding::new(&RULE, anchor, format!("{kind} `{name}` is already defined"))
                    .with_related(first_at, "first defined here")
                    .with_help("rename one of them, or merge them into one definition".to_string()),
            );
        }
    }
    for (event, e) in &model.events {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &e.properties {
            let i = p.position;
            match seen.get(p.name.as_str()) {
                None => drop(seen.insert(&p.name, i)),
                Some(&first) => {
                    let at = |index: usize| {
                        Anchor::resource(
                            crate::model::Kind::Event,
                            event.as_str(),
                            FieldPath::key("properties").then_index(index).then("ref"),
                        )
                    };
                    out.push(
                        Finding::new(
                            &RULE,
                            at(i),
                            format!("property `{}` is listed twice on event `{event}`", p.name),
                        )
                        .with_related(at(first), "first listed here")
                        .with_help("keep one entry".to_string()),
                    );
                }
            }
        }
    }
}
