//! Changes with their place in the files, on each side.

use super::{At, Change};
use crate::finding::Anchor;
use crate::locate::{resolve, Location, Models};
use crate::source::Sources;

/// A change with its place on each side.
#[derive(Clone, Debug)]
pub struct LocatedChange {
    pub change: Change,
    pub head: Option<Location>,
    pub base: Option<Location>,
}

/// Locates each side of every change.
pub fn locate(changes: &[Change], models: Models, sources: &Sources) -> Vec<LocatedChange> {
    let anchor = |at: &At, side_base: bool| {
        let (kind, name, field) = (at.kind, at.name.clone(), at.field.clone());
        if side_base {
            Anchor::Base { kind, name, field }
        } else {
            Anchor::Resource { kind, name, field }
        }
    };
    changes
        .iter()
        .map(|c| LocatedChange {
            change: c.clone(),
            head: c
                .head
                .as_ref()
                .and_then(|at| resolve(&anchor(at, false), models, sources)),
            base: c
                .base
                .as_ref()
                .and_then(|at| resolve(&anchor(at, true), models, sources)),
        })
        .collect()
}
