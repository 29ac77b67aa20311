//! The rule registry is consistent: codes, names, categories, docs and fixtures.

mod common;

use std::collections::BTreeSet;

use contrail::rules::{find, RuleMeta};

/// Rust rules and the built-in policies' rules.
fn all_rules() -> Vec<&'static RuleMeta> {
    contrail::builtin_rules()
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for rule in all_rules() {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        let digits: Vec<char> = rule.code.trim_start_matches("CT").chars().collect();
        assert_eq!(rule.code.len(), 5, "{}: codes are CT + 3 digits", rule.code);
        assert!(digits.iter().all(char::is_ascii_digit), "{}", rule.code);
        assert_eq!(
            digits[0],
            rule.category.digit(),
            "{}: first digit is the category",
            rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: kebab-case",
            rule.name
        );
        for banned in ["use-", "avoid-", "prefer-", "require-", "no-"] {
            assert!(
                !rule.name.starts_with(banned),
                "{}: names say what is flagged",
                rule.name
            );
        }
        let all = all_rules();
        assert!(find(&all, rule.code).is_some_and(|r| r.name == rule.name));
        assert!(find(&all, rule.name).is_some_and(|r| r.code == rule.code));
    }
    let rust: Vec<&str> = contrail::rust_rules().iter().map(|r| r.code).collect();
    let mut sorted = rust.clone();
    sorted.sort();
    assert_eq!(rust, sorted, "the Rust rules are listed by code");
}

#[test]
fn every_rule_has_docs() {
    for rule in all_rules() {
        let docs = rule.docs_markdown();
        for heading in ["## What it does", "## Why is this bad?"] {
            assert!(
                docs.contains(heading),
                "{}: docs lack `{heading}`",
                rule.name
            );
        }
        assert!(
            !rule.summary.is_empty() && !rule.summary.ends_with('.'),
            "{}: summary",
            rule.name
        );
    }
}

#[test]
fn every_rule_has_fixtures_and_every_fixture_a_rule() {
    let dir = common::root().join("fixtures/rules");
    let found: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("fixtures/rules")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = all_rules()
        .iter()
        .map(|r| format!("{}-{}", r.code, r.name))
        .collect();
    assert_eq!(found, expected);
    for name in &expected {
        for side in ["valid", "invalid"] {
            let side = dir.join(name).join(side);
            let pair = side.join("head").join("contrail.yaml").is_file()
                && side.join("base").join("contrail.yaml").is_file();
            assert!(
                side.join("contrail.yaml").is_file() || pair,
                "{}: a contract, or a base/ and head/ pair",
                side.display()
            );
        }
    }
}

/// The codes of every `declare_rule!` under `dir`.
fn declared_codes(dir: &std::path::Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            declared_codes(&path, out);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        for block in text.split("declare_rule! {").skip(1) {
            let code = block
                .split("code: \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("a declare_rule! block has a code");
            out.insert(code.to_string());
        }
    }
}

#[test]
fn every_declared_rust_rule_is_registered() {
    let mut declared = BTreeSet::new();
    declared_codes(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut declared,
    );
    let registered: BTreeSet<String> = contrail::rust_rules()
        .iter()
        .map(|r| r.code.to_string())
        .collect();
    assert_eq!(
        declared, registered,
        "a rule declared with declare_rule! is missing from its stage's RULES (or checks::CHECKS)"
    );
}

#[test]
fn the_rules_of_a_run_with_only_builtins_are_the_shipped_rules() {
    let root = std::path::Path::new("fixtures/examples/shop");
    let policies = contrail::policies(root, root, false).expect("the built-ins load");
    let of_run: Vec<&str> = contrail::rules_of_run(&policies)
        .iter()
        .map(|r| r.code)
        .collect();
    let shipped: Vec<&str> = contrail::builtin_rules().iter().map(|r| r.code).collect();
    assert_eq!(of_run, shipped);
}
