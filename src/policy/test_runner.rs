//! `contrail test`: the `test_*` rules of the contract's `*_test.rego` modules, and of the
//! built-in ones on request. A failing test says which expression of its body did not hold
//! and what its operands were.
//!
//! regorus reports only a test's value (undefined), so the expression is found here: the
//! test's body, as regorus parsed it, is evaluated one expression longer at a time until it
//! no longer holds.

use std::path::Path;

use rayon::prelude::*;
use regorus::{Engine, Value};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::{Policy, PolicyError, PolicySet};
use crate::config::Config;

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
    /// What the test came to when it failed without an error: `undefined`, `false`, or
    /// another value as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The expression of the test's body that did not hold, when it could be found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmet: Option<Unmet>,
}

/// The first expression of a failing test's body that did not hold.
#[derive(Debug, Serialize, Deserialize)]
pub struct Unmet {
    /// Its text, on one line.
    pub expression: String,
    /// Where it is in the test's file (1-based).
    pub line: usize,
    pub column: usize,
    /// The values of its operands that are not literals.
    pub operands: Vec<Operand>,
}

/// An operand of an unmet expression and the values it took: one per way the expressions
/// before it held (`some f in fs` gives one per `f`); none when it was undefined.
#[derive(Debug, Serialize, Deserialize)]
pub struct Operand {
    pub text: String,
    /// Each value as JSON.
    pub values: Vec<String>,
}

/// What `contrail test` ran and left out.
#[derive(Debug, Serialize)]
pub struct TestRun {
    pub tests: Vec<TestOutcome>,
    /// Built-in tests that were not asked for (`--builtins` runs them).
    pub builtins_not_run: usize,
    /// Built-in tests skipped because the contract replaces the package they test.
    pub replaced: Vec<ReplacedTests>,
}

/// The built-in tests of a package the contract replaces (`contrail.pii_test` for a
/// `package contrail.pii` of the user's): they test the module that is gone.
#[derive(Debug, Serialize)]
pub struct ReplacedTests {
    /// The replaced package (`contrail.pii`).
    pub package: String,
    pub tests: usize,
}

impl PolicySet {
    /// Runs the contract's tests, and the built-ins' too with `builtins`, in parallel;
    /// outcomes sorted by file and line.
    pub fn run_tests(&self, builtins: bool) -> TestRun {
        let (chosen, left_out): (Vec<&Policy>, Vec<&Policy>) = self
            .policies
            .iter()
            .filter(|p| p.test)
            .partition(|p| builtins || !p.builtin);
        let tests: Vec<(&Policy, String, usize)> = chosen
            .into_iter()
            .flat_map(|p| {
                test_rules(&p.source)
                    .into_iter()
                    .map(move |(name, line)| (p, name, line))
            })
            .collect();
        let mut outcomes: Vec<TestOutcome> = tests
            .par_iter()
            .map(|(policy, name, line)| self.run_test(policy, name, *line))
            .collect();
        outcomes.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        let replaced = match builtins {
            true => self
                .replaced_tests
                .iter()
                .map(|p| ReplacedTests {
                    package: bare(&p.package).trim_end_matches("_test").to_string(),
                    tests: test_rules(&p.source).len(),
                })
                .collect(),
            false => Vec::new(),
        };
        let count = |ps: &[&Policy]| {
            ps.iter()
                .map(|p| test_rules(&p.source).len())
                .sum::<usize>()
        };
        TestRun {
            tests: outcomes,
            builtins_not_run: count(&left_out),
            replaced,
        }
    }

    fn run_test(&self, policy: &Policy, name: &str, line: usize) -> TestOutcome {
        // A test of the user's (or reaching their code) runs in a worker, as `check` runs
        // their packages: a hostile test fails alone.
        let worker = self
            .worker
            .as_ref()
            .filter(|_| self.untrusted.contains(&policy.package));
        let (value, error) = match worker {
            Some(worker) => {
                let results = worker.run_test(&policy.package, name);
                let value = results
                    .sets
                    .first()
                    .and_then(|(_, v)| serde_json::to_value(v).ok());
                (value, results.failure.map(|f| f.why))
            }
            None => self.run_test_here(&policy.package, name),
        };
        let passed = value == Some(Json::Bool(true)) && error.is_none();
        let failed_quietly = !passed && error.is_none();
        let unmet = match (failed_quietly, worker) {
            (false, _) => None,
            (true, Some(worker)) => worker.explain_test(&policy.package, name),
            (true, None) => unmet(&self.prepared(Value::new_object()), policy, line),
        };
        TestOutcome {
            file: policy.path.clone(),
            line,
            package: bare(&policy.package).to_string(),
            name: name.to_string(),
            passed,
            error,
            value: failed_quietly
                .then(|| value.map_or_else(|| "undefined".to_string(), |v| v.to_string())),
            unmet,
        }
    }

