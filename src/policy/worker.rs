//! User policies run in a child process of contrail itself (`contrail __evaluate-policy`):
//! Rego from a repository is untrusted, and regorus aborts the process on unbounded
//! recursion or a huge allocation. A crash then fails that package only, and the worker's
//! address space is capped (`limits.policy_memory`) so that an allocating policy fails fast
//! instead of taking the machine's memory.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::{Failure, PackageResults};

/// The hidden subcommand the worker runs.
pub const SUBCOMMAND: &str = "__evaluate-policy";

#[derive(Debug)]
pub(super) struct Worker {
    pub exe: PathBuf,
    pub root: PathBuf,
    /// `limits.policy_memory`, for the message when the worker runs out of it.
    pub memory: u64,
}

impl Worker {
    pub fn evaluate(&self, package: &str, catalog_json: &str) -> PackageResults {
        match self.run(package, catalog_json) {
            Ok(results) => results,
            Err(why) => PackageResults {
                sets: Vec::new(),
                failure: Some(Failure { set: None, why }),
            },
        }
    }

    fn run(&self, package: &str, catalog_json: &str) -> Result<PackageResults, String> {
        let mut child = Command::new(&self.exe)
            .arg(SUBCOMMAND)
            .arg(&self.root)
            .arg(package)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the policy worker: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A worker that dies early closes the pipe; its exit status says why.
            let _ = stdin.write_all(catalog_json.as_bytes());
        }
        let output = child
            .wait_with_output()
            .map_err(|e| format!("the policy worker failed: {e}"))?;
        if !output.status.success() {
            return Err(crash_reason(&output.status, &output.stderr, self.memory));
        }
        serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("the policy worker answered garbage: {e}"))
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
