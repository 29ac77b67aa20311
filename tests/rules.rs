//! Every rule's fixtures: `invalid/` fires the rule (structured and human snapshots),
//! `valid/` does not.

mod common;

use common::{check_human, check_json, codes, root, structured, without_timing};

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
        let (_, json) = check_json(dir);
        assert!(
            codes(&json).contains(&code),
            "{} does not fire {code}: {json:#}",
            dir.display()
        );
        let rel = dir.strip_prefix(root()).expect("under the repo");
        let human = check_human(&root(), &rel.to_string_lossy());
        let human = String::from_utf8_lossy(&human.stdout);
        let human = without_timing(&human);
        insta::assert_snapshot!(format!(
            "{}\n---- human ----\n{human}",
            structured(&json, dir)
        ));
    });
}

#[test]
fn valid_fixtures_do_not_fire_their_rule() {
    insta::glob!("../fixtures/rules", "*/valid", |dir| {
        let code = rule_code(dir);
        let (status, json) = check_json(dir);
        assert!(
            !codes(&json).contains(&code),
            "{} fires {code}: {json:#}",
            dir.display()
        );
        assert_eq!(status, 0, "{} is not clean: {json:#}", dir.display());
    });
}
