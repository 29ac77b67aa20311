//! Which files make up the contract: every non-hidden `*.yaml`/`*.yml` that git does not
//! ignore (or the configured `include` globs), minus `exclude` and `contrail.yaml`.
//!
//! The walk is contrail's own rather than `ignore`'s walker so that it never leaves the root:
//! a symbolic link to a directory is followed only when it resolves inside the root, each
//! such directory once, and `.gitignore` files are read as git reads them (regular files
//! only, never through a link, within the size limit).

use std::collections::BTreeMap;
use std::fs::FileType;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use super::root::{read_regular, ReadError, Root};
use super::source_map::relative_slash_path;

/// A directory or ignore file the walk could not use.
#[derive(Debug)]
pub struct WalkProblem {
    /// Relative to the root, `/`-separated; `None` for a `.gitignore` above the root.
    pub rel_path: Option<String>,
    pub message: String,
    pub help: Option<&'static str>,
}

/// The selected files (relative to the root, `/`-separated, sorted by path) and what could
/// not be read. A selected file is listed whatever it is (a link, a FIFO): reading it decides.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<String>,
    pub problems: Vec<WalkProblem>,
}

/// Include and exclude globs, matched against `/`-separated paths relative to the root,
/// and the directories of catalogs in other formats, whose files are selected by their own
/// glob instead of `include`.
pub struct FileSelection {
    include: GlobSet,
    exclude: GlobSet,
    catalogs: Vec<CatalogFiles>,
}

/// The files of one catalog directory and how they are parsed.
pub struct CatalogFiles {
    /// Relative to the root, without a trailing `/`; empty for the root itself.
    pub dir: String,
    pub files: globset::GlobMatcher,
    pub syntax: super::Syntax,
}

impl CatalogFiles {
    fn contains(&self, rel_path: &str) -> bool {
        self.dir.is_empty()
            || rel_path
                .strip_prefix(&self.dir)
                .is_some_and(|rest| rest.starts_with('/'))
    }
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
            catalogs: Vec::new(),
        })
    }

    /// Adds catalog directories: their files are selected by their own glob, and no file
    /// inside them is a native resource file.
    pub fn with_catalogs(mut self, catalogs: Vec<CatalogFiles>) -> Self {
        self.catalogs = catalogs;
        self
    }

    pub fn selects(&self, rel_path: &str) -> bool {
        if rel_path == "contrail.yaml" || self.exclude.is_match(rel_path) {
            return false;
        }
        match self.catalogs.iter().find(|c| c.contains(rel_path)) {
            Some(catalog) => catalog.files.is_match(rel_path),
            None => self.include.is_match(rel_path),
        }
    }

    /// How the file at `rel_path` is parsed: as its catalog's format says, else YAML.
    pub fn syntax(&self, rel_path: &str) -> super::Syntax {
        self.catalogs
            .iter()
            .find(|c| c.contains(rel_path))
            .map_or(super::Syntax::Yaml, |c| c.syntax)
    }
}

/// How contrail reads a glob: `*` stays within a path segment, `**` crosses them.
pub fn file_glob(pattern: &str) -> Result<Glob, globset::Error> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
}

/// Walks the directory `start` (relative to the root; empty for the root itself), listing
/// the files `selects` accepts. Hidden entries below `start` are skipped, and so is what
/// the `.gitignore` files of the work tree ignore. `.gitignore` files over `limit` bytes
/// are not applied (a problem says so).
pub fn walk(root: &Root, start: &str, selects: &dyn Fn(&str) -> bool, limit: u64) -> Walked {
    let mut walk = Walk {
        root,
        selects,
        limit,
        walked: Walked::default(),
        linked: BTreeMap::new(),
    };
    let mut ignores = walk.ignores_above(start);
    match root.resolve(Path::new(start)) {
        Ok(canonical) => {
            let mut chain = vec![(canonical, start.to_string())];
            walk.dir(start, &mut ignores, &mut chain);
        }
        Err(e) => walk.problem(start, format!("cannot read directory `{start}`: {e}")),
    }
    let mut walked = walk.walked;
    walked.files.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    walked.problems.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    walked
}

struct Walk<'a> {
    root: &'a Root,
    selects: &'a dyn Fn(&str) -> bool,
    limit: u64,
    walked: Walked,
    /// Directories entered through a symbolic link (canonical path → the link): each is
    /// entered through a link once, so links between directories cannot multiply the walk.
    linked: BTreeMap<PathBuf, String>,
}

