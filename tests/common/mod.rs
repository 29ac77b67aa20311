//! Helpers shared by the integration tests: run the real binary, read its JSON.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn contrail() -> Command {
    let mut cmd = Command::cargo_bin("contrail").expect("binary builds");
    cmd.env_remove("NO_COLOR").env("RAYON_NUM_THREADS", "2");
    cmd
}

/// Runs git in `dir`, failing the test when git fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `contrail check DIR --format json`: the exit code and the parsed document.
pub fn check_json(dir: &Path) -> (i32, Value) {
    let out = contrail()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .expect("contrail runs");
    let code = out.status.code().expect("exit code");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (code, json)
}

/// `contrail check DIR --format FORMAT` with one thread, then two: each run must exit 1
/// and pass `found` on its parsed output (two runs failing alike would be identical too),
/// and both must print the same bytes.
pub fn assert_same_output_with_one_and_two_threads(dir: &Path, format: &str, found: fn(&Value)) {
    let run = |threads: &str| {
        let out = contrail()
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "--format", format])
            .arg(dir)
            .output()
            .expect("contrail runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{threads} thread(s): {stderr}");
        found(&serde_json::from_slice(&out.stdout).expect("JSON output"));
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

/// `contrail check [--base BASE] DIR --format json`: the exit code and the parsed document.
pub fn check_json_with_base(dir: &Path, base: Option<&Path>) -> (i32, Value) {
    let mut cmd = contrail();
    cmd.args(["check", "--format", "json"]).arg(dir);
    if let Some(base) = base {
        cmd.arg("--base").arg(base);
    }
    let out = cmd.output().expect("contrail runs");
    let code = out.status.code().expect("exit code");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

/// A rule fixture side (`valid`, `invalid`): the contract to check and, for compatibility
/// rules written as `{base,head}/` pairs, the base to compare it with.
pub fn fixture_side(dir: &Path) -> (PathBuf, Option<PathBuf>) {
    if dir.join("head").is_dir() {
        (dir.join("head"), Some(dir.join("base")))
    } else {
        (dir.to_path_buf(), None)
    }
}

/// `contrail check DIR` that must stop with exit status 2: its stderr.
pub fn stderr_of_a_run_that_cannot_start(dir: &Path) -> String {
    let out = contrail()
        .arg("check")
        .arg(dir)
        .output()
        .expect("contrail runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    stderr
}

/// Human output of `contrail check DIR --color never`, run from `cwd`.
pub fn check_human(cwd: &Path, dir: &str) -> Output {
    check_human_with_base(cwd, dir, None)
}

/// Human output of `contrail check DIR --color never [--base BASE]`, run from `cwd`.
pub fn check_human_with_base(cwd: &Path, dir: &str, base: Option<&str>) -> Output {
    let mut cmd = contrail();
    cmd.current_dir(cwd)
        .args(["check", "--color", "never"])
        .arg(dir);
    if let Some(base) = base {
        cmd.args(["--base", base]);
    }
    cmd.output().expect("contrail runs")
}

/// Whether a JSON report has a finding of `code` in `file`.
pub fn has_finding(json: &Value, code: &str, file: &str) -> bool {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["code"] == code && f["file"] == file)
}

/// Human output without the summary line's timing `(0.01s)`, which varies between runs.
pub fn without_timing(human: &str) -> String {
    human
        .rsplit_once(" (")
        .map_or(human.to_string(), |(h, _)| h.to_string())
}

/// Finding codes of a JSON report.
pub fn codes(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

/// The structured view snapshot tests review: `CODE name severity file:line:col-end`, the
/// message, and the text the span covers.
pub fn structured(json: &Value, dir: &Path) -> String {
    let mut out = String::new();
    for f in json["findings"].as_array().expect("findings") {
        let at = match f["file"].as_str() {
            Some(file) => format!(
                "{file}:{}:{}-{}:{}",
                f["line"], f["column"], f["end_line"], f["end_column"]
            ),
            None => "(repo)".to_string(),
        };
        out.push_str(&format!(
            "{} {} {} {at}\n  message: {}\n",
            f["code"].as_str().unwrap_or_default(),
            f["name"].as_str().unwrap_or_default(),
            f["severity"].as_str().unwrap_or_default(),
            f["message"].as_str().unwrap_or_default(),
        ));
        if let Some(file) = f["file"].as_str() {
            out.push_str(&format!("  text: {:?}\n", spanned_text(&dir.join(file), f)));
        }
        if let Some(help) = f["help"].as_str() {
            out.push_str(&format!("  help: {help}\n"));
        }
        for r in f["related"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "  related: {} at {}:{}:{}\n",
                r["message"].as_str().unwrap_or_default(),
                r["file"].as_str().unwrap_or_default(),
                r["line"],
                r["column"]
            ));
        }
    }
    out
}

/// The characters between (line, column) and (end_line, end_column), both 1-based.
fn spanned_text(path: &Path, f: &Value) -> String {
    let Ok(bytes) = std::fs::read(path) else {
        return String::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let offset = |line: u64, column: u64| -> usize {
        let mut chars = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i as u64 + 1 == line {
                return chars + column as usize - 1;
            }
            chars += l.chars().count();
        }
        chars
    };
    let as_u64 = |k: &str| f[k].as_u64().unwrap_or(1);
    let start = offset(as_u64("line"), as_u64("column"));
    let end = offset(as_u64("end_line"), as_u64("end_column"));
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// The official SARIF 2.1.0 schema (vendored in tests/data/sarif/), compiled.
pub fn sarif_validator() -> jsonschema::Validator {
    let path = root().join("tests/data/sarif/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).expect("vendored SARIF schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// A temporary contract: `contrail.yaml` plus the given files.
pub fn temp_repo(config: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("contrail.yaml"), config).expect("write config");
    for (name, content) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, content).expect("write file");
    }
    dir
}

/// Copies the directory tree `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Replaces `from` (which must occur) in the file at `path`.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{}: no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}
