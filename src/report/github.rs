//! `--format github`: one workflow command per finding, which GitHub Actions turns into an
//! annotation on the pull request's lines, and the Markdown report for the job summary.

use std::io::{self, Write};
use std::path::Path;

use super::escape::{github_data, github_property};
use super::markdown::{self, Section};
use super::place::{display_path, message_lines, Span};
use super::Totals;
use crate::locate::LocatedFindings;
use crate::rules::Severity;
use crate::source::{ColumnUnit, SourceMap};

/// GitHub's limit on one step's job summary.
pub const STEP_SUMMARY_LIMIT: usize = 1 << 20;

/// `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=CT201 pii-unclassified::message`
/// per finding. Columns (in characters) only when the span is on one line: GitHub rejects
/// them otherwise.
pub fn write(out: &mut dyn Write, report: &LocatedFindings, sources: &SourceMap) -> io::Result<()> {
    for located in &report.findings {
        let finding = &located.finding;
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(location) = &located.location {
            let span = Span::of(location, sources, ColumnUnit::Chars);
            properties.push(("file", display_path(sources.get(location.file))));
            properties.push(("line", span.start.line.to_string()));
            if span.is_single_line() {
                properties.push(("col", span.start.column.to_string()));
            }
            properties.push(("endLine", span.end.line.to_string()));
            if span.is_single_line() {
                properties.push(("endColumn", span.end.column.to_string()));
            }
        }
        properties.push(("title", finding.rule.label()));
        let properties: Vec<String> = properties
            .into_iter()
            .map(|(key, value)| format!("{key}={}", github_property(&value)))
            .collect();
        let message = message_lines(located, sources).join("\n");
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            github_data(&message)
        )?;
    }
    Ok(())
}

/// Appends the Markdown report to the job summary file (`$GITHUB_STEP_SUMMARY`), within what
/// is left of the step's 1 MiB after what earlier commands of the step wrote.
pub fn append_step_summary(
    path: &Path,
    report: &LocatedFindings,
    sources: &SourceMap,
    totals: &Totals,
    sections: &[Section],
) -> io::Result<()> {
    let used = std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    let budget = STEP_SUMMARY_LIMIT.saturating_sub(used);
    let text = markdown::render(report, sources, totals, sections, budget);
    crate::atomic::append(path, text.as_bytes())
}
