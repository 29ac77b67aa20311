//! `contrail init`: the files of a new contract repository. The templates are the files under
//! `templates/init/`, embedded in the binary; `{REPOSITORY}` and `{TAG}` in them become the
//! GitHub repository of contrail and the release tag of this build, so the generated workflow
//! and pre-commit config use the action and hook of the version that wrote them.

use std::io;
use std::path::{Path, PathBuf};

/// One file that `init` writes: its path relative to the new repository's root.
#[derive(Debug)]
pub struct Template {
    pub path: &'static str,
    text: &'static str,
}

macro_rules! templates {
    ($($path:literal),* $(,)?) => {
        &[$(Template {
            path: $path,
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/init/", $path)),
        }),*]
    };
}

/// Every file under `templates/init/` (a unit test keeps this list and the directory equal).
pub const TEMPLATES: &[Template] = templates![
    "contrail.yaml",
    "teams.yaml",
    "purposes.yaml",
    "properties/checkout.yaml",
    "events/checkout.yaml",
    "routing/web.yaml",
    "policies/events.rego",
    "policies/events_test.rego",
    ".github/workflows/contrail.yml",
    ".pre-commit-config.yaml",
];

/// contrail's GitHub repository, `owner/name`, from `repository` in Cargo.toml.
pub fn repository() -> &'static str {
    let url = env!("CARGO_PKG_REPOSITORY");
    url.strip_prefix("https://github.com/").unwrap_or(url)
}

/// The release tag of this build: what the generated workflow and hook config pin.
pub fn tag() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

impl Template {
    /// The file's content with the placeholders filled in.
    pub fn render(&self) -> String {
        self.text
            .replace("{REPOSITORY}", repository())
            .replace("{TAG}", &tag())
    }
}

/// Why `init` wrote nothing, or stopped while writing.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(
        "{} already exist; nothing was written (`--force` overwrites them):{}",
        if .0.len() == 1 { "this file" } else { "these files" },
        .0.iter().map(|p| format!("\n  {}", p.display())).collect::<String>()
    )]
    Exists(Vec<PathBuf>),
    #[error("cannot write `{}`: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// Writes every template into `dir` (created if missing). Without `force`, an existing file
/// stops it before anything is written.
pub fn scaffold(dir: &Path, force: bool) -> Result<(), ScaffoldError> {
    let targets: Vec<PathBuf> = TEMPLATES.iter().map(|t| dir.join(t.path)).collect();
    if !force {
        let existing: Vec<PathBuf> = targets
            .iter()
            .filter(|p| p.symlink_metadata().is_ok())
            .cloned()
            .collect();
        if !existing.is_empty() {
            return Err(ScaffoldError::Exists(existing));
        }
    }
    for (template, path) in TEMPLATES.iter().zip(&targets) {
        let write = |path: &Path| {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, template.render())
        };
        write(path).map_err(|source| ScaffoldError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_under(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("templates/init is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                files_under(&path, root, out);
            } else {
                let relative = path.strip_prefix(root).expect("below the root");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    #[test]
    fn every_template_file_is_embedded_and_every_embedded_one_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/init");
        let mut on_disk = Vec::new();
        files_under(&root, &root, &mut on_disk);
        on_disk.sort();
        let mut embedded: Vec<String> = TEMPLATES.iter().map(|t| t.path.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn rendering_leaves_no_placeholder() {
        for t in TEMPLATES {
            let text = t.render();
            assert!(
                !text.contains("{REPOSITORY}") && !text.contains("{TAG}"),
                "{}",
                t.path
            );
        }
        assert!(!repository().is_empty() && !repository().contains("://"));
    }
}
