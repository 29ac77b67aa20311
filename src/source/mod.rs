//! Reading the contract's files: walk, read under limits, parse YAML with spans (in parallel).

pub mod decode;
mod json;
mod read;
mod root;
mod source_map;
mod syntax_help;
mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub(crate) use read::{FILE_UNREADABLE, JSON_SYNTAX, LIMIT_EXCEEDED, YAML_SYNTAX};
pub use root::{ReadError, Root};
pub use source_map::{relative_slash_path, ColumnUnit, FileId, LineCol, SourceFile, SourceMap};
pub use walk::{file_glob, walk, CatalogFiles, FileSelection, Walked, DEFAULT_INCLUDE};

use read::{parse_bytes, read_within, too_large, Parsed};
use yaml::{Node, YamlLimits};

use crate::finding::{Anchor, Finding};
use crate::rules::RuleMeta;

/// The rules the source stage detects: files that cannot be read, parsed or decoded.
pub static RULES: &[&RuleMeta] = &[
    &YAML_SYNTAX,
    &JSON_SYNTAX,
    &FILE_UNREADABLE,
    &LIMIT_EXCEEDED,
    &decode::UNKNOWN_FIELD,
    &decode::MISSING_FIELD,
    &decode::INVALID_VALUE,
];

/// The rules of a file that yields no documents at all: it could not be read or parsed.
pub static RULES_OF_FILES: &[&RuleMeta] = &[
    &YAML_SYNTAX,
    &JSON_SYNTAX,
    &FILE_UNREADABLE,
    &LIMIT_EXCEEDED,
];

/// How a file's text is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// YAML 1.2, several documents per file (contrail's own format, rudder-cli).
    Yaml,
    /// One JSON document (JSON Schema catalogs).
    Json,
}

/// Bounds on what one file may cost to read.
#[derive(Clone, Copy, Debug)]
pub struct FileLimits {
    /// Bytes on disk, and bytes once aliases are expanded.
    pub file_size: u64,
    pub yaml: YamlLimits,
}

/// Every file of a run, head and base side by side in one map, with its parsed documents.
#[derive(Debug, Default)]
pub struct Sources {
    pub map: SourceMap,
    /// Parsed documents by file (empty for a file that could not be read or parsed).
    pub documents: Vec<Vec<Node>>,
    /// Files of which only the first so many documents are resources: the others are
    /// there to be located and compared (an Iglu version's property that the model takes
    /// from another schema).
    pub resource_docs: std::collections::BTreeMap<FileId, usize>,
}

/// Which side of a comparison a file was read for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The contract being checked.
    Head,
    /// What it is compared with (`--base`).
    Base,
}

/// The files one read added to [`Sources`], and the findings of reading them.
#[derive(Debug, Default)]
pub struct Batch {
    pub files: Vec<FileId>,
    pub findings: Vec<Finding>,
}

/// A file already read (a blob of a base revision): its path relative to the contract root.
#[derive(Debug)]
pub struct FileBytes {
    pub rel_path: String,
    pub bytes: Vec<u8>,
}

impl Sources {
    pub fn documents(&self, file: FileId) -> &[Node] {
        &self.documents[file.0 as usize]
    }

    /// The documents of `file` that are resources of the model.
    pub fn resources(&self, file: FileId) -> &[Node] {
        let docs = self.documents(file);
        &docs[..self
            .resource_docs
            .get(&file)
            .map_or(docs.len(), |n| (*n).min(docs.len()))]
    }

