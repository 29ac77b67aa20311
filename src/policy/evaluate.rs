//! Evaluating the packages over the input: built-ins in this process, one task per result
//! set; user packages in a worker process when one is set; results turned into findings.

use std::path::Path;

use rayon::prelude::*;
use regorus::{Engine, Value};

use super::{
    results, summarize_error, worker, Input, InputValue, Policy, PolicyError, PolicySet, FAILED,
};
use crate::config::Config;
use crate::finding::{Anchor, Finding};
use crate::model::Model;
use crate::rules::RuleMeta;

impl PolicySet {
    /// Evaluates `deny`, `warn` and `info` of every non-test package over `input`.
    /// Built-in packages run in this process; packages that can run the user's Rego (theirs,
    /// and built-ins importing a package they replaced) run in a worker process when one is
    /// set ([`PolicySet::isolate_user_policies`]), so that a hostile policy (unbounded
    /// recursion, a huge allocation) costs its own findings, not the run.
    /// `value` is `input` converted ([`InputValue::new`]); a worker reads `input` as JSON.
    pub fn evaluate(&self, input: &Input, value: &InputValue, model: &Model) -> Vec<Finding> {
        let mut packages: Vec<&Policy> = self.policies.iter().filter(|p| !p.test).collect();
        packages.sort_by(|a, b| a.package.cmp(&b.package));
        packages.dedup_by(|a, b| a.package == b.package);
        let isolated = self
            .worker
            .as_ref()
            .filter(|_| packages.iter().any(|p| self.untrusted.contains(&p.package)));
        // Without its JSON a worker cannot run: the packages meant for it fail, they never
        // fall back to this process and its weaker limits.
        let catalog_json = isolated.map(|_| value.json(input, self.worker_input.as_ref()));
        let prepared = self.prepared(value.value.clone());
        // In-process packages split into one task per rule ([`split`]), so that one large
        // package does not cap the speed-up; a worker process takes a whole package.
        let mut tasks: Vec<Task> = Vec::new();
        for policy in packages {
            match &catalog_json {
                Some(_) if self.untrusted.contains(&policy.package) => {
                    tasks.push(Task::Worker(policy));
                }
                _ => match self.parts.get(&policy.package) {
                    Some(parts) => tasks.extend(
                        parts
                            .iter()
                            .map(|(set, rule)| Task::Rule(policy, set, rule.as_str())),
                    ),
                    None => {
                        tasks.extend(RESULT_SETS.iter().map(|set| Task::Rule(policy, set, set)))
                    }
                },
            }
        }
        let results: Vec<(&Policy, Option<&str>, PackageResults)> = tasks
            .par_iter()
            .with_max_len(1)
            .map(|task| match (task, &self.worker, &catalog_json) {
                (Task::Worker(policy), Some(worker), Some(Ok(json))) => (
                    *policy,
                    None,
                    worker.evaluate(&policy.package, &RESULT_SETS, json),
                ),
                (Task::Worker(policy), _, json) => (
                    *policy,
                    None,
                    PackageResults {
                        sets: Vec::new(),
                        failure: Some(Failure {
                            set: None,
                            why: format!(
                                "its input could not be written for the policy worker: {}",
                                json.as_ref()
                                    .and_then(|j| j.as_ref().err())
                                    .map_or("no worker", String::as_str)
                            ),
                        }),
                    },
                ),
                (Task::Rule(policy, set, rule), _, _) => (
                    *policy,
                    Some(*set),
                    evaluate_rules(&mut prepared.clone(), &policy.package, &[(set, rule)]),
                ),
            })
            .collect();
        let mut findings = Vec::new();
        for group in results.chunk_by(|a, b| std::ptr::eq(a.0, b.0) && a.1.is_some() && a.1 == b.1)
        {
            findings.extend(self.findings(group[0].0, merge(group), model));
        }
        findings
    }

    fn findings(&self, policy: &Policy, results: PackageResults, model: &Model) -> Vec<Finding> {
        let rules: Vec<&'static RuleMeta> = self
            .policies
            .iter()
            .filter(|p| p.package == policy.package)
            .flat_map(|p| p.rules.iter().copied())
            .collect();
        let reader = results::Reader {
            path: &policy.path,
            package: &policy.package,
            rules: &rules,
            model,
        };
        let mut out = Vec::new();
        for (set, value) in &results.sets {
            reader.findings(set, value, &mut out);
        }
        if let Some(failure) = results.failure {
            // The timer's message carries elapsed nanoseconds: not stable output.
            let why = if failure.why.contains("time limit") {
                format!(
                    "ran past the time limit of {}s (`limits.policy_time` in contrail.yaml)",
                    self.time_limit.as_secs()
                )
            } else {
                failure.why
            };
            out.push(Finding::new(
                &FAILED,
                Anchor::Repo,
                format!(
                    "policy `{}` ({}{}) failed: {why}",
                    policy.path,
                    policy
                        .package
                        .strip_prefix("data.")
                        .unwrap_or(&policy.package),
                    failure.set.map(|s| format!(".{s}")).unwrap_or_default(),
                ),
            ));
        }
        out
    }
}

