//! Rego policies: the built-ins (embedded) and the user's, evaluated with regorus over the
//! catalog, one engine clone per package, in parallel.

mod builtin;
mod evaluate;
mod input;
pub mod metadata;
mod query;
mod results;
mod split;
mod test_runner;
mod worker;

pub use evaluate::{evaluate_in_worker, Failure, PackageResults, WorkerRequest};
pub use input::{Input, InputValue};
pub use test_runner::{
    explain_test_in_worker, Operand, ReplacedTests, TestOutcome, TestRun, Unmet,
};

use std::collections::BTreeSet;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};
use serde::Deserialize;

use crate::config::Config;
use crate::rules::{declare_rule, RuleMeta};
use crate::source::{ReadError, Root};

pub(crate) use results::{INVALID as RESULT_INVALID, VIOLATION};

/// The rules contrail implements in the policy stage itself.
pub static RULES: &[&RuleMeta] = &[&FAILED, &RESULT_INVALID, &VIOLATION];

/// The rules the built-in policies declare in their METADATA (read once, without compiling).
pub fn builtin_rules() -> &'static [&'static RuleMeta] {
    static RULES: std::sync::OnceLock<Vec<&'static RuleMeta>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        builtin::MODULES
            .iter()
            .filter(|(path, _)| !path.ends_with("_test.rego"))
            .flat_map(|(_, source)| metadata::parse(source).unwrap_or_default())
            .collect()
    })
}

declare_rule! {
    /// ## What it does
    /// Reports a policy package whose evaluation failed: it ran past the time limit
    /// (`limits.policy_time` in contrail.yaml), or regorus stopped it with an error.
    ///
    /// ## Why is this bad?
    /// Its rules judged nothing, so the contract was not checked by them. The other
    /// packages still run.
    pub(crate) static FAILED = {
        code: "CT016",
        name: "policy-failed",
        category: Structure,
        severity: Error,
        summary: "Policy evaluation failed",
    };
}

/// One Rego module.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `policies/contrail/pii.rego` for built-ins, the path relative to the contract root
    /// for the user's.
    pub path: String,
    pub package: String,
    pub source: String,
    pub rules: Vec<&'static RuleMeta>,
    pub builtin: bool,
    /// `*_test.rego`: loaded by `contrail test` only.
    pub test: bool,
}

/// Why the policies could not be loaded (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("cannot read policy `{}`: {source}", path.display())]
    Unreadable { path: PathBuf, source: ReadError },
    #[error("cannot read the policies of `{entry}`: {message}")]
    Walk { entry: String, message: String },
    #[error("policy `{path}` does not compile:\n{message}")]
    Compile { path: String, message: String },
    #[error("policy `{path}`: {source}")]
    Metadata {
        path: String,
        source: metadata::MetadataError,
    },
    #[error("policy `{path}`: brackets nested {depth} deep at line {line}, more than {MAX_LITERAL_NESTING}; regorus parses deep literals in exponential time")]
    TooDeep {
        path: String,
        line: usize,
        depth: usize,
    },
    #[error("`limits.policy_memory` cannot be applied to the policy worker: {0}")]
    MemoryLimit(std::io::Error),
    #[error("policy `{path}`: rule `{name}` is already declared by `{other}`")]
    DuplicateRule {
        path: String,
        name: String,
        other: String,
    },
}

/// The policies of a run and an engine prepared with them.
#[derive(Debug)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    /// The built-in test modules left out because the user replaced the package they test
    /// (read with tests only): `contrail test` says how many tests that skipped.
    replaced_tests: Vec<Policy>,
    /// Packages whose evaluation can run the user's Rego ([`untrusted_packages`]): in the
    /// worker process, when one is set.
    untrusted: BTreeSet<String>,
    /// The keys of `input` that the modules of [`Self::untrusted`] packages read, the only
    /// ones a worker is sent; `None`: the whole input.
    worker_input: Option<BTreeSet<String>>,
    engine: Engine,
    /// The rules each package's sets are read from ([`split::by_rule`]).
    parts: split::Parts,
    time_limit: Duration,
    memory_limit: u64,
    worker: Option<worker::Worker>,
}

