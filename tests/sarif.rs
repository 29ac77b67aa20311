//! `--format sarif`: valid against the official SARIF 2.1.0 schema (vendored in
//! tests/data/sarif/), shaped as GitHub code scanning requires, with URIs that resolve from
//! the repository root and fingerprints that survive unrelated edits.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::{check_json, contrail, root, sarif_validator, temp_repo};
use serde_json::Value;

/// Fixture runs covering a clean contract, parse errors, structural rules with related
/// labels, built-in privacy and routing policies, and user policies (plain-string results
/// and results that break the contract).
const FIXTURES: &[&str] = &[
    "fixtures/examples/shop",
    "fixtures/rules/CT001-yaml-syntax/invalid",
    "fixtures/rules/CT004-dangling-reference/invalid",
    "fixtures/rules/CT008-duplicate-name/invalid",
    "fixtures/rules/CT015-policy-result-invalid/invalid",
    "fixtures/rules/CT201-pii-unclassified/invalid",
    "fixtures/rules/CT206-consent-not-covered/invalid",
    "fixtures/rules/CT301-event-not-allowed/invalid",
    "fixtures/rules/CT501-policy-violation/invalid",
];

/// `contrail check --format sarif PATH` run from `cwd`: exit status and the SARIF log.
fn sarif(cwd: &Path, path: &str) -> (i32, Value) {
    let out = contrail()
        .current_dir(cwd)
        .args(["check", "--format", "sarif", path])
        .output()
        .expect("contrail runs");
    let log = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("exit code"), log)
}

fn git_top_level(dir: &Path) -> Option<PathBuf> {
    let out = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("percent escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 path")
}

fn text<'v>(value: &'v Value, what: &str) -> &'v str {
    value
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| panic!("{what} is a non-empty string: {value}"))
}

/// Every location of a result (primary and related): its URI resolves to a file below
/// `srcroot` and its region lies inside that file.
fn assert_location_resolves(location: &Value, srcroot: &Path, what: &str) {
    let physical = &location["physicalLocation"];
    let artifact = &physical["artifactLocation"];
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%", "{what}");
    let uri = text(&artifact["uri"], "uri");
    assert!(
        !uri.starts_with('/') && !uri.contains("://") && !uri.starts_with("./"),
        "{what}: `{uri}` is relative to %SRCROOT%"
    );
    // The schema's `uri-reference` format is not a draft-04 format, so check it here.
    assert!(
        uri.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/%".contains(&b)),
        "{what}: `{uri}` is a URI reference"
    );
    let file = srcroot.join(percent_decode(uri));
    let content = std::fs::read(&file)
        .unwrap_or_else(|e| panic!("{what}: {} resolves to a file: {e}", file.display()));
    let lines = content.split(|b| *b == b'\n').count() as u64;
    let region = &physical["region"];
    let start_line = region["startLine"].as_u64().expect("startLine");
    assert!(
        (1..=lines).contains(&start_line),
        "{what}: line {start_line} in {uri}"
    );
    if let Some(end_line) = region["endLine"].as_u64() {
        assert!(
            end_line >= start_line && end_line <= lines,
            "{what}: {region}"
        );
        let start_column = region["startColumn"]
            .as_u64()
            .expect("startColumn with endLine");
        let end_column = region["endColumn"]
            .as_u64()
            .expect("endColumn with endLine");
        assert!(start_column >= 1 && end_column >= 1, "{what}: {region}");
        if end_line == start_line {
            assert!(end_column >= start_column, "{what}: {region}");
        }
    }
}

