//! The policy engine end to end: built-in tests, user policies, overrides, configuration,
//! hostile policies, and the `rules` / `explain` / `test` commands.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{
    check_json, codes, contrail, has_finding, root, stderr_of_a_run_that_cannot_start, temp_repo,
};

const WITH_POLICIES: &str = "version: 1\npolicies: [\"policies/\"]\n";

/// One classified property and one event: clean for every built-in rule.
const CLEAN: &[u8] = b"kind: Property\nname: cart_id\ntype: string\npii: none\nowner: data\ndescription: Cart.\n---\nkind: Event\nname: checkout_started\nowner: data\ndescription: Checkout opened.\nproperties: [{ref: cart_id}]\n---\nkind: Team\nname: data\n";

/// As CLEAN without owners and descriptions (built-in warnings fire on it).
const NO_OWNER: &[u8] = b"kind: Property\nname: cart_id\ntype: string\npii: none\n---\nkind: Event\nname: checkout_started\nproperties: [{ref: cart_id}]\n";

/// The findings of one code.
fn of_code<'j>(json: &'j serde_json::Value, code: &str) -> Vec<&'j serde_json::Value> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

/// The built-in test modules. A `_test.rego` dropped from `policy/builtin.rs`'s list, or one
/// added to `policies/contrail/` without it, fails here.
const BUILTIN_TEST_MODULES: [&str; 9] = [
    "policies/contrail/compat_test.rego",
    "policies/contrail/consent_test.rego",
    "policies/contrail/governance_test.rego",
    "policies/contrail/identity_test.rego",
    "policies/contrail/lib_test.rego",
    "policies/contrail/pii_test.rego",
    "policies/contrail/quality_test.rego",
    "policies/contrail/residency_test.rego",
    "policies/contrail/routing_test.rego",
];

/// The `test_*` rules of a module as written on disk: each rule defined at the start of a
/// line, once however many bodies it has.
fn tests_on_disk(file: &str) -> BTreeSet<String> {
    std::fs::read_to_string(root().join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .lines()
        .filter(|l| l.starts_with("test_"))
        .map(|l| {
            l.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn builtin_policy_tests_pass() {
    let out = contrail()
        .args(["test", "--format", "json"])
        .arg(root().join("fixtures/examples/shop"))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let tests = json["tests"].as_array().expect("tests");
    let mut run: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for t in tests {
        assert_eq!(t["passed"], true, "{t:#}");
        let name = t["name"].as_str().expect("name").to_string();
        let fresh = run
            .entry(t["file"].as_str().expect("file"))
            .or_default()
            .insert(name);
        assert!(fresh, "run twice: {t:#}");
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(root().join("policies/contrail"))
        .expect("policies/contrail")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("_test.rego"))
        .map(|n| format!("policies/contrail/{n}"))
        .collect();
    assert_eq!(
        on_disk,
        BUILTIN_TEST_MODULES.map(String::from).into(),
        "BUILTIN_TEST_MODULES is the folder's test modules"
    );
    assert_eq!(
        run.keys().copied().collect::<Vec<_>>(),
        BUILTIN_TEST_MODULES,
        "the test modules run"
    );
    for file in BUILTIN_TEST_MODULES {
        let written = tests_on_disk(file);
        assert!(!written.is_empty(), "{file} has no test");
        assert_eq!(run[file], written, "the tests of {file}");
    }
    assert_eq!(json["summary"]["failed"], 0);
    assert_eq!(json["summary"]["passed"], tests.len());
}

#[test]
fn a_failing_user_test_is_reported_with_its_line_and_exit_1() {
    let test = b"package acme.naming_test\n\ntest_passes if true\n\ntest_fails if {\n\t1 == 2\n}\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", CLEAN), ("policies/naming_test.rego", test)],
    );
    let out = contrail()
        .current_dir(repo.path())
        .args(["test", "."])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL policies/naming_test.rego:5 acme.naming_test.test_fails"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PASS policies/naming_test.rego:3 acme.naming_test.test_passes"),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with(" passed, 1 failed"), "{stdout}");
}

