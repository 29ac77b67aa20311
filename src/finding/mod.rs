//! The one type every producer (loader, structural checks, policies) emits, and what it
//! points at ([`Anchor`]). It sits below every stage: it names files, resources and fields
//! by id, and `locate` turns them into places.

mod anchor;

pub use anchor::{Anchor, FieldPath, FileId, Kind, Origin, PathSegment};

use crate::rules::{RuleMeta, Severity};

/// A problem with the user's contract, before it has a line number.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub anchor: Anchor,
    pub related: Vec<Label>,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, anchor: Anchor, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity,
            message: message.into(),
            anchor,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<Option<String>>) -> Self {
        self.help = help.into();
        self
    }

    pub fn with_related(mut self, anchor: Anchor, message: impl Into<String>) -> Self {
        self.related.push(Label {
            anchor,
            message: message.into(),
        });
        self
    }
}

/// A secondary location with its own message.
#[derive(Clone, Debug)]
pub struct Label {
    pub anchor: Anchor,
    pub message: String,
}
