//! Changes of a property resource that are not about one event: privacy facts (PII class,
//! consent, residency), description, lifecycle, default; and the schema of a property that
//! no event carries (schema changes at events are judged per event).

use std::collections::BTreeMap;

use super::schema;
use crate::diff::pair::{self, Pair};
use crate::diff::{At, Change, ChangeKind, Context};
use crate::finding::FieldPath;
use crate::model::{Kind, Lifecycle, Property};

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    // Property → the head events that carry it, in name order.
    let mut carriers: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (event, e) in &cx.head.events {
        for (r, _) in cx.head.carried(e) {
            let events = carriers.entry(&r.name).or_default();
            if events.last() != Some(event) {
                events.push(event.clone());
            }
        }
    }
    for p in pair::by_name(&cx.base.properties, &cx.head.properties) {
        let Pair::Both(name, b, h) = p else {
            continue;
        };
        if cx.skipped(Kind::Property, name) || h.lifecycle.lifecycle == Lifecycle::Removed {
            continue;
        }
        let events = carriers.get(name).cloned().unwrap_or_default();
        let at = |field: &str| Some(At::new(Kind::Property, name, FieldPath::key(field)));
        let mut push = |kind: ChangeKind, field: &str, from, to| {
            let mut c = Change::new(kind, cx.mode)
                .values(from, to)
                .at(at(field), at(field));
            c.property = Some(name.to_string());
            c.field = Some(field.to_string());
            c.events = events.clone();
            out.push(c);
        };
        privacy(b, h, &mut push);
        if b.description != h.description {
            push(
                ChangeKind::PropertyDescriptionChanged,
                "description",
                serde_json::json!(b.description),
                serde_json::json!(h.description),
            );
        }
        if b.lifecycle.lifecycle != h.lifecycle.lifecycle {
            let kind =
                if h.lifecycle.lifecycle == Lifecycle::Deprecated && h.lifecycle.sunset.is_none() {
                    ChangeKind::PropertyDeprecatedWithoutSunset
                } else {
                    ChangeKind::PropertyLifecycleChanged
                };
            push(
                kind,
                "lifecycle",
                serde_json::json!(b.lifecycle.lifecycle),
                serde_json::json!(h.lifecycle.lifecycle),
            );
        }
        if b.default != h.default {
            push(
                ChangeKind::DefaultChanged,
                "default",
                serde_json::json!(b.default),
                serde_json::json!(h.default),
            );
        }
        if events.is_empty() {
            let mut found = Vec::new();
            schema::compare(&b.schema, &h.schema, "", &mut found);
            for s in found {
                push(s.kind, &s.field, s.from, s.to);
            }
        }
    }
}

type Push<'a> = dyn FnMut(ChangeKind, &str, serde_json::Value, serde_json::Value) + 'a;

/// PII class, consent purposes and residency.
fn privacy(b: &Property, h: &Property, push: &mut Push) {
    use serde_json::json;
    match (b.pii, h.pii) {
        (Some(from), Some(to)) if to < from => {
            push(ChangeKind::PiiLowered, "pii", json!(from), json!(to))
        }
        (Some(from), Some(to)) if to > from => {
            push(ChangeKind::PiiRaised, "pii", json!(from), json!(to))
        }
        (None, Some(to)) => push(ChangeKind::PiiClassified, "pii", json!(null), json!(to)),
        // Dropping the class hides what the property is: as serious as lowering it.
        (Some(from), None) => push(ChangeKind::PiiLowered, "pii", json!(from), json!(null)),
        _ => {}
    }
    for purpose in b.consent.iter().filter(|p| !h.consent.contains(p)) {
        push(
            ChangeKind::ConsentPurposeRemoved,
            "consent",
            json!(purpose),
            json!(null),
        );
    }
    for purpose in h.consent.iter().filter(|p| !b.consent.contains(p)) {
        push(
            ChangeKind::ConsentPurposeAdded,
            "consent",
            json!(null),
            json!(purpose),
        );
    }
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    if sorted(&b.residency) != sorted(&h.residency) {
        push(
            ChangeKind::ResidencyChanged,
            "residency",
            json!(b.residency),
            json!(h.residency),
        );
    }
}
