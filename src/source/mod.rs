//! Reading the contract's files: walk, read under limits, parse YAML with spans (in parallel).

pub mod decode;
pub mod repository;
mod source_map;
mod walk;
pub mod yaml;

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use source_map::{relative_slash_path, ColumnUnit, FileId, LineCol, SourceFile, SourceMap};
pub use walk::{glob, Selection, DEFAULT_INCLUDE};
use yaml::{Node, YamlError, YamlLimits};

use crate::checks::{file_unreadable, limit_exceeded, yaml_syntax};
use crate::finding::{Anchor, Finding};

/// Bounds on what one file may cost to read.
#[derive(Clone, Copy, Debug)]
pub struct FileLimits {
    /// Bytes on disk, and bytes once aliases are expanded.
    pub file_size: u64,
    pub yaml: YamlLimits,
}

/// Every selected file, its text and its parsed documents.
#[derive(Debug, Default)]
pub struct Sources {
    pub map: SourceMap,
    /// Parsed documents by file (empty for a file that could not be read or parsed).
    pub documents: Vec<Vec<Node>>,
    pub findings: Vec<Finding>,
}

impl Sources {
    pub fn documents(&self, file: FileId) -> &[Node] {
        &self.documents[file.0 as usize]
    }
}

/// Walks `root` and parses every selected file. `display_root` is how the user spelled
/// `root` (paths in messages start with it).
pub fn load(
    root: &Path,
    display_root: &Path,
    selection: &Selection,
    limits: &FileLimits,
) -> Sources {
    let walked = walk::walk(root, selection);
    let files: Vec<(String, &Path)> = walked
        .files
        .iter()
        .map(|path| (relative_slash_path(root, path), path.as_path()))
        .collect();
    let mut sources = Sources::default();
    sources.add_parsed(
        files,
        |rel| display_root.join(rel),
        |path| read_limited(path, limits.file_size).and_then(|b| parse_bytes(b, limits)),
    );
    for problem in walked.problems {
        let rel = relative_slash_path(root, &problem.path);
        let id = sources.map.add(SourceFile::new(
            rel.clone(),
            display_root.join(&rel),
            String::new(),
        ));
        sources.documents.push(Vec::new());
        sources.findings.push(Finding::new(
            &file_unreadable::RULE,
            Anchor::File(id),
            problem.message,
        ));
    }
    sources
}

/// A file already read (a blob of a base revision): its path relative to the contract root.
#[derive(Debug)]
pub struct FileBytes {
    pub rel_path: String,
    pub bytes: Vec<u8>,
}

/// Parses files already in memory, with the same limits and findings as files on disk.
/// `display` gives the path shown for a relative path.
pub fn load_bytes(
    files: Vec<FileBytes>,
    display: impl Fn(&str) -> PathBuf,
    limits: &FileLimits,
) -> Sources {
    let files: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.rel_path, f.bytes)).collect();
    let mut sources = Sources::default();
    sources.add_parsed(files, display, |bytes| {
        let size = bytes.len() as u64;
        if size > limits.file_size {
            return Err(too_large(size, limits.file_size));
        }
        parse_bytes(bytes, limits)
    });
    sources
}

impl Sources {
    /// Adds files in order and parses them in parallel with `parse`.
    fn add_parsed<T: Send>(
        &mut self,
        files: Vec<(String, T)>,
        display: impl Fn(&str) -> PathBuf,
        parse: impl Fn(T) -> Parsed + Sync,
    ) {
        let mut inputs = Vec::with_capacity(files.len());
        for (rel, input) in files {
            let id = self
                .map
                .add(SourceFile::new(rel.clone(), display(&rel), String::new()));
            inputs.push((id, input));
        }
        let parsed: Vec<(FileId, Parsed)> = inputs
            .into_par_iter()
            .map(|(id, input)| (id, parse(input)))
            .collect();
        for (id, result) in parsed {
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
                    self.findings.push(problem.finding.into_finding(id));
                }
            }
        }
    }

    /// Moves a base's files after this map's, marked [`SourceFile::from_base`], so that one
    /// map locates both sides; returns the id the base's first file now has. The base's
    /// findings are dropped: the caller has read them.
    pub fn append_base(&mut self, base: Sources) -> FileId {
        let first = FileId(self.map.len() as u32);
        for (_, mut file) in base.map.into_files() {
            file.from_base = true;
            self.map.add(file);
        }
        self.documents.extend(base.documents);
        first
    }
}

