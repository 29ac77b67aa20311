use std::collections::{BTreeMap, BTreeSet};

use crate::finding::{Anchor, FieldPath, Finding};
use crate::model::{Kind, Model};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags references that go round in a circle: an array property whose `items` refer
    /// back to itself through other properties, or `replaced_by` chains that loop.
    ///
    /// ## Why is this bad?
    /// An `items` cycle describes a value of infinite depth that no payload can satisfy,
    /// and a `replaced_by` loop leaves consumers no migration target.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: old_sku
    /// type: string
    /// lifecycle: deprecated
    /// sunset: 2027-01-31
    /// replaced_by: new_sku
    /// ---
    /// kind: Property
    /// name: new_sku
    /// type: string
    /// lifecycle: deprecated
    /// sunset: 2027-01-31
    /// replaced_by: old_sku
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: old_sku
    /// type: string
    /// lifecycle: deprecated
    /// sunset: 2027-01-31
    /// replaced_by: new_sku
    /// ---
    /// kind: Property
    /// name: new_sku
    /// type: string
    /// ```
    pub(crate) static RULE = {
        code: "CT014",
        name: "reference-cycle",
        category: Structure,
        severity: Error,
        summary: "References form a cycle",
    };
}

pub(crate) fn check(model: &Model, out: &mut Vec<Finding>) {
    let items: BTreeMap<&str, (&str, FieldPath)> = model
        .properties
        .iter()
        .filter_map(|(name, p)| p.schema.items_ref().map(|t| (name.as_str(), t)))
        .collect();
    report_cycles(Kind::Property, &items, "`items` refer back to", out);
    for (kind, edges) in [
        (
            Kind::Property,
            model
                .properties
                .iter()
                .filter_map(|(n, p)| {
                    Some((
                        n.as_str(),
                        (
                            p.lifecycle.replaced_by.as_deref()?,
                            FieldPath::key("replaced_by"),
                        ),
                    ))
                })
                .collect::<BTreeMap<_, _>>(),
        ),
        (
            Kind::Event,
            model
                .events
                .iter()
                .filter_map(|(n, e)| {
                    Some((
                        n.as_str(),
                        (
                            e.lifecycle.replaced_by.as_deref()?,
                            FieldPath::key("replaced_by"),
                        ),
                    ))
                })
                .collect(),
        ),
    ] {
        report_cycles(kind, &edges, "`replaced_by` leads back to", out);
    }
}

/// Each node has at most one outgoing edge, so a cycle is found by following edges.
fn report_cycles(
    kind: Kind,
    edges: &BTreeMap<&str, (&str, FieldPath)>,
    relation: &str,
    out: &mut Vec<Finding>,
) {
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for &start in edges.keys() {
        let mut path = vec![start];
        let mut current = start;
        while let Some((next, _)) = edges.get(current) {
            if let Some(pos) = path.iter().position(|n| n == next) {
                let cycle = &path[pos..];
                let first = *cycle.iter().min().unwrap_or(&start);
                if reported.insert(first) {
                    let mut names: Vec<&str> = cycle.to_vec();
                    let rot = names.iter().position(|n| *n == first).unwrap_or(0);
                    names.rotate_left(rot);
                    names.push(first);
                    let field = edges[first].1.clone();
                    let message = format!(
                        "{kind} `{first}`: {relation} itself ({})",
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(" → ")
                    );
                    out.push(Finding::new(
                        &RULE,
                        Anchor::resource(kind, first, field),
                        message,
                    ));
                }
                break;
            }
            if !edges.contains_key(next) {
                break;
            }
            path.push(next);
            current = next;
        }
    }
}
