//! docs/rules/ holds one page per rule, generated from the registry: this test fails when a
//! page is missing, stale or left over. `CONTRAIL_UPDATE_DOCS=1 cargo test --test rule_docs`
//! rewrites them.

mod common;

use std::collections::BTreeMap;

use contrail::rules::RuleMeta;

fn pages() -> BTreeMap<String, String> {
    let mut rules: Vec<&'static RuleMeta> = contrail::builtin_rules();
    rules.sort_by(|a, b| a.code.cmp(b.code));
    let mut pages = BTreeMap::new();
    let mut index = String::from(
        "# Rules\n\nGenerated from the rule registry (`contrail rules`, `contrail explain RULE`); \
         do not edit by hand.\n\n| code | name | severity | category | summary |\n|---|---|---|---|---|\n",
    );
    for r in &rules {
        let file = r.docs_page();
        index.push_str(&format!(
            "| {} | [{}]({file}) | {} | {} | {} |\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.category.as_str(),
            r.summary
        ));
        pages.insert(file, r.explain_markdown());
    }
    pages.insert("README.md".to_string(), index);
    pages
}

#[test]
fn rule_pages_are_up_to_date() {
    let dir = common::root().join("docs/rules");
    let expected = pages();
    if std::env::var_os("CONTRAIL_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).expect("mkdir");
        for entry in std::fs::read_dir(&dir).expect("docs/rules") {
            let path = entry.expect("entry").path();
            if !expected.contains_key(
                &path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string(),
            ) {
                std::fs::remove_file(path).expect("remove stale page");
            }
        }
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).expect("write page");
        }
    }
    let found: BTreeMap<String, String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("entry").path())
                .map(|p| {
                    let name = p
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    (name, std::fs::read_to_string(&p).unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        found == expected,
        "docs/rules/ is out of date; run `CONTRAIL_UPDATE_DOCS=1 cargo test --test rule_docs`"
    );
}
