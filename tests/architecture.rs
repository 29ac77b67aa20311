//! The modules stack in the pipeline's direction: a module uses only the ones below it, so
//! there is no import cycle and each stage can be read without the ones after it.

use std::collections::BTreeSet;
use std::path::Path;

/// Bottom to top. `lib.rs` and the CLI sit above all of them.
const LAYERS: &[&str] = &[
    "atomic", "suggest", "rules", "finding", "source", "adapters", "model", "config", "catalog",
    "checks", "locate", "diff", "policy", "report", "validate", "scaffold",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names as `crate::<module>`, outside its unit tests.
fn uses(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    code.match_indices("crate::")
        .filter(|(i, _)| !code[..*i].ends_with('$'))
        .map(|(i, m)| {
            code[i + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut seen = BTreeSet::new();
    let mut wrong = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).expect("below src");
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("a name")
            .trim_end_matches(".rs")
            .to_string();
        if matches!(top.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        let Some(level) = LAYERS.iter().position(|l| *l == top) else {
            panic!("src/{top} is not in LAYERS: place it in the stack");
        };
        seen.insert(top.clone());
        let text = std::fs::read_to_string(&file).expect("readable");
        for used in uses(&text) {
            if used == top {
                continue;
            }
            match LAYERS.iter().position(|l| *l == used) {
                Some(other) if other < level => {}
                _ => wrong.push(format!("{} uses crate::{used}", rel.display())),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses against the stack:\n{}",
        wrong.join("\n")
    );
    assert_eq!(
        seen,
        LAYERS.iter().map(|l| l.to_string()).collect(),
        "every layer exists"
    );
}
