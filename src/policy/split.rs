//! Evaluating the built-in packages one rule at a time: a result set is the union of its
//! definitions, so each `deny contains …` of a module can be renamed (`deny__1`) and
//! evaluated as a task of its own. Whole sets were too coarse for two threads: at 5,000
//! events `contrail.pii.deny` alone was half of the evaluation (issue 15).

use std::collections::BTreeMap;

use regorus::Engine;

use super::evaluate::RESULT_SETS;
use super::{code_only, refers_to, Policy, PolicyError};

/// The rules that make up each result set of a package: `(set, rule)` pairs, the rule
/// being the set itself for a package evaluated whole.
pub(super) type Parts = BTreeMap<String, Vec<(&'static str, String)>>;

/// `engine` with `policies` added, every built-in one that `splittable` allows and that no
/// other module refers to with its definitions renamed, and the rules each package's sets
/// are read from.
pub(super) fn by_rule(
    mut engine: Engine,
    policies: &[Policy],
    splittable: impl Fn(&Policy) -> bool,
) -> Result<(Engine, Parts), PolicyError> {
    let mut parts = Parts::new();
    for p in policies {
        let referred = policies
            .iter()
            .any(|other| other.package != p.package && refers_to(other, p));
        let renamed = (p.builtin && !referred && splittable(p))
            .then(|| rename_definitions(&p.source))
            .flatten();
        let (source, sets) = match renamed {
            Some((source, sets)) => (source, sets),
            None => (
                p.source.clone(),
                RESULT_SETS.iter().map(|s| (*s, s.to_string())).collect(),
            ),
        };
        engine
            .add_policy(p.path.clone(), source)
            .map_err(|e| PolicyError::Compile {
                path: p.path.clone(),
                message: e.to_string(),
            })?;
        let entry = parts.entry(p.package.clone()).or_default();
        for part in sets {
            if !entry.contains(&part) {
                entry.push(part);
            }
        }
    }
    Ok((engine, parts))
}

/// `source` with its `N`th `set contains` head (at a line start) renamed `set__N`, and the
/// renamed rules (a set without a head is not defined there); `None` when a set's name appears anywhere else in the code (outside
/// strings and comments), where a reference to the whole set would change meaning.
fn rename_definitions(source: &str) -> Option<(String, Vec<(&'static str, String)>)> {
    let code = code_only(source);
    let mut parts = Vec::new();
    for set in RESULT_SETS {
        let heads = source
            .lines()
            .filter(|l| l.starts_with(&format!("{set} contains ")))
            .count();
        if words(&code, set) != heads {
            return None;
        }
    }
    let mut counts = BTreeMap::new();
    let mut out = String::with_capacity(source.len() + 64);
    for line in source.split_inclusive('\n') {
        let head = RESULT_SETS
            .iter()
            .find(|set| line.starts_with(&format!("{set} contains ")));
        match head {
            Some(set) => {
                let n = counts.entry(*set).or_insert(0usize);
                *n += 1;
                let rule = format!("{set}__{n}");
                out.push_str(&rule);
                out.push_str(&line[set.len()..]);
                parts.push((*set, rule));
            }
            None => out.push_str(line),
        }
    }
    Some((out, parts))
}

/// How often `word` occurs in `code` as a whole identifier (not part of `a.deny` either).
fn words(code: &str, word: &str) -> usize {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    code.match_indices(word)
        .filter(|(i, _)| !code[..*i].ends_with(ident) && !code[i + word.len()..].starts_with(ident))
        .count()
}

#[cfg(test)]
mod tests {
    use super::rename_definitions;

    #[test]
    fn each_definition_becomes_a_rule() {
        let source = "package a\n\n# deny in a comment\ndeny contains \"x\" if true\n\ndeny contains m if {\n\tm := \"deny\"\n}\n\nwarn contains \"w\" if true\n";
        let (renamed, parts) = rename_definitions(source).expect("splits");
        assert!(renamed.contains("\ndeny__1 contains \"x\" if true\n"));
        assert!(renamed.contains("\ndeny__2 contains m if {\n\tm := \"deny\"\n}\n"));
        assert!(renamed.contains("\nwarn__1 contains \"w\""));
        let rules: Vec<&str> = parts.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(rules, ["deny__1", "deny__2", "warn__1"]);
    }

    #[test]
    fn a_module_reading_its_own_set_is_not_split() {
        let source =
            "package a\n\ndeny contains \"x\" if true\n\nwarn contains \"y\" if count(deny) > 0\n";
        assert_eq!(rename_definitions(source), None);
    }
}