/// A file's text and documents, or why it has none.
type Parsed = Result<(String, Vec<Node>), Box<FileProblem>>;

/// A file that could not be read or parsed, with whatever text it had.
struct FileProblem {
    text: Option<String>,
    finding: PendingFinding,
}

/// A finding before its file has an id.
struct PendingFinding {
    rule: &'static crate::rules::RuleMeta,
    range: Option<std::ops::Range<u32>>,
    message: String,
    help: Option<String>,
    related: Option<(std::ops::Range<u32>, String)>,
}

impl PendingFinding {
    fn into_finding(self, file: FileId) -> Finding {
        let anchor = match self.range {
            Some(range) => Anchor::span(file, range),
            None => Anchor::File(file),
        };
        let mut finding = Finding::new(self.rule, anchor, self.message).with_help(self.help);
        if let Some((range, message)) = self.related {
            finding = finding.with_related(Anchor::span(file, range), message);
        }
        finding
    }
}

fn problem(
    rule: &'static crate::rules::RuleMeta,
    message: String,
    help: Option<String>,
) -> Box<FileProblem> {
    Box::new(FileProblem {
        text: None,
        finding: PendingFinding {
            rule,
            range: None,
            message,
            help,
            related: None,
        },
    })
}

fn parse_bytes(bytes: Vec<u8>, limits: &FileLimits) -> Parsed {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(problem(
            &file_unreadable::RULE,
            "the file is UTF-16 text; contrail reads UTF-8".into(),
            Some("save the file as UTF-8".into()),
        ));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(problem(
            &file_unreadable::RULE,
            "this is a binary file, not YAML text".into(),
            Some("remove it, rename it, or leave it out with `exclude:` in contrail.yaml".into()),
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let at = err.utf8_error().valid_up_to() as u32;
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            return Err(Box::new(FileProblem {
                text: Some(text),
                finding: PendingFinding {
                    rule: &file_unreadable::RULE,
                    range: Some(at..at),
                    message: "the file is not valid UTF-8".into(),
                    help: Some("save the file as UTF-8".into()),
                    related: None,
                },
            }));
        }
    };
    match yaml::parse(&text, &limits.yaml) {
        Ok(docs) => Ok((text, docs)),
        Err(err) => {
            let range = err.range();
            let (rule, help, related) = match &err {
                YamlError::Syntax { message, .. } => {
                    let help = message
                        .contains("tab")
                        .then(|| "indent with spaces: YAML does not allow tabs for indentation".to_string());
                    (&yaml_syntax::RULE, help, None)
                }
                YamlError::DuplicateKey { first, key, .. } => (
                    &yaml_syntax::RULE,
                    Some(format!("keep one `{key}` key per mapping")),
                    Some((first.clone(), format!("`{key}` first defined here"))),
                ),
                YamlError::Limit { .. } => (
                    &limit_exceeded::RULE,
                    Some("raise the limit under `limits:` in contrail.yaml if this file is legitimate".into()),
                    None,
                ),
            };
            Err(Box::new(FileProblem {
                text: Some(text),
                finding: PendingFinding {
                    rule,
                    range: Some(range),
                    message: err.to_string(),
                    help,
                    related,
                },
            }))
        }
    }
}

/// Reads at most `limit` bytes; a larger file is a `limit-exceeded` finding.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Box<FileProblem>> {
    let unreadable = |e: std::io::Error| {
        problem(
            &file_unreadable::RULE,
            format!("cannot read the file: {e}"),
            Some(
                "check the file's permissions, or leave it out with `exclude:` in contrail.yaml"
                    .into(),
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > limit {
        return Err(too_large(size, limit));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn too_large(size: u64, limit: u64) -> Box<FileProblem> {
    problem(
        &limit_exceeded::RULE,
        format!(
            "the file is {size} bytes, above the limit of {limit} bytes (`limits.file_size` in contrail.yaml)"
        ),
        Some("split it into smaller files, or raise `limits.file_size`".into()),
    )
}