/// GitHub code scanning's requirements ("SARIF support for code scanning"), field by field.
fn assert_code_scanning_requirements(log: &Value, srcroot: &Path, fixture: &str) {
    assert_eq!(log["version"], "2.1.0", "{fixture}");
    text(&log["$schema"], "$schema");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "{fixture}: one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "contrail");
    text(&driver["version"], "driver.version");
    text(&driver["semanticVersion"], "driver.semanticVersion");
    text(&run["automationDetails"]["id"], "automationDetails.id");
    assert!(
        run["originalUriBaseIds"]["%SRCROOT%"].is_object(),
        "{fixture}"
    );

    let rules = driver["rules"].as_array().expect("driver.rules");
    let mut ids = BTreeSet::new();
    for rule in rules {
        let id = text(&rule["id"], "rule id");
        assert!(
            ids.insert(id.to_string()),
            "{fixture}: rule {id} listed once"
        );
        text(&rule["name"], "rule name");
        text(&rule["shortDescription"]["text"], "shortDescription");
        text(&rule["fullDescription"]["text"], "fullDescription");
        text(&rule["help"]["text"], "help.text");
        text(&rule["help"]["markdown"], "help.markdown");
        let level = &rule["defaultConfiguration"]["level"];
        assert!(
            ["error", "warning", "note"].contains(&level.as_str().unwrap_or_default()),
            "{id}: {level}"
        );
        let tags = rule["properties"]["tags"].as_array().expect("tags");
        assert!(!tags.is_empty() && tags.len() <= 20, "{id}: {tags:?}");
        assert!(tags.iter().all(Value::is_string), "{id}: {tags:?}");
        let privacy = tags.iter().any(|t| t == "privacy");
        let severity = &rule["properties"]["security-severity"];
        if privacy {
            let score: f64 = text(severity, "security-severity")
                .parse()
                .expect("security-severity is a number");
            assert!((0.1..=10.0).contains(&score), "{id}: {score}");
            assert!(tags.iter().any(|t| t == "security"), "{id}: {tags:?}");
        } else {
            assert!(severity.is_null(), "{id}: only privacy rules have one");
        }
        if let Some(uri) = rule["helpUri"].as_str() {
            let page = format!("docs/rules/{id}-{}.md", rule["name"].as_str().unwrap_or(""));
            assert!(uri.starts_with("https://") && uri.ends_with(&page), "{uri}");
            assert!(root().join(&page).is_file(), "{page} exists");
        }
    }

    let results = run["results"].as_array().expect("results");
    assert!(results.len() <= 25_000);
    let mut fingerprints = BTreeSet::new();
    for (i, result) in results.iter().enumerate() {
        let what = format!("{fixture} result {i}");
        let rule_id = text(&result["ruleId"], "ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], rule_id, "{what}: ruleIndex");
        assert!(
            ["error", "warning", "note"].contains(&result["level"].as_str().unwrap_or_default()),
            "{what}"
        );
        text(&result["message"]["text"], "message.text");
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1, "{what}: one location");
        assert_location_resolves(&locations[0], srcroot, &what);
        for related in result["relatedLocations"].as_array().into_iter().flatten() {
            assert_location_resolves(related, srcroot, &what);
            text(&related["message"]["text"], "related message");
        }
        let fingerprint = result["partialFingerprints"]["contrail/v1"].to_string();
        assert!(
            fingerprints.insert(fingerprint),
            "{what}: fingerprints are unique"
        );
    }
}

#[test]
fn the_schema_rejects_what_sarif_forbids() {
    let validator = sarif_validator();
    let (_, log) = sarif(&root(), "fixtures/rules/CT201-pii-unclassified/invalid");
    assert!(validator.is_valid(&log));
    let mut unknown_field = log.clone();
    unknown_field["runs"][0]["bogus"] = Value::from(1);
    assert!(!validator.is_valid(&unknown_field));
    let mut line_zero = log.clone();
    line_zero["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!validator.is_valid(&line_zero));
    let mut no_message = log;
    no_message["runs"][0]["results"][0]
        .as_object_mut()
        .expect("result")
        .remove("message");
    assert!(!validator.is_valid(&no_message));
}

#[test]
fn fixture_runs_are_valid_sarif_and_meet_code_scanning_requirements() {
    let validator = sarif_validator();
    let srcroot = git_top_level(&root()).unwrap_or_else(root);
    for fixture in FIXTURES {
        let (status, log) = sarif(&root(), fixture);
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{fixture}: {errors:#?}");
        let dir = root().join(fixture);
        let (json_status, json) = check_json(&dir);
        assert_eq!(status, json_status, "{fixture}");
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert_eq!(
            results.len(),
            json["findings"].as_array().expect("findings").len(),
            "{fixture}: one result per finding"
        );
        assert_code_scanning_requirements(&log, &srcroot, fixture);

        // Every rule that can fire: the Rust rules, the built-in and the user's policies.
        let listed = contrail()
            .args(["rules", "--format", "json"])
            .arg(&dir)
            .output()
            .expect("contrail rules runs");
        let listed: Value = serde_json::from_slice(&listed.stdout).expect("rules JSON");
        let expected: BTreeSet<&str> = listed
            .as_array()
            .expect("rule list")
            .iter()
            .map(|r| r["code"].as_str().expect("code"))
            .collect();
        let described: BTreeSet<&str> = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .map(|r| r["id"].as_str().expect("id"))
            .collect();
        assert_eq!(described, expected, "{fixture}");
    }
}

#[test]
fn a_user_rule_is_described_from_its_metadata_without_a_docs_link() {
    let (_, log) = sarif(
        &root(),
        "fixtures/rules/CT015-policy-result-invalid/invalid",
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let user: Vec<&Value> = rules
        .iter()
        .filter(|r| !r["id"].as_str().unwrap_or_default().starts_with("CT"))
        .collect();
    assert!(!user.is_empty(), "{rules:#?}");
    for rule in user {
        assert!(rule.get("helpUri").is_none(), "{rule:#}");
    }
    let builtin = rules.iter().find(|r| r["id"] == "CT201").expect("CT201");
    assert_eq!(builtin["name"], "pii-unclassified");
    assert_eq!(builtin["properties"]["security-severity"], "8.0");
    assert_eq!(builtin["defaultConfiguration"]["level"], "error");
}

#[test]
fn configured_severity_and_disabled_rules_shape_the_descriptors() {
    let config = "version: 1\nrules:\n  disable: [owner-missing]\n  severity: { pii-unclassified: warning }\n";
    let repo = temp_repo(
        config,
        &[(
            "catalog.yaml",
            b"kind: Property\nname: phone\ntype: string\n",
        )],
    );
    let (status, log) = sarif(repo.path(), ".");
    assert_eq!(status, 0, "a warning does not fail the run");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.iter().all(|r| r["id"] != "CT502"), "disabled");
    let ct201 = rules.iter().find(|r| r["id"] == "CT201").expect("CT201");
    assert_eq!(ct201["defaultConfiguration"]["level"], "warning");
    assert_eq!(ct201["properties"]["security-severity"], "5.0");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "CT201");
    assert_eq!(result["level"], "warning");
}

/// The fingerprints of the same findings in two runs, by rule and message.
fn fingerprints(log: &Value) -> Vec<(String, String, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                format!("{} {}", r["ruleId"], r["message"]["text"]),
                r["partialFingerprints"]["contrail/v1"].to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .expect("line"),
            )
        })
        .collect()
}

