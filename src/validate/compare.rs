//! `--base`: what the change under review does differently to the same traffic. Every
//! payload is also judged by the base contract (validated, and routed with `--route`) and
//! the two judgements compared: newly rejected or newly accepted, destinations that newly
//! receive it or no longer do, and, where both deliver it, properties that newly arrive, no
//! longer arrive or arrive treated differently.

use std::collections::BTreeMap;

use serde::Serialize;

use super::reason::ReasonCode;
use super::route::Delivery;
use super::summary::{Position, MAX_ROWS};
use crate::catalog::Treatment;

/// One contract's judgement of one payload.
pub(super) struct Judged<'j, 'm, 'p> {
    pub accepted: bool,
    /// The event's name, when this contract has the event.
    pub event: Option<&'m str>,
    /// Empty when rejected or not routed.
    pub deliveries: &'j [Delivery<'m, 'p>],
}

/// How the head's judgement of one payload differs from the base's.
pub(super) struct Difference<'m> {
    /// `Some(true)`: newly accepted; `Some(false)`: newly rejected.
    accepted: Option<bool>,
    /// As the contract that accepts the payload names it.
    event: Option<&'m str>,
    /// Destinations only one side delivers to: (destination, delivered by the head).
    destinations: Vec<(&'m str, bool)>,
    /// Where both deliver: (destination, property as delivered, base, head treatment).
    properties: Vec<(&'m str, String, Option<Treatment>, Option<Treatment>)>,
}

/// `None` when both contracts do the same to the payload.
pub(super) fn difference<'m>(
    head: &Judged<'_, 'm, '_>,
    base: &Judged<'_, 'm, '_>,
) -> Option<Difference<'m>> {
    let head_to = delivered(head.deliveries);
    let base_to = delivered(base.deliveries);
    let mut destinations = Vec::new();
    let mut properties = Vec::new();
    for (destination, head_props) in &head_to {
        let Some(base_props) = base_to.get(destination) else {
            destinations.push((*destination, true));
            continue;
        };
        for (name, &treatment) in head_props {
            let was = base_props.get(name).copied();
            if was != Some(treatment) {
                properties.push((*destination, name.to_string(), was, Some(treatment)));
            }
        }
        for (name, &was) in base_props {
            if !head_props.contains_key(name) {
                properties.push((*destination, name.to_string(), Some(was), None));
            }
        }
    }
    destinations.extend(
        base_to
            .keys()
            .filter(|d| !head_to.contains_key(*d))
            .map(|d| (*d, false)),
    );
    let accepted = (head.accepted != base.accepted).then_some(head.accepted);
    if accepted.is_none() && destinations.is_empty() && properties.is_empty() {
        return None;
    }
    Some(Difference {
        accepted,
        event: if head.accepted {
            head.event
        } else {
            base.event
        },
        destinations,
        properties,
    })
}

/// Per destination, what arrives there by any pipeline (the least treated copy when several
/// pipelines deliver a property).
fn delivered<'m, 'p>(
    deliveries: &[Delivery<'m, 'p>],
) -> BTreeMap<&'m str, BTreeMap<&'p str, Treatment>> {
    let mut out: BTreeMap<&str, BTreeMap<&str, Treatment>> = BTreeMap::new();
    for d in deliveries {
        let properties = out.entry(d.destination).or_default();
        for &(name, treatment) in &d.properties {
            properties
                .entry(name)
                .and_modify(|t| *t = (*t).min(treatment))
                .or_insert(treatment);
        }
    }
    out
}

/// The comparison with the base, in the summary (`base` in `--format json`).
#[derive(Debug, Default, Serialize)]
pub struct BaseSummary {
    /// As given to `--base`: a revision or a directory.
    pub base: String,
    /// The commit a revision resolved to.
    pub commit: Option<String>,
    /// Accepted by the base, rejected by the head.
    pub newly_rejected: u64,
    /// Rejected by the base, accepted by the head.
    pub newly_accepted: u64,
    /// Per event, as named by the contract that accepts the payloads.
    pub events: BTreeMap<String, EventChange>,
    /// The head's reasons for the newly rejected payloads.
    pub newly_rejected_reasons: BTreeMap<ReasonCode, u64>,
    /// With `--route`: per destination, the payloads it newly receives or no longer receives.
    pub destinations: BTreeMap<String, DestinationChange>,
    /// With `--route`, for payloads that both contracts deliver to a destination: the
    /// properties that arrive there differently.
    pub properties: Vec<PropertyChange>,
    /// Distinct property rows not kept (past the first [`MAX_ROWS`]).
    pub rows_omitted: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct EventChange {
    pub newly_rejected: u64,
    pub newly_accepted: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct DestinationChange {
    pub newly_delivered: u64,
    pub no_longer_delivered: u64,
}

#[derive(Debug, Serialize)]
pub struct PropertyChange {
    pub destination: String,
    /// As delivered (after renames).
    pub property: String,
    /// How it arrives with the base; `null`: it does not.
    pub base: Option<Treatment>,
    /// How it arrives with the head; `null`: it does not.
    pub head: Option<Treatment>,
    pub payloads: u64,
    pub first: Position,
}

type PropertyKey = (String, String, Option<Treatment>, Option<Treatment>);

/// Counts the differences, in input order.
pub(super) struct BaseTally {
    summary: BaseSummary,
    properties: BTreeMap<PropertyKey, PropertyChange>,
}

impl BaseTally {
    pub fn new(base: String, commit: Option<String>) -> Self {
        BaseTally {
            summary: BaseSummary {
                base,
                commit,
                ..BaseSummary::default()
            },
            properties: BTreeMap::new(),
        }
    }

    /// `codes`: the head's reasons, when it rejects the payload.
    pub fn add(
        &mut self,
        difference: Difference,
        codes: &[ReasonCode],
        first: impl Fn() -> Position,
    ) {
        let s = &mut self.summary;
        if let Some(accepted) = difference.accepted {
            let event = difference
                .event
                .map(|e| s.events.entry(e.to_string()).or_default());
            if accepted {
                s.newly_accepted += 1;
                event.into_iter().for_each(|e| e.newly_accepted += 1);
            } else {
                s.newly_rejected += 1;
                event.into_iter().for_each(|e| e.newly_rejected += 1);
                for code in codes {
                    *s.newly_rejected_reasons.entry(*code).or_default() += 1;
                }
            }
        }
        for (destination, newly) in difference.destinations {
            let counts = s.destinations.entry(destination.to_string()).or_default();
            if newly {
                counts.newly_delivered += 1;
            } else {
                counts.no_longer_delivered += 1;
            }
        }
        for (destination, property, base, head) in difference.properties {
            let key = (destination.to_string(), property, base, head);
            if let Some(row) = self.properties.get_mut(&key) {
                row.payloads += 1;
            } else if self.properties.len() >= MAX_ROWS {
                s.rows_omitted += 1;
            } else {
                let row = PropertyChange {
                    destination: key.0.clone(),
                    property: key.1.clone(),
                    base,
                    head,
                    payloads: 1,
                    first: first(),
                };
                self.properties.insert(key, row);
            }
        }
    }

    pub fn finish(mut self) -> BaseSummary {
        self.summary.properties = self.properties.into_values().collect();
        self.summary
    }
}
