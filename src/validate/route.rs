//! The dry run (`--route`): for an accepted payload, the destinations that would receive it,
//! what arrives of each of its properties after the pipelines' transformations, and each
//! property that would reach a destination against the PII, consent, residency or retention
//! policy — the runtime twin of CT202, CT203, CT206, CT207, CT208 and CT209, judged on the
//! same compiled routing as the CI rules, for the properties real traffic carries.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::catalog::{Catalog, Treatment};
use crate::model::{AcceptsDirect, Destination, Environment, Model, PiiClass, Property, Step};
use crate::rules::RuleMeta;

/// The routing of a contract, indexed by (source, event), with each route's verdicts per
/// declared property computed once.
pub struct RoutePlan<'m> {
    model: &'m Model,
    routes: HashMap<(&'m str, &'m str), Vec<Route<'m>>>,
    /// Per event, the properties it carries (the others in a payload are unplanned).
    carried: HashMap<&'m str, HashSet<&'m str>>,
    rules: Rules,
}

struct Route<'m> {
    destination: &'m str,
    facts: &'m Destination,
    pipeline: &'m str,
    /// By the name in the payload (the declared property): what arrives.
    arrives: HashMap<&'m str, Arrives<'m>>,
    /// Added by `set` steps, delivered whatever the payload holds.
    set: Vec<Arrives<'m>>,
    /// The steps of the transformations that apply, in order (for unplanned properties).
    steps: Vec<&'m Step>,
}

struct Arrives<'m> {
    delivered_as: &'m str,
    treatment: Treatment,
    violations: Vec<&'static RuleMeta>,
}

/// One route of one payload: names of the contract live as long as it (`'m`), names of
/// the payload as long as the payload (`'p`).
#[derive(Debug)]
pub struct Delivery<'m, 'p> {
    pub destination: &'m str,
    pub pipeline: &'m str,
    /// Names as delivered, in the payload's order, then those `set` adds.
    pub properties: Vec<(&'p str, Treatment)>,
    /// Per property (as named in the payload), the policies its arrival breaks.
    pub violations: Vec<(&'p str, &'static RuleMeta)>,
    /// Properties the event does not declare that arrive here.
    pub unplanned: Vec<&'p str>,
}

/// A row of the compiled routing, as the dry run needs it.
struct RouteRow<'m> {
    source: &'m str,
    event: &'m str,
    destination: &'m str,
    pipeline: &'m str,
    /// (delivered name, declared property, treatment)
    delivered: Vec<(&'m str, &'m str, Treatment)>,
    transformations: Vec<&'m str>,
}

/// The one place that reads the catalog's flows (their representation is being reworked
/// for speed): every route a destination allows, with what arrives of each property.
fn routes_of<'m>(catalog: &Catalog<'m>) -> Vec<RouteRow<'m>> {
    catalog
        .flows
        .iter()
        .filter(|f| f.allowed)
        .map(|f| RouteRow {
            source: f.source,
            event: f.event,
            destination: f.destination,
            pipeline: f.pipeline,
            delivered: f
                .arrival
                .delivered
                .iter()
                .map(|(name, d)| (*name, d.property, d.treatment))
                .collect(),
            transformations: f.arrival.transformations.clone(),
        })
        .collect()
}

impl<'m> RoutePlan<'m> {
    /// `disabled`: rules the contract's configuration turns off (not reported here either).
    pub fn new(model: &'m Model, catalog: &Catalog<'m>, disabled: &[&'static RuleMeta]) -> Self {
        let rules = Rules::new(disabled);
        let mut routes: HashMap<(&str, &str), Vec<Route>> = HashMap::new();
        for row in routes_of(catalog) {
            let Some(facts) = model.destinations.get(row.destination) else {
                continue;
            };
            let steps: Vec<&Step> = row
                .transformations
                .iter()
                .filter_map(|t| model.transformations.get(*t))
                .flat_map(|t| t.steps.iter())
                .collect();
            let set_by_step: HashSet<&str> = steps
                .iter()
                .filter_map(|s| match s {
                    Step::Set(values) => Some(values.keys().map(String::as_str)),
                    _ => None,
                })
                .flatten()
                .collect();
            let event_carries = |p: &str| {
                model
                    .events
                    .get(row.event)
                    .is_some_and(|e| e.property(p).is_some())
            };
            let mut arrives = HashMap::new();
            let mut set = Vec::new();
            for (delivered_as, property, treatment) in row.delivered {
                let a = Arrives {
                    delivered_as,
                    treatment,
                    violations: rules.broken(model.properties.get(property), treatment, facts),
                };
                if set_by_step.contains(property) && !event_carries(property) {
                    set.push(a);
                } else {
                    arrives.insert(property, a);
                }
            }
            routes
                .entry((row.source, row.event))
                .or_default()
                .push(Route {
                    destination: row.destination,
                    facts,
                    pipeline: row.pipeline,
                    arrives,
                    set,
                    steps,
                });
        }
        let carried = model
            .events
            .iter()
            .map(|(name, e)| {
                let names: HashSet<&str> = model.carried(e).map(|(r, _)| r.name.as_str()).collect();
                (name.as_str(), names)
            })
            .collect();
        RoutePlan {
            model,
            routes,
            carried,
            rules,
        }
    }

    /// Where a payload of `event` from `source` with these properties would be delivered.
    pub fn deliver<'p>(
        &self,
        source: &str,
        event: &str,
        properties: &'p Map<String, Value>,
    ) -> Vec<Delivery<'m, 'p>>
    where
        'm: 'p,
    {
        let Some(routes) = self.routes.get(&(source, event)) else {
            return Vec::new();
        };
        let carried = self.carried.get(event);
        routes
            .iter()
            .map(|route| {
                let mut delivery = Delivery {
                    destination: route.destination,
                    pipeline: route.pipeline,
                    properties: Vec::with_capacity(properties.len()),
                    violations: Vec::new(),
                    unplanned: Vec::new(),
                };
                for name in properties.keys() {
                    let name = name.as_str();
                    if let Some(a) = route.arrives.get(name) {
                        delivery.properties.push((a.delivered_as, a.treatment));
                        delivery
                            .violations
                            .extend(a.violations.iter().map(|r| (name, *r)));
                    } else if !carried.is_some_and(|c| c.contains(name)) {
                        self.unplanned(route, name, &mut delivery);
                    }
                    // Else carried by the event and dropped on this route.
                }
                for a in &route.set {
                    delivery.properties.push((a.delivered_as, a.treatment));
                    delivery
                        .violations
                        .extend(a.violations.iter().map(|r| (a.delivered_as, *r)));
                }
                delivery
            })
            .collect()
    }

