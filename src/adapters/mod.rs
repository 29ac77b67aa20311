//! Loaders for contracts written in other formats: each turns the files `source` parsed
//! (YAML, or JSON with spans) into the documents `model` decodes, with every node keeping
//! its span in the original file, so that every finding lands there. An adapter is a
//! loader, never a second pipeline: after it, the model, catalog, checks, diff, policies
//! and reports work unchanged.

use crate::source::Syntax;

/// The formats a catalog (`catalogs:` in contrail.yaml) may be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A rudder-cli project: YAML files with `version`, `kind`, `metadata`, `spec`.
    Rudder,
    /// A Snowplow Iglu registry: the directory that holds `schemas/<vendor>/<name>/jsonschema/<version>`.
    Iglu,
    /// A directory of plain JSON Schema files, one event per file.
    JsonSchema,
}

impl Format {
    pub const CHOICES: &'static [(&'static str, Format)] = &[
        ("rudder", Format::Rudder),
        ("iglu", Format::Iglu),
        ("jsonschema", Format::JsonSchema),
    ];

    /// How the format's files are parsed.
    pub fn syntax(self) -> Syntax {
        match self {
            Format::Rudder => Syntax::Yaml,
            Format::Iglu | Format::JsonSchema => Syntax::Json,
        }
    }

    /// The files of a catalog of this format in `dir` (relative to the root, `/`-separated,
    /// empty for the root itself), as a glob. Iglu schema files have no extension.
    pub fn files_glob(self, dir: &str) -> String {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        match self {
            Format::Rudder => format!("{prefix}**/*.{{yaml,yml}}"),
            Format::Iglu => format!("{prefix}schemas/*/*/jsonschema/*"),
            Format::JsonSchema => format!("{prefix}**/*.json"),
        }
    }
}

/// A catalog of the contract in another format: where it is and how to read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogDir {
    pub format: Format,
    /// Relative to the contract root, `/`-separated, without a trailing `/`; empty for the
    /// root itself.
    pub path: String,
}

impl CatalogDir {
    /// Whether the file at `rel_path` (relative to the root) is inside this catalog.
    pub fn contains(&self, rel_path: &str) -> bool {
        self.path.is_empty()
            || rel_path
                .strip_prefix(&self.path)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

pub mod import;
pub mod json_schema;
mod rudder;
mod tree;

use std::collections::{BTreeMap, HashSet};

use crate::finding::Finding;
use crate::rules::{declare_rule, RuleMeta};
use crate::source::yaml::Node;
use crate::source::{Batch, FileId, Sources};

/// The rules the adapters detect.
pub static RULES: &[&RuleMeta] = &[&UNMAPPED];

declare_rule! {
    /// ## What it does
    /// Flags a construct of a catalog in another format (`catalogs:` in `contrail.yaml`)
    /// that contrail's model cannot express, so it is not checked: a constraint contrail
    /// has no field for (`multipleOf`, `exclusiveMinimum`, `uniqueItems`), nested
    /// properties of an object property (and their `required` or `additionalProperties`),
    /// a rudder-cli tracking plan's `includes` or an event planned by two tracking plans
    /// (the first one's property list is read), and in Iglu and JSON Schema files a remote
    /// `$ref`, a recursive schema, `allOf`, tuple `items`, a `oneOf`/`anyOf` that is not a
    /// union of types, a schema under `additionalProperties`, or an event schema whose
    /// `type` is not `"object"`. The finding names the construct; everything else in the
    /// file is still read and checked.
    ///
    /// ## Why is this bad?
    /// What contrail does not read it cannot judge: a constraint that is not checked, a
    /// nested property whose PII class no routing rule sees. Rewrite the construct in a
    /// form contrail reads, or lower this rule's severity under `rules.severity` once you
    /// have judged the gap acceptable.
    pub(crate) static UNMAPPED = {
        code: "CT019",
        name: "construct-unmapped",
        category: Structure,
        severity: Error,
        summary: "A construct of a catalog in another format is not checked",
    };
}

/// The native documents adapted from catalog files, by the file whose spans they carry,
/// and the adapters' findings.
#[derive(Default)]
struct Adapted {
    docs: BTreeMap<FileId, Vec<Node>>,
    findings: Vec<Finding>,
    /// Files of versions older than their schema's newest: adapted (for SchemaVer checks),
    /// but not part of the contract's model.
    older: HashSet<FileId>,
    versions: Vec<Versioned>,
    /// Files whose documents past this many are not resources (see `Sources::resource_docs`).
    resources: BTreeMap<FileId, usize>,
}

/// What adapting the catalogs gave besides the documents: findings, and every versioned
/// schema (Iglu) with its versions.
#[derive(Debug, Default)]
pub struct Adaptation {
    pub findings: Vec<Finding>,
    pub versions: Vec<Versioned>,
}

/// The versions of one Iglu schema, oldest first. Each version's file holds its adapted
/// documents (the event first, then its properties); only the newest is in the model.
#[derive(Clone, Debug)]
pub struct Versioned {
    /// `<vendor>/<name>`.
    pub schema: String,
    pub versions: Vec<Version>,
}

#[derive(Clone, Copy, Debug)]
pub struct Version {
    pub version: json_schema::SchemaVer,
    pub file: FileId,
    /// Whether every construct of the file was read (no `construct-unmapped` finding in it).
    pub complete: bool,
}

/// Replaces the documents of the catalog files `read` added with the native documents
/// adapted from them, so that `model` decodes them as it decodes its own; returns the
/// adapters' findings and versioned schemas. A catalog file that defines no resource (rudder
/// categories), or an older version of an Iglu schema, leaves `read`, as a skipped file
/// would. Files that could not be parsed are left as they are.
pub fn adapt(sources: &mut Sources, read: &mut Batch, catalogs: &[CatalogDir]) -> Adaptation {
    let failed: HashSet<FileId> = read
        .findings
        .iter()
        .filter_map(|f| f.anchor.file())
        .collect();
    let mut adapted = Adapted::default();
    let mut in_catalogs = Vec::new();
    for catalog in catalogs {
        let files: Vec<FileId> = read
            .files
            .iter()
            .copied()
            .filter(|f| !failed.contains(f) && catalog.contains(&sources.map.get(*f).rel_path))
            .collect();
        match catalog.format {
            Format::Rudder => rudder::adapt(sources, &files, &mut adapted),
            Format::Iglu => json_schema::adapt_iglu(sources, &files, &mut adapted),
            Format::JsonSchema => json_schema::adapt_plain(sources, &files, &mut adapted),
        }
        in_catalogs.extend(files);
    }
    for &file in &in_catalogs {
        sources.documents[file.0 as usize] = adapted.docs.remove(&file).unwrap_or_default();
    }
    sources.resource_docs.extend(adapted.resources);
    read.files.retain(|f| {
        !in_catalogs.contains(f)
            || (!sources.documents(*f).is_empty() && !adapted.older.contains(f))
    });
    let unmapped: HashSet<FileId> = adapted
        .findings
        .iter()
        .filter(|f| std::ptr::eq(f.rule, &UNMAPPED))
        .filter_map(|f| f.anchor.file())
        .collect();
    for schema in &mut adapted.versions {
        for version in &mut schema.versions {
            version.complete = !unmapped.contains(&version.file);
        }
    }
    Adaptation {
        findings: adapted.findings,
        versions: adapted.versions,
    }
}
