//! Every rule's documented examples run through the real binary: "Example" fires the rule,
//! "Use instead" does not.

mod common;

use common::{check_json, check_json_with_base, codes, temp_repo};

/// Rules about files, policies or catalogs in other formats, whose examples cannot be
/// written as a native YAML contract (their fixtures under fixtures/rules/ cover them).
const NOT_YAML: &[&str] = &[
    "file-unreadable",
    "limit-exceeded",
    "policy-result-invalid",
    "policy-failed",
    "policy-violation",
    "base-unreadable",
    "references-not-checked",
    "json-syntax",
    "construct-unmapped",
    "schemaver-bump-too-small",
];

/// Compatibility rules: their Example is a `Base:` and a `Head:` block, compared with
/// `--base`; Use instead is the fixed head.
const BASE_AND_HEAD: &[&str] = &[
    "breaking-change",
    "version-not-increased",
    "review-required",
    "pii-lowered",
    "consent-purpose-removed",
    "acknowledge-unused",
];

/// The first ```yaml block after `marker`.
fn yaml_after<'d>(docs: &'d str, marker: &str) -> Option<&'d str> {
    let rest = &docs[docs.find(marker)? + marker.len()..];
    let start = rest.find("```yaml\n")? + "```yaml\n".len();
    let end = rest[start..].find("```")?;
    Some(&rest[start..start + end])
}

#[test]
fn documented_examples_behave_as_documented() {
    for rule in contrail::builtin_rules() {
        let docs = rule.docs_markdown();
        if NOT_YAML.contains(&rule.name) {
            assert!(!docs.contains("```yaml"), "{}: update NOT_YAML", rule.name);
            continue;
        }
        let example =
            yaml_after(&docs, "## Example").unwrap_or_else(|| panic!("{}: no Example", rule.name));
        let fixed = yaml_after(&docs, "Use instead:")
            .unwrap_or_else(|| panic!("{}: no Use instead", rule.name));
        let base = BASE_AND_HEAD
            .contains(&rule.name)
            .then(|| temp_repo("version: 1\n", &[("catalog.yaml", example.as_bytes())]));
        let example = match &base {
            Some(_) => yaml_after(&docs, "Head:")
                .unwrap_or_else(|| panic!("{}: no Head after Base", rule.name)),
            None => example,
        };
        let base = base.as_ref().map(|b| b.path());
        let bad = temp_repo("version: 1\n", &[("catalog.yaml", example.as_bytes())]);
        let (_, json) = check_json_with_base(bad.path(), base);
        assert!(
            codes(&json).contains(&rule.code.to_string()),
            "{}: Example does not fire: {json:#}",
            rule.name
        );
        let good = temp_repo("version: 1\n", &[("catalog.yaml", fixed.as_bytes())]);
        let (_, json) = check_json_with_base(good.path(), base);
        assert!(
            !codes(&json).contains(&rule.code.to_string()),
            "{}: Use instead fires: {json:#}",
            rule.name
        );
    }
}

/// The ```rego block after `marker` in docs/policies.md (closing fence at column 0, so the
/// YAML fences inside METADATA do not end it).
fn rego_after<'d>(doc: &'d str, marker: &str) -> &'d str {
    let at = doc.find(marker).expect("marker in docs/policies.md");
    let start = doc[at..].find("```rego\n").expect("rego block") + at + "```rego\n".len();
    let end = doc[start..].find("\n```\n").expect("closing fence") + start + 1;
    &doc[start..end]
}

#[test]
fn the_policy_guide_example_runs_as_documented() {
    let doc =
        std::fs::read_to_string(common::root().join("docs/policies.md")).expect("docs/policies.md");
    let policy = format!(
        "package acme.domains\n\n{}{}",
        rego_after(&doc, "## METADATA"),
        rego_after(&doc, "## The result")
    );
    let event: &[u8] = b"kind: Event\nname: checkout_started\n";
    let repo = temp_repo(
        "version: 1\npolicies: [\"policies/\"]\n",
        &[
            ("catalog.yaml", event),
            ("policies/domains.rego", policy.as_bytes()),
            (
                "policies/domains_test.rego",
                rego_after(&doc, "## Testing").as_bytes(),
            ),
        ],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 0, "a warning: {json:#}");
    assert!(codes(&json).contains(&"ACME201".to_string()), "{json:#}");
    let out = common::contrail()
        .arg("test")
        .arg(repo.path())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// docs/format.md's ```yaml blocks whose first line is `# PATH.yaml` form one example
/// contract (blocks of one path joined as documents); the reference promises it is clean.
#[test]
fn the_format_reference_example_contract_is_clean() {
    let doc =
        std::fs::read_to_string(common::root().join("docs/format.md")).expect("docs/format.md");
    let mut files: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for block in doc.split("```yaml\n").skip(1) {
        let Some((body, _)) = block.split_once("```") else {
            continue;
        };
        let first = body.lines().next().unwrap_or_default();
        if let Some(path) = first
            .strip_prefix("# ")
            .filter(|p| p.ends_with(".yaml") || p.ends_with(".yml"))
        {
            files.entry(path.to_string()).or_default().push(body);
        }
    }
    assert!(
        files.contains_key("contrail.yaml") && files.len() > 5,
        "{:?}",
        files.keys()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, parts) in &files {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(target, parts.join("---\n")).expect("write");
    }
    std::fs::create_dir_all(dir.path().join("policies")).expect("mkdir");
    let (status, json) = check_json(dir.path());
    assert_eq!(
        (status, &json["findings"]),
        (0, &serde_json::json!([])),
        "{json:#}"
    );
}
