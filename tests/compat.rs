//! Comparing with a base: git revisions (branch, tag, SHA) and directories, and the errors
//! a base can cause.

mod common;

use std::path::Path;

use common::{check_json_with_base, codes, contrail, copy_dir, edit, git, temp_repo};
use serde_json::Value;

/// Writes `files` under `dir` (creating directories).
fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

const PROPERTY: &str = "kind: Property\nname: sku\ntype: string\npii: none\nowner: shop\ndescription: Stock keeping unit.\n";
/// PROPERTY with a longer `max_length` on the second commit: a relaxed constraint.
const SKU_BEFORE: &str = "kind: Property\nname: sku\ntype: string\nmax_length: 20\npii: none\nowner: shop\ndescription: Stock keeping unit.\n";
const TEAM: &str = "kind: Team\nname: shop\n";
const BROKEN: &str = "kind: Property\nname: colour\ntype: [string\n";
const FIXED: &str = "kind: Property\nname: colour\ntype: string\npii: none\nowner: shop\ndescription: Colour name.\n";

/// A repository whose contract sits in `contract/`: commit one (tagged `v1`, branch `base`)
/// has a file that does not parse, commit two (on `main`) fixes it. Returns the first SHA.
fn two_commits(repo: &Path) -> String {
    git(repo, &["init", "-q", "-b", "main"]);
    write(
        repo,
        &[
            ("contract/contrail.yaml", "version: 1\n"),
            ("contract/teams.yaml", TEAM),
            ("contract/sku.yaml", SKU_BEFORE),
            ("contract/colour.yaml", BROKEN),
        ],
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "one"]);
    git(repo, &["tag", "v1"]);
    git(repo, &["branch", "base"]);
    let first = git(repo, &["rev-parse", "HEAD"]);
    write(
        repo,
        &[
            ("contract/colour.yaml", FIXED),
            ("contract/sku.yaml", PROPERTY),
        ],
    );
    git(repo, &["commit", "-q", "-am", "two"]);
    first
}

fn check_with_base(dir: &Path, base: &str) -> (i32, Value, String) {
    let out = contrail()
        .args(["check", "--format", "json", "--base", base])
        .arg(dir)
        .output()
        .expect("contrail runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().expect("exit code"), json, stderr)
}

#[test]
fn a_base_revision_is_read_by_branch_tag_and_sha() {
    let repo = tempfile::tempdir().expect("temp dir");
    let first = two_commits(repo.path());
    let contract = repo.path().join("contract");
    for base in ["base", "v1", first.as_str(), &first[..10], "HEAD~1"] {
        let (status, json, stderr) = check_with_base(&contract, base);
        // The head still has `colour.yaml`: what changed in it cannot be judged.
        assert_eq!(status, 1, "{base}: {stderr}");
        let unreadable: Vec<&Value> = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["code"] == "CT401")
            .collect();
        assert_eq!(unreadable.len(), 1, "{base}: {json:#}");
        let message = unreadable[0]["message"].as_str().expect("message");
        assert!(
            message.contains(&format!(
                "`{base}:contract/colour.yaml` could not be read at line 4"
            )),
            "{message}"
        );
        let related = &unreadable[0]["related"][0];
        assert_eq!(
            (&related["file"], &related["base"], &related["line"]),
            (
                &Value::from("colour.yaml"),
                &Value::from(true),
                &Value::from(4)
            ),
        );
    }
    // The current commit as base: it parses, nothing to report.
    let (status, json, _) = check_with_base(&contract, "main");
    assert_eq!(status, 0);
    assert!(!codes(&json).contains(&"CT401".to_string()), "{json:#}");
}

#[test]
fn a_base_directory_is_read_as_a_directory() {
    let base = temp_repo("version: 1\n", &[("colour.yaml", BROKEN.as_bytes())]);
    let head = temp_repo(
        "version: 1\n",
        &[
            ("colour.yaml", FIXED.as_bytes()),
            ("teams.yaml", TEAM.as_bytes()),
        ],
    );
    let (status, json, stderr) = check_with_base(head.path(), &base.path().to_string_lossy());
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(
        codes(&json).iter().filter(|c| *c == "CT401").count(),
        1,
        "{json:#}"
    );
}

#[test]
fn a_revision_that_does_not_exist_stops_the_run() {
    let repo = tempfile::tempdir().expect("temp dir");
    two_commits(repo.path());
    let (status, json, stderr) = check_with_base(&repo.path().join("contract"), "no-such-branch");
    assert_eq!((status, json), (2, Value::Null));
    assert!(
        stderr.contains("the base revision `no-such-branch` does not exist")
            && stderr.contains("git fetch origin no-such-branch"),
        "{stderr}"
    );
}

#[test]
fn a_shallow_clone_without_the_revision_says_fetch_depth_0() {
    let repo = tempfile::tempdir().expect("temp dir");
    let first = two_commits(repo.path());
    let clone = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let (status, _, stderr) = check_with_base(&clone.path().join("shallow/contract"), &first);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("shallow clone") && stderr.contains("fetch-depth: 0"),
        "{stderr}"
    );
}

#[test]
fn a_base_outside_git_that_is_not_a_directory_stops_the_run() {
    let head = temp_repo("version: 1\n", &[("sku.yaml", PROPERTY.as_bytes())]);
    let (status, _, stderr) = check_with_base(head.path(), "main");
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("not a directory") && stderr.contains("not inside a git repository"),
        "{stderr}"
    );
}

