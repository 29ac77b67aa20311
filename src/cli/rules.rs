use std::io::Write;

use serde::Serialize;

use super::args::{Format, RulesArgs};
use super::{display_root, ExitStatus};
use contrail::report::escape::{self, plain};

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
            escape::write_json(&mut out, &rows).and_then(|_| writeln!(out))
        }
        Format::Human => (|| {
            // Codes, names and summaries of user policies are user text.
            let rows: Vec<[String; 3]> = rules
                .iter()
                .map(|r| [r.code, r.name, r.summary].map(|s| plain(s).into_owned()))
                .collect();
            // A longer name overflows its column (a width past 65,535 would panic).
            let width = rows
                .iter()
                .map(|[_, name, _]| name.len())
                .max()
                .unwrap_or(4)
                .min(64);
            writeln!(
                out,
                "{:<8}{:<width$}  {:<9}{:<15}summary",
                "code", "name", "severity", "category"
            )?;
            for (r, [code, name, summary]) in rules.iter().zip(&rows) {
                writeln!(
                    out,
                    "{code:<8}{name:<width$}  {:<9}{:<15}{summary}",
                    r.severity.as_str(),
                    r.category.as_str(),
                )?;
            }
            Ok(())
        })(),
    };
    let _ = written.and_then(|_| out.flush());
    Ok(ExitStatus::Clean)
}
