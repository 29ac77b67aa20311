//! `--format github` and `--format markdown`, the job summary, several outputs from one
//! run, and `--fail-on`. Hostile names and messages must come out escaped.

mod common;

use std::path::Path;

use common::{contrail, root, temp_repo};

/// A policy whose messages carry newlines, `%`, `:`, `,` and Markdown/HTML, one warning on a
/// span over several lines and one info whose code has `,`, `:` and `%` in it.
const HOSTILE_POLICY: &[u8] = br#"package acme.hostile

# METADATA
# title: Hostile message
# custom: {id: ACME900, name: hostile-message, severity: warning, category: quality}
warn contains f if {
	some name, _ in input.properties
	f := {"rule": "hostile-message", "msg": "line one: 100% sure, really\r\nline two | <b>bold</b> *x* [link](http://x) `code` $m$", "at": {"kind": "Property", "name": name, "field": "enum"}}
}

# METADATA
# title: Hostile code
# custom: {id: "ACME,9:0%", name: hostile-code, severity: info, category: quality}
info contains f if {
	some name, _ in input.properties
	f := {"rule": "hostile-code", "msg": "::error::not a command", "at": {"kind": "Property", "name": name}}
}
"#;

const CATALOG: &[u8] = b"kind: Property\nname: phone\ntype: string\nenum:\n  - a\n  - b\n";

fn hostile_repo() -> tempfile::TempDir {
    temp_repo(
        "version: 1\npolicies: [\"policies/\"]\n",
        &[
            ("catalog/we%ird,na:me.yaml", CATALOG),
            ("policies/hostile.rego", HOSTILE_POLICY),
        ],
    )
}

/// `contrail check . ARGS` run in `dir`, without a job summary unless `summary` is given.
fn check(dir: &Path, args: &[&str], summary: Option<&Path>) -> (i32, String, String) {
    let mut cmd = contrail();
    cmd.current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["check", "."])
        .args(args);
    if let Some(summary) = summary {
        cmd.env("GITHUB_STEP_SUMMARY", summary);
    }
    let out = cmd.output().expect("contrail runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn github_annotations_escape_hostile_names_and_messages() {
    let repo = hostile_repo();
    let summary = tempfile::NamedTempFile::new().expect("summary file");
    std::fs::write(summary.path(), "earlier step output\n").expect("prefill");
    let (status, stdout, stderr) =
        check(repo.path(), &["--format", "github"], Some(summary.path()));
    assert_eq!(status, 1, "{stdout}{stderr}");
    // One line per finding: no raw newline or CR survives inside a command.
    for line in stdout.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
        assert!(!line.contains('\r'), "{line}");
    }
    insta::assert_snapshot!("github_hostile", stdout);
    let summary = std::fs::read_to_string(summary.path()).expect("summary written");
    assert!(
        summary.starts_with("earlier step output\n## "),
        "appended: {summary}"
    );
    insta::assert_snapshot!("github_hostile_summary", summary);

    let (_, markdown, _) = check(repo.path(), &["--format", "markdown"], None);
    assert_eq!(format!("earlier step output\n{markdown}"), summary);
}

#[test]
fn columns_only_for_spans_on_one_line() {
    let repo = hostile_repo();
    let (_, stdout, _) = check(repo.path(), &["--format", "github"], None);
    let multi_line = stdout
        .lines()
        .find(|l| l.contains("ACME900"))
        .expect("the warning on `enum`");
    assert!(
        multi_line.contains("line=5,endLine=6,") && !multi_line.contains("col="),
        "{multi_line}"
    );
    let one_line = stdout
        .lines()
        .find(|l| l.contains("CT201"))
        .expect("the error on `name`");
    assert!(
        one_line.contains("line=2,col=7,endLine=2,endColumn=12,"),
        "{one_line}"
    );
}

#[test]
fn no_job_summary_without_the_variable_or_outside_github_format() {
    let repo = hostile_repo();
    let summary = tempfile::NamedTempFile::new().expect("summary file");
    check(repo.path(), &["--format", "json"], Some(summary.path()));
    check(repo.path(), &["--format", "github"], None);
    assert_eq!(std::fs::read_to_string(summary.path()).expect("read"), "");
}

#[test]
fn the_job_summary_stays_within_the_step_limit_and_says_it_was_cut() {
    let repo = hostile_repo();
    let summary = tempfile::NamedTempFile::new().expect("summary file");
    let limit = 1 << 20;
    std::fs::write(summary.path(), "x".repeat(limit - 700)).expect("prefill");
    let (status, _, stderr) = check(repo.path(), &["--format", "github"], Some(summary.path()));
    assert_eq!(status, 1, "{stderr}");
    let written = std::fs::read_to_string(summary.path()).expect("read");
    assert!(written.len() <= limit, "{}", written.len());
    let added = &written[limit - 700..];
    assert!(added.starts_with("## "), "{added}");
    assert!(
        added.contains("> **Report truncated** to fit the job summary's size limit: ")
            && added.contains(" of 5 findings shown."),
        "{added}"
    );
}

