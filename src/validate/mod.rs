//! `validate-events`: real payloads against the compiled contract. A library of its own,
//! for a stream consumer to embed: load the contract once ([`Validator::new`], and
//! [`RoutePlan::new`] for the dry run), then validate payloads from any thread and read the
//! [`Reason`]s; [`run`] is the batch runner the command uses, comparing with a base
//! contract when given one (docs/validate.md).

mod compare;
mod contract;
mod reason;
mod route;
mod run;
mod shape;
mod summary;

pub use compare::{BaseSummary, DestinationChange, EventChange, PropertyChange};
pub use contract::{Validator, Verdict};
pub use reason::{Reason, ReasonCode};
pub use route::{Delivery, RoutePlan};
pub use run::{run, Applied, Base, Input, Options, RunError, Sinks, MAX_LINE_BYTES};
pub use shape::{Call, PROPERTIES_PATH};
pub use summary::{FindingCounts, Summary, DEAD_LETTER_FORMAT};
