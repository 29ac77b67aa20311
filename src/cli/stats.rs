use std::io::Write;

use super::args::{Format, StatsArgs};
use super::{load_contract, ExitStatus};
use contrail::model;

pub fn run(args: &StatsArgs) -> Result<ExitStatus, contrail::Error> {
    let target = super::target(&args.path);
    let contract = load_contract(&target.root)?;
    let stats = model::coverage(&contract.model);
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &stats)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out)),
        Format::Human => (|| {
            let rows = stats.rows();
            let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:<width$}  {:>7}  {:>5}  {:>6}",
                "coverage", "covered", "total", "%"
            )?;
            for (label, c) in rows {
                writeln!(
                    out,
                    "{label:<width$}  {:>7}  {:>5}  {:>6.1}",
                    c.covered,
                    c.total,
                    c.percent()
                )?;
            }
            Ok(())
        })(),
    };
    let _ = written.and_then(|_| out.flush());
    Ok(ExitStatus::Clean)
}
