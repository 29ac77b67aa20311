//! Which files make up the contract: every non-hidden `*.yaml`/`*.yml` that git does not
//! ignore (or the configured `include` globs), minus `exclude` and `contrail.yaml`.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// A file or directory the walk could not read.
#[derive(Debug)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
}

/// The selected files, sorted by path, and what could not be read.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<PathBuf>,
    pub problems: Vec<WalkProblem>,
}

/// Include and exclude globs, matched against `/`-separated paths relative to the root.
pub struct FileSelection {
    include: GlobSet,
    exclude: GlobSet,
}

pub const DEFAULT_INCLUDE: [&str; 2] = ["**/*.yaml", "**/*.yml"];

impl FileSelection {
    /// Globs must already be valid (the config validated them).
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, globset::Error> {
        let build = |globs: &[String]| -> Result<GlobSet, globset::Error> {
            let mut set = GlobSetBuilder::new();
            for g in globs {
                set.add(file_glob(g)?);
            }
            set.build()
        };
        Ok(Self {
            include: build(include)?,
            exclude: build(exclude)?,
        })
    }

    pub fn selects(&self, rel_path: &str) -> bool {
        rel_path != "contrail.yaml"
            && self.include.is_match(rel_path)
            && !self.exclude.is_match(rel_path)
    }
}

/// How contrail reads a glob: `*` stays within a path segment, `**` crosses them.
pub fn file_glob(pattern: &str) -> Result<Glob, globset::Error> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
}

pub fn walk(root: &Path, selection: &FileSelection) -> Walked {
    let mut walked = Walked::default();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .ignore(false)
        .git_global(false)
        .git_exclude(false)
        .follow_links(true)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let rel = super::source_map::relative_slash_path(root, entry.path());
                if selection.selects(&rel) {
                    walked.files.push(entry.into_path());
                }
            }
            Err(err) => {
                if let Some(problem) = problem(root, selection, &err) {
                    walked.problems.push(problem);
                }
            }
        }
    }
    walked.files.sort();
    walked.problems.sort_by(|a, b| a.path.cmp(&b.path));
    walked
}

/// A walk error worth reporting: a symlink loop, an unreadable directory, or a selected file.
fn problem(root: &Path, selection: &FileSelection, err: &ignore::Error) -> Option<WalkProblem> {
    let mut err = err;
    let mut path = None;
    loop {
        match err {
            ignore::Error::WithPath {
                path: p,
                err: inner,
            } => {
                path = Some(p.clone());
                err = inner;
            }
            ignore::Error::WithDepth { err: inner, .. }
            | ignore::Error::WithLineNumber { err: inner, .. } => err = inner,
            ignore::Error::Loop { child, ancestor } => {
                let rel = |p: &Path| super::source_map::relative_slash_path(root, p);
                let ancestor = match rel(ancestor) {
                    a if a.is_empty() => ".".to_string(),
                    a => a,
                };
                return Some(WalkProblem {
                    path: child.clone(),
                    message: format!(
                        "symbolic link loop: `{}` leads back to `{ancestor}`",
                        rel(child)
                    ),
                });
            }
            ignore::Error::Partial(errors) => {
                return errors.first().and_then(|e| problem(root, selection, e));
            }
            ignore::Error::Io(io) => {
                let path = path?;
                let rel = super::source_map::relative_slash_path(root, &path);
                let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
                if !is_dir && !selection.selects(&rel) {
                    return None;
                }
                let what = if is_dir { "directory" } else { "file" };
                return Some(WalkProblem {
                    message: format!("cannot read {what} `{rel}`: {io}"),
                    path,
                });
            }
            // Glob and ignore-file syntax errors concern .gitignore files, not the contract.
            _ => return None,
        }
    }
}
