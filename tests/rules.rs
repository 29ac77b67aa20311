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
