use std::io::Write;

use serde::Serialize;

use super::args::{Format, Global, TestArgs};
use super::{display_root, ExitStatus};
use contrail::policy::{ReplacedTests, TestOutcome, TestRun};
use contrail::report::escape::{self, plain};

#[derive(Serialize)]
struct JsonOutput<'a> {
    version: u32,
    tests: &'a [TestOutcome],
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Summary<'a> {
    passed: usize,
    failed: usize,
    /// Built-in tests not run (without `--builtins`).
    builtins_not_run: usize,
    /// Built-in tests skipped: the contract replaces their package.
    replaced: &'a [ReplacedTests],
}

/// Values of an operand shown after a failing test; more are counted.
const SHOWN_VALUES: usize = 3;
/// A value longer than this many characters is cut.
const VALUE_CHARS: usize = 200;

pub fn run(args: &TestArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let root = super::target(&args.path).root;
    let mut policies = contrail::policies(&root, &display_root(&root), true)?;
    if let Ok(exe) = std::env::current_exe() {
        policies.isolate_user_policies(exe, root.clone());
    }
    let run = policies.run_tests(args.builtins);
    let failed = run.tests.iter().filter(|t| !t.passed).count();
    let summary = Summary {
        passed: run.tests.len() - failed,
        failed,
        builtins_not_run: run.builtins_not_run,
        replaced: &run.replaced,
    };
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => escape::write_json(
            &mut out,
            &JsonOutput {
                version: 1,
                tests: &run.tests,
                summary,
            },
        )
        .and_then(|_| writeln!(out)),
        Format::Human => (|| {
            for t in &run.tests {
                if t.passed && global.quiet {
                    continue;
                }
                writeln!(out, "{}", plain(&outcome_text(t)))?;
            }
            writeln!(out, "{}", plain(&summary_line(&summary, &run)))
        })(),
    };
    let _ = written.and_then(|_| out.flush());
    Ok(if failed > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// `PASS file:line package.name`; a failure adds why: the error, or the expression that did
/// not hold with its operands' values, or what the test came to.
fn outcome_text(t: &TestOutcome) -> String {
    let verdict = if t.passed { "PASS" } else { "FAIL" };
    let mut text = format!("{verdict} {}:{} {}.{}", t.file, t.line, t.package, t.name);
    let mut detail = |line: String| text.push_str(&format!("\n     {line}"));
    if let Some(e) = &t.error {
        detail(e.clone());
    }
    match (&t.unmet, &t.value) {
        (Some(unmet), _) => {
            detail(format!(
                "{}:{}:{}: not true: {}",
                t.file, unmet.line, unmet.column, unmet.expression
            ));
            for operand in &unmet.operands {
                detail(format!(
                    "  {} is {}",
                    operand.text,
                    values_text(&operand.values)
                ));
            }
        }
        (None, Some(value)) => detail(format!("expected true, got {value}")),
        (None, None) => {}
    }
    text
}

/// `"a"`, `"a" or "b"`, `one of "a", "b", "c" (and 2 more)`, `undefined`.
fn values_text(values: &[String]) -> String {
    let cut = |v: &String| match v.char_indices().nth(VALUE_CHARS) {
        Some((at, _)) => format!("{}…", &v[..at]),
        None => v.clone(),
    };
    let shown: Vec<String> = values.iter().take(SHOWN_VALUES).map(cut).collect();
    match values.len() {
        0 => "undefined".to_string(),
        1 => shown.join(""),
        2 => shown.join(" or "),
        n if n <= SHOWN_VALUES => format!("one of {}", shown.join(", ")),
        n => format!(
            "one of {} (and {} more)",
            shown.join(", "),
            n - SHOWN_VALUES
        ),
    }
}

/// `2 passed, 1 failed; 147 built-in tests not run (`--builtins` runs them)`.
fn summary_line(summary: &Summary, run: &TestRun) -> String {
    let mut line = format!("{} passed, {} failed", summary.passed, summary.failed);
    if run.tests.is_empty() && run.builtins_not_run > 0 {
        line.push_str(" (the contract's policies have no tests)");
    }
    if run.builtins_not_run > 0 {
        line.push_str(&format!(
            "; {} built-in tests not run (`contrail test --builtins` runs them)",
            run.builtins_not_run
        ));
    }
    if !run.replaced.is_empty() {
        let skipped: usize = run.replaced.iter().map(|r| r.tests).sum();
        let packages: Vec<&str> = run.replaced.iter().map(|r| r.package.as_str()).collect();
        line.push_str(&format!(
            "; {skipped} built-in tests skipped: the contract replaces {}",
            packages.join(", ")
        ));
    }
    line
}
