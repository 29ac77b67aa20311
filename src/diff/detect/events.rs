//! Changes at events: added, removed, renamed, lifecycle, model, and each carried property
//! (added, removed, renamed, required, schema).

use std::collections::BTreeMap;

use super::schema;
use crate::diff::pair::{self, Pair};
use crate::diff::{At, Change, ChangeKind, Context, Sides};
use crate::finding::FieldPath;
use crate::model::{Event, Kind, Lifecycle, LifecycleFields, Model, Property, PropertyRef};

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for p in pair::by_name(&cx.base.events, &cx.head.events) {
        match p {
            Pair::Both(name, b, h) if !cx.skipped(Kind::Event, name) => {
                compare(cx, name, b, h, out)
            }
            Pair::Removed(name, b)
                if b.lifecycle.lifecycle != Lifecycle::Removed
                    && !cx.skipped(Kind::Event, name) =>
            {
                removed.push((name, b))
            }
            Pair::Added(name, h) if !cx.skipped(Kind::Event, name) => added.push((name, h)),
            _ => {}
        }
    }
    // Events without properties have no shape to recognise: they are never renames.
    let shape = |model: &Model, e: &Event| {
        let props: Vec<(String, bool)> = model
            .carried(e)
            .map(|(r, _)| (r.name.clone(), r.required))
            .collect();
        (!props.is_empty()).then_some((props, e.additional_properties))
    };
    let removed_shapes: Vec<_> = removed.iter().map(|(_, e)| shape(cx.base, e)).collect();
    let added_shapes: Vec<_> = added.iter().map(|(_, e)| shape(cx.head, e)).collect();
    let pairs = pair::renames(&removed_shapes, &added_shapes);
    for (i, j) in &pairs {
        let ((old, _), (new, h)) = (removed[*i], added[*j]);
        let mut change = Change::new(ChangeKind::EventRenamed, cx.mode_of(Some(h)))
            .values(old, new)
            .at(
                Some(At::new(Kind::Event, old, FieldPath::root())),
                Some(At::new(Kind::Event, new, FieldPath::root())),
            );
        change.event = Some(new.to_string());
        change.events = vec![new.to_string()];
        out.push(change);
    }
    for (i, (name, b)) in removed.iter().enumerate() {
        if pairs.iter().any(|(r, _)| *r == i) {
            continue;
        }
        let mut change = Change::new(removal(cx, &b.lifecycle, Kind::Event), cx.mode_of(Some(b)))
            .values(name, serde_json::Value::Null)
            .at(Some(At::new(Kind::Event, name, FieldPath::root())), None);
        change.event = Some(name.to_string());
        change.events = vec![name.to_string()];
        out.push(change);
    }
    for (j, (name, h)) in added.iter().enumerate() {
        if pairs.iter().any(|(_, a)| *a == j) {
            continue;
        }
        let mut change = Change::new(ChangeKind::EventAdded, cx.mode_of(Some(h)))
            .values(serde_json::Value::Null, name)
            .at(None, Some(At::new(Kind::Event, name, FieldPath::root())));
        change.event = Some(name.to_string());
        change.events = vec![name.to_string()];
        out.push(change);
    }
}

/// What removing something deprecated-or-not means: removed (it was live), removed before
/// its sunset, or retired (deprecated and past its sunset).
fn removal(cx: &Context, lifecycle: &LifecycleFields, kind: Kind) -> ChangeKind {
    let deprecated = lifecycle.lifecycle == Lifecycle::Deprecated;
    let passed = lifecycle.sunset.as_deref().map(|s| s <= cx.today.as_str());
    let event = kind == Kind::Event;
    match (deprecated, passed) {
        (true, Some(true)) if event => ChangeKind::EventRetired,
        (true, Some(true)) => ChangeKind::PropertyRetired,
        (true, Some(false)) if event => ChangeKind::EventRemovedBeforeSunset,
        (true, Some(false)) => ChangeKind::PropertyRemovedBeforeSunset,
        _ if event => ChangeKind::EventRemoved,
        _ => ChangeKind::PropertyRemoved,
    }
}

