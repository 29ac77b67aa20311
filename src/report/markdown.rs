//! `--format markdown` and the GitHub job summary: a headline, a table of findings, then
//! any extra sections a caller adds (the reviewer diff), within a size cap.

use std::io::{self, Write};

use super::escape::{markdown_prose, markdown_text, LineBreak};
use super::place::{message_lines, position};
use super::{human, Totals};
use crate::locate::LocatedFindings;
use crate::source::SourceMap;

/// A Markdown section appended after the findings (e.g. the reviewer diff).
#[derive(Clone, Debug)]
pub struct Section {
    /// Plain text: names the section in the truncation note.
    pub title: String,
    /// Markdown with its own `##` heading, written as it is.
    pub markdown: String,
}

/// Writes the whole report, uncapped.
pub fn write(
    out: &mut dyn Write,
    report: &LocatedFindings,
    sources: &SourceMap,
    totals: &Totals,
    sections: &[Section],
) -> io::Result<()> {
    out.write_all(render(report, sources, totals, sections, usize::MAX).as_bytes())
}

/// The report in at most `cap` bytes. When it does not fit, whole rows and sections are left
/// out from the end and a note says how many findings and which sections are missing.
pub fn render(
    report: &LocatedFindings,
    sources: &SourceMap,
    totals: &Totals,
    sections: &[Section],
    cap: usize,
) -> String {
    let icon = if totals.errors > 0 {
        "❌"
    } else if totals.warnings > 0 {
        "⚠️"
    } else {
        "✅"
    };
    let head = format!("## {icon} {}\n\n", cell(&human::summary_line(totals, None)));
    let table_head = "| severity | rule | location | message |\n|---|---|---|---|\n";
    let rows: Vec<String> = report
        .findings
        .iter()
        .map(|located| {
            let f = &located.finding;
            let at = located
                .location
                .as_ref()
                .map_or_else(|| "contract".to_string(), |l| position(l, sources));
            // Backticked names and snippets in messages and help render as code.
            let message: Vec<String> = message_lines(located, sources)
                .iter()
                .map(|line| markdown_prose(line, LineBreak::Html))
                .collect();
            format!(
                "| {} | {} | {} | {} |\n",
                f.severity.as_str(),
                cell(&f.rule.label()),
                cell(&at),
                message.join("<br>")
            )
        })
        .collect();
    let section_texts: Vec<String> = sections
        .iter()
        .map(|s| format!("\n{}\n", s.markdown.trim_end()))
        .collect();

    let full = head.len()
        + if rows.is_empty() { 0 } else { table_head.len() }
        + rows.iter().map(String::len).sum::<usize>()
        + section_texts.iter().map(String::len).sum::<usize>();
    let all_titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
    // The longest note this report can need: everything else must fit beside it.
    let budget = if full <= cap {
        usize::MAX
    } else {
        cap.saturating_sub(truncation_note(rows.len(), rows.len(), &all_titles).len())
    };

    let mut out = String::new();
    let fits = |out: &mut String, part: &str| {
        let ok = out.len() + part.len() <= budget;
        if ok {
            out.push_str(part);
        }
        ok
    };
    fits(&mut out, &head);
    let mut shown = 0;
    if !rows.is_empty() && fits(&mut out, table_head) {
        shown = rows.iter().take_while(|row| fits(&mut out, row)).count();
    }
    let missing_sections: Vec<&str> = sections
        .iter()
        .zip(&section_texts)
        .filter(|(_, text)| !fits(&mut out, text))
        .map(|(s, _)| s.title.as_str())
        .collect();
    if shown < rows.len() || !missing_sections.is_empty() {
        let note = truncation_note(shown, rows.len(), &missing_sections);
        if out.len() + note.len() <= cap {
            out.push_str(&note);
        }
    }
    out
}

fn truncation_note(shown: usize, total: usize, missing_sections: &[&str]) -> String {
    let mut note = format!(
        "\n> **Report truncated** to fit the job summary's size limit: {shown} of {total} \
         findings shown"
    );
    if !missing_sections.is_empty() {
        let titles: Vec<String> = missing_sections.iter().map(|t| cell(t)).collect();
        let titles: String = titles.join(", ").chars().take(200).collect();
        note.push_str(&format!("; left out: {titles}"));
    }
    note.push_str(
        ". The SARIF or JSON output (`--sarif FILE`, `--json FILE`) has every finding.\n",
    );
    note
}

/// Text safe in a table cell or heading, line breaks kept as `<br>`.
fn cell(text: &str) -> String {
    markdown_text(text, LineBreak::Html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Anchor, Finding};
    use crate::locate::Located;
    use crate::source::YAML_SYNTAX;

    fn report(n: usize) -> (LocatedFindings, Totals) {
        let findings = (0..n)
            .map(|i| Located {
                finding: Finding::new(&YAML_SYNTAX, Anchor::Repo, format!("problem {i}")),
                location: None,
                related: Vec::new(),
                fingerprint: String::new(),
            })
            .collect();
        let totals = Totals {
            errors: n,
            ..Totals::default()
        };
        (LocatedFindings { findings }, totals)
    }

    #[test]
    fn sections_follow_the_findings() {
        let (report, totals) = report(1);
        let diff = Section {
            title: "Reviewer diff".into(),
            markdown: "## Reviewer diff\n\n- `checkout_started`: property renamed\n".into(),
        };
        let text = render(&report, &SourceMap::default(), &totals, &[diff], usize::MAX);
        assert!(
            text.starts_with("## ❌ contrail: 1 error, 0 warnings"),
            "{text}"
        );
        assert!(
            text.contains("| error | CT001 yaml-syntax | contract | problem 0 |\n"),
            "{text}"
        );
        assert!(
            text.ends_with("\n## Reviewer diff\n\n- `checkout_started`: property renamed\n"),
            "{text}"
        );
    }

    #[test]
    fn a_report_over_the_cap_keeps_whole_rows_and_says_what_is_missing() {
        let (report, totals) = report(200);
        let diff = Section {
            title: "Reviewer diff".into(),
            markdown: "x".repeat(100),
        };
        let full = render(
            &report,
            &SourceMap::default(),
            &totals,
            std::slice::from_ref(&diff),
            usize::MAX,
        );
        let cap = 4096;
        assert!(full.len() > cap);
        let text = render(&report, &SourceMap::default(), &totals, &[diff], cap);
        assert!(text.len() <= cap, "{}", text.len());
        assert!(full.starts_with(text.split("\n> **Report truncated**").next().unwrap()));
        let shown = text.matches("| error |").count();
        assert!(shown > 0 && shown < 200);
        assert!(
            text.ends_with(&format!(
                "\n> **Report truncated** to fit the job summary's size limit: {shown} of 200 \
                 findings shown; left out: Reviewer diff. The SARIF or JSON output \
                 (`--sarif FILE`, `--json FILE`) has every finding.\n"
            )),
            "{text}"
        );
    }

    #[test]
    fn escapes_markdown_and_html_in_cells() {
        assert_eq!(
            cell("a|b *c* <script> [x](y)\nnext `z` $m$"),
            "a\\|b \\*c\\* &lt;script&gt; \\[x\\](y)<br>next \\`z\\` \\$m\\$"
        );
    }
}
