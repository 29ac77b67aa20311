//! What a finding points at, by id: a file, a resource (kind and name), one definition of it,
//! a field inside it. `locate` turns these into file and byte range.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// Index of a file in the run's `SourceMap`; stable for a run (files are added in sorted order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// The kinds of resource a contract is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    Property,
    Event,
    Source,
    Destination,
    Pipeline,
    Transformation,
    IdentityRule,
    Team,
    ConsentPurpose,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Property,
        Kind::Event,
        Kind::Source,
        Kind::Destination,
        Kind::Pipeline,
        Kind::Transformation,
        Kind::IdentityRule,
        Kind::Team,
        Kind::ConsentPurpose,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Property => "Property",
            Kind::Event => "Event",
            Kind::Source => "Source",
            Kind::Destination => "Destination",
            Kind::Pipeline => "Pipeline",
            Kind::Transformation => "Transformation",
            Kind::IdentityRule => "IdentityRule",
            Kind::Team => "Team",
            Kind::ConsentPurpose => "ConsentPurpose",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a resource was defined: its file and document index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    pub file: FileId,
    pub doc: usize,
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
