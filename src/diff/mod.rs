//! Comparison with a base, in one place: reading the base ([`base`], through [`git`] for a
//! revision), pairing base and head once, every difference as data ([`Change`]) with both
//! locations, and the reviewer's view of them ([`review`]). Verdicts are the `contrail.compat`
//! policy's (policies/contrail/compat.rego), reviewers `contrail.governance`'s.

pub mod base;
mod changes;
mod detect;
pub mod git;
mod located;
mod pair;
pub mod review;
pub mod versions;

pub use base::Base;
pub use changes::{At, Change, ChangeKind, Sides};
pub use located::{locate, LocatedChange};

use crate::catalog::{self, Catalog};
use crate::model::{Compatibility, Event, Kind, Model};
use crate::rules::RuleMeta;
use crate::source::Sources;

/// The rules the comparison itself raises (compatibility verdicts are `contrail.compat`'s),
/// and the SchemaVer check of versioned schemas.
pub static RULES: &[&RuleMeta] = &[&base::UNREADABLE, &versions::BUMP_TOO_SMALL];

/// The contract compared with its base: the base's catalog and every change.
#[derive(Debug)]
pub struct Comparison<'b> {
    /// The base compiled the same way as the contract.
    pub base_catalog: Catalog<'b>,
    pub changes: Vec<Change>,
}

/// Compares the contract (`head`, compiled into `head_catalog`) with `base`. A head resource
/// whose file could not be read on the base side is not compared.
pub fn compare<'b>(
    base: &'b Base,
    head: &Model,
    head_catalog: &Catalog,
    sources: &Sources,
    mode: Compatibility,
) -> Comparison<'b> {
    let base_catalog = catalog::compile(&base.model);
    let unread = |kind, name: &str| {
        head.origin(kind, name)
            .is_some_and(|o| base.unreadable.contains(&sources.map.get(o.file).rel_path))
    };
    let cx = Context {
        base: &base.model,
        head,
        base_catalog: &base_catalog,
        head_catalog,
        mode,
        today: today(),
        unread: &unread,
        base_incomplete: !base.unreadable.is_empty(),
    };
    let changes = changes(&cx);
    Comparison {
        base_catalog,
        changes,
    }
}

/// Every change between two models read in full (two versions of one schema).
fn changes_between(base: &Model, head: &Model, mode: Compatibility) -> Vec<Change> {
    let (base_catalog, head_catalog) = (catalog::compile(base), catalog::compile(head));
    changes(&Context {
        base,
        head,
        base_catalog: &base_catalog,
        head_catalog: &head_catalog,
        mode,
        today: today(),
        unread: &|_, _| false,
        base_incomplete: false,
    })
}

/// What a comparison reads.
struct Context<'a> {
    base: &'a Model,
    head: &'a Model,
    base_catalog: &'a Catalog<'a>,
    head_catalog: &'a Catalog<'a>,
    /// The configured compatibility mode (an event's own `compatibility` overrides it).
    mode: Compatibility,
    /// Today as `YYYY-MM-DD`: a removal on or after a deprecation's sunset is a retirement.
    today: String,
    /// Whether the base file at the path where the head defines a resource could not be
    /// read: that resource is not compared (its base version is not known).
    unread: &'a dyn Fn(Kind, &str) -> bool,
    /// Some base file could not be read: a base reference to a resource the base model
    /// lacks may point into it.
    base_incomplete: bool,
}

impl Context<'_> {
    fn skipped(&self, kind: Kind, name: &str) -> bool {
        self.base_incomplete && (self.unread)(kind, name)
    }

    fn mode_of(&self, event: Option<&Event>) -> Compatibility {
        event.and_then(|e| e.compatibility).unwrap_or(self.mode)
    }

    fn mode_of_event(&self, name: &str) -> Compatibility {
        self.mode_of(self.head.events.get(name))
    }
}

/// Every change from base to head: events (with their properties), property resources,
/// what destinations receive, the routing resources, identity; in that order, each in name
/// order.
fn changes(cx: &Context) -> Vec<Change> {
    let mut out = Vec::new();
    detect::events::detect(cx, &mut out);
    detect::properties::detect(cx, &mut out);
    detect::routing::detect(cx, &mut out);
    detect::destinations::detect(cx, &mut out);
    detect::sources::detect(cx, &mut out);
    detect::pipelines::detect(cx, &mut out);
    detect::transformations::detect(cx, &mut out);
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