#[test]
fn a_policy_that_does_not_compile_is_exit_2_at_its_line_and_column() {
    let bad = b"package acme.bad\n\ndeny contains x if {\n\tx := \n}\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", CLEAN), ("policies/bad.rego", bad)],
    );
    let stderr = stderr_of_a_run_that_cannot_start(repo.path());
    assert!(
        stderr.contains("policy `policies/bad.rego` does not compile"),
        "{stderr}"
    );
    assert!(stderr.contains("--> policies/bad.rego:4:7"), "{stderr}");
}

#[test]
fn broken_metadata_is_exit_2_naming_the_file_and_line() {
    let bad = b"package acme.meta\n\n# METADATA\n# title: [unclosed\n# custom: {id: ACME1, name: x}\ndeny contains \"x\" if false\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", CLEAN), ("policies/meta.rego", bad)],
    );
    let stderr = stderr_of_a_run_that_cannot_start(repo.path());
    assert!(
        stderr.contains("policy `policies/meta.rego`: line 5: METADATA is not valid YAML"),
        "{stderr}"
    );
}

#[test]
fn a_user_package_replaces_the_builtin_one() {
    let unclassified: &[u8] = b"kind: Property\nname: phone\ntype: string\n";
    let repo = temp_repo("version: 1\n", &[("catalog.yaml", unclassified)]);
    let (_, json) = check_json(repo.path());
    assert!(codes(&json).contains(&"CT201".to_string()), "{json:#}");
    let quiet =
        b"package contrail.pii\n\n# Replaced: this team classifies PII elsewhere.\ndeny := set()\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", unclassified), ("policies/pii.rego", quiet)],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 0, "{json:#}");
    assert!(!codes(&json).contains(&"CT201".to_string()), "{json:#}");
}

/// A replacement copied from a built-in keeps working: `contrail.lib`, which the built-ins
/// import, stays loaded when a package importing it is replaced.
#[test]
fn a_copy_of_a_builtin_package_still_finds_the_shared_helpers() {
    let dir = root().join("fixtures/rules/CT203-pii-above-destination-class/invalid");
    let seen = |json: &serde_json::Value| -> Vec<String> {
        let mut seen: Vec<String> = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| format!("{} {}:{} {}", f["code"], f["file"], f["line"], f["message"]))
            .collect();
        seen.sort();
        seen
    };
    let (status, builtin) = check_json(&dir);
    assert_eq!(status, 1, "{builtin:#}");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("fixture")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "contrail.yaml"))
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect();
    let copy = std::fs::read(root().join("policies/contrail/pii.rego")).expect("pii.rego");
    assert!(String::from_utf8_lossy(&copy).contains("import data.contrail.lib"));
    files.push(("policies/pii.rego".into(), copy));
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    let repo = temp_repo(WITH_POLICIES, &files);
    let (status, replaced) = check_json(repo.path());
    assert_eq!(status, 1, "{replaced:#}");
    assert!(
        codes(&replaced).contains(&"CT203".to_string()),
        "{replaced:#}"
    );
    assert_eq!(seen(&replaced), seen(&builtin));
}

