//! The `check` command end to end: the shop example, exit codes, and hostile input. Each bad
//! input is a finding naming the file and line (exit 1) or a clear error (exit 2).

mod common;

use std::path::Path;

use common::{check_human, check_json, contrail, has_finding, root, temp_repo, without_timing};
use serde_json::Value;

/// Bad-input cases use an explicit include, so nothing is skipped as "not a resource file".
const EXPLICIT: &str = "version: 1\ninclude: [\"**/*.yaml\"]\n";

#[test]
fn shop_example_is_clean_and_prints_the_summary() {
    let out = check_human(&root(), "fixtures/examples/shop");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("contrail: no findings in 24 files, 39 events, 107 properties ("),
        "{stdout}"
    );
}

#[test]
fn human_output_shows_path_line_column_code_and_snippet_without_colour() {
    let repo = temp_repo(
        "version: 1\n",
        &[(
            "catalog/events.yaml",
            b"kind: Event\nname: checkout_started\nowner: checkout\ndescription: Checkout opened.\n",
        )],
    );
    let out = contrail()
        .current_dir(repo.path())
        .args(["check", "."])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !stdout.contains('\u{1b}'),
        "no ANSI escapes when piped: {stdout}"
    );
    insta::assert_snapshot!(without_timing(&stdout));
}

/// The first finding of a one-file bad input: (code, file, line).
fn first_finding(json: &Value) -> (String, String, u64) {
    let f = &json["findings"][0];
    (
        f["code"].as_str().unwrap_or_default().to_string(),
        f["file"].as_str().unwrap_or_default().to_string(),
        f["line"].as_u64().unwrap_or_default(),
    )
}

fn assert_bad_input(name: &str, content: &[u8], code: &str, line: u64) {
    let repo = temp_repo(EXPLICIT, &[(name, content)]);
    assert_bad_repo(repo.path(), name, code, line);
}

