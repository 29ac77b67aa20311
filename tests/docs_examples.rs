//! Every rule's documented examples run through the real binary: "Example" fires the rule,
//! "Use instead" does not.

mod common;

use common::{check_json, codes, temp_repo};
use contrail::rules::RULES;

/// Rules about files or policies themselves, whose examples cannot be written as a YAML
/// contract (their fixtures under fixtures/rules/ cover them).
const NOT_YAML: &[&str] = &[
    "file-unreadable",
    "limit-exceeded",
    "policy-result-invalid",
    "policy-failed",
    "policy-violation",
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
    let builtin = contrail::policy::builtin_rules().expect("built-in policies load");
    for rule in RULES.iter().copied().chain(builtin) {
        let docs = rule.docs_markdown();
        if NOT_YAML.contains(&rule.name) {
            assert!(!docs.contains("```yaml"), "{}: update NOT_YAML", rule.name);
            continue;
        }
        let example =
            yaml_after(&docs, "## Example").unwrap_or_else(|| panic!("{}: no Example", rule.name));
        let fixed = yaml_after(&docs, "Use instead:")
            .unwrap_or_else(|| panic!("{}: no Use instead", rule.name));
        let bad = temp_repo("version: 1\n", &[("catalog.yaml", example.as_bytes())]);
        let (_, json) = check_json(bad.path());
        assert!(
            codes(&json).contains(&rule.code.to_string()),
            "{}: Example does not fire: {json:#}",
            rule.name
        );
        let good = temp_repo("version: 1\n", &[("catalog.yaml", fixed.as_bytes())]);
        let (_, json) = check_json(good.path());
        assert!(
            !codes(&json).contains(&rule.code.to_string()),
            "{}: Use instead fires: {json:#}",
            rule.name
        );
    }
}
