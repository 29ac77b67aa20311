//! `contrail test`: every `test_*` rule of the `*_test.rego` modules, built-in and the user's.

use rayon::prelude::*;
use regorus::Value;
use serde::Serialize;

use super::PolicySet;

/// The outcome of one Rego unit test.
#[derive(Debug, Serialize)]
pub struct TestOutcome {
    pub file: String,
    pub line: usize,
    pub package: String,
    pub name: String,
    pub passed: bool,
    /// Why it failed when evaluation itself failed (undefined or false needs no text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl PolicySet {
    /// Runs every test, in parallel; results sorted by file and line.
    pub fn run_tests(&self) -> Vec<TestOutcome> {
        let tests: Vec<(&super::Policy, String, usize)> = self
            .policies
            .iter()
            .filter(|p| p.test)
            .flat_map(|p| {
                test_rules(&p.source)
                    .into_iter()
                    .map(move |(name, line)| (p, name, line))
            })
            .collect();
        let mut outcomes: Vec<TestOutcome> = tests
            .par_iter()
            .map(|(policy, name, line)| {
                let (passed, error) = match &self.worker {
                    // A test of the user's (or reaching their code) runs in a worker, as
                    // `check` runs their packages: a hostile test fails alone.
                    Some(worker) if self.untrusted.contains(&policy.package) => {
                        let results = worker.run_test(&policy.package, name);
                        let passed = results
                            .sets
                            .first()
                            .is_some_and(|(_, v)| *v == Value::from(true));
                        (passed, results.failure.map(|f| f.why))
                    }
                    _ => self.run_test_here(&policy.package, name),
                };
                TestOutcome {
                    file: policy.path.clone(),
                    line: *line,
                    package: policy
                        .package
                        .strip_prefix("data.")
                        .unwrap_or(&policy.package)
                        .to_string(),
                    name: name.clone(),
                    passed,
                    error,
                }
            })
            .collect();
        outcomes.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        outcomes
    }
}

impl PolicySet {
    /// Runs one test in this process: whether it passed, and why evaluation failed.
    fn run_test_here(&self, package: &str, name: &str) -> (bool, Option<String>) {
        let mut engine = self.prepared(Value::new_object());
        match engine.eval_query(format!("{package}.{name}"), false) {
            Ok(results) => {
                let value = results
                    .result
                    .first()
                    .and_then(|r| r.expressions.first())
                    .map(|e| &e.value);
                (value == Some(&Value::Bool(true)), None)
            }
            Err(e) => (false, Some(super::summarize_error(&e.to_string()))),
        }
    }
}

/// `test_*` rules defined at the start of a line, with their first line (1-based). A test
/// written in several bodies is one test.
fn test_rules(source: &str) -> Vec<(String, usize)> {
    let mut tests: Vec<(String, usize)> = Vec::new();
    for (i, line) in source.lines().enumerate() {
        if !line.starts_with("test_") {
            continue;
        }
        let name: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !tests.iter().any(|(n, _)| *n == name) {
            tests.push((name, i + 1));
        }
    }
    tests
}