/// The properties an event lists, by name, with their definition. A removed ref or property
/// is left out. On the base side, when a base file could not be read, a ref to a property the
/// base model lacks is kept with no definition: it may be defined in that file.
fn listed(
    cx: &Context,
    model: &Model,
    event: &Event,
    base: bool,
) -> BTreeMap<String, (PropertyRef, Option<Property>)> {
    event
        .properties
        .iter()
        .filter(|r| r.lifecycle.lifecycle != Lifecycle::Removed)
        .filter_map(|r| match model.properties.get(&r.name) {
            Some(p) if p.lifecycle.lifecycle == Lifecycle::Removed => None,
            Some(p) => Some((r.name.clone(), (r.clone(), Some(p.clone())))),
            None if base && cx.base_incomplete => Some((r.name.clone(), (r.clone(), None))),
            None => None,
        })
        .collect()
}

/// An event on both sides.
fn compare(cx: &Context, name: &str, b: &Event, h: &Event, out: &mut Vec<Change>) {
    let mode = cx.mode_of(Some(h));
    let event_at = |field: FieldPath| Some(At::new(Kind::Event, name, field));
    let new = |kind: ChangeKind| {
        let mut c = Change::new(kind, mode);
        c.event = Some(name.to_string());
        c.events = vec![name.to_string()];
        c.open = Some(Sides {
            base: b.additional_properties,
            head: h.additional_properties,
        });
        c.version = Some(Sides {
            base: b.version,
            head: h.version,
        });
        c
    };
    let lifecycle = FieldPath::key("lifecycle");
    if b.lifecycle.lifecycle != h.lifecycle.lifecycle {
        let kind = match h.lifecycle.lifecycle {
            Lifecycle::Removed => removal(cx, &b.lifecycle, Kind::Event),
            Lifecycle::Deprecated if h.lifecycle.sunset.is_none() => {
                ChangeKind::EventDeprecatedWithoutSunset
            }
            _ => ChangeKind::EventLifecycleChanged,
        };
        out.push(
            new(kind)
                .values(b.lifecycle.lifecycle, h.lifecycle.lifecycle)
                .at(event_at(lifecycle.clone()), event_at(lifecycle)),
        );
        if h.lifecycle.lifecycle == Lifecycle::Removed {
            return;
        }
    }
    let open = FieldPath::key("additional_properties");
    if b.additional_properties != h.additional_properties {
        let kind = if h.additional_properties {
            ChangeKind::AdditionalPropertiesOpened
        } else {
            ChangeKind::AdditionalPropertiesClosed
        };
        out.push(
            new(kind)
                .values(b.additional_properties, h.additional_properties)
                .at(event_at(open.clone()), event_at(open)),
        );
    }
    if b.description != h.description {
        let field = FieldPath::key("description");
        out.push(
            new(ChangeKind::EventDescriptionChanged)
                .values(&b.description, &h.description)
                .at(event_at(field.clone()), event_at(field)),
        );
    }
    let (base_props, head_props) = (listed(cx, cx.base, b, true), listed(cx, cx.head, h, false));
    let ref_at = |event: &str, property: &str| {
        Some(At::new(
            Kind::Event,
            event,
            FieldPath::key("properties").then(property),
        ))
    };
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for p in pair::by_name(&base_props, &head_props) {
        match p {
            Pair::Both(prop, (br, bp), (hr, hp)) => {
                if br.required != hr.required {
                    let kind = if hr.required {
                        ChangeKind::PropertyMadeRequired
                    } else {
                        ChangeKind::PropertyMadeOptional
                    };
                    let mut c = new(kind)
                        .values(br.required, hr.required)
                        .at(ref_at(name, prop), ref_at(name, prop));
                    c.property = Some(prop.to_string());
                    c.field = Some("required".into());
                    out.push(c);
                }
                if br.lifecycle.lifecycle != hr.lifecycle.lifecycle {
                    let kind = if hr.lifecycle.lifecycle == Lifecycle::Deprecated
                        && hr.lifecycle.sunset.is_none()
                    {
                        ChangeKind::PropertyDeprecatedWithoutSunset
                    } else {
                        ChangeKind::PropertyLifecycleChanged
                    };
                    let mut c = new(kind)
                        .values(br.lifecycle.lifecycle, hr.lifecycle.lifecycle)
                        .at(ref_at(name, prop), ref_at(name, prop));
                    c.property = Some(prop.to_string());
                    c.field = Some("lifecycle".into());
                    out.push(c);
                }
                // The refs are in the event's file, read on both sides; the schema is the
                // property's, and its base version may be in a file that could not be read.
                let (Some(bp), Some(hp)) = (bp, hp) else {
                    continue;
                };
                if cx.skipped(Kind::Property, prop) {
                    continue;
                }
                let mut found = Vec::new();
                schema::compare(&bp.schema, &hp.schema, "", &mut found);
                for s in found {
                    let field = FieldPath::parse(&s.field);
                    let mut c = new(s.kind)
                        .at(
                            Some(At::new(Kind::Property, prop, field.clone())),
                            Some(At::new(Kind::Property, prop, field)),
                        )
                        .values(s.from, s.to);
                    c.property = Some(prop.to_string());
                    c.field = Some(s.field);
                    out.push(c);
                }
            }
            Pair::Removed(prop, r) => removed.push((prop, r)),
            Pair::Added(prop, r) => added.push((prop, r)),
        }
    }
    // A rename is recognised by the property's shape: one whose definition is not known on
    // both sides is never taken for a rename.
    let shape = |prop: &str, (r, p): &(PropertyRef, Option<Property>)| {
        p.as_ref()
            .filter(|_| !cx.skipped(Kind::Property, prop))
            .map(|p| (p.schema.clone(), r.required))
    };
    let removed_shapes: Vec<_> = removed.iter().map(|(n, rp)| shape(n, rp)).collect();
    let added_shapes: Vec<_> = added.iter().map(|(n, rp)| shape(n, rp)).collect();
    let pairs = pair::renames(&removed_shapes, &added_shapes);
    for (i, j) in &pairs {
        let (old, new_name) = (removed[*i].0, added[*j].0);
        let mut c = new(ChangeKind::PropertyRenamed)
            .values(old, new_name)
            .at(ref_at(name, old), ref_at(name, new_name));
        c.property = Some(new_name.to_string());
        // Equal shapes: required on both sides or on neither.
        c.required = Some(added[*j].1 .0.required);
        out.push(c);
    }
    for (i, (prop, (r, p))) in removed.iter().enumerate() {
        if pairs.iter().any(|(x, _)| *x == i) {
            continue;
        }
        // The ref's own deprecation, else the property's, decides about the sunset.
        let lifecycle = match p {
            Some(p) if r.lifecycle.lifecycle != Lifecycle::Deprecated => &p.lifecycle,
            _ => &r.lifecycle,
        };
        let still_listed = h.property(prop).is_some();
        let mut c = new(removal(cx, lifecycle, Kind::Property))
            .values(prop, serde_json::Value::Null)
            .at(
                ref_at(name, prop),
                still_listed.then(|| ref_at(name, prop)).flatten(),
            );
        c.property = Some(prop.to_string());
        c.required = Some(r.required);
        if p.is_none() && r.lifecycle.lifecycle != Lifecycle::Deprecated {
            c.unknown = Some(format!(
                "whether `{prop}` was deprecated and past its sunset (a retirement): its base definition could not be read"
            ));
        }
        out.push(c);
    }
    for (j, (prop, (r, _))) in added.iter().enumerate() {
        if pairs.iter().any(|(_, x)| *x == j) {
            continue;
        }
        let kind = if r.required {
            ChangeKind::PropertyAddedRequired
        } else {
            ChangeKind::PropertyAddedOptional
        };
        let mut c = new(kind)
            .values(serde_json::Value::Null, prop)
            .at(None, ref_at(name, prop));
        c.property = Some(prop.to_string());
        c.required = Some(r.required);
        out.push(c);
    }
}
