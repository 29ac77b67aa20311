//! Changes of a destination that both sides define: what it is (`type`), what it may
//! receive (environment, region, PII cap, how it takes direct identifiers, retention,
//! consent) and which events it takes (`events`, `deny`). Each kind says whether the envelope
//! widened or narrowed where that can be told; what the destination actually receives before
//! and after is `routing`'s.

use std::cmp::Ordering;

use super::resource::Resource;
use crate::diff::pair::{self, Pair};
use crate::diff::{Change, ChangeKind, Context};
use crate::model::{AcceptsDirect, Destination, Kind};

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    for p in pair::by_name(&cx.base.destinations, &cx.head.destinations) {
        let Pair::Both(name, b, h) = p else {
            continue;
        };
        if cx.skipped(Kind::Destination, name) {
            continue;
        }
        let mut r = Resource::new(cx, Kind::Destination, name);
        compare(&mut r, b, h);
        r.finish(out);
    }
}

fn compare(r: &mut Resource, b: &Destination, h: &Destination) {
    use ChangeKind::*;
    let null = serde_json::Value::Null;
    if b.kind != h.kind {
        r.changed(DestinationTypeChanged, "type", &b.kind, &h.kind);
    }
    if b.environment != h.environment {
        r.changed(
            DestinationEnvironmentChanged,
            "environment",
            b.environment,
            h.environment,
        );
    }
    if b.region != h.region {
        r.changed(DestinationRegionChanged, "region", &b.region, &h.region);
    }
    match h.pii.cmp(&b.pii) {
        Ordering::Greater => r.changed(DestinationPiiCapRaised, "pii", b.pii, h.pii),
        Ordering::Less => r.changed(DestinationPiiCapLowered, "pii", b.pii, h.pii),
        Ordering::Equal => {}
    }
    // As the destination takes them, `type: ads`'s default included.
    if b.accepts_direct != h.accepts_direct {
        let kind = match h.accepts_direct {
            AcceptsDirect::Plain => DestinationAcceptsDirectPlain,
            AcceptsDirect::Hashed => DestinationAcceptsDirectHashed,
        };
        r.changed(kind, "accepts_direct", b.accepts_direct, h.accepts_direct);
    }
    // Without `retention` nothing is checked: as if the data were kept for ever.
    let days = |d: &Destination| d.retention_days.unwrap_or(u64::MAX);
    let retention = match days(h).cmp(&days(b)) {
        Ordering::Greater => Some(DestinationRetentionLengthened),
        Ordering::Less => Some(DestinationRetentionShortened),
        Ordering::Equal => None,
    };
    if let Some(kind) = retention {
        r.changed(kind, "retention", &b.retention, &h.retention);
    }
    r.entries(
        (
            DestinationConsentPurposeAdded,
            DestinationConsentPurposeRemoved,
        ),
        "consent",
        &b.consent,
        &h.consent,
    );
    // Without `events` every event is allowed.
    match (&b.events, &h.events) {
        (Some(before), Some(after)) => r.entries(
            (DestinationEventsAdded, DestinationEventsRemoved),
            "events",
            before,
            after,
        ),
        (None, Some(after)) => r.changed(DestinationAllowlistAdded, "events", &null, after),
        (Some(before), None) => r.changed(DestinationAllowlistRemoved, "events", before, &null),
        (None, None) => {}
    }
    r.entries(
        (DestinationDenyAdded, DestinationDenyRemoved),
        "deny",
        &b.deny,
        &h.deny,
    );
}