#[test]
fn a_base_from_the_config_that_does_not_resolve_is_a_note() {
    let head = temp_repo(
        "version: 1\nbase: origin/main\n",
        &[
            ("sku.yaml", PROPERTY.as_bytes()),
            ("teams.yaml", TEAM.as_bytes()),
        ],
    );
    let out = contrail()
        .args(["check", "--format", "json"])
        .arg(head.path())
        .output()
        .expect("contrail runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("note: `base: origin/main` in contrail.yaml cannot be read")
            && stderr.contains("compatibility is not checked"),
        "{stderr}"
    );
}

/// `fixtures/compat/<name>`: check `head/` against `base/` and return the JSON report.
fn compat_fixture(name: &str) -> Value {
    let dir = common::root().join("fixtures/compat").join(name);
    let (_, json, stderr) = check_with_base(&dir.join("head"), &dir.join("base").to_string_lossy());
    assert!(json.is_object(), "{stderr}");
    json
}

/// One line per change: kind, event, property, field, from → to, and both locations.
fn change_lines(json: &Value) -> String {
    let at = |side: &Value| match side["file"].as_str() {
        Some(file) => format!("{file}:{}", side["line"]),
        None if side.is_null() => "-".to_string(),
        None => format!("{}/{} (unlocated)", side["kind"], side["name"]),
    };
    json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            format!(
                "{} [{}] event={} property={} field={} {} -> {} | base {} | head {}\n",
                c["kind"].as_str().unwrap_or_default(),
                c["mode"].as_str().unwrap_or_default(),
                c["event"],
                c["property"],
                c["field"],
                c["from"],
                c["to"],
                at(&c["base"]),
                at(&c["head"]),
            )
        })
        .collect()
}

#[test]
fn every_change_kind_is_detected_with_both_locations() {
    let json = compat_fixture("kinds");
    let found: std::collections::BTreeSet<&str> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    for kind in contrail::diff::ChangeKind::ALL {
        assert!(
            found.contains(kind.as_str()),
            "{kind} not in fixtures/compat/kinds"
        );
    }
    insta::assert_snapshot!(change_lines(&json));
}

#[test]
fn the_flagship_change_set() {
    insta::assert_snapshot!(change_lines(&compat_fixture("flagship")));
}

#[test]
fn renames_need_a_unique_match_of_the_same_shape() {
    let event = |props: &str| format!("kind: Event\nname: e\nproperties: [{props}]\n");
    let props = "kind: Property\nname: a\ntype: string\n---\nkind: Property\nname: b\ntype: string\n---\nkind: Property\nname: c\ntype: string\n---\nkind: Property\nname: n\ntype: integer\n";
    let kinds = |base_refs: &str, head_refs: &str| {
        let base = temp_repo(
            "version: 1\n",
            &[
                ("p.yaml", props.as_bytes()),
                ("e.yaml", event(base_refs).as_bytes()),
            ],
        );
        let head = temp_repo(
            "version: 1\n",
            &[
                ("p.yaml", props.as_bytes()),
                ("e.yaml", event(head_refs).as_bytes()),
            ],
        );
        let (_, json, stderr) = check_with_base(head.path(), &base.path().to_string_lossy());
        let mut kinds: Vec<String> = json["changes"]
            .as_array()
            .unwrap_or_else(|| panic!("{stderr}"))
            .iter()
            .map(|c| format!("{} {}", c["kind"].as_str().unwrap_or_default(), c["to"]))
            .collect();
        kinds.sort();
        kinds
    };
    // Same type and constraints, same `required`, one candidate: a rename.
    assert_eq!(kinds("{ref: a}", "{ref: b}"), ["property.renamed \"b\""]);
    // Another type: a removal and an addition.
    assert_eq!(
        kinds("{ref: a}", "{ref: n}"),
        ["property.added_optional \"n\"", "property.removed null"]
    );
    // `required` differs: not the same property.
    assert_eq!(
        kinds("{ref: a}", "{ref: b, required: true}"),
        ["property.added_required \"b\"", "property.removed null"]
    );
    // Two candidates of the same shape: ambiguous, so no rename is claimed.
    assert_eq!(
        kinds("{ref: a}", "{ref: b}, {ref: c}"),
        [
            "property.added_optional \"b\"",
            "property.added_optional \"c\"",
            "property.removed null"
        ]
    );
}

/// The verdict table test in policies/contrail/compat_test.rego lists every change kind, so
/// that every kind × mode has an expected verdict.
#[test]
fn the_verdict_table_covers_every_change_kind() {
    let table = std::fs::read_to_string(common::root().join("policies/contrail/compat_test.rego"))
        .expect("compat_test.rego");
    for kind in contrail::diff::ChangeKind::ALL {
        assert!(
            table.contains(&format!("\t\"{kind}\": \"")),
            "{kind} has no row in compat_test.rego's table"
        );
    }
}

/// docs/format.md §11 names every change kind.
#[test]
fn every_change_kind_is_documented() {
    let format =
        std::fs::read_to_string(common::root().join("docs/format.md")).expect("docs/format.md");
    let start = format.find("## 11. Comparing with a base").expect("§11");
    let section = &format[start..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    for kind in contrail::diff::ChangeKind::ALL {
        assert!(
            section.contains(&format!("`{kind}`")),
            "{kind} is not in docs/format.md §11"
        );
    }
}

#[test]
fn the_flagship_fails_with_both_problems_and_the_migration_path() {
    let json = compat_fixture("flagship");
    let at = |code: &str| -> Vec<String> {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| format!("{}:{}", f["file"].as_str().unwrap_or("-"), f["line"]))
            .collect()
    };
    // The rename, at the new ref, with the base line related and the migration in help.
    assert_eq!(at("CT402"), ["events.yaml:7"]);
    let rename = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "CT402")
        .expect("CT402");
    assert_eq!(rename["related"][0]["base"], true);
    assert_eq!(rename["related"][0]["line"], 7);
    let help = rename["help"].as_str().expect("help");
    assert!(
        help.contains("`lifecycle: deprecated`")
            && help.contains("`sunset:`")
            && help.contains("replaced_by: basket_id")
            && help.contains("`enrich_checkout_cart`"),
        "{help}"
    );
    // The join that broke, and the unclassified property reaching the sandbox.
    assert_eq!(at("CT305"), ["routing.yaml:45"]);
    assert_eq!(at("CT201"), ["properties.yaml:35"]);
    assert_eq!(at("CT202"), ["routing.yaml:78"]);
    // The unclassified property newly reaching two destinations: the owners and the
    // governance team must review.
    let reviews: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "CT504")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(reviews.len(), 2, "{reviews:?}");
    for r in reviews {
        assert!(
            r.contains("now receives property `coupon_hint` (unclassified)")
                && r.contains("`checkout` (@shop/checkout)")
                && r.contains("`data_platform` (@shop/data-platform)")
                && r.contains("`privacy` (@shop/privacy)"),
            "{r}"
        );
    }
}