impl PolicySet {
    /// The built-ins, plus every `*.rego` under each of `paths` (relative to `root`). A user
    /// module declaring a built-in's package replaces that built-in.
    /// Reads `policies:`, `limits.policy_time`, `limits.policy_memory` and `rules.options` (given to the policies as
    /// `data.contrail.config.options`) from `config`.
    pub fn read(root: &Path, config: &Config, with_tests: bool) -> Result<Self, PolicyError> {
        let mut user = Vec::new();
        if !config.policies.is_empty() {
            let dir = Root::new(root).map_err(|e| PolicyError::Unreadable {
                path: root.to_path_buf(),
                source: e.into(),
            })?;
            let limit = config.limits.file_size;
            for p in &config.policies {
                for rel in rego_files(root, &dir, p, limit)? {
                    let unreadable = |source| PolicyError::Unreadable {
                        path: root.join(&rel),
                        source,
                    };
                    let bytes = dir.read(Path::new(&rel), limit).map_err(unreadable)?;
                    let source = String::from_utf8(bytes).map_err(|e| {
                        let e =
                            std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error());
                        unreadable(e.into())
                    })?;
                    user.push(policy(rel, source, false)?);
                }
            }
        }
        let policies: Vec<Policy> = builtin::MODULES
            .iter()
            .map(|(path, source)| policy(path.to_string(), source.to_string(), true))
            .collect::<Result<_, _>>()?;
        // Rego merges same-package modules; overriding a built-in means dropping it first,
        // and with it the built-in's tests (`contrail.pii_test` for `contrail.pii`): they
        // test the module that is gone.
        let replaced: BTreeSet<&str> = user
            .iter()
            .filter(|u| !u.test)
            .map(|u| u.package.as_str())
            .collect();
        let tests_replaced = |b: &Policy| {
            b.test
                && b.package
                    .strip_suffix("_test")
                    .is_some_and(|tested| replaced.contains(tested))
        };
        let (replaced_tests, mut policies): (Vec<Policy>, Vec<Policy>) = policies
            .into_iter()
            .filter(|b| !replaced.contains(b.package.as_str()))
            .partition(|b| tests_replaced(b));
        policies.extend(user);
        policies.retain(|p| with_tests || !p.test);
        let replaced_tests = if with_tests {
            replaced_tests
        } else {
            Vec::new()
        };
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for p in &policies {
            for r in &p.rules {
                if let Some((_, other)) = seen.iter().find(|(n, _)| *n == r.name) {
                    return Err(PolicyError::DuplicateRule {
                        path: p.path.clone(),
                        name: r.name.to_string(),
                        other: other.to_string(),
                    });
                }
                seen.push((r.name, &p.path));
            }
        }
        let mut engine = Engine::new();
        sandbox(&mut engine)?;
        let options = serde_json::json!({"contrail": {"config": {"options": config.rule_options}}});
        let data = Value::deserialize(options).map_err(|e| PolicyError::Compile {
            path: crate::config::FILE_NAME.into(),
            message: format!("`rules.options` cannot be given to policies: {e}"),
        })?;
        engine.add_data(data).map_err(|e| PolicyError::Compile {
            path: crate::config::FILE_NAME.into(),
            message: format!("`rules.options` cannot be given to policies: {e}"),
        })?;
        let untrusted = untrusted_packages(&policies);
        // Tests refer to the sets they test, and a package that may run the user's code
        // runs in a worker as a whole: those stay as written.
        let (engine, parts) = split::by_rule(engine, &policies, |p| {
            !with_tests && !untrusted.contains(&p.package)
        })?;
        let in_worker = called_packages(&policies, untrusted.clone());
        let worker_input = input_keys(
            policies
                .iter()
                .filter(|p| in_worker.contains(&p.package))
                .map(|p| p.source.as_str()),
        );
        Ok(Self {
            untrusted,
            worker_input,
            policies,
            replaced_tests,
            engine,
            parts,
            time_limit: config.policy_time,
            memory_limit: config.policy_memory,
            worker: None,
        })
    }

    /// An engine with every module loaded, `input` set and the time limit armed.
    fn prepared(&self, input: Value) -> Engine {
        let mut engine = self.engine.clone();
        engine.set_input(input);
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: self.time_limit,
            check_interval: CLOCK_CHECK_INTERVAL,
        });
        engine
    }

    /// Refuses a policy rule that takes the name or code of one of `reserved` (the Rust rules).
    pub fn reject_reserved(&self, reserved: &[&'static RuleMeta]) -> Result<(), PolicyError> {
        for p in &self.policies {
            for r in &p.rules {
                if let Some(b) = reserved
                    .iter()
                    .find(|b| b.name == r.name || b.code == r.code)
                {
                    return Err(PolicyError::DuplicateRule {
                        path: p.path.clone(),
                        name: r.name.to_string(),
                        other: b.code.to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Every rule the policies declare.
    pub fn rules(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        self.policies.iter().flat_map(|p| p.rules.iter().copied())
    }

    /// Evaluates user packages in a separate process of this program (`exe`).
    pub fn isolate_user_policies(&mut self, exe: PathBuf, root: PathBuf) {
        self.worker = Some(worker::Worker {
            exe,
            root,
            memory: self.memory_limit,
            time: self.time_limit,
        });
    }
}

/// Builtins whose answer differs between two runs over the same contract (the clock,
/// randomness), with their arity. A policy that calls one fails (`CT016 policy-failed`,
/// naming the builtin) rather than making findings that come and go; a test may still mock
/// one (`with time.now_ns as …`).
const NONDETERMINISTIC_BUILTINS: [(&str, u8); 3] =
    [("time.now_ns", 0), ("rand.intn", 2), ("uuid.rfc4122", 1)];

/// Takes from `engine` what a policy from a pull request must not have: the builtins of
/// [`NONDETERMINISTIC_BUILTINS`] (an extension of the same name is found first), and
/// `print`, whose text would reach the terminal or the CI log unescaped (kept in the engine
/// and dropped instead).
fn sandbox(engine: &mut Engine) -> Result<(), PolicyError> {
    engine.set_gather_prints(true);
    for (name, arity) in NONDETERMINISTIC_BUILTINS {
        let refuse = move |_: Vec<Value>| -> anyhow::Result<Value> {
            anyhow::bail!(
                "`{name}` is not available to policies: contrail gives the same findings on every run of the same contract (a test can mock it: `with {name} as …`)"
            )
        };
        engine
            .add_extension(name.to_string(), arity, Box::new(refuse))
            .map_err(|e| PolicyError::Compile {
                path: name.to_string(),
                message: e.to_string(),
            })?;
    }
    Ok(())
}

/// The packages whose evaluation can run a user's Rego: the user's own, and every built-in
/// package that refers to one of them, directly or through another built-in (a user module
/// replacing `contrail.lib` runs inside every built-in package that imports it).
fn untrusted_packages(policies: &[Policy]) -> BTreeSet<String> {
    let user = policies
        .iter()
        .filter(|p| !p.builtin)
        .map(|p| p.package.clone())
        .collect();
    closure(policies, user, |member, candidate| {
        candidate.builtin && refers_to(candidate, member)
    })
}

/// `packages` and every package their modules refer to, directly or through another: what a
/// worker evaluating one of `packages` may run.
fn called_packages(policies: &[Policy], packages: BTreeSet<String>) -> BTreeSet<String> {
    closure(policies, packages, refers_to)
}

/// Whether module `caller` refers to the package of `callee`, read in its code only: prose
/// in a comment ("personal data. The finding …") named `data` itself, which sent
/// `contrail.pii` and `contrail.governance` to the worker whenever the contract had a policy.
fn refers_to(caller: &Policy, callee: &Policy) -> bool {
    data_refs(&code_only(&caller.source)).any(|r| overlaps(r, &callee.package))
}

/// `packages` grown until no module outside them is `joins(member, candidate)` with a
/// module inside.
fn closure(
    policies: &[Policy],
    mut packages: BTreeSet<String>,
    joins: impl Fn(&Policy, &Policy) -> bool,
) -> BTreeSet<String> {
    loop {
        let reached: Vec<String> = policies
            .iter()
            .filter(|candidate| !packages.contains(&candidate.package))
            .filter(|candidate| {
                policies
                    .iter()
                    .filter(|member| packages.contains(&member.package))
                    .any(|member| joins(member, candidate))
            })
            .map(|candidate| candidate.package.clone())
            .collect();
        if reached.is_empty() {
            return packages;
        }
        packages.extend(reached);
    }
}

/// The `data.a.b` references of a module's source.
fn data_refs(source: &str) -> impl Iterator<Item = &str> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    source
        .match_indices("data.")
        .filter(move |(i, _)| !source[..*i].ends_with(ident))
        .map(move |(i, _)| {
            let rest = &source[i..];
            let end = rest
                .find(|c: char| !ident(c) && c != '.')
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches('.')
        })
}

/// The top-level keys of `input` that `sources` read (`input.flows` → `flows`), or `None`
/// when one of them uses `input` otherwise (`input[k]`, `object.get(input, …)`, `input`
/// alone), and so may read any key. Comments and strings count too: erring towards more.
fn input_keys<'s>(sources: impl Iterator<Item = &'s str>) -> Option<BTreeSet<String>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut keys = BTreeSet::new();
    for source in sources {
        for (i, _) in source.match_indices("input") {
            let before = source[..i].chars().next_back();
            let after = &source[i + "input".len()..];
            if before.is_some_and(|c| ident(c) || c == '.') || after.starts_with(ident) {
                continue;
            }
            let key = after.strip_prefix('.')?;
            let end = key.find(|c: char| !ident(c)).unwrap_or(key.len());
            if end == 0 {
                return None;
            }
            keys.insert(key[..end].to_string());
        }
    }
    Some(keys)
}

/// Whether evaluating path `a` can evaluate path `b` or the reverse: one is the other or
/// inside it (`data.contrail` holds `data.contrail.lib`).
fn overlaps(a: &str, b: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|r| r.is_empty() || r.starts_with('.'))
    };
    within(a, b) || within(b, a)
}

/// Interpreter steps between two reads of the clock for the time limit: a read per step was
/// 4% of the evaluation time (perf, 64,000 flows).
const CLOCK_CHECK_INTERVAL: NonZeroU32 = NonZeroU32::new(64).unwrap();

/// One line for a regorus error: its `error:` reason and its `--> file:line:col`, which
/// regorus prints on separate lines around a source excerpt.
pub(crate) fn summarize_error(text: &str) -> String {
    let line = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    let reason = line("error:").unwrap_or_else(|| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or(text)
    });
    match line("-->") {
        Some(at) if !reason.contains(at) => format!("{reason} (at {at})"),
        _ => reason.to_string(),
    }
}

