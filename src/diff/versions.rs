//! SchemaVer checks for versioned schemas (Iglu registries): each consecutive pair of
//! versions of a schema is compared as a base with its head, with the same change kinds as
//! `--base`; each change requires a bump by JSON Schema semantics, and a declared bump
//! smaller than the largest one required is a finding. docs/format.md has the table.

use serde::Serialize;

use super::changes::{Change, ChangeKind};
use crate::adapters::json_schema::SchemaVer;
use crate::adapters::{Version, Versioned};
use crate::finding::{Anchor, FieldPath, Finding};
use crate::locate::Models;
use crate::model::{self, Compatibility, Model, Origin};
use crate::rules::declare_rule;
use crate::source::decode::Decoder;
use crate::source::{FileId, Sources};

declare_rule! {
    /// ## What it does
    /// Compares each version of a schema of an Iglu registry (`format: iglu` under
    /// `catalogs:`) with the version before it, and flags a version whose SchemaVer bump
    /// (`MODEL-REVISION-ADDITION`) is smaller than its changes require: ADDITION when every
    /// payload valid under the old version is valid under the new one, REVISION when some
    /// historical payloads may not be (an optional property added to an open schema, whose
    /// old payloads may carry that key with any value), MODEL otherwise (a property made
    /// required, a type narrowed, an enum value removed, a constraint tightened). The
    /// finding lands on the new version's `self.version`, with the changes that require the
    /// bump. `contrail versions --format json` lists every pair.
    ///
    /// ## Why is this bad?
    /// Consumers pick a version range by SchemaVer: a breaking change published as an
    /// ADDITION makes historical events fail validation, or lands them in a warehouse table
    /// whose columns no longer fit. Publish the change under the version it requires.
    pub(crate) static BUMP_TOO_SMALL = {
        code: "CT404",
        name: "schemaver-bump-too-small",
        category: Compatibility,
        severity: Error,
        summary: "A schema version's SchemaVer bump is smaller than its changes require",
    };
}

/// A SchemaVer bump, smallest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    Addition,
    Revision,
    Model,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Addition => "addition",
            Bump::Revision => "revision",
            Bump::Model => "model",
        }
    }

    /// The bump from `from` to `to`: the leftmost number that changed.
    fn declared(from: SchemaVer, to: SchemaVer) -> Bump {
        if to.model != from.model {
            Bump::Model
        } else if to.revision != from.revision {
            Bump::Revision
        } else {
            Bump::Addition
        }
    }

    /// The version after `from` with this bump; `None` past [`SchemaVer::MAX_PART`].
    fn next(self, from: SchemaVer) -> Option<SchemaVer> {
        let plus_one = |n: u64| n.checked_add(1).filter(|n| *n <= SchemaVer::MAX_PART);
        Some(match self {
            Bump::Model => SchemaVer {
                model: plus_one(from.model)?,
                revision: 0,
                addition: 0,
            },
            Bump::Revision => SchemaVer {
                revision: plus_one(from.revision)?,
                addition: 0,
                ..from
            },
            Bump::Addition => SchemaVer {
                addition: plus_one(from.addition)?,
                ..from
            },
        })
    }

    /// The first version after `from` with this bump that none of `taken` already is.
    fn next_free(self, from: SchemaVer, taken: &[Version]) -> Option<SchemaVer> {
        let mut next = self.next(from)?;
        while taken.iter().any(|v| v.version == next) {
            next = self.next(next)?;
        }
        Some(next)
    }
}

/// What one change requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requires {
    /// At least this bump.
    Bump(Bump),
    /// Nothing: no payload's validity changes (a description, a default, a lifecycle).
    Nothing,
    /// Cannot be judged, and why.
    Undecided(&'static str),
}

/// Two consecutive versions of a schema compared.
pub struct Pair {
    pub schema: String,
    pub from: SchemaVer,
    pub to: SchemaVer,
    pub declared: Bump,
    /// The largest bump a judged change requires (ADDITION when none requires more).
    pub required: Bump,
    pub changes: Vec<(Change, Requires)>,
    /// The version to publish the change as when `required` is more than `declared`: the
    /// first with that bump that is not published yet.
    publish_as: Option<SchemaVer>,
    /// Every construct of both files was read and every change judged: otherwise
    /// `required` is a lower bound.
    pub complete: bool,
    /// The versions' models, in [`Versions::models`].
    from_model: usize,
    to_model: usize,
    from_file: FileId,
    to_file: FileId,
}

/// Every consecutive pair of versions of every schema, and the versions' models.
#[derive(Default)]
pub struct Versions {
    pub pairs: Vec<Pair>,
    models: Vec<Model>,
    /// The findings of decoding the older versions (the newest is the contract's, and
    /// decoded with it).
    pub findings: Vec<Finding>,
}

impl Versions {
    /// The models a pair's changes are located in: the older version as the base.
    pub fn models(&self, pair: &Pair) -> Models<'_> {
        Models {
            head: &self.models[pair.to_model],
            base: Some(&self.models[pair.from_model]),
        }
    }
}