/// `contrail stats` counts personal properties and their legal basis in Rust; the policies
/// ask the same through `data.contrail.lib` (`personal_data`, `has_legal_basis`). Both count
/// the same over every class and kind of basis.
#[test]
fn stats_count_personal_data_and_legal_basis_as_contrail_lib_defines_them() {
    let mut yaml = String::from("kind: ConsentPurpose\nname: marketing\n");
    let mut properties = serde_json::Map::new();
    for (i, class) in [
        None,
        Some("none"),
        Some("indirect"),
        Some("direct"),
        Some("sensitive"),
    ]
    .into_iter()
    .enumerate()
    {
        for (j, (basis, consent, lawful)) in [
            ("", vec![], None),
            ("consent: [marketing]\n", vec!["marketing"], None),
            ("lawful_basis: contract\n", vec![], Some("contract")),
        ]
        .into_iter()
        .enumerate()
        {
            let name = format!("p_{i}_{j}");
            let pii = class.map(|c| format!("pii: {c}\n")).unwrap_or_default();
            yaml.push_str(&format!(
                "---\nkind: Property\nname: {name}\ntype: string\n{pii}{basis}"
            ));
            properties.insert(
                name,
                serde_json::json!({"pii": class, "consent": consent, "lawful_basis": lawful}),
            );
        }
    }
    let repo = temp_repo("version: 1\n", &[("catalog.yaml", yaml.as_bytes())]);
    let out = contrail()
        .args(["stats", "--format", "json"])
        .arg(repo.path())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");

    let mut engine = regorus::Engine::new();
    let lib = std::fs::read_to_string(root().join("policies/contrail/lib.rego")).expect("lib");
    engine
        .add_policy("policies/contrail/lib.rego".into(), lib)
        .expect("lib compiles");
    let count = "package count\n\nimport data.contrail.lib\n\npersonal := [n | some n, p in input.properties; lib.personal_data(p)]\n\nbased := [n | some n in personal; lib.has_legal_basis(input.properties[n])]\n\ncoverage := {\"covered\": count(based), \"total\": count(personal)}\n";
    engine
        .add_policy("count.rego".into(), count.into())
        .expect("count compiles");
    let input = serde_json::json!({ "properties": properties }).to_string();
    engine.set_input(regorus::Value::from_json_str(&input).expect("input"));
    let coverage = engine
        .eval_rule("data.count.coverage".into())
        .expect("evaluates");
    let coverage: serde_json::Value =
        serde_json::from_str(&coverage.to_json_str().expect("JSON")).expect("JSON");
    assert_eq!(coverage, serde_json::json!({"covered": 6, "total": 9}));
    assert_eq!(stats["consent_metadata"], coverage);
}

#[test]
fn policy_rules_follow_the_configuration() {
    let unclassified: &[u8] = b"kind: Property\nname: phone\ntype: string\n";
    let warn = "version: 1\nrules: { severity: { pii-unclassified: warning } }\n";
    let repo = temp_repo(warn, &[("catalog.yaml", unclassified)]);
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 0, "{json:#}");
    assert_eq!(of_code(&json, "CT201")[0]["severity"], "warning");
    let off = "version: 1\nrules: { disable: [CT201] }\n";
    let repo = temp_repo(off, &[("catalog.yaml", unclassified)]);
    let (_, json) = check_json(repo.path());
    assert!(of_code(&json, "CT201").is_empty(), "{json:#}");
    let typo = "version: 1\nrules: { disable: [pii-unclasified] }\n";
    let repo = temp_repo(typo, &[("catalog.yaml", unclassified)]);
    let stderr = stderr_of_a_run_that_cannot_start(repo.path());
    assert!(stderr.contains("did you mean `pii-unclassified`?"));
}

#[test]
fn a_user_rule_can_be_configured_by_name() {
    let policy = b"package acme.owners\n\n# METADATA\n# title: Event without owner\n# custom:\n#   id: ACME101\n#   name: event-owner-missing\n#   severity: error\n#   category: governance\ndeny contains f if {\n\tsome name, e in input.events\n\tnot e.owner\n\tf := {\"rule\": \"event-owner-missing\", \"msg\": sprintf(\"%s has no owner\", [name]), \"at\": {\"kind\": \"Event\", \"name\": name, \"field\": \"owner\"}}\n}\n";
    let config = "version: 1\npolicies: [\"policies/\"]\nrules: { severity: { event-owner-missing: warning } }\n";
    let repo = temp_repo(
        config,
        &[("catalog.yaml", NO_OWNER), ("policies/owners.rego", policy)],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 0, "{json:#}");
    let f = of_code(&json, "ACME101")[0];
    assert_eq!(
        (f["code"].as_str(), f["severity"].as_str()),
        (Some("ACME101"), Some("warning"))
    );
    // An absent field lands on the event's name.
    assert_eq!(
        (f["file"].as_str(), f["line"].as_u64()),
        (Some("catalog.yaml"), Some(7))
    );
}

#[test]
fn at_naming_nothing_is_reported_at_the_repo_level_with_a_note() {
    let policy = b"package acme.ghost\n\n# METADATA\n# title: Ghost\n# custom: {id: ACME200, name: ghost-found}\ndeny contains f if {\n\tinput.events.checkout_started\n\tf := {\"rule\": \"ghost-found\", \"msg\": \"boo\", \"at\": {\"kind\": \"Event\", \"name\": \"nope\"}}\n}\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", CLEAN), ("policies/ghost.rego", policy)],
    );
    let (_, json) = check_json(repo.path());
    let f = &json["findings"][0];
    assert_eq!(f["code"], "ACME200");
    assert!(f.get("file").is_none(), "{json:#}");
    assert_eq!(
        f["help"],
        "the policy pointed at Event `nope`, which is not defined"
    );
}

