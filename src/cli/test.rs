use std::io::Write;

use serde::Serialize;

use super::args::{Format, Global, TestArgs};
use super::{display_root, ExitStatus};
use contrail::policy::TestOutcome;

#[derive(Serialize)]
struct JsonOutput<'a> {
    version: u32,
    tests: &'a [TestOutcome],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    passed: usize,
    failed: usize,
}

pub fn run(args: &TestArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let mut policies = contrail::policies(&args.path, &display_root(&args.path), true)?;
    if let Ok(exe) = std::env::current_exe() {
        policies.isolate_user_policies(exe, args.path.clone());
    }
    let outcomes = policies.run_tests();
    let failed = outcomes.iter().filter(|t| !t.passed).count();
    let summary = Summary {
        passed: outcomes.len() - failed,
        failed,
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(
            &mut out,
            &JsonOutput {
                version: 1,
                tests: &outcomes,
                summary,
            },
        )
        .map_err(std::io::Error::other)
        .and_then(|_| writeln!(out)),
        Format::Human => (|| {
            for t in &outcomes {
                if t.passed && global.quiet {
                    continue;
                }
                let verdict = if t.passed { "PASS" } else { "FAIL" };
                writeln!(
                    out,
                    "{verdict} {}:{} {}.{}",
                    t.file, t.line, t.package, t.name
                )?;
                if let Some(e) = &t.error {
                    writeln!(out, "     {e}")?;
                }
            }
            writeln!(out, "{} passed, {} failed", summary.passed, summary.failed)
        })(),
    };
    let _ = written.and_then(|_| out.flush());
    Ok(if failed > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
