//! Every reference from one resource to another, with the field that holds it.

use super::{Kind, Model, Step};
use crate::finding::FieldPath;

/// `from` refers to `target` in `field`.
#[derive(Debug)]
pub struct Reference<'a> {
    pub from_kind: Kind,
    pub from: &'a str,
    pub field: FieldPath,
    pub target_kind: Kind,
    pub target: &'a str,
}

impl Model {
    /// All references, in a stable order.
    pub fn references(&self) -> Vec<Reference<'_>> {
        let mut refs = Refs(Vec::new());
        for (name, p) in &self.properties {
            let at = |field: FieldPath| (Kind::Property, name.as_str(), field);
            refs.owner(at(FieldPath::key("owner")), p.owner.as_deref());
            for c in &p.consent {
                refs.add(
                    at(FieldPath::key("consent").then(c)),
                    Kind::ConsentPurpose,
                    c,
                );
            }
            if let Some((target, field)) = p.schema.items_ref() {
                refs.add(at(field), Kind::Property, target);
            }
            if let Some(r) = &p.lifecycle.replaced_by {
                refs.add(at(FieldPath::key("replaced_by")), Kind::Property, r);
            }
        }
        for (name, e) in &self.events {
            let at = |field: FieldPath| (Kind::Event, name.as_str(), field);
            refs.owner(at(FieldPath::key("owner")), e.owner.as_deref());
            for p in &e.properties {
                // By position, so that a second ref of the same name is located too.
                let item = FieldPath::key("properties").then_index(p.position);
                refs.add(at(item.clone().then("ref")), Kind::Property, &p.name);
                if let Some(r) = &p.lifecycle.replaced_by {
                    refs.add(at(item.then("replaced_by")), Kind::Property, r);
                }
            }
            if let Some(r) = &e.lifecycle.replaced_by {
                refs.add(at(FieldPath::key("replaced_by")), Kind::Event, r);
            }
        }
        for (name, s) in &self.sources {
            refs.owner(
                (Kind::Source, name, FieldPath::key("owner")),
                s.owner.as_deref(),
            );
        }
        for (name, d) in &self.destinations {
            let at = |field: FieldPath| (Kind::Destination, name.as_str(), field);
            refs.owner(at(FieldPath::key("owner")), d.owner.as_deref());
            for c in &d.consent {
                refs.add(
                    at(FieldPath::key("consent").then(c)),
                    Kind::ConsentPurpose,
                    c,
                );
            }
        }
        for (name, p) in &self.pipelines {
            let at = |field: FieldPath| (Kind::Pipeline, name.as_str(), field);
            refs.owner(at(FieldPath::key("owner")), p.owner.as_deref());
            if let Some(s) = &p.source {
                refs.add(at(FieldPath::key("source")), Kind::Source, s);
            }
            for d in &p.destinations {
                refs.add(
                    at(FieldPath::key("destinations").then(d)),
                    Kind::Destination,
                    d,
                );
            }
            for t in &p.transformations {
                refs.add(
                    at(FieldPath::key("transformations").then(t)),
                    Kind::Transformation,
                    t,
                );
            }
        }
        for (name, t) in &self.transformations {
            let at = |field: FieldPath| (Kind::Transformation, name.as_str(), field);
            refs.owner(at(FieldPath::key("owner")), t.owner.as_deref());
            for (&i, step) in t.step_positions.iter().zip(&t.steps) {
                let step_path = FieldPath::key("steps").then_index(i).then(step.action());
                let fields: Vec<FieldPath> = match step {
                    Step::Rename { .. } => vec![step_path.then("from")],
                    Step::Join { .. } => vec![step_path.then("key")],
                    Step::Set(values) => values.keys().map(|k| step_path.clone().then(k)).collect(),
                    _ => vec![step_path],
                };
                for (field, property) in fields.into_iter().zip(step.properties()) {
                    refs.add(at(field), Kind::Property, property);
                }
            }
            for test in &t.tests {
                let field = FieldPath::key("tests").then(&test.name).then("event");
                refs.add(at(field), Kind::Event, &test.event);
            }
        }
        for (name, r) in &self.identity {
            let at = |field: FieldPath| (Kind::IdentityRule, name.as_str(), field);
            refs.owner(at(FieldPath::key("owner")), r.owner.as_deref());
            for k in &r.match_keys {
                let field = FieldPath::key("match_keys")
                    .then(&k.property)
                    .then("property");
                refs.add(at(field), Kind::Property, &k.property);
            }
            for s in &r.suppress {
                let field = FieldPath::key("suppress")
                    .then(&s.property)
                    .then("property");
                refs.add(at(field), Kind::Property, &s.property);
            }
        }
        refs.0
    }
}

struct Refs<'a>(Vec<Reference<'a>>);

impl<'a> Refs<'a> {
    fn add(
        &mut self,
        (from_kind, from, field): (Kind, &'a str, FieldPath),
        target_kind: Kind,
        target: &'a str,
    ) {
        self.0.push(Reference {
            from_kind,
            from,
            field,
            target_kind,
            target,
        });
    }

    fn owner(&mut self, at: (Kind, &'a str, FieldPath), owner: Option<&'a str>) {
        if let Some(team) = owner {
            self.add(at, Kind::Team, team);
        }
    }
}
