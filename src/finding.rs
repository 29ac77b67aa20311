//! The one type every producer (loader, structural checks, policies) emits.

use std::fmt;
use std::ops::Range;

use crate::model::{Kind, Origin};
use crate::rules::{RuleMeta, Severity};
use crate::source::FileId;

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

/// What a finding is about. Resolved to a file and byte range by `locate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// A field of a named resource (`Property email`, field `pii`).
    Resource {
        kind: Kind,
        name: String,
        field: FieldPath,
    },
    /// A field of a named resource of the base (`--base`): what a change removed.
    Base {
        kind: Kind,
        name: String,
        field: FieldPath,
    },
    /// A field of one specific definition (the second of two same-named resources).
    Document { origin: Origin, field: FieldPath },
    /// A byte range in a file (parse errors, unknown fields).
    Span { file: FileId, range: Range<u32> },
    /// A whole file (unreadable, binary).
    File(FileId),
    /// The contract as a whole.
    Repo,
}

impl Anchor {
    pub fn resource(kind: Kind, name: impl Into<String>, field: FieldPath) -> Self {
        Anchor::Resource {
            kind,
            name: name.into(),
            field,
        }
    }

    pub fn span(file: FileId, range: Range<u32>) -> Self {
        Anchor::Span { file, range }
    }

    /// The file a span or file anchor is in.
    pub fn file(&self) -> Option<FileId> {
        match self {
            Anchor::Span { file, .. } | Anchor::File(file) => Some(*file),
            _ => None,
        }
    }
}

/// A secondary location with its own message.
#[derive(Clone, Debug)]
pub struct Label {
    pub anchor: Anchor,
    pub message: String,
}

/// A path into a resource: `properties.cart_id.required`, `steps.2.hash`.
///
/// A key names a mapping key, or a list item by its natural key (a scalar item's value, or
/// the item's `ref`, `property` or `name`); an index names a list item by position.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath(Vec<PathSegment>);

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl FieldPath {
    /// The resource itself (lands on its `name:` value).
    pub fn root() -> Self {
        Self::default()
    }

    pub fn key(key: impl Into<String>) -> Self {
        Self(vec![PathSegment::Key(key.into())])
    }

    pub fn then(mut self, key: impl Into<String>) -> Self {
        self.0.push(PathSegment::Key(key.into()));
        self
    }

    pub fn then_index(mut self, index: usize) -> Self {
        self.0.push(PathSegment::Index(index));
        self
    }

    /// A dotted path as policies write it: `properties.cart_id`, `steps.2.hash`.
    pub fn parse(dotted: &str) -> Self {
        Self(
            dotted
                .split('.')
                .filter(|s| !s.is_empty())
                .map(|s| match s.parse::<usize>() {
                    Ok(i) => PathSegment::Index(i),
                    Err(_) => PathSegment::Key(s.to_string()),
                })
                .collect(),
        )
    }

    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match segment {
                PathSegment::Key(k) => f.write_str(k)?,
                PathSegment::Index(i) => write!(f, "{i}")?,
            }
        }
        Ok(())
    }
}
