//! The git repository a contract lives in: SARIF locations are relative to its top level.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The git top level of the work tree holding `dir` (canonical), or `None` outside git or
/// without a `git` executable: then paths stay relative to the contract root.
pub fn top_level(dir: &Path) -> Option<PathBuf> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let top = text.trim_end_matches(['\n', '\r']);
    (!top.is_empty())
        .then(|| Path::new(top).canonicalize().ok())
        .flatten()
}
