//! Where a finding is, as every reporter writes it: a 1-based span, a path relative to the
//! current directory (human, GitHub, Markdown), or a URI relative to the repository root
//! (SARIF's `%SRCROOT%`).

use std::path::{Component, Path};

use crate::locate::{Located, Location};
use crate::source::{ColumnUnit, LineCol, SourceFile, SourceMap};

/// A located finding's start and exclusive end, 1-based, columns counted in one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: LineCol,
    pub end: LineCol,
}

impl Span {
    pub fn of(location: &Location, sources: &SourceMap, unit: ColumnUnit) -> Self {
        let file = sources.get(location.file);
        Self {
            start: file.line_col(location.range.start, unit),
            end: file.line_col(location.range.end, unit),
        }
    }

    pub fn is_single_line(&self) -> bool {
        self.start.line == self.end.line
    }
}

/// A file's path relative to the current directory, with `/` separators and no leading
/// `./` (how GitHub annotations and reviewers expect it).
pub fn display_path(file: &SourceFile) -> String {
    slash_path(&file.display_path)
}

/// `path` with `/` separators, `.` components dropped.
pub fn slash_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    match parts.as_slice() {
        [] => ".".to_string(),
        [root] if root.is_empty() => "/".to_string(),
        _ => parts.join("/"),
    }
}

/// `path:line:col` of a location, the path relative to the current directory and the
/// column in characters (as in JSON output).
pub fn position(location: &Location, sources: &SourceMap) -> String {
    let start = Span::of(location, sources, ColumnUnit::Chars).start;
    format!(
        "{}:{}:{}",
        display_path(sources.get(location.file)),
        start.line,
        start.column
    )
}

/// What a one-message format (an annotation, a table cell) says about a finding: the
/// message, then `help: …`, then a `note: … (path:line:col)` per related label.
pub fn message_lines(located: &Located, sources: &SourceMap) -> Vec<String> {
    let finding = &located.finding;
    let mut lines = vec![finding.message.clone()];
    if let Some(help) = &finding.help {
        lines.push(format!("help: {help}"));
    }
    for (location, message) in &located.related {
        lines.push(match location {
            Some(l) => format!("note: {message} ({})", position(l, sources)),
            None => format!("note: {message}"),
        });
    }
    lines
}

/// Where the contract sits below `%SRCROOT%` (the git top level, or the contract root
/// outside git): SARIF URIs are this prefix plus a file's path in the contract.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceRoot {
    /// The contract root relative to `%SRCROOT%`, `/`-separated, empty or ending in `/`.
    prefix: String,
}

impl SourceRoot {
    /// The SARIF base id every URI is relative to.
    pub const BASE_ID: &'static str = "%SRCROOT%";

    /// `contract_root` is the directory holding contrail.yaml; `repository_root` the git top
    /// level above it, if any. Both canonical.
    pub fn new(contract_root: &Path, repository_root: Option<&Path>) -> Self {
        let below = repository_root
            .and_then(|top| contract_root.strip_prefix(top).ok())
            .map(slash_path)
            .filter(|p| p != ".")
            .unwrap_or_default();
        let prefix = if below.is_empty() {
            below
        } else {
            format!("{below}/")
        };
        Self { prefix }
    }

    /// The URI of a file given by its path in the contract (`catalog/events.yaml`).
    pub fn uri(&self, rel_path: &str) -> String {
        percent_encode_path(&format!("{}{rel_path}", self.prefix))
    }

    /// The contract root relative to `%SRCROOT%`, without trailing `/`; `.` at the top.
    pub fn contract_dir(&self) -> &str {
        match self.prefix.strip_suffix('/') {
            Some(dir) => dir,
            None => ".",
        }
    }
}

/// A relative URI reference for a `/`-separated path: every byte outside RFC 3986's
/// unreserved set, sub-delimiters, `@` and `/` is percent-encoded (`:` too, so that a first
/// segment never reads as a scheme).
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_repository_root_and_percent_encoded() {
        let at_top = SourceRoot::new(Path::new("/r"), Some(Path::new("/r")));
        assert_eq!(at_top.uri("a b/é:x%.yaml"), "a%20b/%C3%A9%3Ax%25.yaml");
        assert_eq!(at_top.contract_dir(), ".");
        let below = SourceRoot::new(Path::new("/r/contracts/shop"), Some(Path::new("/r")));
        assert_eq!(below.uri("events.yaml"), "contracts/shop/events.yaml");
        assert_eq!(below.contract_dir(), "contracts/shop");
        let outside_git = SourceRoot::new(Path::new("/r/contracts"), None);
        assert_eq!(outside_git.uri("events.yaml"), "events.yaml");
    }

    #[test]
    fn display_paths_drop_the_leading_dot() {
        assert_eq!(slash_path(Path::new("./catalog/a.yaml")), "catalog/a.yaml");
        assert_eq!(slash_path(Path::new("../x/./a.yaml")), "../x/a.yaml");
        assert_eq!(slash_path(Path::new("/abs/a.yaml")), "/abs/a.yaml");
        assert_eq!(slash_path(Path::new(".")), ".");
    }
}