#[test]
fn policies_see_no_environment_and_cannot_send_http() {
    let policy = b"package acme.leak\n\ndeny contains msg if {\n\tmsg := sprintf(\"%v\", [opa.runtime().env])\n}\n\ndeny contains msg if {\n\tr := http.send({\"method\": \"get\", \"url\": \"http://127.0.0.1:9/\"})\n\tmsg := sprintf(\"%v\", [r])\n}\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", CLEAN), ("policies/leak.rego", policy)],
    );
    let out = contrail()
        .env("CONTRAIL_TEST_SECRET", "s3cret")
        .args(["check", "--format", "json"])
        .arg(repo.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("s3cret"), "{stdout}");
}

#[test]
fn flagship_unclassified_property_routed_to_the_sandbox_fails_at_both_places() {
    let dir = root().join("fixtures/rules/CT202-pii-in-nonprod/invalid");
    let (status, json) = check_json(&dir);
    assert_eq!(status, 1);
    assert!(has_finding(&json, "CT202", "routing.yaml"), "{json:#}");
    let added: &[u8] = b"---\nkind: Property\nname: gift_note\ntype: string\n---\nkind: Event\nname: checkout_gift_added\nproperties: [{ref: gift_note}]\n";
    let repo = temp_repo(
        "version: 1\n",
        &[
            (
                "catalog.yaml",
                &std::fs::read(
                    root().join("fixtures/rules/CT202-pii-in-nonprod/valid/catalog.yaml"),
                )
                .expect("read"),
            ),
            (
                "routing.yaml",
                &std::fs::read(
                    root().join("fixtures/rules/CT202-pii-in-nonprod/valid/routing.yaml"),
                )
                .expect("read"),
            ),
            ("gift.yaml", added),
        ],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1, "{json:#}");
    let at = |code: &str| {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["code"] == code)
            .map(|f| {
                (
                    f["file"].as_str().unwrap_or_default().to_string(),
                    f["line"].as_u64().unwrap_or_default(),
                )
            })
    };
    assert_eq!(at("CT201"), Some(("gift.yaml".to_string(), 3)), "{json:#}");
    assert_eq!(
        at("CT202"),
        Some(("routing.yaml".to_string(), 22)),
        "{json:#}"
    );
}

