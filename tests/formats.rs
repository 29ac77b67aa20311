//! `--format github` and `--format markdown`, the job summary, several outputs from one
//! run, and `--fail-on`. Hostile names, messages, paths and source lines must come out
//! escaped in every format, and a line of any length must not break the human report.

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

/// What a terminal, log viewer or browser would act on: ESC with CSI (clear screen), OSC 0
/// (window title) and OSC 8 (hyperlink), BEL, the one-byte C1 CSI, DEL, and the bidi
/// override, isolate and marks. Written as YAML double-quoted escapes: contrail reads the
/// characters.
const HAZARDS_YAML: &str = r"\e[2J\e]0;pwned\a\e]8;;https://evil.example\e\\link\e]8;;\e\\\x9b31m\x7f\u202E\u2066\u200F\u061C";

/// The same as Rego string escapes, for a policy's messages.
const HAZARDS_REGO: &str = r"\u001b[2J\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\\u009b31m\u007f\u202e\u2066\u200f\u061c";

/// A file name with ESC, a C1 CSI and a bidi override in it.
const HOSTILE_FILE: &str = "catalog/esc\u{1b}[31m\u{9b}\u{202e}.yaml";

/// A governance team whose name has bidi characters (allowed in names; control characters
/// are not) and whose reviewer handle has every hazard.
const HOSTILE_TEAM: &str = r"te\u202Eam\u2069";

/// A property whose name has bidi characters, with `description` and `owner` (YAML
/// double-quoted), and the hostile team.
fn hostile_resources(description: &str, owner: &str) -> String {
    format!(
        "kind: Property\nname: \"ev\\u202Eil\\u2066\"\ntype: string\npii: none\n\
         description: \"{description}\"\nowner: \"{owner}\"\n---\n\
         kind: Team\nname: \"{HOSTILE_TEAM}\"\nreviewers: [\"@org/{HAZARDS_YAML}\"]\n\
         governance: true\n"
    )
}

/// Raw hazards in a source line that findings show: a bidi override in a name, ESC, C1 and
/// DEL in the description below it.
const RAW_SOURCE: &[u8] =
    b"kind: Property\nname: \"raw\xe2\x80\xaename\"\ndescription: \"a\x1b[2J b\xc2\x9b31m c\x7f\"\ntype: string\n";

/// A policy whose title, description and message carry hazards and a property's name.
fn hostile_terminal_policy() -> String {
    format!(
        "package acme.terminal\n\n# METADATA\n# title: \"Hostile {HAZARDS_YAML} title\"\n\
         # description: \"Hostile {HAZARDS_YAML} description\"\n\
         # custom: {{id: ACME901, name: hostile-terminal, severity: warning, category: quality}}\n\
         warn contains f if {{\n\tsome name, _ in input.properties\n\
         \tf := {{\"rule\": \"hostile-terminal\", \"msg\": sprintf(\"{HAZARDS_REGO} %s\", [name]), \
         \"at\": {{\"kind\": \"Property\", \"name\": name}}}}\n}}\n"
    )
}

/// Hostile names, paths, messages, policy metadata and source lines. The base side's
/// hostile property has an unknown owner with every hazard in its name (named in a
/// finding); the head side changes its description and gives it the hostile team, so that
/// `contrail diff` shows both texts and the team as a reviewer.
fn hostile_side(head: bool) -> tempfile::TempDir {
    let (description, owner) = if head {
        (
            format!("now {HAZARDS_YAML} changed"),
            HOSTILE_TEAM.to_string(),
        )
    } else {
        (
            format!("was {HAZARDS_YAML}"),
            format!("ghost{HAZARDS_YAML}"),
        )
    };
    let resources = hostile_resources(&description, &owner);
    let policy = hostile_terminal_policy();
    temp_repo(
        "version: 1\npolicies: [\"policies/\"]\n",
        &[
            ("catalog/we%ird,na:me.yaml", CATALOG),
            ("catalog/hostile.yaml", resources.as_bytes()),
            (HOSTILE_FILE, RAW_SOURCE),
            // Not a resource file: listed with `-v`.
            ("notes\u{1b}]0;t\u{7}.yaml", b"a: 1\n"),
            ("policies/hostile.rego", HOSTILE_POLICY),
            ("policies/terminal.rego", policy.as_bytes()),
        ],
    )
}

