//! `contrail init`: a new contract that checks clean and whose policy tests pass, and no
//! overwriting without `--force`.

mod common;

use common::{check_json, contrail};

#[test]
fn init_in_an_empty_directory_gives_a_contract_that_checks_clean_and_passes_its_tests() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = contrail()
        .current_dir(dir.path())
        .args(["init", "new-contract"])
        .output()
        .expect("contrail runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("contrail: wrote 10 files into new-contract\n  contrail.yaml\n"));
    assert!(stdout.contains("  .github/workflows/contrail.yml\n  .pre-commit-config.yaml\n"));
    assert!(stdout.contains("contrail check new-contract  "), "{stdout}");
    let root = dir.path().join("new-contract");

    let (code, json) = check_json(&root);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(json["summary"]["events"], 2, "{json:#}");

    let tests = contrail()
        .args(["test", "--format", "json"])
        .arg(&root)
        .output()
        .expect("contrail runs");
    let tests: serde_json::Value = serde_json::from_slice(&tests.stdout).expect("JSON");
    assert_eq!(tests["summary"]["failed"], 0, "{tests:#}");
    let own: Vec<&str> = tests["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter(|t| t["package"] == "org.events_test")
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    assert_eq!(own.len(), 3, "the example policy's tests ran: {tests:#}");
}

#[test]
fn the_example_policy_fires_on_an_event_without_a_domain() {
    let dir = tempfile::tempdir().expect("temp dir");
    contrail().arg("init").arg(dir.path()).assert().success();
    let events = dir.path().join("events/checkout.yaml");
    let text = std::fs::read_to_string(&events).expect("events");
    std::fs::write(&events, text.replacen("domain: checkout\n", "", 1)).expect("write");
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0, "a warning does not fail the check");
    assert_eq!(common::codes(&json), ["ORG101"], "{json:#}");
}

#[test]
fn init_lists_the_files_that_exist_writes_nothing_and_exits_2_unless_forced() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("contrail.yaml"), "version: 1 # mine\n").expect("write");
    std::fs::create_dir_all(dir.path().join(".github/workflows")).expect("mkdir");
    std::fs::write(dir.path().join(".github/workflows/contrail.yml"), "mine").expect("write");

    let out = contrail()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .expect("contrail runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: these files already exist; nothing was written (`--force` overwrites them):\n  \
         ./contrail.yaml\n  ./.github/workflows/contrail.yml\n"
    );
    assert!(
        !dir.path().join("teams.yaml").exists(),
        "nothing was written"
    );
    let config = std::fs::read_to_string(dir.path().join("contrail.yaml")).expect("config");
    assert_eq!(config, "version: 1 # mine\n");

    contrail()
        .current_dir(dir.path())
        .args(["init", "--force"])
        .assert()
        .success();
    let config = std::fs::read_to_string(dir.path().join("contrail.yaml")).expect("config");
    assert!(config.contains("policies: [\"policies/\"]"), "{config}");
    assert_eq!(check_json(dir.path()).0, 0);
}
