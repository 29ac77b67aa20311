//! The policy input is built for speed (issue 15); the findings must not change with it.
//! `fixtures/bench/issue-seeded/` is `bench/generate.py --shape issue --seeded` at 100 events
//! (`base`, and `head` with `--changed`): clean at scale, with one fault per built-in package.
//! The expected outputs in `tests/data/bench/` were written by main's binary before the input
//! changed (first 0a3cd95; rewritten with 65d161f once main's own output had changed on
//! purpose: finding locations, labels, migration helps); the commands are in each test.

mod common;

use std::path::Path;

use common::{contrail, copy_dir, root};

const BASE: &str = "fixtures/bench/issue-seeded/base";
const HEAD: &str = "fixtures/bench/issue-seeded/head";

fn expected(name: &str) -> String {
    let path = root().join("tests/data/bench").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `contrail ARGS` run in `cwd`: its stdout.
fn stdout_of(cwd: &Path, args: &[&str]) -> String {
    let out = contrail()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("contrail runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `contrail check --format json --base BASE HEAD`
#[test]
fn check_with_a_base_finds_what_it_found_before() {
    let args = ["check", "--format", "json", "--base", BASE, HEAD];
    assert_eq!(
        stdout_of(&root(), &args),
        expected("issue-seeded.check.json")
    );
}

/// `contrail check --format markdown --base BASE HEAD`: findings and the reviewer diff,
/// which asks `contrail.compat` and `contrail.governance` over the same input.
#[test]
fn markdown_report_with_the_reviewer_diff_is_what_it_was() {
    let args = ["check", "--format", "markdown", "--base", BASE, HEAD];
    assert_eq!(stdout_of(&root(), &args), expected("issue-seeded.check.md"));
}

/// `contrail diff --format json --base BASE HEAD`
#[test]
fn reviewer_diff_is_what_it_was() {
    let args = ["diff", "--format", "json", "--base", BASE, HEAD];
    assert_eq!(
        stdout_of(&root(), &args),
        expected("issue-seeded.diff.json")
    );
}

/// HEAD copied to `hp/` with `bench/policies/` under `policies/` and `contrail.yaml` set to
/// `version: 1` + `policies: ["policies/"]`; `contrail check --format json --base BASE hp`,
/// run in the parent of `hp` (BASE absolute).
#[test]
fn user_policies_find_what_they_found_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("hp");
    copy_dir(&root().join(HEAD), &repo);
    std::fs::create_dir_all(repo.join("policies")).expect("policies dir");
    std::fs::copy(
        root().join("bench/policies/acme.rego"),
        repo.join("policies/acme.rego"),
    )
    .expect("policy copied");
    std::fs::write(
        repo.join("contrail.yaml"),
        "version: 1\npolicies: [\"policies/\"]\n",
    )
    .expect("config written");
    let base = root().join(BASE);
    let base = base.to_str().expect("UTF-8 path");
    let args = ["check", "--format", "json", "--base", base, "hp"];
    assert_eq!(
        stdout_of(dir.path(), &args),
        expected("issue-seeded.user-policies.json")
    );
}