#[test]
fn fingerprints_do_not_change_when_unrelated_lines_are_inserted_above() {
    let catalog =
        "kind: Property\nname: phone\ntype: string\n---\nkind: Property\nname: fax\ntype: string\n";
    let repo = temp_repo("version: 1\n", &[("catalog.yaml", catalog.as_bytes())]);
    let (_, before) = sarif(repo.path(), ".");
    let above = "# Contact details,\n# collected at checkout.\n\n# Reviewed by the CRM team\n# every quarter.\n\n";
    std::fs::write(
        repo.path().join("catalog.yaml"),
        format!("{above}{catalog}"),
    )
    .expect("edit");
    let (_, after) = sarif(repo.path(), ".");
    let (before, after) = (fingerprints(&before), fingerprints(&after));
    assert!(!before.is_empty());
    assert_eq!(before.len(), after.len(), "{before:#?}\n{after:#?}");
    for ((what, fp_before, line_before), (what_after, fp_after, line_after)) in
        before.iter().zip(&after)
    {
        assert_eq!(what, what_after);
        assert_eq!(
            line_after - line_before,
            6,
            "{what}: the finding moved down"
        );
        assert_eq!(fp_before, fp_after, "{what}");
    }
}

/// A git repository with a contract two levels down: `contracts/shop/`.
fn repo_with_nested_contract() -> tempfile::TempDir {
    let fixture = root().join("fixtures/rules/CT206-consent-not-covered/invalid");
    let repo = tempfile::tempdir().expect("temp dir");
    let contract = repo.path().join("contracts/shop");
    for entry in walk(&fixture) {
        let to = contract.join(entry.strip_prefix(&fixture).expect("below fixture"));
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &to).expect("copy");
    }
    let git = Process::new("git")
        .arg("init")
        .arg("-q")
        .arg(repo.path())
        .status()
        .expect("git runs");
    assert!(git.success());
    repo
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn uris_resolve_from_the_git_top_level_whatever_the_current_directory() {
    let repo = repo_with_nested_contract();
    let top = repo.path().canonicalize().expect("canonical");
    let contract = top.join("contracts/shop");
    let runs = [
        (top.clone(), "contracts/shop".to_string()),
        (top.join("contracts"), "shop".to_string()),
        (contract.clone(), ".".to_string()),
        (top.clone(), contract.to_string_lossy().into_owned()),
    ];
    for (cwd, path) in runs {
        let (status, log) = sarif(&cwd, &path);
        assert_eq!(status, 1, "{path}");
        assert_eq!(
            log["runs"][0]["automationDetails"]["id"], "contrail/contracts/shop/",
            "{path}"
        );
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert!(!results.is_empty());
        assert!(results
            .iter()
            .flat_map(|r| r["relatedLocations"].as_array().into_iter().flatten())
            .next()
            .is_some());
        assert_code_scanning_requirements(&log, &top, &path);
        let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with("contracts/shop/"), "{uri}");
    }
}