#[test]
fn one_run_writes_sarif_markdown_and_json_beside_stdout() {
    let repo = hostile_repo();
    let out = tempfile::tempdir().expect("out dir");
    let file = |name: &str| out.path().join(name).to_string_lossy().into_owned();
    let (status, stdout, stderr) = check(
        repo.path(),
        &[
            "--format",
            "github",
            "--sarif",
            &file("contrail.sarif"),
            "--markdown",
            &file("report.md"),
            "--json",
            &file("report.json"),
        ],
        None,
    );
    assert_eq!(status, 1, "{stderr}");
    let (_, github, _) = check(repo.path(), &["--format", "github"], None);
    assert_eq!(stdout, github);
    for (name, format) in [
        ("contrail.sarif", "sarif"),
        ("report.md", "markdown"),
        ("report.json", "json"),
    ] {
        let written = std::fs::read_to_string(out.path().join(name)).expect("written");
        let (_, alone, _) = check(repo.path(), &["--format", format], None);
        assert_eq!(written, alone, "{name} is what --format {format} prints");
    }
}

#[test]
fn an_output_file_that_cannot_be_written_is_exit_2() {
    let repo = hostile_repo();
    let (status, stdout, stderr) = check(
        repo.path(),
        &["--format", "json", "--sarif", "no/such/dir/contrail.sarif"],
        None,
    );
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("error: cannot write `no/such/dir/contrail.sarif`"),
        "{stderr}"
    );
    assert!(stdout.starts_with('{'), "stdout still has the report");
}

#[test]
fn fail_on_sets_the_lowest_severity_that_exits_1() {
    let warnings_only = temp_repo(
        "version: 1\n",
        &[(
            "catalog.yaml",
            b"kind: Property\nname: phone\ntype: string\npii: none\n",
        )],
    );
    let errors = hostile_repo();
    let cases: &[(&Path, &str, i32)] = &[
        (warnings_only.path(), "error", 0),
        (warnings_only.path(), "warning", 1),
        (warnings_only.path(), "info", 1),
        (warnings_only.path(), "never", 0),
        (errors.path(), "error", 1),
        (errors.path(), "never", 0),
    ];
    for (dir, fail_on, expected) in cases {
        let (status, stdout, _) = check(dir, &["--format", "json", "--fail-on", fail_on], None);
        assert_eq!(status, *expected, "--fail-on {fail_on}: {stdout}");
    }
    let (default, _, _) = check(warnings_only.path(), &[], None);
    assert_eq!(default, 0, "default is --fail-on error");
    let missing = contrail()
        .args(["check", "--fail-on", "never", "no/such/dir"])
        .output()
        .expect("contrail runs");
    assert_eq!(
        missing.status.code(),
        Some(2),
        "never does not hide a run that could not start"
    );
}

#[test]
fn annotation_paths_are_relative_to_the_current_directory() {
    let repo = hostile_repo();
    let parent = repo.path().parent().expect("parent");
    let name = repo.path().file_name().expect("name").to_string_lossy();
    for path in [name.to_string(), repo.path().to_string_lossy().into_owned()] {
        let out = contrail()
            .current_dir(parent)
            .env_remove("GITHUB_STEP_SUMMARY")
            .args(["check", "--format", "github", &path])
            .output()
            .expect("contrail runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let expected = format!("file={name}/catalog/we%25ird%2Cna%3Ame.yaml,");
        assert!(
            stdout.lines().all(|l| l.contains(&expected)),
            "{path}: {stdout}"
        );
    }
}

#[test]
fn with_a_base_the_job_summary_and_markdown_carry_the_reviewer_diff() {
    let flagship = root().join("fixtures/compat/flagship");
    let base = flagship.join("base");
    let base = base.to_str().expect("UTF-8 path");
    let summary = tempfile::NamedTempFile::new().expect("summary file");
    let head = flagship.join("head");
    let (status, annotations, stderr) = check(
        &head,
        &["--format", "github", "--base", base],
        Some(summary.path()),
    );
    assert_eq!(status, 1, "{annotations}{stderr}");
    let written = std::fs::read_to_string(summary.path()).expect("summary written");
    let (_, markdown, _) = check(&head, &["--format", "markdown", "--base", base], None);
    assert_eq!(written, markdown, "the job summary is the Markdown report");
    let findings = markdown.find("| error | CT402 breaking-change |");
    let diff = markdown.find("\n## 🔴 Breaking changes against ");
    assert!(
        matches!((findings, diff), (Some(f), Some(d)) if f < d),
        "findings, then the reviewer diff: {markdown}"
    );
    assert!(markdown.contains("**Required reviewers:**"), "{markdown}");
    assert!(markdown.contains("- **Migration** ("), "{markdown}");
    // Without a base there is no diff to show.
    let (_, alone, _) = check(&head, &["--format", "markdown"], None);
    assert!(!alone.contains("Breaking changes against"), "{alone}");
}