    /// Walks `root` and parses every selected file; nothing outside `root` is read.
    /// `display_root` is how the user spelled `root` (paths in messages start with it).
    pub fn read_dir(
        &mut self,
        root: &Path,
        display_root: &Path,
        selection: &FileSelection,
        limits: &FileLimits,
        side: Side,
    ) -> Batch {
        let root = match Root::new(root) {
            Ok(root) => root,
            Err(e) => {
                let message = format!("cannot read directory `{}`: {e}", display_root.display());
                return Batch {
                    files: Vec::new(),
                    findings: vec![Finding::new(&FILE_UNREADABLE, Anchor::Repo, message)],
                };
            }
        };
        let walked = walk::walk(&root, "", &|rel| selection.selects(rel), limits.file_size);
        let files: Vec<(String, String)> = walked
            .files
            .into_iter()
            .map(|rel| (rel.clone(), rel))
            .collect();
        let mut read = self.add_parsed(
            files,
            |rel| display_root.join(rel),
            |rel| {
                read_within(&root, &rel, limits.file_size)
                    .and_then(|b| parse_bytes(b, limits, selection.syntax(&rel)))
            },
            side,
        );
        for problem in walked.problems {
            let help = problem.help.map(String::from);
            match problem.rel_path {
                Some(rel) => {
                    let display = display_root.join(&rel);
                    let finding = (problem.message.as_str(), help);
                    self.unreadable(rel, display, finding, side, &mut read);
                }
                None => read.findings.push(
                    Finding::new(&FILE_UNREADABLE, Anchor::Repo, problem.message).with_help(help),
                ),
            }
        }
        read
    }

    /// Adds a file that was not read, with the `file-unreadable` finding (message, help)
    /// that says why.
    pub fn unreadable(
        &mut self,
        rel_path: String,
        display_path: PathBuf,
        (message, help): (&str, Option<String>),
        side: Side,
        batch: &mut Batch,
    ) {
        let id = self.add_file(rel_path, display_path, side);
        self.documents.push(Vec::new());
        batch.files.push(id);
        let finding = Finding::new(&FILE_UNREADABLE, Anchor::File(id), message).with_help(help);
        batch.findings.push(finding);
    }

    /// Parses files already in memory, with the same limits and findings as files on disk,
    /// each with the syntax `selection` gives its path. `display` gives the path shown for a
    /// relative path.
    pub fn read_blobs(
        &mut self,
        files: Vec<FileBytes>,
        display: impl Fn(&str) -> PathBuf,
        selection: &FileSelection,
        limits: &FileLimits,
        side: Side,
    ) -> Batch {
        let files: Vec<(String, (Vec<u8>, Syntax))> = files
            .into_iter()
            .map(|f| {
                let syntax = selection.syntax(&f.rel_path);
                (f.rel_path, (f.bytes, syntax))
            })
            .collect();
        self.add_parsed(
            files,
            display,
            |(bytes, syntax)| {
                let size = bytes.len() as u64;
                if size > limits.file_size {
                    return Err(too_large(size, limits.file_size));
                }
                parse_bytes(bytes, limits, syntax)
            },
            side,
        )
    }

    fn add_file(&mut self, rel_path: String, display_path: PathBuf, side: Side) -> FileId {
        let mut file = SourceFile::new(rel_path, display_path, String::new());
        file.from_base = side == Side::Base;
        self.map.add(file)
    }

    /// Adds files in order and parses them in parallel with `parse`.
    fn add_parsed<T: Send>(
        &mut self,
        files: Vec<(String, T)>,
        display: impl Fn(&str) -> PathBuf,
        parse: impl Fn(T) -> Parsed + Sync,
        side: Side,
    ) -> Batch {
        let mut inputs = Vec::with_capacity(files.len());
        for (rel, input) in files {
            let display_path = display(&rel);
            inputs.push((self.add_file(rel, display_path, side), input));
        }
        let parsed: Vec<(FileId, Parsed)> = inputs
            .into_par_iter()
            .map(|(id, input)| (id, parse(input)))
            .collect();
        let mut read = Batch::default();
        for (id, result) in parsed {
            read.files.push(id);
            match result {
                Ok((text, docs)) => {
                    self.map.set_text(id, text);
                    self.documents.push(docs);
                }
                Err(problem) => {
                    if let Some(text) = problem.text {
                        self.map.set_text(id, text);
                    }
                    self.documents.push(Vec::new());
                    read.findings.push(problem.finding.into_finding(id));
                }
            }
        }
        read
    }
}
