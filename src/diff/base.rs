//! The base a contract is compared with: a directory, or a git revision read from the object
//! database. It goes through the same reader and decoder as the contract itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::git;
use crate::config::{self, Config, ConfigError};
use crate::finding::{Anchor, Finding};
use crate::model::{self, Model};
use crate::rules::{declare_rule, Severity};
use crate::source::{ColumnUnit, FileBytes, Side, Sources};

declare_rule! {
    /// ## What it does
    /// Reports a file of the base (`--base` or `base:` in contrail.yaml) that contrail could
    /// not read or parse: broken YAML, a file over a limit, a binary file. The finding names
    /// the base file and the line. Everything that parsed on both sides is still compared
    /// (event property lists, required flags, routing); the resources the head defines at
    /// that path are not, and a change that depends on the file's content (was a removed
    /// property retired?) is marked as not known.
    ///
    /// ## Why is this bad?
    /// The pull request may not have broken that file, but what changed in it cannot be
    /// judged for compatibility, so the comparison cannot say the change is safe: it is an
    /// error while the head still has a file at that path, and a warning when the head
    /// deleted it. Fix the file on the base branch, or compare with a revision where it
    /// parses.
    pub(crate) static UNREADABLE = {
        code: "CT401",
        name: "base-unreadable",
        category: Compatibility,
        severity: Error,
        summary: "A base file could not be read, so its resources were not compared",
    };
}

/// Why the base could not be read at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum BaseError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Git(#[from] git::GitError),
}

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
/// contract's own directory at that revision). Its files join `sources` as [`Side::Base`];
/// the `base-unreadable` findings are returned with it. `display_dir` is how a directory base
/// is shown (relative to the current directory when below it).
pub fn read(
    root: &Path,
    spec: &str,
    display_dir: &Path,
    head: &Config,
    sources: &mut Sources,
) -> Result<(Base, Vec<Finding>), BaseError> {
    let dir = Path::new(spec);
    let (mut read, base_config, commit) = if dir.is_dir() {
        let config = match config::read(dir, dir, &[]) {
            Ok(config) => Some(config),
            Err(ConfigError::Missing(_) | ConfigError::Invalid { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        let config = config.unwrap_or_else(|| head.clone());
        let read = sources.read_dir(
            dir,
            display_dir,
            &config.file_selection(),
            &config.limits,
            Side::Base,
        );
        (read, config, None)
    } else {
        let head_selection = head.file_selection();
        let tree = git::read_tree(root, spec, |path| {
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
        let selected = base_config.file_selection();
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
        let display = |rel: &str| PathBuf::from(format!("{spec}:{prefix}{rel}"));
        let mut read =
            sources.read_blobs(files, display, &selected, &base_config.limits, Side::Base);
        for link in tree.links.into_iter().filter(|l| selected.selects(l)) {
            let shown = display(&link);
            let message = "it is a symbolic link, which contrail does not follow in a git revision";
            sources.unreadable(link, shown, (message, None), Side::Base, &mut read);
        }
        (read, base_config, Some(tree.commit))
    };
    // As with decoding, only the head's problems are reported.
    crate::adapters::adapt(sources, &mut read, &base_config.catalogs);
    let built = model::build(sources, &read, base_config.include.is_some());
    let mut unreadable = BTreeSet::new();
    let mut findings = Vec::new();
    for problem in read.findings {
        let Some(file) = problem.anchor.file() else {
            continue;
        };
        let source = sources.map.get(file);
        if !unreadable.insert(source.rel_path.clone()) {
            continue;
        }
        let display = source.display_path.display().to_string();
        let (at, line) = match &problem.anchor {
            Anchor::Span { range, .. } => (
                Anchor::span(file, range.clone()),
                source.line_col(range.start, ColumnUnit::Bytes).line,
            ),
            _ => (Anchor::File(file), 1),
        };
        let in_head = sources
            .map
            .iter()
            .any(|(_, f)| !f.from_base && f.rel_path == source.rel_path);
        let not_judged = if in_head {
            "the changes to what the head defines in it cannot be judged"
        } else {
            "the head deleted it, so what that removed cannot be judged"
        };
        let mut finding = Finding::new(
            &UNREADABLE,
            Anchor::Repo,
            format!(
                "the base file `{display}` could not be read at line {line} ({}); {not_judged}",
                problem.message
            ),
        )
        .with_related(at, format!("{} here", problem.rule.name))
        .with_help(format!(
            "fix `{}` on the base, or compare with a revision where it parses",
            source.rel_path
        ));
        if !in_head {
            finding.severity = Severity::Warning;
        }
        findings.push(finding);
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
