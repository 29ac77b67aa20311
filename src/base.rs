//! The base a contract is compared with: a directory, or a git revision read from the object
//! database. It goes through the same reader and decoder as the contract itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::checks::base_unreadable;
use crate::config::{self, Config, ConfigError};
use crate::finding::{Anchor, Finding};
use crate::model::{self, Model};
use crate::source::{self, ColumnUnit, FileBytes, Sources};

/// The base side of a comparison.
#[derive(Debug)]
pub struct Base {
    /// As the user gave it: a revision (`origin/main`) or a directory.
    pub spec: String,
    /// The commit a revision resolved to; `None` for a directory.
    pub commit: Option<String>,
    pub model: Model,
    /// Paths (relative to the contract root) of base files that could not be read: their
    /// resources are not compared, on either side.
    pub unreadable: BTreeSet<String>,
}

/// Reads the base named by `spec` for the contract at `root`: an existing directory is read
/// as a directory, anything else is a git revision of the repository `root` is in (the
/// contract's own directory at that revision). Its files are appended to `sources`; the
/// `base-unreadable` findings are returned with it. `display_dir` is how a directory base
/// is shown (relative to the current directory when below it).
pub fn load(
    root: &Path,
    spec: &str,
    display_dir: &Path,
    head: &Config,
    sources: &mut Sources,
) -> Result<(Base, Vec<Finding>), crate::Error> {
    let dir = Path::new(spec);
    let (base_sources, base_config, commit) = if dir.is_dir() {
        let config = match config::load(dir, dir) {
            Ok(config) => Some(config),
            Err(ConfigError::Missing(_) | ConfigError::Invalid { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        let config = config.unwrap_or_else(|| head.clone());
        let loaded = source::load(dir, display_dir, &config.selection(), &config.limits);
        (loaded, config, None)
    } else {
        let head_selection = head.selection();
        let tree = crate::git::read_tree(root, spec, |path| {
            !path.split('/').any(|c| c.starts_with('.'))
                && (path == config::FILE_NAME
                    || path.ends_with(".yaml")
                    || path.ends_with(".yml")
                    || head_selection.selects(path))
        })?;
        let base_config = tree
            .files
            .iter()
            .find(|f| f.rel_path == config::FILE_NAME)
            .and_then(|f| std::str::from_utf8(&f.bytes).ok())
            .and_then(config::from_text)
            .unwrap_or_else(|| head.clone());
        let selected = base_config.selection();
        let files: Vec<FileBytes> = tree
            .files
            .into_iter()
            .filter(|f| selected.selects(&f.rel_path))
            .map(|f| FileBytes {
                rel_path: f.rel_path,
                bytes: f.bytes,
            })
            .collect();
        let prefix = tree.prefix;
        let loaded = source::load_bytes(
            files,
            |rel| PathBuf::from(format!("{spec}:{prefix}{rel}")),
            &base_config.limits,
        );
        (loaded, base_config, Some(tree.commit))
    };
    let mut built = model::build(&base_sources, base_config.include.is_some());
    let mut unreadable = BTreeSet::new();
    let mut findings = Vec::new();
    let problems = base_sources.findings.clone();
    let first = sources.append_base(base_sources);
    built.model.shift_files(first.0);
    for problem in problems {
        let Some(file) = problem.anchor.file() else {
            continue;
        };
        let file = crate::source::FileId(file.0 + first.0);
        let rel_path = sources.map.get(file).rel_path.clone();
        if !unreadable.insert(rel_path.clone()) {
            continue;
        }
        let source = sources.map.get(file);
        let display = source.display_path.display().to_string();
        let (at, line) = match &problem.anchor {
            Anchor::Span { range, .. } => (
                Anchor::span(file, range.clone()),
                source.line_col(range.start, ColumnUnit::Bytes).line,
            ),
            _ => (Anchor::File(file), 1),
        };
        findings.push(
            Finding::new(
                &base_unreadable::RULE,
                Anchor::Repo,
                format!(
                    "the base file `{display}` could not be read at line {line} ({}); its resources are not compared",
                    problem.message
                ),
            )
            .with_related(at, format!("{} here", problem.rule.name))
            .with_help(format!(
                "fix `{rel_path}` on the base, or compare with a revision where it parses"
            )),
        );
    }
    Ok((
        Base {
            spec: spec.to_string(),
            commit,
            model: built.model,
            unreadable,
        },
        findings,
    ))
}