#[test]
fn rules_lists_every_rule_and_explain_shows_the_docs() {
    let out = contrail()
        .args(["rules", "--format", "json"])
        .arg(root().join("fixtures/examples/shop"))
        .output()
        .expect("runs");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let listed: Vec<&str> = rules
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    for name in [
        "dangling-reference",
        "pii-unclassified",
        "pii-in-nonprod",
        "event-not-allowed",
    ] {
        assert!(listed.contains(&name), "{name} missing: {listed:?}");
    }
    let out = contrail()
        .args(["explain", "pii-unclassified"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("# CT201 pii-unclassified: Property without a PII classification"),
        "{text}"
    );
    assert!(
        text.contains("## Example") && text.contains("Use instead:"),
        "{text}"
    );
    let out = contrail()
        .args(["explain", "pii-unclasified"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `pii-unclassified`?"));
}

#[test]
fn policy_findings_are_identical_with_one_and_two_threads() {
    let dir = root().join("fixtures/rules/CT202-pii-in-nonprod/invalid");
    common::assert_same_output_with_one_and_two_threads(&dir, "json", |json| {
        assert!(has_finding(json, "CT202", "routing.yaml"), "{json:#}");
        assert!(has_finding(json, "CT206", "catalog.yaml"), "{json:#}");
    });
}

#[test]
fn rule_options_reach_the_policies_and_name_known_rules() {
    let policy = b"package acme.limits\n\n# METADATA\n# title: Too many properties\n# custom: {id: ACME300, name: too-many-properties}\ndeny contains f if {\n\tmax := object.get(data.contrail.config.options, [\"too-many-properties\", \"max\"], 100)\n\tsome name, e in input.events\n\tcount(e.properties) > max\n\tf := {\"rule\": \"too-many-properties\", \"msg\": sprintf(\"%s has more than %d properties\", [name, max]), \"at\": {\"kind\": \"Event\", \"name\": name}}\n}\n";
    let files: &[(&str, &[u8])] = &[("catalog.yaml", CLEAN), ("policies/limits.rego", policy)];
    let repo = temp_repo(WITH_POLICIES, files);
    let (status, _) = check_json(repo.path());
    assert_eq!(status, 0);
    let strict = "version: 1\npolicies: [\"policies/\"]\nrules: { options: { too-many-properties: { max: 0 } } }\n";
    let repo = temp_repo(strict, files);
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1);
    assert_eq!(codes(&json), ["ACME300"]);
    let typo = "version: 1\npolicies: [\"policies/\"]\nrules: { options: { too-many-propertys: { max: 0 } } }\n";
    let repo = temp_repo(typo, files);
    let stderr = stderr_of_a_run_that_cannot_start(repo.path());
    assert!(stderr.contains("did you mean `too-many-properties`?"));
}

#[test]
fn hostile_policies_fail_alone_without_taking_the_run_down() {
    let recursion = b"package acme.rec\n\nf(x) := y if {\n\ty := f(x + 1)\n}\n\ndeny contains msg if {\n\tmsg := sprintf(\"%v\", [f(1)])\n}\n";
    let allocation = b"package acme.big\n\ndeny contains msg if {\n\tcount(numbers.range(1, 1e10)) > 0\n\tmsg := \"big\"\n}\n";
    let fine = b"package acme.fine\n\ndeny contains msg if {\n\tinput.events.checkout_started\n\tmsg := \"still evaluated\"\n}\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[
            ("catalog.yaml", CLEAN),
            ("policies/rec.rego", recursion),
            ("policies/big.rego", allocation),
            ("policies/fine.rego", fine),
        ],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1, "{json:#}");
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.starts_with(
            "policy `policies/rec.rego` (acme.rec) failed: evaluation overflowed the stack"
        )),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("policy `policies/big.rego` (acme.big) failed: evaluation ran out of memory: it needs more than 4096 MiB (`limits.policy_memory` in contrail.yaml)")),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"acme.fine: still evaluated"),
        "{messages:?}"
    );
}

#[test]
fn the_policy_memory_limit_is_configurable() {
    // About 30 million numbers: fine under the 4 GiB default, not under 256 MiB.
    let growing = b"package acme.grow\n\ndeny contains msg if {\n\tcount([x | some x in numbers.range(1, 3e7)]) > 0\n\tmsg := \"grew\"\n}\n";
    let config = format!("{WITH_POLICIES}limits:\n  policy_memory: 268435456\n");
    let repo = temp_repo(
        &config,
        &[("catalog.yaml", CLEAN), ("policies/grow.rego", growing)],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1, "{json:#}");
    let failed = of_code(&json, "CT016");
    assert_eq!(failed.len(), 1, "{json:#}");
    assert_eq!(
        failed[0]["message"],
        "policy `policies/grow.rego` (acme.grow) failed: evaluation ran out of memory: it needs more than 256 MiB (`limits.policy_memory` in contrail.yaml)"
    );
}

#[test]
fn deeply_nested_literals_are_refused_before_parsing() {
    let deep = format!(
        "package acme.deep\n\nx := {}1{}\n",
        "[".repeat(40),
        "]".repeat(40)
    );
    let repo = temp_repo(
        WITH_POLICIES,
        &[
            ("catalog.yaml", CLEAN),
            ("policies/deep.rego", deep.as_bytes()),
        ],
    );
    let stderr = stderr_of_a_run_that_cannot_start(repo.path());
    assert!(
        stderr.contains("policy `policies/deep.rego`: brackets nested 17 deep at line 3"),
        "{stderr}"
    );
}

#[test]
fn a_runtime_error_names_its_reason_and_place() {
    let policy = b"package acme.rt\n\ndeny contains x if {\n\tx := 1 / 0\n}\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", CLEAN), ("policies/rt.rego", policy)],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1);
    let failed = of_code(&json, "CT016");
    assert_eq!(
        failed[0]["message"],
        "policy `policies/rt.rego` (acme.rt.deny) failed: divide by zero (at policies/rt.rego:4:12)"
    );
}