fn assert_bad_repo(dir: &Path, name: &str, code: &str, line: u64) {
    let (status, json) = check_json(dir);
    assert_eq!(status, 1, "{name}: {json:#}");
    assert_eq!(
        first_finding(&json),
        (code.to_string(), name.to_string(), line),
        "{json:#}"
    );
    assert!(json["findings"][0]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

#[test]
fn broken_yaml() {
    assert_bad_input(
        "broken.yaml",
        b"kind: Property\nname: [email\ntype: string\n",
        "CT001",
        3,
    );
}

#[test]
fn tabs_for_indentation() {
    assert_bad_input(
        "tabs.yaml",
        b"kind: Property\nname: a\n\ttype: string\n",
        "CT001",
        3,
    );
}

#[test]
fn duplicate_keys_point_at_the_second_and_name_the_first() {
    let repo = temp_repo(
        EXPLICIT,
        &[(
            "dup.yaml",
            b"kind: Property\nname: a\ntype: string\nname: b\n",
        )],
    );
    assert_bad_repo(repo.path(), "dup.yaml", "CT001", 4);
    let (_, json) = check_json(repo.path());
    assert_eq!(json["findings"][0]["related"][0]["line"], 2);
}

#[test]
fn alias_bomb_fails_fast_in_bounded_memory() {
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let repo = temp_repo(EXPLICIT, &[("bomb.yaml", bomb.as_bytes())]);
    let binary = assert_cmd::cargo::cargo_bin("contrail");
    // 1 GiB of address space: a billion-laughs expansion would need far more.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" check --format json \"$1\"")
        .arg(&binary)
        .arg(repo.path())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let (code, file, _) = first_finding(&json);
    assert_eq!(
        (code.as_str(), file.as_str()),
        ("CT003", "bomb.yaml"),
        "{json:#}"
    );
}

#[test]
fn nesting_ten_thousand_deep() {
    let sequences = format!("{}x\n", "- ".repeat(10_000));
    assert_bad_input("sequences.yaml", sequences.as_bytes(), "CT003", 1);
    let mappings: String = (0..1_000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    assert_bad_input("mappings.yaml", mappings.as_bytes(), "CT003", 65);
    let flow = "[".repeat(10_000);
    assert_bad_input("flow.yaml", flow.as_bytes(), "CT001", 1);
}

#[test]
fn invalid_utf8() {
    assert_bad_input(
        "latin1.yaml",
        b"kind: Property\nname: caf\xe9\ntype: string\n",
        "CT002",
        2,
    );
}

#[test]
fn binary_file_with_a_yaml_name() {
    assert_bad_input(
        "image.yaml",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "CT002",
        1,
    );
}

#[test]
fn file_over_the_size_limit() {
    let repo = temp_repo(EXPLICIT, &[]);
    // Sparse: 100 MiB on paper, nothing on disk.
    let file = std::fs::File::create(repo.path().join("huge.yaml")).expect("create");
    file.set_len(100 << 20).expect("set_len");
    assert_bad_repo(repo.path(), "huge.yaml", "CT003", 1);
    let (_, json) = check_json(repo.path());
    let message = json["findings"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("104857600 bytes") && message.contains("limits.file_size"),
        "{message}"
    );
}

#[test]
fn empty_file() {
    assert_bad_input("empty.yaml", b"", "CT013", 1);
}

#[test]
fn document_that_is_a_list_or_a_scalar() {
    assert_bad_input("list.yaml", b"- kind: Property\n  name: a\n", "CT013", 1);
    assert_bad_input("scalar.yaml", b"just some text\n", "CT013", 1);
}

#[test]
fn default_include_skips_files_without_kind_but_lists_them_with_verbose() {
    let repo = temp_repo(
        "version: 1\n",
        &[
            ("docker-compose.yaml", b"services: {}\n"),
            ("empty.yml", b""),
            ("list.yaml", b"- a\n"),
        ],
    );
    let out = contrail()
        .args(["check", "-v"])
        .arg(repo.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["docker-compose.yaml", "empty.yml", "list.yaml"] {
        assert!(stderr.contains(name), "{name} not listed: {stderr}");
    }
}

#[test]
fn symlink_loop() {
    let repo = temp_repo(EXPLICIT, &[]);
    std::os::unix::fs::symlink("loop.yaml", repo.path().join("loop.yaml")).expect("symlink");
    std::fs::create_dir(repo.path().join("dir")).expect("mkdir");
    std::os::unix::fs::symlink("..", repo.path().join("dir/up")).expect("symlink");
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1, "{json:#}");
    assert!(has_finding(&json, "CT002", "loop.yaml"), "{json:#}");
    assert!(has_finding(&json, "CT002", "dir/up"), "{json:#}");
}

#[test]
fn file_that_cannot_be_read() {
    let repo = temp_repo(EXPLICIT, &[]);
    std::os::unix::fs::symlink("does-not-exist", repo.path().join("gone.yaml")).expect("symlink");
    assert_bad_repo(repo.path(), "gone.yaml", "CT002", 1);
    // Permissions do not stop root; the case is only meaningful for other users.
    let locked = repo.path().join("locked.yaml");
    std::fs::write(&locked, "kind: Team\nname: t\n").expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_err() {
        let (_, json) = check_json(repo.path());
        assert!(has_finding(&json, "CT002", "locked.yaml"), "{json:#}");
    }
}

#[test]
fn path_that_does_not_exist_is_exit_2() {
    let out = contrail()
        .args(["check", "no/such/dir"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`no/such/dir` does not exist"), "{stderr}");
}

#[test]
fn missing_contrail_yaml_is_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = contrail()
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no contrail.yaml"));
}

#[test]
fn invalid_contrail_yaml_reports_every_problem_at_its_line_and_exits_2() {
    let repo = temp_repo(
        "version: 2\ninclude: [\"a/[\"]\nrules:\n  disable: [dangling-referense]\n  severity: { unknown-kind: loud }\nlimit: {}\n",
        &[],
    );
    let out = contrail()
        .current_dir(repo.path())
        .args(["check", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_run_goes_on_after_a_bad_file() {
    let repo = temp_repo(
        EXPLICIT,
        &[
            ("a_broken.yaml", b"kind: [\n"),
            (
                "b_event.yaml",
                b"kind: Event\nname: e\nproperties: [{ref: missing}]\n",
            ),
        ],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1);
    let errors: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| f["code"].as_str())
        .collect();
    // `missing` may be defined in the broken file: the syntax error is the one error, and
    // one note says what was held back.
    assert_eq!(errors, ["CT001"], "{json:#}");
    let note = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "CT017")
        .expect("the note on held-back findings");
    assert!(
        note["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("held back 1 finding ") && m.contains("`a_broken.yaml`")),
        "{note:#}"
    );
}

#[test]
fn output_is_identical_with_one_and_two_threads() {
    let dir = root().join("fixtures/rules/CT004-dangling-reference/invalid");
    common::assert_same_output_with_one_and_two_threads(&dir, "json", |json| {
        assert!(has_finding(json, "CT004", "catalog.yaml"), "{json:#}");
        assert!(has_finding(json, "CT004", "identity.yaml"), "{json:#}");
    });
}

#[test]
fn gitignored_hidden_and_excluded_files_are_not_read() {
    let broken: &[u8] = b"kind: Property\nname: [broken\n";
    let repo = temp_repo(
        "version: 1\nexclude: [\"vendor/**\"]\n",
        &[
            (".gitignore", b"generated/\n*.tmp.yaml\n"),
            ("generated/events.yaml", broken),
            ("scratch.tmp.yaml", broken),
            (".github/workflows/ci.yaml", broken),
            ("vendor/plan.yaml", broken),
            ("events.yaml", b"kind: ConsentPurpose\nname: analytics\n"),
        ],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 0, "{json:#}");
    assert_eq!(json["summary"]["files"], 1, "{json:#}");
    // Without the rules that keep them out, the same files are read (and fail).
    std::fs::remove_file(repo.path().join(".gitignore")).expect("rm");
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1);
    assert!(
        has_finding(&json, "CT001", "generated/events.yaml"),
        "{json:#}"
    );
    assert!(has_finding(&json, "CT001", "scratch.tmp.yaml"), "{json:#}");
    assert!(!has_finding(&json, "CT001", "vendor/plan.yaml"), "{json:#}");
}

#[test]
fn stats_reports_coverage_as_a_table_json_and_the_check_summary() {
    let shop = root().join("fixtures/examples/shop");
    let out = contrail()
        .args(["stats", "--format", "json"])
        .arg(&shop)
        .output()
        .expect("runs");
    let stats: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let kpi = |k: &str| (stats[k]["covered"].as_u64(), stats[k]["total"].as_u64());
    assert_eq!(kpi("pii_classified"), (Some(107), Some(107)));
    assert_eq!(kpi("consent_metadata"), (Some(10), Some(21)));
    assert_eq!(kpi("residency"), (Some(4), Some(21)));
    assert_eq!(kpi("event_owners"), (Some(39), Some(39)));
    let table = contrail().arg("stats").arg(&shop).output().expect("runs");
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("personal properties with consent or lawful basis       10     21    47.6"),
        "{table}"
    );
    let out = check_human(&root(), "fixtures/examples/shop");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.trim_end().ends_with(
            "coverage: PII 100%, consent 48%, residency 19%, owners 100%, descriptions 100%"
        ),
        "{stdout}"
    );
    let (_, json) = check_json(&shop);
    assert_eq!(json["stats"], stats);
}

/// One syntax error is one error: the names the broken file may define or use are not
/// reported missing, unused or unrouted (seen: 39 errors for one unquoted colon).
#[test]
fn one_syntax_error_gives_exactly_one_error() {
    assert_one_error_and_absence_held_back(&[
        (
            "properties/customer.yaml",
            "description: Customer email address as entered at sign-up, newsletter or checkout.",
            "description: Customer email: as entered at sign-up",
            "CT001",
        ),
        (
            "routing/pipelines.yaml",
            "kind: Pipeline",
            "kind: Pipeline\nname: [unclosed",
            "CT001",
        ),
    ]);
}

/// A document that parses but is not read as written (a misspelt key, an unknown kind) leaves
/// names undefined or unused as surely as a syntax error: its one error, and no false ones.
#[test]
fn one_misread_document_gives_exactly_one_error() {
    assert_one_error_and_absence_held_back(&[
        (
            "routing/pipelines.yaml",
            "destinations: [ad_sandbox]",
            "destinatons: [ad_sandbox]",
            "CT006",
        ),
        (
            "properties/customer.yaml",
            "kind: Property",
            "kind: Propery",
            "CT005",
        ),
    ]);
}

/// A file over `limits.file_size` is not read at all: its one error, and the note says it
/// could not be read (not that it did not parse).
#[test]
fn one_file_too_large_to_read_gives_exactly_one_error() {
    assert_one_error_at(
        [(
            "contrail.yaml",
            "version: 1",
            "version: 1\nlimits: {file_size: 7000}",
            "CT003",
            "routing/pipelines.yaml",
        )]
        .into_iter(),
    );
}

/// Each `(file, from, to, code)` edit of the shop gives exactly one error, `code` in `file`
/// (or in the file of `at`, when given), and the note that absence findings were held back,
/// which says why.
fn assert_one_error_and_absence_held_back(edits: &[(&str, &str, &str, &str)]) {
    assert_one_error_at(
        edits
            .iter()
            .map(|&(f, from, to, code)| (f, from, to, code, f)),
    );
}

fn assert_one_error_at<'a>(
    edits: impl Iterator<Item = (&'a str, &'a str, &'a str, &'a str, &'a str)>,
) {
    let work = tempfile::tempdir().expect("temp dir");
    let shop = work.path().join("shop");
    common::copy_dir(&root().join("fixtures/examples/shop"), &shop);
    for (i, (file, from, to, code, at)) in edits.enumerate() {
        let contract = work.path().join(format!("edit-{i}"));
        common::copy_dir(&shop, &contract);
        common::edit(&contract.join(file), from, to);
        let (status, json) = check_json(&contract);
        assert_eq!(status, 1);
        let errors: Vec<(&str, &str)> = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["severity"] != "info")
            .filter_map(|f| Some((f["code"].as_str()?, f["file"].as_str().unwrap_or(""))))
            .collect();
        assert_eq!(errors, [(code, at)], "{file}: {json:#}");
        let why = match code {
            "CT001" => "did not parse",
            "CT003" => "could not be read",
            _ => "was not read as written",
        };
        let note = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["code"] == "CT017")
            .and_then(|f| f["message"].as_str())
            .unwrap_or_else(|| panic!("{file}: no CT017 in {json:#}"));
        assert!(note.contains(&format!("`{at}` {why}")), "{file}: {note}");
    }
}

/// The common YAML mistakes get the help a newcomer needs.
#[test]
fn yaml_syntax_errors_name_the_usual_cause() {
    let cases: [(&[u8], &str); 5] = [
        (
            b"kind: Property\nname: city\ndescription: City code: three letters\n",
            "quote the value, as in `description: \"City code: three letters\"`",
        ),
        (
            b"kind: Property\nname: wild\npattern: *\n",
            "quote it, as in `pattern: \"*\"`",
        ),
        (
            b"kind: Property\nname: p\npattern: \"^\\d+$\"\n",
            "write patterns in single quotes",
        ),
        (
            b"kind: Event\nname: e\nproperties: [{ref: a}, {ref: b}\ndescription: x\n",
            "close the `[` with `]`",
        ),
        (
            b"kind: Event\nname: e\n  owner: x\n",
            "indented deeper than the key above it",
        ),
    ];
    for (text, expected) in cases {
        let repo = temp_repo("version: 1\n", &[("a.yaml", text)]);
        let (status, json) = check_json(repo.path());
        assert_eq!(status, 1);
        let finding = &json["findings"][0];
        assert_eq!(finding["code"], "CT001", "{json:#}");
        assert!(
            finding["help"]
                .as_str()
                .is_some_and(|h| h.contains(expected)),
            "{expected}: {json:#}"
        );
    }
}

/// From a subdirectory the contract is found in a parent (as git and cargo find theirs), and
/// `check FILE` reports the findings of that file only (what editors and pre-commit pass).
#[test]
fn a_path_inside_the_contract_checks_the_contract_that_holds_it() {
    let work = tempfile::tempdir().expect("temp dir");
    let shop = work.path().join("shop");
    common::copy_dir(&root().join("fixtures/examples/shop"), &shop);
    common::edit(
        &shop.join("properties/customer.yaml"),
        "pii: direct",
        "pii: secret",
    );
    common::edit(&shop.join("events/orders.yaml"), "owner:", "ownr:");
    let run = |cwd: &Path, args: &[&str]| {
        let out = contrail()
            .current_dir(cwd)
            .args(["check", "--format", "json"])
            .args(args)
            .output()
            .expect("runs");
        let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let files: std::collections::BTreeSet<String> = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["file"].as_str().map(str::to_string))
            .collect();
        (out.status.code(), files)
    };
    let both: std::collections::BTreeSet<String> =
        ["events/orders.yaml", "properties/customer.yaml"]
            .map(String::from)
            .into();
    assert_eq!(run(&shop.join("events"), &[]), (Some(1), both.clone()));
    assert_eq!(run(&shop, &["properties"]), (Some(1), both));
    assert_eq!(
        run(&shop.join("properties"), &["customer.yaml"]),
        (Some(1), ["properties/customer.yaml".to_string()].into())
    );
    // A clean file of a broken contract: nothing to report for it.
    assert_eq!(
        run(&shop, &["events/checkout.yaml"]),
        (Some(0), Default::default())
    );
    // Outside any contract: still the clear error, not a search that ends somewhere else.
    let out = contrail()
        .current_dir(work.path())
        .args(["check"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// `type: ads` takes direct identifiers only hashed unless the destination says otherwise.
#[test]
fn an_ads_destination_takes_direct_identifiers_hashed_by_default() {
    let invalid = root().join("fixtures/rules/CT209-direct-pii-unhashed/invalid");
    let work = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&invalid, work.path());
    let (_, json) = check_json(work.path());
    assert!(
        common::codes(&json).contains(&"CT209".to_string()),
        "{json:#}"
    );
    common::edit(
        &work.path().join("catalog.yaml"),
        "type: ads\n",
        "type: ads\naccepts_direct: plain\n",
    );
    let (_, json) = check_json(work.path());
    assert!(
        !common::codes(&json).contains(&"CT209".to_string()),
        "{json:#}"
    );
    common::edit(
        &work.path().join("catalog.yaml"),
        "accepts_direct: plain",
        "accepts_direct: sha256",
    );
    let (status, json) = check_json(work.path());
    assert_eq!(status, 1);
    assert!(
        common::codes(&json).contains(&"CT009".to_string()),
        "{json:#}"
    );
}

/// Piped output is not wrapped: a help that quotes a value keeps it whole on its line,
/// ready to copy (it used to break inside the code span, after `City code:`).
#[test]
fn help_is_not_wrapped_inside_a_code_span() {
    let repo = temp_repo(
        "version: 1\n",
        &[(
            "p.yaml",
            b"kind: Property\nname: city\ntype: string\npii: none\ndescription: City code: three letters\n",
        )],
    );
    let out = check_human(repo.path(), ".");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "\n  help: a `: ` inside a value starts a mapping: quote the value, as in \
             `description: \"City code: three letters\"`\n"
        ),
        "{stdout}"
    );
}