    /// Runs one test in this process: its value (none when undefined), and why evaluation
    /// failed.
    fn run_test_here(&self, package: &str, name: &str) -> (Option<Json>, Option<String>) {
        let mut engine = self.prepared(Value::new_object());
        match engine.eval_query(format!("{package}.{name}"), false) {
            Ok(results) => {
                let value = results
                    .result
                    .first()
                    .and_then(|r| r.expressions.first())
                    .and_then(|e| serde_json::to_value(&e.value).ok());
                (value, None)
            }
            Err(e) => (None, Some(super::summarize_error(&e.to_string()))),
        }
    }
}

/// The worker side of a failing user test: the unmet expression of test `name` of
/// `package`, as JSON (`null` when it cannot be found).
pub fn explain_test_in_worker(
    root: &Path,
    config: &Config,
    package: &str,
    name: &str,
) -> Result<String, PolicyError> {
    super::worker::limit_memory(config.policy_memory).map_err(PolicyError::MemoryLimit)?;
    let set = PolicySet::read(root, config, true)?;
    let found = set
        .policies
        .iter()
        .filter(|p| p.test && p.package == package)
        .find_map(|p| {
            let line = test_rules(&p.source)
                .into_iter()
                .find_map(|(n, line)| (n == name).then_some(line))?;
            unmet(&set.prepared(Value::new_object()), p, line)
        });
    serde_json::to_string(&found).map_err(|e| PolicyError::Compile {
        path: package.into(),
        message: e.to_string(),
    })
}

/// `contrail.pii` for `data.contrail.pii`.
fn bare(package: &str) -> &str {
    package.strip_prefix("data.").unwrap_or(package)
}

/// The module of probe rules is named so.
const PROBE_FILE: &str = "contrail-test-probe.rego";

/// The first expression of the body of the test defined at `line` of `policy` that does not
/// hold, over `engine` (every module loaded), with its operands' values.
fn unmet(engine: &Engine, policy: &Policy, line: usize) -> Option<Unmet> {
    let src = policy.source.as_str();
    let mut parser = Engine::new();
    parser
        .add_policy(policy.path.clone(), policy.source.clone())
        .ok()?;
    let ast: Json = serde_json::from_str(&parser.get_ast_as_json().ok()?).ok()?;
    let module = &ast.get(0)?["ast"];
    let text = |node: &Json| extent(node).and_then(|r| src.get(r));
    let imports: Vec<&str> = module["imports"]
        .as_array()?
        .iter()
        .filter_map(text)
        .collect();
    let rule = module["rules"]
        .as_array()?
        .iter()
        .find(|r| r["Spec"]["span"]["line"].as_u64() == Some(line as u64))?;
    let stmts: Vec<&Json> = rule["Spec"]["bodies"][0]["query"]["stmts"]
        .as_array()?
        .iter()
        .collect();
    let texts: Vec<&str> = stmts.iter().map(|&s| text(s)).collect::<Option<_>>()?;
    let package = bare(&policy.package);
    let header = format!("package {package}\n\n{}\n", imports.join("\n"));
    let body = |n: usize| texts[..n].join("\n");

    // Every prefix of the body as a rule: the first that does not hold ends at the culprit.
    let mut probes = header.clone();
    for n in 1..=texts.len() {
        probes.push_str(&format!("\n__contrail_holds_{n} if {{\n{}\n}}\n", body(n)));
    }
    let mut with_prefixes = engine.clone();
    with_prefixes.add_policy(PROBE_FILE.into(), probes).ok()?;
    let culprit = (1..=texts.len()).find(|n| {
        let query = format!("data.{package}.__contrail_holds_{n}");
        !matches!(
            with_prefixes.eval_query(query, false),
            Ok(r) if r.result.first().and_then(|r| r.expressions.first())
                .is_some_and(|e| e.value == Value::Bool(true))
        )
    })? - 1;

    let stmt = stmts[culprit];
    let withs: Vec<&str> = stmt["with_mods"]
        .as_array()
        .map(|w| w.iter().filter_map(text).collect())
        .unwrap_or_default();
    let operands = operands(&stmt["literal"])
        .into_iter()
        .filter_map(|operand| {
            let operand_text = text(operand)?;
            let probe = format!(
                "{header}\n__contrail_value contains __contrail_v if {{\n{}\n__contrail_v := ({operand_text}) {}\n}}\n",
                body(culprit),
                withs.join(" ")
            );
            let mut with_probe = engine.clone();
            with_probe.add_policy(PROBE_FILE.into(), probe).ok()?;
            let got = with_probe
                .eval_query(format!("data.{package}.__contrail_value"), false)
                .ok()?;
            let values = got
                .result
                .first()
                .and_then(|r| r.expressions.first())
                .and_then(|e| serde_json::to_value(&e.value).ok());
            let values = match values {
                Some(Json::Array(values)) => values.iter().map(Json::to_string).collect(),
                _ => Vec::new(),
            };
            Some(Operand {
                text: one_line(operand_text),
                values,
            })
        })
        .collect();
    // regorus counts a tab as several columns: the position is counted here, in characters.
    let start = extent(stmt)?.start;
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    Some(Unmet {
        expression: one_line(texts[culprit]),
        line: src[..start].matches('\n').count() + 1,
        column: src[line_start..start].chars().count() + 1,
        operands,
    })
}