/// What one package's `deny`, `warn` and `info` evaluated to (serializable, so that a worker
/// process can send it), and where evaluation stopped, if it did.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PackageResults {
    pub sets: Vec<(String, Value)>,
    pub failure: Option<Failure>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// The set being evaluated, when known.
    pub set: Option<String>,
    pub why: String,
}

/// The sets a policy package may define.
pub(super) const RESULT_SETS: [&str; 3] = ["deny", "warn", "info"];

/// One task of [`PolicySet::evaluate`]: a whole package in the worker, or one rule making up
/// (part of) one result set in this process.
enum Task<'p> {
    Worker(&'p Policy),
    Rule(&'p Policy, &'static str, &'p str),
}

/// The results of one package's set (or its whole package) from the tasks that made them:
/// the union of the rules' sets, or the first failure.
fn merge(group: &[(&Policy, Option<&str>, PackageResults)]) -> PackageResults {
    // A failed set judged nothing: only what its task made before it failed is kept.
    if let Some((_, _, failed)) = group.iter().find(|(_, _, r)| r.failure.is_some()) {
        return PackageResults {
            sets: failed.sets.clone(),
            failure: failed.failure.clone(),
        };
    }
    let mut sets: Vec<(String, Value)> = Vec::new();
    for (set, value) in group.iter().flat_map(|(_, _, r)| r.sets.iter()) {
        let same = sets
            .iter_mut()
            .find(|(s, v)| s == set && matches!(v, Value::Set(_)));
        match (same, value.as_set()) {
            (Some((_, all)), Ok(more)) => {
                if let Ok(all) = all.as_set_mut() {
                    all.extend(more.iter().cloned());
                }
            }
            _ => sets.push((set.clone(), value.clone())),
        }
    }
    PackageResults {
        sets,
        failure: None,
    }
}

fn evaluate_sets(engine: &mut Engine, package: &str, sets: &[&str]) -> PackageResults {
    let rules: Vec<(&str, &str)> = sets.iter().map(|s| (*s, *s)).collect();
    evaluate_rules(engine, package, &rules)
}

/// Evaluates each `(set, rule)` of `package`, its value counting as the set's.
fn evaluate_rules(engine: &mut Engine, package: &str, rules: &[(&str, &str)]) -> PackageResults {
    let mut results = PackageResults::default();
    for (set, rule) in rules {
        match engine.eval_query(format!("{package}.{rule}"), false) {
            Ok(r) => {
                let Some(expr) = r.result.first().and_then(|r| r.expressions.first()) else {
                    continue;
                };
                results.sets.push((set.to_string(), expr.value.clone()));
            }
            Err(e) => {
                results.failure = Some(Failure {
                    set: Some(set.to_string()),
                    why: summarize_error(&e.to_string()),
                });
                break;
            }
        }
    }
    results
}

/// What a worker is asked: `rules` (default `deny`, `warn`, `info`) of one `package`, with
/// the `*_test.rego` modules loaded when `with_tests` (a test is a rule of its package).
#[derive(Debug)]
pub struct WorkerRequest<'a> {
    pub package: &'a str,
    pub rules: &'a [String],
    pub with_tests: bool,
}

/// The worker side: answers `request` for the contract at `root` over the catalog given as
/// JSON, with the results as JSON.
pub fn evaluate_in_worker(
    root: &Path,
    config: &Config,
    request: &WorkerRequest,
    catalog_json: &str,
) -> Result<String, PolicyError> {
    let package = request.package;
    worker::limit_memory(config.policy_memory).map_err(PolicyError::MemoryLimit)?;
    let set = PolicySet::read(root, config, request.with_tests)?;
    let input = Value::from_json_str(catalog_json).map_err(|e| PolicyError::Compile {
        path: "catalog".into(),
        message: e.to_string(),
    })?;
    let rules: Vec<&str> = request.rules.iter().map(String::as_str).collect();
    let sets = if rules.is_empty() {
        &RESULT_SETS[..]
    } else {
        &rules
    };
    let results = evaluate_sets(&mut set.prepared(input), package, sets);
    serde_json::to_string(&results).map_err(|e| PolicyError::Compile {
        path: package.into(),
        message: e.to_string(),
    })
}
