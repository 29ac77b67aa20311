//! Every file contrail writes (`compile --out`, `--sarif`, `--markdown`, `--json`, the GitHub
//! job summary) appears whole or not at all: a run that fails or is killed while writing
//! leaves the previous file as it was.
//!
//! The kill is real: `ulimit -f` caps the size of any file the process writes, and the
//! kernel stops it with SIGXFSZ when a write goes past the cap, in the middle of the output
//! (as a full disk or a cancelled CI job would).

mod common;

use std::path::Path;
use std::process::Output;

use common::root;
use serde_json::Value;

/// A file size cap, in the shell's `ulimit -f` blocks (512 or 1024 bytes): every report and
/// artifact below is larger.
const CAP_BLOCKS: u32 = 8;

/// A contract with hundreds of findings, so that every report is far over the cap.
fn noisy_repo() -> tempfile::TempDir {
    let properties: String = (0..300)
        .map(|i| format!("---\nkind: Property\nname: property_{i}\ntype: string\n"))
        .collect();
    common::temp_repo(
        "version: 1\n",
        &[("properties.yaml", properties.as_bytes())],
    )
}

/// `contrail ARGS` run by `sh` with the file size cap; `env` is added to its environment.
fn run_capped(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -f {CAP_BLOCKS} && exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin("contrail"))
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY");
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().expect("sh runs")
}

fn assert_killed(out: &Output, what: &str) {
    assert!(
        !out.status.success(),
        "{what}: the run was expected to be stopped by the file size cap: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_report_killed_while_being_written_leaves_the_previous_one_whole() {
    let repo = noisy_repo();
    let out_dir = tempfile::tempdir().expect("temp dir");
    for flag in ["--sarif", "--markdown", "--json"] {
        let report = out_dir.path().join("report");
        std::fs::write(&report, "previous report").expect("write");
        let path = report.to_string_lossy();
        let repo_path = repo.path().to_string_lossy();
        let out = run_capped(&["check", "--format", "json", flag, &path, &repo_path], &[]);
        assert_killed(&out, flag);
        assert_eq!(read(&report), "previous report", "{flag}");
    }
}

#[test]
fn a_job_summary_killed_while_being_appended_to_keeps_what_it_had() {
    let repo = noisy_repo();
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = dir.path().join("step_summary.md");
    std::fs::write(&summary, "# an earlier step\n").expect("write");
    let repo_path = repo.path().to_string_lossy();
    let out = run_capped(
        &["check", "--format", "github", &repo_path],
        &[("GITHUB_STEP_SUMMARY", &summary)],
    );
    assert_killed(&out, "step summary");
    assert_eq!(read(&summary), "# an earlier step\n");
    // Uncapped, the report is appended after what was there.
    let out = common::contrail()
        .args(["check", "--format", "github"])
        .arg(repo.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = read(&summary);
    assert!(text.starts_with("# an earlier step\n"), "{text}");
    assert!(text.len() > 8 << 10, "{text}");
}

#[test]
fn compiled_artifacts_killed_while_being_written_are_each_old_or_complete() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path();
    std::fs::create_dir(out.join("schemas")).expect("mkdir");
    for file in ["catalog.json", "routing.json", "schemas/gone_event.json"] {
        std::fs::write(out.join(file), "previous").expect("write");
    }
    let shop = root().join("fixtures/examples/shop");
    let run = run_capped(
        &[
            "compile",
            &shop.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ],
        &[],
    );
    assert_killed(&run, "compile");
    let mut files = vec![out.join("catalog.json"), out.join("routing.json")];
    for entry in std::fs::read_dir(out.join("schemas")).expect("schemas") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    for file in &files {
        let text = read(file);
        let whole = text == "previous" || serde_json::from_str::<Value>(&text).is_ok();
        assert!(whole, "{} is half-written: {text:.200}", file.display());
    }
    // An event's schema is removed only once the new artifacts are all written.
    assert_eq!(read(&out.join("schemas/gone_event.json")), "previous");
    let finished = common::contrail()
        .args(["compile"])
        .arg(&shop)
        .arg("--out")
        .arg(out)
        .output()
        .expect("runs");
    assert_eq!(finished.status.code(), Some(0));
    assert!(!out.join("schemas/gone_event.json").exists());
    assert_ne!(read(&out.join("catalog.json")), "previous");
}

/// `contrail ARGS` as a user who cannot write to a directory of root's: as root, through
/// `setpriv` (root writes anywhere); `None` when neither is possible here.
fn run_unprivileged(args: &[&std::ffi::OsStr]) -> Option<Output> {
    let binary = assert_cmd::cargo::cargo_bin("contrail");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if is_root {
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary);
        cmd
    } else {
        std::process::Command::new(binary)
    };
    cmd.args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .ok()
}

#[test]
fn a_read_only_target_is_an_error_and_the_previous_file_is_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    let report = locked.join("contrail.sarif");
    std::fs::write(&report, "previous report").expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let shop = root().join("fixtures/examples/shop");
    let args = [
        "check".as_ref(),
        "--sarif".as_ref(),
        report.as_os_str(),
        shop.as_os_str(),
    ];
    let Some(out) = run_unprivileged(&args) else {
        eprintln!("skipped: no way to run as a user that read-only permissions stop");
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(read(&report), "previous report");
    // compile --out into the same directory.
    let args = [
        "compile".as_ref(),
        shop.as_os_str(),
        "--out".as_ref(),
        locked.as_os_str(),
    ];
    let out = run_unprivileged(&args).expect("ran once already");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(read(&report), "previous report");
}

#[test]
fn a_target_that_is_a_directory_fails_after_writing_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("report.json");
    std::fs::create_dir(&target).expect("mkdir");
    let out = common::contrail()
        .args(["check", "--json"])
        .arg(&target)
        .arg(root().join("fixtures/examples/shop"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["report.json"], "a temporary file was left behind");
    assert!(target.is_dir());
}