#[test]
fn outside_git_uris_are_relative_to_the_contract_root() {
    let repo = temp_repo(
        "version: 1\n",
        &[(
            "catalog/we ird%.yaml",
            b"kind: Property\nname: phone\ntype: string\n",
        )],
    );
    let dir = repo.path().canonicalize().expect("canonical");
    assert!(git_top_level(&dir).is_none(), "the temp dir is not in git");
    let (_, log) = sarif(&dir, ".");
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_code_scanning_requirements(&log, &dir, "outside git");
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "contrail/");
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "catalog/we%20ird%25.yaml");
}

#[test]
fn a_finding_about_the_whole_contract_points_at_contrail_yaml() {
    let policy = b"package acme.ghost\n\n# METADATA\n# title: Ghost\n# custom: {id: ACME200, name: ghost-found}\ndeny contains f if {\n\tf := {\"rule\": \"ghost-found\", \"msg\": \"boo\", \"at\": {\"kind\": \"Event\", \"name\": \"nope\"}}\n}\n";
    let repo = temp_repo(
        "version: 1\npolicies: [\"policies/\"]\n",
        &[("policies/ghost.rego", policy)],
    );
    let (_, log) = sarif(repo.path(), ".");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "ACME200");
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "contrail.yaml");
    assert_eq!(physical["region"]["startLine"], 1);
}

#[test]
fn a_run_over_25000_results_keeps_the_most_severe_and_says_so() {
    // 8,400 properties without PII class, owner or description: 25,200 findings.
    let catalog: Vec<String> = (0..8_400)
        .map(|i| format!("kind: Property\nname: p{i}\ntype: string\n"))
        .collect();
    let repo = temp_repo(
        "version: 1\n",
        &[("catalog.yaml", catalog.join("---\n").as_bytes())],
    );
    let (status, log) = sarif(repo.path(), ".");
    assert_eq!(status, 1);
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 25_000);
    let errors = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(errors, 8_400, "every error is kept");
    assert_eq!(
        run["properties"],
        serde_json::json!({"truncated": true, "resultsTotal": 25_200, "resultsReported": 25_000})
    );
    let note = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        note["message"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("200 of 25200 results were left out")),
        "{note}"
    );
    assert!(sarif_validator().is_valid(&log));
}

#[test]
fn one_and_two_threads_write_the_same_bytes() {
    let dir = root().join("fixtures/rules/CT206-consent-not-covered/invalid");
    common::assert_same_output_with_one_and_two_threads(&dir, "sarif", |sarif| {
        let results = sarif["runs"][0]["results"].as_array();
        assert!(
            results.is_some_and(|r| r.iter().any(|r| r["ruleId"] == "CT206")),
            "no CT206 result: {sarif:#}"
        );
    });
}

#[test]
fn labels_in_base_files_are_told_in_the_message_not_located_in_the_tree() {
    let out = contrail()
        .current_dir(root())
        .args([
            "check",
            "--format",
            "sarif",
            "--base",
            "fixtures/compat/flagship/base",
            "fixtures/compat/flagship/head",
        ])
        .output()
        .expect("contrail runs");
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let srcroot = git_top_level(&root()).unwrap_or_else(root);
    assert_code_scanning_requirements(&log, &srcroot, "flagship --base");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let breaking = results
        .iter()
        .find(|r| r["ruleId"] == "CT402")
        .expect("a breaking change");
    let message = text(&breaking["message"]["text"], "message");
    assert!(
        message.contains("(fixtures/compat/flagship/base/"),
        "the base line is named in the message: {message}"
    );
    // Related labels: those in head files are locations, those in base files are not.
    let json = contrail()
        .current_dir(root())
        .args([
            "check",
            "--format",
            "json",
            "--base",
            "fixtures/compat/flagship/base",
        ])
        .arg("fixtures/compat/flagship/head")
        .output()
        .expect("contrail runs");
    let json: Value = serde_json::from_slice(&json.stdout).expect("JSON report");
    let findings = json["findings"].as_array().expect("findings");
    assert_eq!(results.len(), findings.len());
    let mut in_base = 0;
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["code"]);
        let related = finding["related"].as_array().cloned().unwrap_or_default();
        let (base, head): (Vec<_>, Vec<_>) = related.iter().partition(|r| r["base"] == true);
        in_base += base.len();
        let located = result["relatedLocations"].as_array().map_or(0, Vec::len);
        assert_eq!(located, head.len(), "{result:#}");
    }
    assert!(in_base > 0, "the flagship has a label in the base");
}
