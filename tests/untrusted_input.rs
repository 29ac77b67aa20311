//! A pull request's files are hostile: nothing outside the contract root is read (links,
//! devices, FIFOs, patterns that climb out, bases), and nothing that looks like a resource
//! is dropped without a word.

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{contrail, git, has_finding, temp_repo};
use serde_json::Value;

/// What a file outside the contract holds: a secret, in YAML that does not parse, so that a
/// reader that opened it would show it in a `yaml-syntax` snippet.
const SECRET: &str = "SECRET_TOKEN";
const SECRET_FILE: &str = "kind: Event\nname: leak\nSECRET_TOKEN=abc: [\n";

const FORMATS: [&str; 5] = ["human", "json", "sarif", "github", "markdown"];

/// A directory outside every contract, holding `secret.yaml` and `dir/secret.yaml`.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("secret.yaml"), SECRET_FILE).expect("write");
    std::fs::create_dir(dir.path().join("dir")).expect("mkdir");
    std::fs::write(dir.path().join("dir/secret.yaml"), SECRET_FILE).expect("write");
    std::fs::write(
        dir.path().join("secret.rego"),
        "package leak\nSECRET_TOKEN = [\n",
    )
    .expect("write");
    dir
}

/// `contrail <args> DIR` with a time limit (nothing here may hang the run), and a secret in
/// its environment, which a link to `/proc/self/environ` would show.
fn run(args: &[&str], dir: &Path) -> Output {
    contrail()
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("CI_JOB_TOKEN", "SECRET_TOKEN_OF_THE_RUNNER")
        .args(args)
        .arg(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("contrail runs")
}

/// Checks `dir` in every format: none shows the secret; returns the JSON report.
fn check_every_format(dir: &Path, extra: &[&str]) -> (i32, Value) {
    for format in FORMATS {
        let mut args = vec!["check", "--color", "never", "--format", format];
        args.extend(extra);
        let out = run(&args, dir);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !text.contains(SECRET),
            "--format {format} shows the secret:\n{text}"
        );
        assert!(out.status.code().is_some(), "--format {format}: {out:?}");
    }
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let out = run(&args, dir);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("JSON ({e}): {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().expect("exit code"), json)
}

/// The finding of `code` on `file`.
fn finding<'j>(json: &'j Value, code: &str, file: &str) -> &'j Value {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == code && f["file"] == file)
        .unwrap_or_else(|| panic!("no {code} on {file}: {json:#}"))
}

