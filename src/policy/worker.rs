//! User policies run in a child process of contrail itself (`contrail __evaluate-policy`):
//! Rego from a repository is untrusted, and regorus aborts the process on unbounded
//! recursion or a huge allocation. A crash then fails that package only, and the worker's
//! address space is capped (`limits.policy_memory`) so that an allocating policy fails fast
//! instead of taking the machine's memory. The worker gets an empty environment (CI secrets
//! live there) and is killed if it outlives [`Worker::deadline`]: regorus reads its clock
//! between interpreter steps, not inside a builtin call.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::evaluate::RESULT_SETS;
use super::test_runner::Unmet;
use super::{Failure, PackageResults};

/// The hidden subcommand the worker runs.
pub const SUBCOMMAND: &str = "__evaluate-policy";

#[derive(Debug)]
pub(super) struct Worker {
    pub exe: PathBuf,
    pub root: PathBuf,
    /// `limits.policy_memory`, for the message when the worker runs out of it.
    pub memory: u64,
    /// `limits.policy_time`, which each of the package's result sets gets.
    pub time: Duration,
}

/// How a worker's run ended.
enum Exit {
    Status(ExitStatus),
    Killed,
}

impl Worker {
    /// Evaluates `rules` of `package` (`deny`, `warn`, `info`; `verdicts`) in a worker.
    pub fn evaluate(&self, package: &str, rules: &[&str], catalog_json: &str) -> PackageResults {
        self.answer(&[], package, rules, catalog_json)
    }

    /// Runs the test `rule` of `package` (a `*_test.rego` module) in a worker, over no input.
    pub fn run_test(&self, package: &str, rule: &str) -> PackageResults {
        self.answer(&["--tests"], package, &[rule], "{}")
    }

    /// Finds the unmet expression of the failing test `rule` of `package` in a worker
    /// (none when it cannot be found, or the worker failed).
    pub fn explain_test(&self, package: &str, rule: &str) -> Option<Unmet> {
        let stdout = self.run(&["--explain"], package, &[rule], "{}").ok()?;
        serde_json::from_slice(&stdout).ok().flatten()
    }

    fn answer(
        &self,
        flags: &[&str],
        package: &str,
        rules: &[&str],
        catalog_json: &str,
    ) -> PackageResults {
        let results = self
            .run(flags, package, rules, catalog_json)
            .and_then(|stdout| {
                serde_json::from_slice(&stdout)
                    .map_err(|e| format!("the policy worker answered garbage: {e}"))
            });
        match results {
            Ok(results) => results,
            Err(why) => PackageResults {
                sets: Vec::new(),
                failure: Some(Failure { set: None, why }),
            },
        }
    }

    /// When a worker that is still running is killed: each result set's time limit (three
    /// at most), and as much again to start and read the catalog.
    fn deadline(&self) -> Duration {
        self.time * (RESULT_SETS.len() as u32 + 1)
    }

    /// The worker's answer (its stdout), or why there is none.
    fn run(
        &self,
        flags: &[&str],
        package: &str,
        rules: &[&str],
        catalog_json: &str,
    ) -> Result<Vec<u8>, String> {
        let mut child = Command::new(&self.exe)
            .arg(SUBCOMMAND)
            .args(flags)
            .arg(&self.root)
            .arg(package)
            .args(rules)
            .env_clear()
            // `"Local"` in the time builtins is then UTC, whatever the runner's zone.
            .env("TZ", "UTC0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the policy worker: {e}"))?;
        let (exit, stdout, stderr) = std::thread::scope(|scope| {
            let stdin = child.stdin.take();
            scope.spawn(move || {
                // A worker that dies early closes the pipe; its exit status says why.
                if let Some(mut stdin) = stdin {
                    let _ = stdin.write_all(catalog_json.as_bytes());
                }
            });
            let stdout = drain(scope, child.stdout.take());
            let stderr = drain(scope, child.stderr.take());
            let exit = wait(&mut child, self.deadline());
            let join = |h: std::thread::ScopedJoinHandle<Vec<u8>>| h.join().unwrap_or_default();
            (exit, join(stdout), join(stderr))
        });
        match exit.map_err(|e| format!("the policy worker failed: {e}"))? {
            // The message names the limit, as the in-process timer's does.
            Exit::Killed => Err("evaluation exceeded the time limit".into()),
            Exit::Status(status) if !status.success() => {
                Err(crash_reason(&status, &stderr, self.memory))
            }
            Exit::Status(_) => Ok(stdout),
        }
    }
}

/// Reads a pipe to its end on its own thread.
fn drain<'s, R: Read + Send + 's>(
    scope: &'s std::thread::Scope<'s, '_>,
    pipe: Option<R>,
) -> std::thread::ScopedJoinHandle<'s, Vec<u8>> {
    scope.spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Waits for `child`, killing it once `limit` has passed.
fn wait(child: &mut Child, limit: Duration) -> std::io::Result<Exit> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Exit::Status(status));
        }
        if started.elapsed() >= limit {
            child.kill()?;
            child.wait()?;
            return Ok(Exit::Killed);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Caps the address space of this process (the worker) at `bytes`.
pub fn limit_memory(bytes: u64) -> std::io::Result<()> {
    rlimit::setrlimit(rlimit::Resource::AS, bytes, bytes)
}

fn crash_reason(status: &std::process::ExitStatus, stderr: &[u8], memory: u64) -> String {
    use std::os::unix::process::ExitStatusExt;
    let stderr = String::from_utf8_lossy(stderr);
    if stderr.contains("overflowed its stack") {
        return "evaluation overflowed the stack (unbounded recursion?)".into();
    }
    if stderr.contains("memory allocation of") {
        return format!(
            "evaluation ran out of memory: it needs more than {} MiB (`limits.policy_memory` in contrail.yaml)",
            memory >> 20
        );
    }
    match status.signal() {
        Some(signal) => {
            format!("evaluation was killed by signal {signal} (memory exhaustion or an abort?)")
        }
        None => {
            let last = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no message");
            format!("evaluation stopped ({status}): {last}")
        }
    }
}