/// `contrail diff --base BASE HEAD --format FORMAT --color never`: stdout.
fn diff(head: &Path, base: &Path, format: &str) -> String {
    let out = contrail()
        .current_dir(common::root())
        .args(["diff", "--color", "never", "--format", format, "--base"])
        .arg(base)
        .arg(head)
        .output()
        .expect("contrail runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_flagship_reviewer_diff() {
    let dir = Path::new("fixtures/compat/flagship");
    let (head, base) = (dir.join("head"), dir.join("base"));
    insta::assert_snapshot!("flagship_terminal", diff(&head, &base, "human"));
    insta::assert_snapshot!("flagship_markdown", diff(&head, &base, "markdown"));
    let json: Value = serde_json::from_str(&diff(&head, &base, "json")).expect("JSON");
    assert_eq!(json["verdict"], "breaking");
    assert_eq!(json["summary"]["breaking"], 1);
    let rename = &json["changes"][0];
    assert_eq!(
        (&rename["kind"], &rename["badge"]),
        (&Value::from("property.renamed"), &Value::from("breaking"))
    );
    assert!(rename["migration"]
        .as_str()
        .is_some_and(|m| m.contains("replaced_by: basket_id")));
    let teams: Vec<&str> = json["reviewers"]
        .as_array()
        .expect("reviewers")
        .iter()
        .filter_map(|r| r["team"].as_str())
        .collect();
    assert_eq!(teams, ["checkout", "data_platform", "privacy"]);
    // Colour on request (and on a terminal): the badge is red.
    let coloured = contrail()
        .args(["diff", "--color", "always", "--base"])
        .arg(common::root().join(&base))
        .arg(common::root().join(&head))
        .output()
        .expect("contrail runs");
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\x1b[1;31mBREAKING\x1b[0m"));
}

/// The routing pull request: only a destination and a pipeline change, and the
/// privacy team must review it.
#[test]
fn routing_changes_are_listed_with_their_verdicts_and_reviewers() {
    let dir = Path::new("fixtures/compat/routing");
    let (head, base) = (dir.join("head"), dir.join("base"));
    let json: Value = serde_json::from_str(&diff(&head, &base, "json")).expect("JSON");
    assert_eq!(json["verdict"], "needs-review", "{json:#}");
    let rows: Vec<String> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let teams: Vec<&str> = c["teams"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            format!(
                "{} {} {} -> {} {} by {}",
                c["kind"].as_str().unwrap_or_default(),
                c["head"]["name"].as_str().unwrap_or_default(),
                c["from"],
                c["to"],
                c["badge"].as_str().unwrap_or_default(),
                teams.join(", ")
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "destination.no_longer_receives_event staging_warehouse [\"app_staging\"] -> null safe by data_platform, rides",
            "destination.region_changed staging_warehouse \"eu\" -> \"us\" needs-review by data_platform, privacy",
            "destination.pii_cap_raised staging_warehouse \"none\" -> \"sensitive\" needs-review by data_platform, privacy",
            "destination.retention_lengthened staging_warehouse \"30d\" -> \"5y\" needs-review by data_platform, privacy",
            "destination.consent_purpose_added staging_warehouse null -> \"marketing\" needs-review by data_platform, privacy",
            "pipeline.events_removed app_staging \"ride_cancelled\" -> null safe by data_platform",
        ]
    );
    insta::assert_snapshot!("routing_markdown", diff(&head, &base, "markdown"));
    insta::assert_snapshot!(
        "routing_json",
        serde_json::to_string_pretty(&json).expect("JSON")
    );
    // `check --base` asks for the review (a warning each), naming the teams.
    let out = common::check_human_with_base(
        &common::root(),
        "fixtures/compat/routing/head",
        Some("fixtures/compat/routing/base"),
    );
    assert_eq!(out.status.code(), Some(0));
    let human = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!("routing_check", common::without_timing(&human));
}

/// A base transformation that could not be read is not compared, so what it did to the
/// data is unknown: no property is claimed new or gone at the destinations it feeds.
#[test]
fn routes_through_an_unread_base_file_are_not_compared() {
    let fixture = common::root().join("fixtures/compat/routing/head");
    let work = tempfile::tempdir().expect("temp dir");
    let (base, head) = (work.path().join("base"), work.path().join("head"));
    for side in [&base, &head] {
        copy_dir(&fixture, side);
        edit(
            &side.join("routing.yaml"),
            "events: [ride_requested]\n",
            "events: [ride_requested]\ntransformations: [hash_ride]\n",
        );
    }
    let transformation =
        "kind: Transformation\nname: hash_ride\nevents: [\"*\"]\nsteps: [{hash: ride_id}]\n";
    write(&head, &[("hash.yaml", transformation)]);
    write(
        &base,
        &[("hash.yaml", "kind: Transformation\nname: [oops\n")],
    );
    let json: Value = serde_json::from_str(&diff(&head, &base, "json")).expect("JSON");
    assert_eq!(json["not_compared"], serde_json::json!(["hash.yaml"]));
    assert_eq!(json["changes"], serde_json::json!([]), "{json:#}");
}

#[test]
fn diff_without_a_base_says_what_to_do() {
    let head = temp_repo("version: 1\n", &[("sku.yaml", PROPERTY.as_bytes())]);
    let out = contrail()
        .arg("diff")
        .arg(head.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give `--base REV|DIR`"));
}

/// Copies a directory tree.
#[test]
fn the_shop_reviewer_diff_for_a_multi_event_change() {
    let base = common::root().join("fixtures/examples/shop");
    let work = tempfile::tempdir().expect("temp dir");
    let head = work.path().join("shop");
    copy_dir(&base, &head);
    // A promotion release: promo codes get a length limit (every event that carries them),
    // the cart screen starts sending the code, the old coupon field's text is reworded, and
    // a banner click is tracked.
    edit(
        &head.join("properties/checkout.yaml"),
        "name: promo_code\ntype: string\n",
        "name: promo_code\ntype: string\nmax_length: 32\n",
    );
    edit(
        &head.join("properties/checkout.yaml"),
        "Voucher code as typed, before normalisation.",
        "Voucher code exactly as typed, before normalisation.",
    );
    edit(
        &head.join("events/checkout.yaml"),
        "name: cart_viewed\n",
        "name: cart_viewed\n",
    );
    let events = head.join("events/checkout.yaml");
    let text = std::fs::read_to_string(&events).expect("read");
    let at = text.find("name: cart_viewed").expect("cart_viewed");
    let props = text[at..].find("properties:\n").expect("properties") + at + "properties:\n".len();
    std::fs::write(
        &events,
        format!(
            "{}  - {{ref: promo_code}}\n{}---\nkind: Event\nname: promo_banner_clicked\nowner: checkout\ndomain: checkout\nversion: 1\ndescription: A promotion banner was clicked.\nproperties:\n  - {{ref: anonymous_id, required: true}}\n  - {{ref: promo_code, required: true}}\n",
            &text[..props],
            &text[props..]
        ),
    )
    .expect("write");
    let markdown = diff(&head, &base, "markdown");
    insta::assert_snapshot!(
        "shop_markdown",
        markdown.replace(&base.display().to_string(), "BASE")
    );
    let terminal = diff(&head, &base, "human");
    insta::assert_snapshot!(
        "shop_terminal",
        terminal.replace(&base.display().to_string(), "BASE")
    );
}

#[test]
fn names_with_markdown_characters_render_cleanly() {
    let property = "kind: Property\nname: \"x|y*<z>\"\ntype: string\npii: none\n";
    let event = |refs: &str| format!("kind: Event\nname: \"a|b*<c>`d\"\nproperties: [{refs}]\n");
    let base = temp_repo(
        "version: 1\n",
        &[
            ("p.yaml", property.as_bytes()),
            (
                "e.yaml",
                event("{ref: \"x|y*<z>\", required: true}").as_bytes(),
            ),
        ],
    );
    let head = temp_repo(
        "version: 1\n",
        &[
            ("p.yaml", property.as_bytes()),
            ("e.yaml", event("").as_bytes()),
        ],
    );
    let markdown = diff(head.path(), base.path(), "markdown");
    assert!(markdown.contains("### Event ``a\\|b*<c>`d``"), "{markdown}");
    let change_rows = markdown
        .lines()
        .filter(|l| ["| 🔴", "| 🟡", "| 🟢"].iter().any(|b| l.starts_with(b)));
    for row in change_rows {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 6, "a name broke the table: {row}");
    }
    assert!(
        markdown.contains("`x\\|y*<z>` property removed"),
        "{markdown}"
    );
}

#[test]
fn diff_with_a_compat_override_lacking_verdicts_says_so() {
    let base = temp_repo("version: 1\n", &[("sku.yaml", SKU_BEFORE.as_bytes())]);
    let head = temp_repo(
        "version: 1\npolicies: [\"policies/\"]\n",
        &[
            ("sku.yaml", PROPERTY.as_bytes()),
            (
                "policies/compat.rego",
                b"package contrail.compat\n\ndeny contains \"x\" if false\n",
            ),
        ],
    );
    let out = contrail()
        .args(["diff", "--base"])
        .arg(base.path())
        .arg(head.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("`data.contrail.compat.verdicts` is not defined"));
}

#[test]
fn diff_reads_a_git_revision_and_the_config_base() {
    let repo = tempfile::tempdir().expect("temp dir");
    two_commits(repo.path());
    let contract = repo.path().join("contract");
    let out = contrail()
        .args(["diff", "--format", "json", "--base", "v1"])
        .arg(&contract)
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["changes"][0]["kind"], "constraint.relaxed", "{json:#}");
    // `colour.yaml` does not parse at v1: the one change is safe, the comparison is not.
    assert_eq!(json["changes"][0]["badge"], "safe");
    assert_eq!(json["verdict"], "unknown");
    // `base:` in contrail.yaml is the default.
    write(
        repo.path(),
        &[("contract/contrail.yaml", "version: 1\nbase: v1\n")],
    );
    let out = contrail()
        .args(["diff", "--format", "json"])
        .arg(&contract)
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["changes"][0]["kind"], "constraint.relaxed", "{json:#}");
}

/// A governance error fails `check`; the reviewer diff must not call it a mere review.
#[test]
fn an_unacknowledged_governance_error_is_a_breaking_badge_in_the_diff() {
    let base = common::root().join("fixtures/examples/shop");
    let work = tempfile::tempdir().expect("temp dir");
    let head = work.path().join("shop");
    copy_dir(&base, &head);
    let customer = head.join("properties/customer.yaml");
    edit(
        &customer,
        "pii: direct\nconsent: [marketing]\n",
        "pii: indirect\nconsent: [marketing]\n",
    );
    let badge = |head: &Path| {
        let json: serde_json::Value =
            serde_json::from_str(&diff(head, &base, "json")).expect("diff JSON");
        let change = json["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .find(|c| c["kind"] == "pii.lowered" && c["property"] == "email")
            .cloned()
            .expect("the lowered class of email");
        (json["verdict"].clone(), change["badge"].clone())
    };
    assert_eq!(
        badge(&head),
        (serde_json::json!("breaking"), serde_json::json!("breaking"))
    );
    edit(
        &customer,
        "pii: indirect\nconsent: [marketing]\n",
        "pii: indirect\nconsent: [marketing]\nacknowledge: [{rule: pii-lowered, reason: DPIA-142}]\n",
    );
    assert_eq!(
        badge(&head),
        (
            serde_json::json!("needs-review"),
            serde_json::json!("needs-review")
        )
    );
}

/// A base file that does not parse is not compared; the reviewer diff must say so.
#[test]
fn the_diff_names_base_files_it_could_not_compare() {
    let head = common::root().join("fixtures/examples/shop");
    let work = tempfile::tempdir().expect("temp dir");
    let base = work.path().join("shop");
    copy_dir(&head, &base);
    std::fs::write(
        base.join("properties/customer.yaml"),
        "kind: Property\nname: [oops\n",
    )
    .expect("write");
    let json: serde_json::Value =
        serde_json::from_str(&diff(&head, &base, "json")).expect("diff JSON");
    assert_eq!(
        json["not_compared"],
        serde_json::json!(["properties/customer.yaml"])
    );
    let human = diff(&head, &base, "human");
    assert!(
        human.contains("not compared: properties/customer.yaml (the base version"),
        "{human}"
    );
    let markdown = diff(&head, &base, "markdown");
    assert!(
        markdown.contains("> ⚠️ **Not compared:** `properties/customer.yaml` ("),
        "{markdown}"
    );
    // Nothing unreadable, nothing to say.
    let clean = diff(&head, &head, "human");
    assert!(!clean.contains("not compared"), "{clean}");
}

/// A base file that does not parse must not turn the breaking changes of files that parse on
/// both sides into "safe" (the ride-hailing case: `ride_type` replaced by `ride_kind` on three
/// events while the base's `properties/ride.yaml` is broken).
#[test]
fn a_broken_base_file_never_makes_a_breaking_change_look_safe() {
    let dir = Path::new("fixtures/compat/unreadable-base");
    let (status, json, stderr) =
        check_with_base(&dir.join("head"), "fixtures/compat/unreadable-base/base");
    assert_eq!(status, 1, "{stderr}");
    let findings = json["findings"].as_array().expect("findings");
    let unreadable: Vec<&Value> = findings.iter().filter(|f| f["code"] == "CT401").collect();
    assert_eq!(unreadable.len(), 1, "{json:#}");
    assert_eq!(unreadable[0]["severity"], "error");
    assert!(
        unreadable[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("properties/ride.yaml") && m.contains("cannot be judged")),
        "{json:#}"
    );
    let breaking = findings.iter().filter(|f| f["code"] == "CT402").count();
    assert_eq!(breaking, 6, "{json:#}");

    let (head, base) = (dir.join("head"), dir.join("base"));
    let review: Value = serde_json::from_str(&diff(&head, &base, "json")).expect("diff JSON");
    assert_eq!(review["verdict"], "breaking");
    let changes = review["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 6, "{review:#}");
    for c in changes {
        assert_eq!(c["badge"], "breaking", "{c:#}");
        // What the unreadable file held (was `ride_type` retired?) is said, not guessed.
        assert_eq!(
            c["unknown"].is_string(),
            c["kind"] == "property.removed",
            "{c:#}"
        );
    }
    insta::assert_snapshot!("unreadable_base_markdown", diff(&head, &base, "markdown"));
}

/// When nothing that parsed changed, the verdict is still not "safe": a change inside the
/// unreadable file could be anything.
#[test]
fn only_unreadable_changes_give_an_unknown_verdict_never_safe() {
    let head = common::root().join("fixtures/compat/unreadable-base/base");
    let work = tempfile::tempdir().expect("temp dir");
    let base = work.path().join("base");
    copy_dir(&head, &base);
    // Same contract on both sides but for the broken file; the head has it fixed.
    let fixed = work.path().join("head");
    copy_dir(&head, &fixed);
    edit(
        &fixed.join("properties/ride.yaml"),
        "description: Product tier: economy, comfort or xl.",
        "description: \"Product tier: economy, comfort or xl.\"",
    );
    let review: Value = serde_json::from_str(&diff(&fixed, &base, "json")).expect("diff JSON");
    assert_eq!(review["changes"], serde_json::json!([]), "{review:#}");
    assert_eq!(review["verdict"], "unknown");
    assert_eq!(
        review["not_compared"],
        serde_json::json!(["properties/ride.yaml"])
    );
    let human = diff(&fixed, &base, "human");
    assert!(human.contains(": unknown\n"), "{human}");
    let (status, _, stderr) = check_with_base(&fixed, &base.to_string_lossy());
    assert_eq!(status, 1, "the head still has the file: {stderr}");
    // A head that deleted the file: the finding stays, as a warning.
    std::fs::remove_file(fixed.join("properties/ride.yaml")).expect("remove");
    let (_, json, _) = check_with_base(&fixed, &base.to_string_lossy());
    let unreadable: Vec<&Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "CT401")
        .collect();
    assert_eq!(unreadable.len(), 1, "{json:#}");
    assert_eq!(unreadable[0]["severity"], "warning");
}

/// Where a migration help comes from: the `migration` of a breaking change of this kind
/// (`contrail diff`), or the `help` of this rule's finding (`contrail check`).
enum Help {
    Change(&'static str),
    Rule(&'static str),
}

/// Text replacements in `catalog.yaml` (each `from` must be there; its first occurrence).
type Edits = &'static [(&'static str, &'static str)];

/// One migration help, followed on fixtures/compat/migrations under `mode`.
struct Followed {
    help: Help,
    mode: &'static str,
    /// The change that gets the help.
    change: Edits,
    /// What the help must say: a rewording makes this test fail, so the help is audited again.
    says: &'static str,
    /// What the help says to do instead, one pull request per step, each from the state the
    /// step before left.
    steps: &'static [Edits],
    /// The change kinds still breaking after the last step. Some changes have no safe way
    /// (a closed event's consumers reject any new property under `forward`): their help says
    /// how to soften the break, and following it must not add another.
    remains: &'static [&'static str],
}

const REQUIRED_CART_ID: &str = "  - {ref: cart_id, required: true}\n";
const NEW_VERSION: (&str, &str) = (
    "version: 1\nproperties:\n  - {ref: cart_id, required: true}",
    "version: 2\nproperties:\n  - {ref: cart_id, required: true}",
);
const JOIN_ON_BASKET: (&str, &str) = ("key: cart_id", "key: basket_id");

const FOLLOWED: &[Followed] = &[
    Followed {
        help: Help::Change("property.renamed"),
        mode: "backward",
        change: &[(REQUIRED_CART_ID, "  - {ref: basket_id, required: true}\n")],
        says: "add `basket_id` next to it as optional",
        steps: &[
            &[
                (REQUIRED_CART_ID, "  - {ref: cart_id, required: true, lifecycle: deprecated, sunset: 2000-01-01, replaced_by: basket_id}\n  - {ref: basket_id}\n"),
                JOIN_ON_BASKET,
            ],
            // After the sunset (already past here).
            &[("  - {ref: cart_id, required: true, lifecycle: deprecated, sunset: 2000-01-01, replaced_by: basket_id}\n", "")],
        ],
        remains: &[],
    },
    Followed {
        help: Help::Change("property.renamed"),
        mode: "forward",
        change: &[(REQUIRED_CART_ID, "  - {ref: basket_id, required: true}\n")],
        says: "adding `basket_id` next to `cart_id` breaks them too",
        steps: &[&[
            NEW_VERSION,
            (REQUIRED_CART_ID, "  - {ref: basket_id, required: true}\n"),
            JOIN_ON_BASKET,
        ]],
        remains: &["property.renamed"],
    },
    Followed {
        help: Help::Change("event.renamed"),
        mode: "backward",
        change: &[("name: cart_viewed\n", "name: basket_viewed\n")],
        says: "add `basket_viewed` next to it",
        steps: &[
            &[(
                "name: cart_viewed\n",
                "name: basket_viewed\nowner: shop\ndescription: The customer looked at the basket.\nversion: 1\nproperties:\n  - {ref: cart_id}\n---\nkind: Event\nname: cart_viewed\nlifecycle: deprecated\nsunset: 2000-01-01\nreplaced_by: basket_viewed\n",
            )],
            &[("name: cart_viewed\nlifecycle: deprecated\n", "name: cart_viewed\nlifecycle: removed\n")],
        ],
        remains: &[],
    },
    Followed {
        help: Help::Change("event.removed"),
        mode: "backward",
        change: &[("name: cart_viewed\n", "name: cart_viewed\nlifecycle: removed\n")],
        says: "mark it `lifecycle: deprecated` with a `sunset:` date first",
        steps: &[
            &[("name: cart_viewed\n", "name: cart_viewed\nlifecycle: deprecated\nsunset: 2000-01-01\n")],
            &[("name: cart_viewed\nlifecycle: deprecated\n", "name: cart_viewed\nlifecycle: removed\n")],
        ],
        remains: &[],
    },
    Followed {
        help: Help::Change("property.removed"),
        mode: "backward",
        change: &[("  - {ref: status}\n", "")],
        says: "mark it `lifecycle: deprecated` with a `sunset:` date first",
        steps: &[
            &[("{ref: status}", "{ref: status, lifecycle: deprecated, sunset: 2000-01-01}")],
            &[("  - {ref: status, lifecycle: deprecated, sunset: 2000-01-01}\n", "")],
        ],
        remains: &[],
    },
    Followed {
        help: Help::Change("event.removed_before_sunset"),
        mode: "backward",
        change: &[("name: cart_emptied\n", "name: cart_emptied\nlifecycle: removed\n")],
        says: "move the sunset (and tell its consumers) before removing it",
        steps: &[
            &[("lifecycle: deprecated\nsunset: 2099-12-31", "lifecycle: deprecated\nsunset: 2000-01-01")],
            &[("name: cart_emptied\nowner: shop\ndescription: The customer emptied the cart.\nlifecycle: deprecated", "name: cart_emptied\nowner: shop\ndescription: The customer emptied the cart.\nlifecycle: removed")],
        ],
        remains: &[],
    },
    Followed {
        help: Help::Change("property.removed_before_sunset"),
        mode: "backward",
        change: &[("  - {ref: coupon, lifecycle: deprecated, sunset: 2099-12-31}\n", "")],
        says: "move the sunset (and tell its consumers) before removing it",
        steps: &[
            &[("{ref: coupon, lifecycle: deprecated, sunset: 2099-12-31}", "{ref: coupon, lifecycle: deprecated, sunset: 2000-01-01}")],
            &[("  - {ref: coupon, lifecycle: deprecated, sunset: 2000-01-01}\n", "")],
        ],
        remains: &[],
    },
    Followed {
        help: Help::Change("property.added_required"),
        mode: "backward",
        change: &[("  - {ref: email}\n", "  - {ref: email}\n  - {ref: basket_id, required: true}\n")],
        says: "add it as optional",
        steps: &[&[("  - {ref: email}\n", "  - {ref: email}\n  - {ref: basket_id}\n")]],
        remains: &[],
    },
    Followed {
        help: Help::Change("property.added_required"),
        mode: "forward",
        change: &[("  - {ref: email}\n", "  - {ref: email}\n  - {ref: basket_id, required: true}\n")],
        says: "opening it (`additional_properties: true`) breaks them too",
        steps: &[&[
            NEW_VERSION,
            ("  - {ref: email}\n", "  - {ref: email}\n  - {ref: basket_id, required: true}\n"),
        ]],
        remains: &["property.added_required"],
    },
    // Following it is not making the change.
    Followed {
        help: Help::Change("property.made_required"),
        mode: "backward",
        change: &[("{ref: quantity}", "{ref: quantity, required: true}")],
        says: "keep it optional",
        steps: &[],
        remains: &[],
    },
    Followed {
        help: Help::Change("property.added_optional"),
        mode: "forward",
        change: &[("  - {ref: email}\n", "  - {ref: email}\n  - {ref: basket_id}\n")],
        says: "opening it (`additional_properties: true`) breaks them too",
        steps: &[&[NEW_VERSION, ("  - {ref: email}\n", "  - {ref: email}\n  - {ref: basket_id}\n")]],
        remains: &["property.added_optional"],
    },
    Followed {
        help: Help::Change("type.changed"),
        mode: "backward",
        change: &[("type: integer\nminimum: 1\nmaximum: 99\n", "type: string\n")],
        says: "add a new property with the new type next to the old one",
        steps: &[&[
            ("name: quantity\ntype: integer\n", "name: quantity_text\ntype: string\npii: none\nowner: shop\ndescription: Number of items, as entered.\n---\nkind: Property\nname: quantity\nlifecycle: deprecated\nsunset: 2000-01-01\ntype: integer\n"),
            ("  - {ref: quantity}\n", "  - {ref: quantity}\n  - {ref: quantity_text}\n"),
        ]],
        remains: &[],
    },
    Followed {
        help: Help::Change("type.changed"),
        mode: "forward",
        change: &[("type: integer\nminimum: 1\nmaximum: 99\n", "type: string\n")],
        says: "a new property next to the old one breaks them too",
        steps: &[&[NEW_VERSION, ("type: integer\nminimum: 1\nmaximum: 99\n", "type: string\n")]],
        // The bounds went with the integer type.
        remains: &["constraint.relaxed", "type.changed"],
    },
    Followed {
        help: Help::Change("enum.value_removed"),
        mode: "backward",
        change: &[("enum: [open, paid]", "enum: [open]")],
        says: "deprecate the value in the description first",
        steps: &[
            &[("description: State of the cart.", "description: State of the cart; `paid` is deprecated.")],
            &[NEW_VERSION, ("enum: [open, paid]", "enum: [open]")],
        ],
        remains: &["enum.value_removed"],
    },
    Followed {
        help: Help::Change("enum.value_added"),
        mode: "forward",
        change: &[("enum: [open, paid]", "enum: [open, paid, refunded]")],
        says: "tell the consumers first",
        steps: &[&[NEW_VERSION, ("enum: [open, paid]", "enum: [open, paid, refunded]")]],
        remains: &["enum.value_added"],
    },
    Followed {
        help: Help::Change("constraint.tightened"),
        mode: "backward",
        change: &[("max_length: 20", "max_length: 10")],
        says: "check that every sender already meets the new rule",
        steps: &[&[NEW_VERSION, ("max_length: 20", "max_length: 10")]],
        remains: &["constraint.tightened"],
    },
    Followed {
        help: Help::Rule("pii-lowered"),
        mode: "backward",
        change: &[("pii: direct\n", "pii: indirect\n")],
        says: "acknowledge: [{rule: pii-lowered",
        steps: &[&[(
            "pii: direct\n",
            "pii: indirect\nacknowledge: [{rule: pii-lowered, reason: \"Only the domain is kept.\"}]\n",
        )]],
        remains: &[],
    },
    Followed {
        help: Help::Rule("consent-purpose-removed"),
        mode: "backward",
        change: &[("consent: [marketing, analytics]", "consent: [marketing]")],
        says: "acknowledge: [{rule: consent-purpose-removed",
        steps: &[&[(
            "consent: [marketing, analytics]",
            "consent: [marketing]\nacknowledge: [{rule: consent-purpose-removed, reason: \"Analytics use the order events.\"}]",
        )]],
        remains: &[],
    },
];

/// The fixture under `mode`, with `edits` applied, as a contract in `dir`.
fn migration_state(dir: &Path, mode: &str, edits: &[&[(&str, &str)]]) {
    let fixture = common::root().join("fixtures/compat/migrations");
    copy_dir(&fixture, dir);
    write(
        dir,
        &[(
            "contrail.yaml",
            &format!("version: 1\ncompatibility: {mode}\n"),
        )],
    );
    let path = dir.join("catalog.yaml");
    let mut text = std::fs::read_to_string(&path).expect("catalog.yaml");
    for (from, to) in edits.iter().copied().flatten() {
        assert!(text.contains(from), "`{from}` is not in the state it edits");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&path, text).expect("write");
}

/// The reviewer diff of `head` against `base`, as JSON.
fn diff_json(head: &Path, base: &Path) -> Value {
    serde_json::from_str(&diff(head, base, "json")).expect("diff JSON")
}

/// Issue 13 item 4: every migration help, followed, leads to no new error. Each case makes a
/// breaking change, checks that its help says what the case does instead, then does it one
/// pull request at a time: no step may leave an error but the breaking changes `remains`
/// names (on the last step).
#[test]
fn following_a_migration_help_leads_to_no_new_error() {
    let work = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for (i, case) in FOLLOWED.iter().enumerate() {
        let (Help::Change(name) | Help::Rule(name)) = case.help;
        let label = format!("{name} under {}", case.mode);
        let dir = work.path().join(i.to_string());
        let base = dir.join("base");
        migration_state(&base, case.mode, &[]);
        let (_, clean) = check_json_with_base(&base, None);
        assert!(
            codes(&clean).is_empty(),
            "{label}: the fixture is not clean: {clean:#}"
        );
        let changed = dir.join("changed");
        migration_state(&changed, case.mode, &[case.change]);
        let help = match case.help {
            Help::Change(kind) => diff_json(&changed, &base)["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .find(|c| c["kind"] == kind && c["badge"] == "breaking")
                .and_then(|c| c["migration"].as_str())
                .map(str::to_string),
            Help::Rule(rule) => check_json_with_base(&changed, Some(&base)).1["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .find(|f| f["name"] == rule)
                .and_then(|f| f["help"].as_str())
                .map(str::to_string),
        };
        match help {
            Some(help) if help.contains(case.says) => {}
            other => failures.push(format!(
                "{label}: the help does not say `{}`: {other:?}",
                case.says
            )),
        }
        let mut before = base;
        for step in 0..case.steps.len() {
            let after = dir.join(format!("step{step}"));
            migration_state(&after, case.mode, &case.steps[..=step]);
            let last = step + 1 == case.steps.len();
            let remains: &[&str] = if last { case.remains } else { &[] };
            let (_, json) = check_json_with_base(&after, Some(&before));
            let errors: Vec<String> = json["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .filter(|f| f["severity"] == "error")
                .filter(|f| remains.is_empty() || f["code"] != "CT402")
                .map(|f| format!("{} {}", f["code"], f["message"]))
                .collect();
            let mut breaking: Vec<String> = diff_json(&after, &before)["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .filter(|c| c["badge"] == "breaking")
                .filter_map(|c| c["kind"].as_str().map(str::to_string))
                .collect();
            breaking.sort();
            breaking.dedup();
            if !errors.is_empty() || breaking != remains {
                failures.push(format!(
                    "{label}, step {}: errors {errors:?}, breaking {breaking:?} (expected {remains:?})",
                    step + 1
                ));
            }
            before = after;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A description reworded: the word diff marks the words that changed, and never prints an
/// empty marker pair for the spaces around them (`{+exactly+}{++}`).
#[test]
fn a_word_diff_marks_changed_words_and_no_empty_pair() {
    let property = |description: &str| {
        format!(
            "kind: Property\nname: coupon\ntype: string\npii: none\nowner: shop\n\
             description: {description}\n---\n{TEAM}"
        )
    };
    let base = temp_repo(
        "version: 1\n",
        &[(
            "p.yaml",
            property("Voucher code as typed, before normalisation.").as_bytes(),
        )],
    );
    let head = temp_repo(
        "version: 1\n",
        &[(
            "p.yaml",
            property("Voucher code exactly as typed.").as_bytes(),
        )],
    );
    let terminal = diff(head.path(), base.path(), "human");
    assert!(
        terminal.contains(
            "\n           Voucher code {+exactly+} as [-typed, before normalisation.-]{+typed.+}\n"
        ),
        "{terminal}"
    );
    assert!(
        !terminal.contains("{++}") && !terminal.contains("[--]"),
        "{terminal}"
    );
    let markdown = diff(head.path(), base.path(), "markdown");
    assert!(
        markdown
            .contains(": Voucher code **exactly** as ~~typed, before normalisation.~~**typed.**\n"),
        "{markdown}"
    );
}

/// An event removed in a pull request has no place in the head: `check`'s human output
/// shows where it was in the base revision (`REV:path:line:col`), as JSON and Markdown do.
#[test]
fn a_removed_event_is_shown_where_it_was_in_the_base() {
    let repo = tempfile::tempdir().expect("temp dir");
    git(repo.path(), &["init", "-q", "-b", "main"]);
    let event = |name: &str| {
        format!("kind: Event\nname: {name}\nowner: shop\ndescription: Something happened.\n")
    };
    let both = format!("{TEAM}---\n{}---\n{}", event("kept"), event("dropped"));
    write(
        repo.path(),
        &[("contrail.yaml", "version: 1\n"), ("events.yaml", &both)],
    );
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "one"]);
    let one = format!("{TEAM}---\n{}", event("kept"));
    write(repo.path(), &[("events.yaml", &one)]);
    let out = contrail()
        .current_dir(repo.path())
        .args(["check", "--color", "never", "--base", "HEAD", "."])
        .output()
        .expect("contrail runs");
    let human = String::from_utf8_lossy(&out.stdout);
    let finding = human
        .split("\n\n")
        .position(|block| block.contains("x event `dropped` was removed"))
        .expect("the finding");
    let blocks: Vec<&str> = human.split("\n\n").collect();
    let base = blocks[finding + 1];
    assert!(
        base.starts_with("  > was here in the base\n    ,-[HEAD:events.yaml:10:7]\n")
            && base.contains(" 10 | name: dropped\n"),
        "{human}"
    );
}