fn message(json: &Value, code: &str, file: &str) -> String {
    finding(json, code, file)["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_link_out_of_the_root_is_a_finding_on_the_link_and_its_target_is_never_read() {
    let outside = outside();
    let repo = temp_repo("version: 1\n", &[("teams.yaml", b"kind: Team\nname: t\n")]);
    std::fs::create_dir(repo.path().join("events")).expect("mkdir");
    symlink(
        outside.path().join("secret.yaml"),
        repo.path().join("events/x.yaml"),
    )
    .expect("link");
    // The runner's environment, where CI keeps its tokens.
    symlink("/proc/self/environ", repo.path().join("events/env.yaml")).expect("link");
    let (status, json) = check_every_format(repo.path(), &[]);
    assert_eq!(status, 1, "{json:#}");
    for link in ["events/x.yaml", "events/env.yaml"] {
        let message = message(&json, "CT002", link);
        assert!(message.contains("outside the contract root"), "{message}");
        assert!(
            !message.contains(&*outside.path().to_string_lossy()),
            "{message}"
        );
        assert!(!message.contains("/proc"), "{message}");
    }
}

#[test]
fn a_linked_directory_out_of_the_root_is_a_finding_and_is_not_walked() {
    let outside = outside();
    let repo = temp_repo("version: 1\n", &[]);
    symlink(outside.path().join("dir"), repo.path().join("catalog")).expect("link");
    let (status, json) = check_every_format(repo.path(), &[]);
    assert_eq!(status, 1, "{json:#}");
    let message = message(&json, "CT002", "catalog");
    assert!(
        message.contains("directory outside the contract root"),
        "{message}"
    );
    assert!(
        !has_finding(&json, "CT001", "catalog/secret.yaml"),
        "{json:#}"
    );
}

#[test]
fn devices_fifos_and_sockets_are_findings_and_are_never_opened() {
    let repo = temp_repo("version: 1\n", &[]);
    let path = repo.path();
    symlink("/dev/zero", path.join("zero.yaml")).expect("link");
    let mkfifo = std::process::Command::new("mkfifo")
        .arg(path.join("fifo.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(mkfifo.success());
    symlink("fifo.yaml", path.join("fifo-link.yaml")).expect("link");
    let _socket = std::os::unix::net::UnixListener::bind(path.join("socket.yaml")).expect("bind");
    // Opening the FIFO for reading would wait for a writer forever; reading /dev/zero never ends.
    let (status, json) = check_every_format(path, &[]);
    assert_eq!(status, 1, "{json:#}");
    assert!(message(&json, "CT002", "zero.yaml").contains("outside the contract root"));
    assert!(message(&json, "CT002", "fifo.yaml").contains("it is a FIFO"));
    assert!(message(&json, "CT002", "fifo-link.yaml").contains("a symbolic link to a FIFO"));
    assert!(message(&json, "CT002", "socket.yaml").contains("it is a socket"));
}

#[test]
fn links_inside_the_root_keep_working() {
    let repo = temp_repo(
        "version: 1\nexclude: [\"store/**\"]\n",
        &[
            ("store/teams/team.yaml", b"kind: Team\nname: checkout\n"),
            (
                "store/purpose.txt",
                b"kind: ConsentPurpose\nname: analytics\ndescription: Product analytics\n",
            ),
        ],
    );
    symlink("store/teams", repo.path().join("teams")).expect("link");
    symlink("store/purpose.txt", repo.path().join("purpose.yaml")).expect("link");
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = run(
        &["compile", "--out", &out_dir.path().to_string_lossy()],
        repo.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let catalog = std::fs::read(out_dir.path().join("catalog.json")).expect("catalog.json");
    let catalog: Value = serde_json::from_slice(&catalog).expect("JSON");
    assert!(catalog["teams"]["checkout"].is_object(), "{catalog:#}");
    assert!(catalog["purposes"]["analytics"].is_object(), "{catalog:#}");
}

#[test]
fn links_between_directories_cannot_multiply_the_walk() {
    // d0/a and d0/b lead to d1, d1/a and d1/b to d2, …: followed naively, 2^24 directories.
    let repo = temp_repo("version: 1\n", &[]);
    for i in 0..24 {
        let dir = repo.path().join(format!("d{i}"));
        std::fs::create_dir(&dir).expect("mkdir");
        for link in ["a", "b"] {
            symlink(format!("../d{}", i + 1), dir.join(link)).expect("link");
        }
    }
    std::fs::create_dir(repo.path().join("d24")).expect("mkdir");
    std::fs::write(repo.path().join("d24/team.yaml"), "kind: Team\nname: t\n").expect("write");
    let out = run(&["check", "--format", "json"], repo.path());
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(has_finding(&json, "CT002", "d0/b"), "{json:#}");
}

#[test]
fn a_gitignore_that_is_a_link_or_a_device_is_not_applied_and_not_read() {
    let repo = temp_repo("version: 1\n", &[("teams.yaml", b"kind: Team\nname: t\n")]);
    symlink("/dev/zero", repo.path().join(".gitignore")).expect("link");
    std::fs::create_dir(repo.path().join("sub")).expect("mkdir");
    symlink("../teams.yaml", repo.path().join("sub/.gitignore")).expect("link");
    let binary = assert_cmd::cargo::cargo_bin("contrail");
    // Reading /dev/zero as a `.gitignore` would fill memory: 1 GiB stops it quickly.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" check --format json \"$1\"")
        .arg(&binary)
        .arg(repo.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for file in [".gitignore", "sub/.gitignore"] {
        let message = message(&json, "CT002", file);
        assert!(
            message.contains("is not applied: it is a symbolic link"),
            "{message}"
        );
    }
}

/// `contrail check DIR` must stop with exit status 2 naming `what`; its stderr.
fn assert_configuration_error(dir: &Path, what: &str) -> String {
    let out = run(&["check", "--color", "never"], dir);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(what), "{what} not named: {stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
    stderr
}

#[test]
fn include_and_policies_patterns_that_leave_the_root_are_configuration_errors() {
    let outside = outside();
    let root = outside.path().join("contract");
    for (config, pattern) in [
        ("include: [\"../dir/**\"]", "../dir/**"),
        ("include: [\"/etc/**\"]", "/etc/**"),
        ("include: [\"a/../../dir/*.yaml\"]", "a/../../dir/*.yaml"),
        ("policies: [\"../\"]", "../"),
        ("policies: [\"/etc\"]", "/etc"),
    ] {
        std::fs::create_dir_all(&root).expect("mkdir");
        std::fs::write(
            root.join("contrail.yaml"),
            format!("version: 1\n{config}\n"),
        )
        .expect("write");
        let stderr = assert_configuration_error(&root, &format!("`{pattern}`"));
        assert!(
            stderr.contains("leads outside the contract root"),
            "{stderr}"
        );
    }
}

#[test]
fn policies_are_read_only_from_inside_the_root() {
    let outside = outside();
    // A policy file that is a link out of the root.
    let repo = temp_repo("version: 1\npolicies: [\"policies/\"]\n", &[]);
    std::fs::create_dir(repo.path().join("policies")).expect("mkdir");
    symlink(
        outside.path().join("secret.rego"),
        repo.path().join("policies/x.rego"),
    )
    .expect("link");
    let stderr = assert_configuration_error(repo.path(), "x.rego");
    assert!(stderr.contains("outside the contract root"), "{stderr}");
    // The policy directory itself a link out of the root.
    let repo = temp_repo("version: 1\npolicies: [\"policies\"]\n", &[]);
    symlink(outside.path(), repo.path().join("policies")).expect("link");
    let stderr = assert_configuration_error(repo.path(), "policies");
    assert!(stderr.contains("outside the contract root"), "{stderr}");
    // A directory of policies that links out of the root.
    let repo = temp_repo("version: 1\npolicies: [\"policies\"]\n", &[]);
    std::fs::create_dir(repo.path().join("policies")).expect("mkdir");
    symlink(outside.path(), repo.path().join("policies/shared")).expect("link");
    let stderr = assert_configuration_error(repo.path(), "policies/shared");
    assert!(stderr.contains("outside the contract root"), "{stderr}");
}

#[test]
fn a_contrail_yaml_that_links_out_of_the_root_is_not_read() {
    let outside = outside();
    let repo = tempfile::tempdir().expect("temp dir");
    symlink(
        outside.path().join("secret.yaml"),
        repo.path().join("contrail.yaml"),
    )
    .expect("link");
    let stderr = assert_configuration_error(repo.path(), "contrail.yaml");
    assert!(stderr.contains("outside the contract root"), "{stderr}");
}

#[test]
fn a_base_directory_is_read_only_from_inside_itself() {
    let outside = outside();
    let repo = temp_repo("version: 1\n", &[("teams.yaml", b"kind: Team\nname: t\n")]);
    let base = temp_repo("version: 1\n", &[("teams.yaml", b"kind: Team\nname: t\n")]);
    symlink(
        outside.path().join("secret.yaml"),
        base.path().join("events.yaml"),
    )
    .expect("link");
    symlink(outside.path().join("dir"), base.path().join("catalog")).expect("link");
    let base_arg = base.path().to_string_lossy().into_owned();
    let (status, json) = check_every_format(repo.path(), &["--base", &base_arg]);
    assert_eq!(status, 0, "{json:#}");
    let base_findings: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "CT401")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(base_findings.len(), 2, "{json:#}");
    assert!(
        base_findings
            .iter()
            .all(|m| m.contains("outside the contract root")),
        "{json:#}"
    );
}

#[test]
fn a_link_in_a_git_base_is_not_followed() {
    let outside = outside();
    let repo = tempfile::tempdir().expect("temp dir");
    let dir = repo.path();
    git(dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("contrail.yaml"), "version: 1\n").expect("write");
    std::fs::write(dir.join("teams.yaml"), "kind: Team\nname: t\n").expect("write");
    symlink(outside.path().join("secret.yaml"), dir.join("events.yaml")).expect("link");
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    std::fs::remove_file(dir.join("events.yaml")).expect("rm");
    std::fs::write(dir.join("events.yaml"), "kind: Team\nname: u\n").expect("write");
    let (status, json) = check_every_format(dir, &["--base", "main"]);
    // The head still has `events.yaml`, whose base side could not be compared: an error.
    assert_eq!(status, 1, "{json:#}");
    let found = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "CT401")
        .unwrap_or_else(|| panic!("no base-unreadable finding: {json:#}"));
    let message = found["message"].as_str().unwrap_or_default();
    assert!(message.contains("main:events.yaml"), "{message}");
    assert!(message.contains("symbolic link"), "{message}");
}

#[test]
fn a_list_of_resources_under_the_default_include_is_a_finding_that_says_what_to_write() {
    let repo = temp_repo(
        "version: 1\n",
        &[
            (
                "properties.yaml",
                b"- kind: Property\n  name: email\n  type: string\n- kind: Property\n  name: phone\n  type: string\n",
            ),
            (
                "wrapped.yaml",
                b"resources:\n  - kind: Team\n    name: checkout\n",
            ),
            // No `kind` anywhere: not a contract file, skipped as before.
            ("docker-compose.yaml", b"services:\n  web: {image: nginx}\n"),
        ],
    );
    let out = run(&["check", "--format", "json"], repo.path());
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(out.status.code(), Some(1), "{json:#}");
    let list = message(&json, "CT013", "properties.yaml");
    assert!(list.contains("a list of resources"), "{list}");
    let help = finding(&json, "CT013", "properties.yaml")["help"].as_str();
    assert!(help.is_some_and(|h| h.contains("`---`")), "{json:#}");
    let wrapped = message(&json, "CT007", "wrapped.yaml");
    assert!(
        wrapped.contains("nested inside it are not read"),
        "{wrapped}"
    );
    assert_eq!(
        json["findings"].as_array().map(Vec::len),
        Some(2),
        "{json:#}"
    );
}

#[test]
fn gitignore_files_above_the_root_apply_only_up_to_the_top_of_the_work_tree() {
    let outer = tempfile::tempdir().expect("temp dir");
    // Above the work tree: not the repository's, so not applied.
    std::fs::write(outer.path().join(".gitignore"), "teams.yaml\n").expect("write");
    let top = outer.path().join("repo");
    std::fs::create_dir(&top).expect("mkdir");
    git(&top, &["init", "-q"]);
    std::fs::write(top.join(".gitignore"), "generated/\n").expect("write");
    let contract = top.join("contract");
    for (name, text) in [
        ("contrail.yaml", "version: 1\n"),
        ("teams.yaml", "kind: Team\nname: t\n"),
        ("generated/broken.yaml", "kind: [\n"),
    ] {
        let path = contract.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let out = run(&["check", "--format", "json"], &contract);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(out.status.code(), Some(0), "{json:#}");
    assert_eq!(json["summary"]["files"], 1, "{json:#}");
}