/// Compares every consecutive pair of versions of every schema.
pub fn compare(sources: &Sources, schemas: &[Versioned]) -> Versions {
    let mut out = Versions::default();
    for schema in schemas {
        let first = out.models.len();
        let newest = schema.versions.len().saturating_sub(1);
        for (i, v) in schema.versions.iter().enumerate() {
            let (model, mut found) = version_model(sources, v.file);
            if i != newest {
                out.findings.append(&mut found);
            }
            out.models.push(model);
        }
        for (i, pair) in schema.versions.windows(2).enumerate() {
            let [from, to] = pair else { continue };
            let (from_model, to_model) = (first + i, first + i + 1);
            let changes: Vec<(Change, Requires)> = super::changes_between(
                &out.models[from_model],
                &out.models[to_model],
                Compatibility::Backward,
            )
            .into_iter()
            .map(|c| {
                let r = requires(&c);
                (c, r)
            })
            .collect();
            let required = changes
                .iter()
                .filter_map(|(_, r)| match r {
                    Requires::Bump(b) => Some(*b),
                    _ => None,
                })
                .max()
                .unwrap_or(Bump::Addition);
            let undecided = changes
                .iter()
                .any(|(_, r)| matches!(r, Requires::Undecided(_)));
            out.pairs.push(Pair {
                schema: schema.schema.clone(),
                from: from.version,
                to: to.version,
                declared: Bump::declared(from.version, to.version),
                required,
                publish_as: required.next_free(from.version, &schema.versions),
                complete: from.complete && to.complete && !undecided,
                changes,
                from_model,
                to_model,
                from_file: from.file,
                to_file: to.file,
            });
        }
    }
    out
}

/// The model of one version's file: its event and properties.
fn version_model(sources: &Sources, file: FileId) -> (Model, Vec<Finding>) {
    let mut model = Model::default();
    let mut d = Decoder::new(file);
    for (doc, node) in sources.documents(file).iter().enumerate() {
        if let Some((kind, name, resource)) = model::decode_document(&mut d, node) {
            model.insert(Origin { file, doc }, kind, name, resource);
        }
    }
    (model, d.findings)
}

/// The bump a change requires, by JSON Schema semantics: does every payload valid under the
/// old version stay valid under the new one?
pub fn requires(c: &Change) -> Requires {
    use ChangeKind::*;
    // Open = `additionalProperties` not false: a payload may carry keys the schema does not list.
    let open_before = c.open.as_ref().is_none_or(|o| o.base);
    let open_after = c.open.as_ref().is_some_and(|o| o.head);
    match c.kind {
        // Old payloads may hold the new key with any value when the old schema was open.
        PropertyAddedOptional if open_before => Requires::Bump(Bump::Revision),
        PropertyAddedOptional => Requires::Bump(Bump::Addition),
        PropertyRemoved | PropertyRemovedBeforeSunset | PropertyRetired if open_after => {
            Requires::Bump(Bump::Addition)
        }
        PropertyRenamed if open_after && c.required != Some(true) => {
            Requires::Bump(Bump::Revision)
        }
        PropertyAddedRequired
        | PropertyMadeRequired
        | PropertyRemoved
        | PropertyRemovedBeforeSunset
        | PropertyRetired
        | PropertyRenamed
        | TypeNarrowed
        | TypeChanged
        | EnumValueRemoved
        | ConstraintTightened
        | FormatAdded
        | FormatChanged
        | AdditionalPropertiesClosed => Requires::Bump(Bump::Model),
        PropertyMadeOptional
        | TypeWidened
        | EnumValueAdded
        | ConstraintRelaxed
        | FormatRemoved
        | AdditionalPropertiesOpened => Requires::Bump(Bump::Addition),
        PatternChanged => Requires::Undecided(
            "contrail does not decide whether one regular expression accepts every string another one does",
        ),
        _ => Requires::Nothing,
    }
}

/// A `schemaver-bump-too-small` finding for each pair whose declared bump is smaller than
/// its judged changes require (a lower bound, so never a false alarm when not complete).
pub fn findings(pairs: &[Pair]) -> Vec<Finding> {
    pairs
        .iter()
        .filter(|p| p.declared < p.required)
        .map(|p| {
            let why: Vec<String> = p
                .changes
                .iter()
                .filter(|(_, r)| *r == Requires::Bump(p.required))
                .map(|(c, _)| describe(c))
                .collect();
            let at = |file| Anchor::Document {
                origin: Origin { file, doc: 0 },
                field: FieldPath::key("version"),
            };
            Finding::new(
                &BUMP_TOO_SMALL,
                at(p.to_file),
                format!(
                    "`{}` {} → {} is declared a{} {}, but its changes require a {}: {}",
                    p.schema,
                    p.from,
                    p.to,
                    if p.declared == Bump::Addition {
                        "n"
                    } else {
                        ""
                    },
                    p.declared.as_str().to_uppercase(),
                    p.required.as_str().to_uppercase(),
                    why.join("; ")
                ),
            )
            .with_help(p.publish_as.map(|next| {
                format!(
                    "publish this change as {next} (and keep {} as it was published)",
                    p.to
                )
            }))
            .with_related(at(p.from_file), format!("version {}", p.from))
        })
        .collect()
}

/// A change in a few words: its kind, what it is about, and its values.
pub fn describe(c: &Change) -> String {
    let subject = match (&c.property, &c.field) {
        (Some(p), Some(f)) => format!(" `{p}.{f}`"),
        (Some(p), None) => format!(" `{p}`"),
        _ => String::new(),
    };
    // A side that is absent, or only names the property again (an added property's `to`),
    // says nothing the subject does not.
    let said = |v: &serde_json::Value| {
        !v.is_null() && (v.as_str().is_none() || v.as_str() != c.property.as_deref())
    };
    let values = match (said(&c.from), said(&c.to)) {
        (false, false) => String::new(),
        (false, true) => format!(" (now {})", c.to),
        (true, false) => format!(" (was {})", c.from),
        (true, true) => format!(" ({} → {})", c.from, c.to),
    };
    format!("{}{subject}{values}", c.kind)
}