/// Deepest bracket nesting a policy may have: regorus' parse time doubles per level of
/// nested literals (measured: 16 levels 0.1 s, 18 levels 0.4 s, 40 would not finish).
pub const MAX_LITERAL_NESTING: usize = 16;

/// Checks bracket nesting outside strings and comments, before regorus parses the source.
fn check_nesting(path: &str, source: &str) -> Result<(), PolicyError> {
    let (mut depth, mut line) = (0usize, 1usize);
    for c in code_only(source).chars() {
        match c {
            '\n' => line += 1,
            '[' | '{' | '(' => {
                depth += 1;
                if depth > MAX_LITERAL_NESTING {
                    return Err(PolicyError::TooDeep {
                        path: path.to_string(),
                        line,
                        depth,
                    });
                }
            }
            ']' | '}' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// `source` with its comments and string literals blanked out, its line breaks kept.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                if chars.by_ref().any(|c| c == '\n') {
                    out.push('\n');
                }
            }
            '"' => {
                out.push(' ');
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => drop(chars.next()),
                        '"' => break,
                        '\n' => {
                            out.push('\n');
                            break;
                        }
                        _ => {}
                    }
                }
            }
            '`' => {
                out.push(' ');
                for c in chars.by_ref() {
                    match c {
                        '`' => break,
                        '\n' => out.push('\n'),
                        _ => {}
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn policy(path: String, source: String, builtin: bool) -> Result<Policy, PolicyError> {
    check_nesting(&path, &source)?;
    let rules = metadata::parse(&source).map_err(|e| PolicyError::Metadata {
        path: path.clone(),
        source: e,
    })?;
    let package = source
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("package "))
        .map(|p| format!("data.{}", p.trim()))
        .unwrap_or_default();
    Ok(Policy {
        test: path.ends_with("_test.rego"),
        path,
        package,
        source,
        rules,
        builtin,
    })
}

/// The `*.rego` files under the `policies:` entry `entry` (or the file it names), relative
/// to the contract root and sorted; `root` is how the user spelled it. The walk stays inside
/// the root: a link out of it, or a link loop, is an error naming it.
fn rego_files(
    root: &Path,
    dir: &Root,
    entry: &str,
    limit: u64,
) -> Result<Vec<String>, PolicyError> {
    let rel = Path::new(entry)
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let resolved = dir
        .resolve(Path::new(&rel))
        .map_err(|source| PolicyError::Unreadable {
            path: root.join(&rel),
            source,
        })?;
    if !resolved.is_dir() {
        return Ok(vec![rel]);
    }
    let walked = crate::source::walk(dir, &rel, &|f| f.ends_with(".rego"), limit);
    match walked.problems.into_iter().next() {
        Some(problem) => Err(PolicyError::Walk {
            entry: entry.to_string(),
            message: problem.message,
        }),
        None => Ok(walked.files),
    }
}

#[cfg(test)]
mod tests {
    use super::{input_keys, policy, untrusted_packages};

    #[test]
    fn prose_in_a_comment_is_not_a_reference() {
        let builtin = |source: &str| policy("b.rego".into(), source.into(), true);
        let policies = [
            builtin("package contrail.a\n\n# it is still personal data. The end\n")
                .expect("parses"),
            builtin("package contrail.b\n\nx := data.acme.rule\n").expect("parses"),
            policy("u.rego".into(), "package acme\n\nrule := 1\n".into(), false).expect("parses"),
        ];
        let untrusted: Vec<String> = untrusted_packages(&policies).into_iter().collect();
        assert_eq!(untrusted, ["data.acme", "data.contrail.b"]);
    }

    fn keys(source: &str) -> Option<Vec<String>> {
        input_keys(std::iter::once(source)).map(|k| k.into_iter().collect())
    }

    #[test]
    fn input_keys_are_the_top_level_keys_read() {
        let source = "deny contains x if { some e in input.exposures; input.events[e.event]; data.input.flows; my_input.teams }";
        assert_eq!(
            keys(source),
            Some(vec!["events".into(), "exposures".into()])
        );
    }

    #[test]
    fn input_read_as_a_whole_sends_everything() {
        assert_eq!(keys("x := object.get(input, \"flows\", [])"), None);
        assert_eq!(keys("x := input[k]"), None);
        assert_eq!(keys("x := input"), None);
    }
}