    /// A property the event does not declare goes through the route's steps by its name;
    /// its facts are those of a declared property of that name, else it is unclassified.
    fn unplanned<'p>(&self, route: &Route<'m>, name: &'p str, delivery: &mut Delivery<'m, 'p>)
    where
        'm: 'p,
    {
        let mut delivered_as: &'p str = name;
        let mut treatment = Treatment::Plain;
        for step in route.steps.iter().copied() {
            match step {
                Step::Drop(p) if p == delivered_as => return,
                Step::Hash(p) if p == delivered_as => treatment = treatment.max(Treatment::Hashed),
                Step::Mask(p) if p == delivered_as => treatment = treatment.max(Treatment::Masked),
                Step::Rename { from, to } if from == delivered_as => delivered_as = to.as_str(),
                _ => {}
            }
        }
        delivery.properties.push((delivered_as, treatment));
        delivery.unplanned.push(name);
        let facts = self.model.properties.get(name);
        delivery.violations.extend(
            self.rules
                .broken(facts, treatment, route.facts)
                .into_iter()
                .map(|r| (name, r)),
        );
    }
}

/// The built-in privacy rules the dry run applies, minus the disabled ones.
struct Rules {
    in_nonprod: Option<&'static RuleMeta>,
    above_class: Option<&'static RuleMeta>,
    unhashed: Option<&'static RuleMeta>,
    consent: Option<&'static RuleMeta>,
    residency: Option<&'static RuleMeta>,
    retention: Option<&'static RuleMeta>,
}

impl Rules {
    fn new(disabled: &[&'static RuleMeta]) -> Self {
        let rule = |name: &str| {
            crate::policy::builtin_rules()
                .iter()
                .copied()
                .find(|r| r.name == name)
                .filter(|r| !disabled.iter().any(|d| d.name == r.name))
        };
        Rules {
            in_nonprod: rule("pii-in-nonprod"),
            above_class: rule("pii-above-destination-class"),
            unhashed: rule("direct-pii-unhashed"),
            consent: rule("consent-not-covered"),
            residency: rule("residency-violation"),
            retention: rule("retention-exceeded"),
        }
    }

    /// The rules a property breaks by arriving at `d` with `treatment`, as the built-in
    /// policies judge an exposure (`policies/contrail/{pii,consent,residency}.rego`).
    /// `None`: no declared property of that name (unclassified).
    fn broken(
        &self,
        property: Option<&Property>,
        treatment: Treatment,
        d: &Destination,
    ) -> Vec<&'static RuleMeta> {
        let nonprod = d.environment == Some(Environment::Nonprod);
        let kept = treatment != Treatment::Masked;
        let class = property.and_then(|p| p.pii);
        let mut out = Vec::new();
        let mut flag = |rule: Option<&'static RuleMeta>, broken: bool| {
            if let Some(rule) = rule.filter(|_| broken) {
                out.push(rule);
            }
        };
        flag(
            self.in_nonprod,
            nonprod && class.is_none_or(|c| c >= PiiClass::Indirect && kept),
        );
        let delivered_class = match (class, treatment) {
            (Some(c), Treatment::Hashed) if c > PiiClass::Indirect => Some(PiiClass::Indirect),
            (c, _) => c,
        };
        flag(
            self.above_class,
            kept && !nonprod && delivered_class.is_some_and(|c| c > d.pii),
        );
        flag(
            self.unhashed,
            treatment == Treatment::Plain
                && d.accepts_direct == AcceptsDirect::Hashed
                && class.is_some_and(|c| c >= PiiClass::Direct),
        );
        // The consent, residency and retention rules read facts only a declared property has.
        if let Some(p) = property.filter(|_| kept) {
            flag(
                self.consent,
                p.consent.iter().any(|c| !d.consent.contains(c)),
            );
            flag(
                self.residency,
                !p.residency.is_empty()
                    && !d.region.as_ref().is_some_and(|r| p.residency.contains(r)),
            );
            flag(
                self.retention,
                matches!((p.retention_days, d.retention_days), (Some(limit), Some(k)) if k > limit),
            );
        }
        out
    }
}
