//! Every rule's fixtures: `invalid/` fires the rule (structured and human snapshots),
//! `valid/` does not.

mod common;

use common::{
    check_human_with_base, check_json_with_base, codes, fixture_side, root, structured,
    without_timing,
};

/// `fixtures/rules/CT004-dangling-reference/invalid` → `CT004`.
fn rule_code(dir: &std::path::Path) -> String {
    let rule_dir = dir
        .parent()
        .and_then(|p| p.file_name())
        .expect("fixture dir");
    rule_dir
        .to_string_lossy()
        .split('-')
        .next()
        .expect("code")
        .to_string()
}

#[test]
fn invalid_fixtures_fire_their_rule() {
    insta::glob!("../fixtures/rules", "*/invalid", |dir| {
        let code = rule_code(dir);
        let (head, base) = fixture_side(dir);
        let (_, json) = check_json_with_base(&head, base.as_deref());
        assert!(
            codes(&json).contains(&code),
            "{} does not fire {code}: {json:#}",
            dir.display()
        );
        let rel = |p: &std::path::Path| {
            p.strip_prefix(root())
                .expect("under the repo")
                .to_string_lossy()
                .into_owned()
        };
        let human =
            check_human_with_base(&root(), &rel(&head), base.as_deref().map(rel).as_deref());
        let human = String::from_utf8_lossy(&human.stdout);
        let human = without_timing(&human);
        insta::assert_snapshot!(format!(
            "{}\n---- human ----\n{human}",
            structured(&json, &head)
        ));
    });
}

#[test]
fn valid_fixtures_do_not_fire_their_rule() {
    insta::glob!("../fixtures/rules", "*/valid", |dir| {
        let code = rule_code(dir);
        let (head, base) = fixture_side(dir);
        let (status, json) = check_json_with_base(&head, base.as_deref());
        assert!(
            !codes(&json).contains(&code),
            "{} fires {code}: {json:#}",
            dir.display()
        );
        assert_eq!(status, 0, "{} is not clean: {json:#}", dir.display());
    });
}

/// Issue 13 items 5 and 7: a finding about an empty or wrong value lands on that value, one
/// about an absent one on the resource's name; a related label says what is there; a value
/// that could not be read gets one finding; a misspelt required field is named at its key.
#[test]
fn a_finding_lands_on_the_value_to_fix() {
    let dir = root().join("fixtures/findings/landing");
    let (_, json) = check_json_with_base(&dir, None);
    let findings = json["findings"].as_array().expect("findings");
    // (code, line, column, message) of every finding, and its related labels.
    let at = |f: &serde_json::Value| {
        (
            f["code"].as_str().unwrap_or_default().to_string(),
            f["line"].as_u64().unwrap_or_default(),
            f["column"].as_u64().unwrap_or_default(),
        )
    };
    let about = |what: &str| -> Vec<&serde_json::Value> {
        findings
            .iter()
            .filter(|f| f["message"].as_str().is_some_and(|m| m.contains(what)))
            .collect()
    };
    let labels = |f: &serde_json::Value| -> Vec<String> {
        f["related"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["message"].as_str().map(str::to_string))
            .collect()
    };

    // `consent: []`: on the `[]` (line 10, column 10), the class as related.
    let email: Vec<_> = about("`rider_email` (pii direct) has neither")
        .into_iter()
        .map(|f| (at(f), labels(f)))
        .collect();
    assert_eq!(
        email,
        [(
            ("CT204".into(), 10, 10),
            vec!["classified `pii: direct` here".to_string()]
        )],
        "{json:#}"
    );
    // No `consent` at all: on the name, where DESIGN.md puts an absent field.
    let phone: Vec<_> = about("`rider_phone` (pii direct) has neither")
        .into_iter()
        .map(at)
        .collect();
    assert_eq!(phone, [("CT204".into(), 15, 7)], "{json:#}");

    // `pii: public`: one finding, the reader's, and nothing that takes the value as absent.
    let city: Vec<_> = findings
        .iter()
        .filter(|f| f["line"] == 24)
        .map(at)
        .collect();
    assert_eq!(city, [("CT009".into(), 24, 6)], "{json:#}");
    assert!(about("pickup_city").is_empty(), "{json:#}");

    // An unclassified property's related label does not say it is classified.
    let note = about("`ride_note` (unclassified) reaches non-production");
    assert_eq!(note.len(), 1, "{json:#}");
    assert_eq!(
        labels(note[0]),
        ["declared here without a `pii` class", "non-production"],
        "{json:#}"
    );
    assert!(
        findings
            .iter()
            .all(|f| !labels(f).iter().any(|l| l == "classified here")),
        "{json:#}"
    );

    // `destinatons:`: at the key, naming the field it stands for, and no second finding.
    let misspelt: Vec<_> = about("destinatons")
        .into_iter()
        .map(|f| (at(f), f["help"].as_str().unwrap_or_default().to_string()))
        .collect();
    assert_eq!(
        misspelt,
        [(
            ("CT006".into(), 71, 1),
            "did you mean `destinations`?".to_string()
        )],
        "{json:#}"
    );
    assert!(
        about("`destinations`")
            .iter()
            .all(|f| f["code"] == "CT006" && f["line"] == 71),
        "{json:#}"
    );
}
