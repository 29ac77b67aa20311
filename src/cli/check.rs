use std::io::Write;
use std::time::Instant;

use super::args::{CheckArgs, Format, Global};
use super::{load_base, load_contract, style, ExitStatus};
use contrail::report::{human, json, Totals};
use contrail::rules::Severity;

pub fn run(args: &CheckArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let started = Instant::now();
    let mut contract = load_contract(&args.path)?;
    load_base(&mut contract, &args.path, args.base.as_deref())?;
    let checked = contrail::check(&contract);
    let report = checked.report;
    let head_files = contract
        .sources
        .map
        .iter()
        .filter(|(_, f)| !f.from_base)
        .count();
    let totals = Totals::count(
        &report,
        head_files - contract.skipped.len(),
        contract.model.events.len(),
        contract.model.properties.len(),
    );
    let stats = contrail::catalog::stats(&contract.model);
    let mut stdout = std::io::stdout().lock();
    if global.verbose {
        for file in &contract.skipped {
            let path = &contract.sources.map.get(*file).display_path;
            eprintln!("skipped {} (no document has a `kind`)", path.display());
        }
    }
    let written = match args.format {
        Format::Human => human::write(&mut stdout, &report, &contract.sources.map, style(global))
            .and_then(|_| {
                if global.quiet {
                    return Ok(());
                }
                writeln!(
                    stdout,
                    "{}",
                    human::summary_line(&totals, Some(started.elapsed()))
                )?;
                writeln!(stdout, "{}", stats.summary_line())
            }),
        Format::Json => json::write(
            &mut stdout,
            &report,
            &checked.changes,
            &contract.sources.map,
            &totals,
            &stats,
        ),
    };
    // A closed pipe (`| head`) is the reader's choice, not a failure of the run.
    let _ = written.and_then(|_| stdout.flush());
    Ok(status(&report))
}

fn status(report: &contrail::locate::Report) -> ExitStatus {
    if report.count(Severity::Error) > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}