/// Two names defined 64 lines apart: each is shown with a line of context, the finding
/// first, and none of the 62 lines between them.
#[test]
fn labels_far_apart_are_shown_apart_without_the_lines_between() {
    let filler: String = (0..20)
        .map(|i| format!("---\nkind: Team\nname: team_{i}\n"))
        .collect();
    let events = format!(
        "kind: Event\nname: order_completed\ndescription: First.\n{filler}---\n\
         kind: Event\nname: order_completed\ndescription: Second.\n"
    );
    let repo = temp_repo("version: 1\n", &[("events.yaml", events.as_bytes())]);
    let out = check_human(repo.path(), ".");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let finding = stdout
        .split("\n\n")
        .skip_while(|b| !b.contains("x Event `order_completed` is already defined"))
        .take(2)
        .collect::<Vec<_>>()
        .join("\n\n");
    assert!(
        finding.contains("    ,-[./events.yaml:66:7]\n 65 | kind: Event\n 66 | name: order_completed\n")
            && finding.contains("\n  > first defined here\n   ,-[./events.yaml:2:7]\n 1 | kind: Event\n 2 | name: order_completed\n"),
        "{stdout}"
    );
    assert!(!finding.contains("team_"), "{finding}");
}

/// A related label in another file, or far away, is a note under the finding: no empty
/// `Advice:` heading above it.
#[test]
fn related_labels_have_no_empty_heading() {
    let dir = "fixtures/rules/CT402-breaking-change/invalid";
    let out = common::check_human_with_base(
        &root(),
        &format!("{dir}/head"),
        Some(&format!("{dir}/base")),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("\n\n  > was here in the base\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("Advice:"), "{stdout}");
}