fn hostile_repo() -> tempfile::TempDir {
    hostile_side(false)
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
    let in_catalog = |l: &&str| l.contains("file=catalog/we%25ird%2Cna%3Ame.yaml,");
    let multi_line = stdout
        .lines()
        .filter(in_catalog)
        .find(|l| l.contains("ACME900"))
        .expect("the warning on `enum`");
    assert!(
        multi_line.contains("line=5,endLine=6,") && !multi_line.contains("col="),
        "{multi_line}"
    );
    let one_line = stdout
        .lines()
        .filter(in_catalog)
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
            && added.contains(" of 17 findings shown."),
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
        let expected = format!("file={name}/catalog/");
        assert!(
            stdout.lines().all(|l| l.contains(&expected)),
            "{path}: {stdout}"
        );
        assert!(
            stdout.contains(&format!("file={name}/catalog/we%25ird%2Cna%3Ame.yaml,")),
            "{stdout}"
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

/// The control and bidi characters in `text` other than line feed and tab; with `sgr`,
/// contrail's own colour sequences (`ESC [ digits ; m`) are allowed.
fn raw_hazards(text: &str, sgr: bool) -> Vec<char> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if sgr && rest.starts_with("\u{1b}[") {
            let params = rest[2..]
                .find(|c: char| !c.is_ascii_digit() && c != ';')
                .map(|i| i + 2);
            if let Some(end) = params.filter(|&i| rest[i..].starts_with('m')) {
                rest = &rest[end + 1..];
                continue;
            }
        }
        let bidi = matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            found.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    found
}

/// stdout and stderr of `contrail ARGS` in `dir`, checked for raw hazards.
fn run_clean(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = contrail()
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(args)
        .output()
        .expect("contrail runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let sgr = args.contains(&"always");
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        let raw = raw_hazards(text, sgr);
        assert!(
            raw.is_empty(),
            "contrail {args:?}: raw {raw:?} in {name}:\n{text}"
        );
    }
    (out.status.code().expect("exit code"), stdout, stderr)
}

const CHECK_FORMATS: [&str; 5] = ["human", "json", "sarif", "github", "markdown"];

#[test]
fn no_raw_control_or_bidi_character_reaches_any_check_output() {
    let repo = hostile_repo();
    let dir = repo.path();
    for format in CHECK_FORMATS {
        for color in ["never", "always"] {
            let (status, stdout, stderr) = run_clean(
                dir,
                &["check", ".", "-v", "--format", format, "--color", color],
            );
            assert_eq!(status, 1, "{format}: {stdout}{stderr}");
        }
    }
    let (_, human, stderr) = run_clean(dir, &["check", ".", "-v", "--color", "never"]);
    // Shown escaped: the policy message, the unknown owner, the file name, the raw source
    // line and the skipped file.
    for shown in [
        r"\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]8;;https://evil.example\u{1b}\link",
        r"\u{9b}31m\u{7f}\u{202e}\u{2066}\u{200f}\u{61c}",
        r"Team `ghost\u{1b}[2J",
        r"catalog/esc\u{1b}[31m\u{9b}\u{202e}.yaml:2:7",
        r#"name: "raw\u{202e}name""#,
        r#"description: "a\u{1b}[2J b\u{9b}31m c\u{7f}""#,
    ] {
        assert!(human.contains(shown), "{shown} in {human}");
    }
    assert!(
        stderr.contains(r"skipped ./notes\u{1b}]0;t\u{7}.yaml"),
        "{stderr}"
    );
    // JSON keeps the text, every hazard as a `\u` escape.
    let (_, json, _) = run_clean(dir, &["check", ".", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let messages: Vec<&str> = parsed["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("\u{1b}[2J\u{1b}]0;pwned\u{7}")),
        "{messages:?}"
    );
    assert!(
        json.contains(r"\u009b31m\u007f\u202e\u2066\u200f\u061c"),
        "{json}"
    );
}

#[test]
fn no_raw_control_or_bidi_character_reaches_the_reviewer_diff() {
    let base = hostile_side(false);
    let head = hostile_side(true);
    let base_dir = base.path().to_str().expect("UTF-8 path");
    for format in ["human", "markdown", "json"] {
        for color in ["never", "always"] {
            let (status, stdout, stderr) = run_clean(
                head.path(),
                &[
                    "diff", ".", "--base", base_dir, "--format", format, "--color", color,
                ],
            );
            assert_eq!(status, 0, "{format}: {stdout}{stderr}");
        }
    }
    for format in CHECK_FORMATS {
        let (status, stdout, stderr) = run_clean(
            head.path(),
            &["check", ".", "--base", base_dir, "--format", format],
        );
        assert_eq!(status, 1, "{format}: {stdout}{stderr}");
    }
    let (_, diff, _) = run_clean(
        head.path(),
        &["diff", ".", "--base", base_dir, "--color", "never"],
    );
    for shown in [
        r"te\u{202e}am\u{2069} (governance) @org/\u{1b}[2J",
        r"now \u{1b}[2J",
        r"was \u{1b}[2J",
        r"ev\u{202e}il\u{2066}",
    ] {
        assert!(diff.contains(shown), "{shown} in {diff}");
    }
}

#[test]
fn user_policy_metadata_and_configuration_errors_are_escaped() {
    let repo = hostile_repo();
    let (_, rules, _) = run_clean(repo.path(), &["rules", "."]);
    assert!(
        rules.contains(r"Hostile \u{1b}[2J\u{1b}]0;pwned"),
        "{rules}"
    );
    run_clean(repo.path(), &["rules", ".", "--format", "json"]);
    let (status, explain, _) = run_clean(repo.path(), &["explain", "hostile-terminal"]);
    assert_eq!(status, 0, "{explain}");
    assert!(
        explain.contains(r"Hostile \u{1b}[2J\u{1b}]0;pwned\u{7}"),
        "{explain}"
    );
    run_clean(repo.path(), &["test", "."]);

    let invalid = temp_repo(&format!("version: 1\n\"x{HAZARDS_YAML}\": 1\n"), &[]);
    let (status, _, stderr) = run_clean(invalid.path(), &["check", "."]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains(r"`x\u{1b}[2J"), "{stderr}");

    let unreadable_base = temp_repo(&format!("version: 1\nbase: \"no/{HAZARDS_YAML}\"\n"), &[]);
    let (_, _, stderr) = run_clean(unreadable_base.path(), &["check", "."]);
    assert!(stderr.contains(r"note: `base: no/\u{1b}[2J"), "{stderr}");
    let (status, _, stderr) = run_clean(unreadable_base.path(), &["diff", "."]);
    assert_eq!(status, 2, "{stderr}");
}

/// A line of 12,000 enum values: over 84,000 columns.
fn wide_values() -> String {
    (0..12_000)
        .map(|i| format!("v{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn a_finding_past_column_65535_is_reported_with_its_line_cut() {
    let values = wide_values();
    let flow =
        format!("{{kind: Property, name: wide, type: string, enum: [{values}], bogus: 1}}\n");
    let syntax =
        format!("{{kind: Property, name: broken, type: string, enum: [{values}], : ]]}}\n");
    let long_key = format!(
        "kind: Property\nname: long_key\ntype: string\n{}: 1\n",
        "k".repeat(70_000)
    );
    // A rule name as long, in a policy's METADATA, for `contrail rules`.
    let policy = format!(
        "package acme.wide\n\n# METADATA\n# title: Wide\n\
         # custom: {{id: ACME902, name: {}, severity: info, category: quality}}\n\
         info contains f if {{\n\tfalse\n\tf := \"x\"\n}}\n",
        "w".repeat(70_000)
    );
    let repo = temp_repo(
        "version: 1\npolicies: [\"policies/\"]\n",
        &[
            ("flow.yaml", flow.as_bytes()),
            ("syntax.yaml", syntax.as_bytes()),
            ("key.yaml", long_key.as_bytes()),
            ("policies/wide.rego", policy.as_bytes()),
        ],
    );
    let (status, rules, stderr) = run_clean(repo.path(), &["rules", "."]);
    assert_eq!(status, 0, "{stderr}");
    assert!(rules.contains("ACME902"), "{rules}");
    let (_, json, _) = run_clean(repo.path(), &["check", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let past = |code: &str, file: &str| {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["code"] == code && f["file"] == file && f["column"].as_u64() > Some(65_535))
    };
    assert!(
        past("CT006", "flow.yaml") && past("CT001", "syntax.yaml"),
        "{json}"
    );
    for format in CHECK_FORMATS {
        for color in ["never", "always"] {
            let (status, stdout, stderr) = run_clean(
                repo.path(),
                &["check", ".", "--format", format, "--color", color],
            );
            assert_eq!(status, 1, "{format}: {stderr}");
            assert!(!stderr.contains("panicked"), "{format}: {stderr}");
            if format == "human" {
                // Each finding's snippet is cut: no source line is drawn whole.
                assert!(stdout.matches("…").count() >= 3, "{stdout}");
                let longest = stdout.lines().map(|l| l.chars().count()).max();
                assert!(longest < Some(400), "{longest:?}");
            }
        }
    }
}

/// Backticked names in messages and help are code spans in the Markdown report (they used
/// to show as literal backticks); a fence is chosen longer than any backtick run inside,
/// `|` stays in its cell, and everything outside code stays escaped, unbalanced backticks
/// included. A name with a backtick in it pairs the backticks differently, and the table
/// still holds.
#[test]
fn markdown_renders_backticked_spans_as_code() {
    let policy = br#"package acme.code

# METADATA
# title: Code in messages
# custom: {id: ACME903, name: code-message, severity: warning, category: quality}
warn contains f if {
	some name, _ in input.properties
	f := {"rule": "code-message", "msg": sprintf("set `%s` to `a|b` or ``x`y``, not <i>*this*</i> `open", [name]), "at": {"kind": "Property", "name": name}, "help": "write `description: \"City code: three letters\"`"}
}
"#;
    let repo = temp_repo(
        "version: 1\npolicies: [\"policies/\"]\n",
        &[
            (
                "p.yaml",
                b"kind: Property\nname: \"we|ird<b>\"\ntype: string\npii: none\n",
            ),
            (
                "q.yaml",
                b"kind: Property\nname: \"x`y|`\"\ntype: string\npii: none\n",
            ),
            ("policies/code.rego", policy),
        ],
    );
    let (_, markdown, stderr) = run_clean(repo.path(), &["check", ".", "--format", "markdown"]);
    let row = markdown
        .lines()
        .find(|l| l.contains("ACME903"))
        .unwrap_or_else(|| panic!("{markdown}{stderr}"));
    assert_eq!(
        row,
        "| warning | ACME903 code-message | p.yaml:2:7 | set `we\\|ird<b>` to `a\\|b` or ``x`y``, \
         not &lt;i&gt;\\*this\\*&lt;/i&gt; \\`open<br>help: write `description: \"City code: \
         three letters\"` |"
    );
    let rows: Vec<&str> = markdown.lines().filter(|l| l.starts_with("| ")).collect();
    assert!(
        rows.iter().any(|r| r.contains("| q.yaml:2:7 | set `x`")),
        "{markdown}"
    );
    for row in rows {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 5, "a message broke the table: {row}");
    }
}
