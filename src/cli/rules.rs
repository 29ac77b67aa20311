use std::io::Write;

use serde::Serialize;

use super::args::{Format, RulesArgs};
use super::{display_root, ExitStatus};

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    category: &'static str,
    summary: &'static str,
}

pub fn run(args: &RulesArgs) -> Result<ExitStatus, contrail::Error> {
    let root = super::target(&args.path).root;
    let policies = contrail::policies(&root, &display_root(&root), false)?;
    let mut rules = contrail::rules_of_run(&policies);
    rules.sort_by(|a, b| a.code.cmp(b.code));
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            let rows: Vec<JsonRule> = rules
                .iter()
                .map(|r| JsonRule {
                    code: r.code,
                    name: r.name,
                    severity: r.severity.as_str(),
                    category: r.category.as_str(),
                    summary: r.summary,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)
                .map_err(std::io::Error::other)
                .and_then(|_| writeln!(out))
        }
        Format::Human => (|| {
            let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(4);
            writeln!(
                out,
                "{:<8}{:<width$}  {:<9}{:<15}summary",
                "code", "name", "severity", "category"
            )?;
            for r in &rules {
                writeln!(
                    out,
                    "{:<8}{:<width$}  {:<9}{:<15}{}",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.category.as_str(),
                    r.summary
                )?;
            }
            Ok(())
        })(),
    };
    let _ = written.and_then(|_| out.flush());
    Ok(ExitStatus::Clean)
}
