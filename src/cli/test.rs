use std::io::Write;

use serde::Serialize;

use super::args::{Format, Global, TestArgs};
use super::{display_root, ExitStatus};
use contrail::policy::TestOutcome;
use contrail::report::escape::{self, plain};

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
    let root = super::target(&args.path).root;
    let mut policies = contrail::policies(&root, &display_root(&root), true)?;
    if let Ok(exe) = std::env::current_exe() {
        policies.isolate_user_policies(exe, root.clone());
    }
    let outcomes = policies.run_tests();
    let failed = outcomes.iter().filter(|t| !t.passed).count();
    let summary = Summary {
        passed: outcomes.len() - failed,
        failed,
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => escape::write_json(
            &mut out,
            &JsonOutput {
                version: 1,
                tests: &outcomes,
                summary,
            },
        )
        .and_then(|_| writeln!(out)),
        Format::Human => (|| {
            for t in &outcomes {
                if t.passed && global.quiet {
                    continue;
                }
                let verdict = if t.passed { "PASS" } else { "FAIL" };
                let test = format!("{}:{} {}.{}", t.file, t.line, t.package, t.name);
                writeln!(out, "{verdict} {}", plain(&test))?;
                if let Some(e) = &t.error {
                    writeln!(out, "     {}", plain(e))?;
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