/// The bytes of the source a node of regorus' AST covers: from the first to the last of the
/// spans in it. A string's span leaves out its quotes: they are put back.
fn extent(node: &Json) -> Option<std::ops::Range<usize>> {
    fn walk(node: &Json, quoted: bool, range: &mut Option<std::ops::Range<usize>>) {
        match node {
            Json::Object(fields) => {
                let span = fields.get("span");
                let bounds = span.and_then(|s| Some((s["start"].as_u64()?, s["end"].as_u64()?)));
                if let Some((start, end)) = bounds {
                    let (start, end) = (start as usize, end as usize);
                    let (start, end) = match quoted {
                        true => (start.saturating_sub(1), end + 1),
                        false => (start, end),
                    };
                    *range = Some(match range.take() {
                        Some(r) => r.start.min(start)..r.end.max(end),
                        None => start..end,
                    });
                }
                for (key, value) in fields.iter().filter(|(k, _)| *k != "span") {
                    walk(value, matches!(key.as_str(), "String" | "RawString"), range);
                }
            }
            Json::Array(items) => items.iter().for_each(|i| walk(i, false, range)),
            _ => {}
        }
    }
    let mut range = None;
    walk(node, false, &mut range);
    range
}

/// The operands of a statement worth showing: both sides of a comparison, the value and
/// collection of `in`, the collection of `some … in` and the domain of `every`, the right
/// side of `:=`, what `not` negates; constants (`"x"`, `1`, `{"a", "b"}`) left out, as their
/// text is their value.
fn operands(literal: &Json) -> Vec<&Json> {
    let expr = &literal["Expr"]["expr"];
    let found: Vec<&Json> = if let Some(e) = expr.get("BoolExpr") {
        vec![&e["lhs"], &e["rhs"]]
    } else if let Some(e) = expr.get("Membership") {
        vec![&e["value"], &e["collection"]]
    } else if let Some(e) = expr.get("AssignExpr") {
        vec![&e["rhs"]]
    } else if let Some(s) = literal.get("SomeIn") {
        vec![&s["collection"]]
    } else if let Some(e) = literal.get("Every") {
        vec![&e["domain"]]
    } else if let Some(n) = literal.get("NotExpr") {
        vec![&n["expr"]]
    } else {
        Vec::new()
    };
    found
        .into_iter()
        .filter(|e| !constant(e))
        .filter_map(|e| e.as_object()?.values().next())
        .collect()
}

/// Whether an expression of regorus' AST is a constant: a scalar, or a collection of
/// constants.
fn constant(expr: &Json) -> bool {
    let Some((kind, node)) = expr.as_object().and_then(|o| o.iter().next()) else {
        return false;
    };
    let all = |items: &Json, each: &dyn Fn(&Json) -> bool| {
        items.as_array().is_some_and(|items| items.iter().all(each))
    };
    match kind.as_str() {
        "String" | "RawString" | "Number" | "Bool" | "Null" => true,
        "Array" | "Set" => all(&node["items"], &constant),
        // A field is `[span, key, value]`.
        "Object" => all(&node["fields"], &|f| constant(&f[1]) && constant(&f[2])),
        _ => false,
    }
}

/// Rego text on one line: each run of white space one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