impl Walk<'_> {
    fn problem(&mut self, rel_path: &str, message: String) {
        self.problem_with_help(rel_path, message, None);
    }

    fn problem_with_help(&mut self, rel_path: &str, message: String, help: Option<&'static str>) {
        self.walked.problems.push(WalkProblem {
            rel_path: Some(rel_path.to_string()),
            message,
            help,
        });
    }

    /// The `.gitignore` files that apply above `start`, top first: those of the directories
    /// above it up to the top of its git work tree; outside git, up to the root only.
    fn ignores_above(&mut self, start: &str) -> Vec<Gitignore> {
        let root = self.root.path();
        let start_dir = root.join(start);
        let mut in_git = is_work_tree_top(&start_dir);
        let mut dirs: Vec<PathBuf> = Vec::new();
        if !in_git {
            for dir in start_dir.ancestors().skip(1) {
                dirs.push(dir.to_path_buf());
                if is_work_tree_top(dir) {
                    in_git = true;
                    break;
                }
            }
        }
        if !in_git {
            dirs.retain(|d| d.starts_with(root));
        }
        dirs.reverse();
        dirs.iter().filter_map(|d| self.gitignore(d)).collect()
    }

    /// The matcher of `dir/.gitignore` (`dir` absolute, under the canonical root or above
    /// it), if the file exists and can be used.
    fn gitignore(&mut self, dir: &Path) -> Option<Gitignore> {
        let path = dir.join(".gitignore");
        let bytes = match read_regular(&path, self.limit) {
            Ok(bytes) => bytes,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                let root = self.root.path();
                let rel = path
                    .starts_with(root)
                    .then(|| relative_slash_path(root, &path));
                // Above the root: `../.gitignore`, never an absolute path (reports hold none).
                let up = root
                    .components()
                    .count()
                    .saturating_sub(dir.components().count());
                let shown = rel
                    .clone()
                    .unwrap_or_else(|| format!("{}.gitignore", "../".repeat(up)));
                self.walked.problems.push(WalkProblem {
                    rel_path: rel,
                    message: format!(
                        "`{shown}` is not applied: {e}; like git, contrail reads a `.gitignore` only from a regular file"
                    ),
                    help: Some("replace it with a regular file"),
                });
                return None;
            }
        };
        let mut builder = GitignoreBuilder::new(dir);
        let text = String::from_utf8_lossy(&bytes);
        for line in text.trim_start_matches('\u{feff}').lines() {
            // Like git, a line that is not a valid pattern is skipped.
            let _ = builder.add_line(Some(path.clone()), line);
        }
        builder.build().ok()
    }

    /// Lists the directory `rel` (under the root) with `ignores` applying; `chain` holds the
    /// canonical directories from the start to `rel`, with their relative paths.
    fn dir(&mut self, rel: &str, ignores: &mut Vec<Gitignore>, chain: &mut Vec<(PathBuf, String)>) {
        let dir = self.root.path().join(rel);
        let own = self.gitignore(&dir);
        let pushed = own.is_some();
        ignores.extend(own);
        match self.entries(rel, &dir) {
            Ok(entries) => {
                for (name, kind) in entries {
                    self.entry(rel, name, kind, ignores, chain);
                }
            }
            Err(e) => {
                let shown = if rel.is_empty() { "." } else { rel };
                self.problem(rel, format!("cannot read directory `{shown}`: {e}"));
            }
        }
        if pushed {
            ignores.pop();
        }
    }

    /// The non-hidden entries of `dir`, sorted by name. A name that is not UTF-8 cannot be
    /// shown or matched: a problem when it could be a contract file or directory.
    fn entries(&mut self, rel: &str, dir: &Path) -> std::io::Result<Vec<(String, FileType)>> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            match entry.file_name().into_string() {
                Ok(name) if name.starts_with('.') => {}
                Ok(name) => entries.push((name, kind)),
                Err(name) => {
                    let shown = join(rel, &name.to_string_lossy());
                    if kind.is_dir() || (self.selects)(&shown) {
                        self.problem(
                            &shown,
                            format!("`{shown}` is not read: its name is not valid UTF-8"),
                        );
                    }
                }
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(entries)
    }

    /// One entry of the directory `rel`: a file to list, a directory to enter, or a link
    /// to a directory to enter if it stays inside the root.
    fn entry(
        &mut self,
        rel: &str,
        name: String,
        kind: FileType,
        ignores: &mut Vec<Gitignore>,
        chain: &mut Vec<(PathBuf, String)>,
    ) {
        let child = join(rel, &name);
        let path = self.root.path().join(&child);
        // A link is judged by what it leads to; `metadata` follows it without opening it.
        let link = kind.is_symlink();
        let is_dir = kind.is_dir() || (link && std::fs::metadata(&path).is_ok_and(|m| m.is_dir()));
        if is_ignored(ignores, &path, is_dir) {
            return;
        }
        if !is_dir {
            if (self.selects)(&child) {
                self.walked.files.push(child);
            }
            return;
        }
        let canonical = if link {
            match self.root.resolve(Path::new(&child)) {
                Ok(target) => target,
                Err(ReadError::Outside) => {
                    let message = format!("`{child}` is a symbolic link to a directory outside the contract root; contrail does not read it");
                    let help = "contrail reads nothing outside the contract root: move the directory inside it, or run contrail on a directory that holds both";
                    return self.problem_with_help(&child, message, Some(help));
                }
                Err(e) => {
                    return self.problem(&child, format!("cannot read directory `{child}`: {e}"))
                }
            }
        } else {
            match chain.last() {
                Some((parent, _)) => parent.join(&name),
                None => return,
            }
        };
        if let Some((_, ancestor)) = chain.iter().find(|(c, _)| *c == canonical) {
            let ancestor = if ancestor.is_empty() { "." } else { ancestor };
            let message = format!("symbolic link loop: `{child}` leads back to `{ancestor}`");
            return self.problem(&child, message);
        }
        if link {
            if let Some(first) = self.linked.get(&canonical) {
                let message = format!("`{child}` is a symbolic link to the same directory as `{first}`; contrail enters a directory through one link only");
                return self.problem_with_help(&child, message, Some("keep one of the links"));
            }
            self.linked.insert(canonical.clone(), child.clone());
        }
        chain.push((canonical, child.clone()));
        self.dir(&child, ignores, chain);
        chain.pop();
    }
}

fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

/// What the closest `.gitignore` with a matching pattern says (`!pattern` re-includes).
fn is_ignored(ignores: &[Gitignore], path: &Path, is_dir: bool) -> bool {
    for ignore in ignores.iter().rev() {
        match ignore.matched(path, is_dir) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
    }
    false
}

/// Whether `dir` is the top of a git work tree (holds `.git`, a directory or a file).
fn is_work_tree_top(dir: &Path) -> bool {
    dir.join(".git").symlink_metadata().is_ok()
}
