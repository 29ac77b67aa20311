//! Coverage KPIs of a contract: how much of it carries the metadata that privacy and
//! ownership rules need (`contrail stats`, and the coverage line of `check`).

use serde::Serialize;

use super::{Lifecycle, Model, PiiClass};

/// `covered` of `total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Coverage {
    pub covered: usize,
    pub total: usize,
}

impl Coverage {
    fn of<T>(items: &[T], covered: impl Fn(&T) -> bool) -> Self {
        Self {
            covered: items.iter().filter(|i| covered(i)).count(),
            total: items.len(),
        }
    }

    /// Share in percent, 100 when there is nothing to cover.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.total as f64
        }
    }
}

/// The KPIs, over active (not removed) events and properties.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CoverageKpis {
    /// Properties with a `pii` class.
    pub pii_classified: Coverage,
    /// Personal properties (`indirect` and above) with consent purposes or a lawful basis:
    /// `data.contrail.lib.personal_data` and `data.contrail.lib.has_legal_basis` of
    /// `policies/contrail/lib.rego`. Not `needs_legal_basis` (`direct` and above, what
    /// CT204 requires): an `indirect` property without a basis lowers this KPI, no rule
    /// flags it.
    pub consent_metadata: Coverage,
    /// Personal properties with `residency`.
    pub residency: Coverage,
    pub property_owners: Coverage,
    pub property_descriptions: Coverage,
    pub event_owners: Coverage,
    pub event_descriptions: Coverage,
}

/// Labels for each KPI, in the order shown.
pub const LABELS: [&str; 7] = [
    "properties with a PII class",
    "personal properties with consent or lawful basis",
    "personal properties with residency",
    "properties with an owner",
    "properties with a description",
    "events with an owner",
    "events with a description",
];

impl CoverageKpis {
    /// Each KPI with its label, in the order shown.
    pub fn rows(&self) -> Vec<(&'static str, Coverage)> {
        LABELS
            .into_iter()
            .zip([
                self.pii_classified,
                self.consent_metadata,
                self.residency,
                self.property_owners,
                self.property_descriptions,
                self.event_owners,
                self.event_descriptions,
            ])
            .collect()
    }

    /// `coverage: PII 100%, consent 95%, owners 100%, descriptions 98%` (events and
    /// properties together for owners and descriptions).
    pub fn summary_line(&self) -> String {
        let sum = |a: Coverage, b: Coverage| Coverage {
            covered: a.covered + b.covered,
            total: a.total + b.total,
        };
        format!(
            "coverage: PII {:.0}%, consent {:.0}%, residency {:.0}%, owners {:.0}%, descriptions {:.0}%",
            self.pii_classified.percent(),
            self.consent_metadata.percent(),
            self.residency.percent(),
            sum(self.property_owners, self.event_owners).percent(),
            sum(self.property_descriptions, self.event_descriptions).percent(),
        )
    }
}

pub fn coverage(model: &Model) -> CoverageKpis {
    let properties: Vec<_> = model
        .properties
        .values()
        .filter(|p| p.lifecycle.lifecycle != Lifecycle::Removed)
        .collect();
    // `data.contrail.lib.personal_data` (policies/contrail/lib.rego); tests/policies.rs
    // checks that both count the same.
    let personal: Vec<_> = properties
        .iter()
        .filter(|p| p.pii.is_some_and(|c| c >= PiiClass::Indirect))
        .collect();
    let events: Vec<_> = model
        .events
        .values()
        .filter(|e| e.lifecycle.lifecycle != Lifecycle::Removed)
        .collect();
    let described = |d: &Option<String>| d.as_deref().is_some_and(|d| !d.trim().is_empty());
    CoverageKpis {
        pii_classified: Coverage::of(&properties, |p| p.pii.is_some()),
        // `data.contrail.lib.has_legal_basis`.
        consent_metadata: Coverage::of(&personal, |p| {
            !p.consent.is_empty() || p.lawful_basis.is_some()
        }),
        residency: Coverage::of(&personal, |p| !p.residency.is_empty()),
        property_owners: Coverage::of(&properties, |p| p.owner.is_some()),
        property_descriptions: Coverage::of(&properties, |p| described(&p.description)),
        event_owners: Coverage::of(&events, |e| e.owner.is_some()),
        event_descriptions: Coverage::of(&events, |e| described(&e.description)),
    }
}
