//! The change set: base and head paired once, every difference as data ([`Change`]), with
//! both locations. Verdicts are the `contrail.compat` policy's (policies/contrail/compat.rego).

mod changes;
mod detect;
mod pair;

pub use changes::{At, Change, ChangeKind, Sides};

use crate::catalog::Catalog;
use crate::model::{Compatibility, Event, Kind, Model};

/// What a comparison reads.
pub struct Context<'a> {
    pub base: &'a Model,
    pub head: &'a Model,
    pub base_catalog: &'a Catalog<'a>,
    pub head_catalog: &'a Catalog<'a>,
    /// The configured compatibility mode (an event's own `compatibility` overrides it).
    pub mode: Compatibility,
    /// Today as `YYYY-MM-DD`: a removal on or after a deprecation's sunset is a retirement.
    pub today: String,
    /// Resources not compared (defined in a base file that could not be read).
    pub skip: &'a dyn Fn(Kind, &str) -> bool,
}

impl Context<'_> {
    fn skipped(&self, kind: Kind, name: &str) -> bool {
        (self.skip)(kind, name)
    }

    fn mode_of(&self, event: Option<&Event>) -> Compatibility {
        event.and_then(|e| e.compatibility).unwrap_or(self.mode)
    }

    fn mode_of_event(&self, name: &str) -> Compatibility {
        self.mode_of(self.head.events.get(name))
    }
}

/// Every change from base to head: events (with their properties), property resources,
/// routing, identity; in that order, each in name order.
pub fn diff(cx: &Context) -> Vec<Change> {
    let mut out = Vec::new();
    detect::events::detect(cx, &mut out);
    detect::properties::detect(cx, &mut out);
    detect::routing::detect(cx, &mut out);
    detect::identity::detect(cx, &mut out);
    out
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
