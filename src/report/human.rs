//! Human output: miette reports with source snippets; ASCII and no colour when not a terminal.
//! Every piece of user text is escaped (`escape::plain`), snippets too (`snippet`).

use std::fmt;
use std::io::{self, Write};
use std::ops::Range;
use std::time::Duration;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use super::escape::plain;
use super::snippet::Snippet;
use super::{plural, Totals};
use crate::locate::{Located, LocatedFindings, Location};
use crate::rules::Severity;
use crate::source::{ColumnUnit, FileId, SourceMap};

/// How findings are drawn. Messages and help are never wrapped, as rustc and ruff print
/// theirs: a terminal wraps a long line for display, and a log, `grep`, an editor's problem
/// matcher or a copy and paste gets the whole line, its code spans (`description: "a: b"`)
/// unbroken.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
}

/// One finding as a miette diagnostic, its text escaped.
struct Human<'a> {
    title: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    snippet: Option<Snippet<'a>>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Human<'_> {}

impl Diagnostic for Human<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.title.is_empty()).then(|| Box::new(&self.title) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

/// The snippet of `file` around `labels` (the first is primary) and the labels in it.
fn snippet<'a>(
    sources: &'a SourceMap,
    file: FileId,
    labels: &[(Option<&str>, &Range<u32>)],
) -> (Snippet<'a>, Vec<LabeledSpan>) {
    let f = sources.get(file);
    let name = plain(&f.display_path.to_string_lossy()).into_owned();
    let ranges: Vec<Range<u32>> = labels.iter().map(|(_, r)| (*r).clone()).collect();
    let snippet = Snippet::new(f, name, &ranges);
    let spans = labels
        .iter()
        .enumerate()
        .map(|(i, (message, range))| {
            let span = snippet.span(range);
            let message = message.map(|m| plain(m).into_owned());
            if i == 0 {
                LabeledSpan::new_primary_with_span(message, span)
            } else {
                LabeledSpan::new_with_span(message, span)
            }
        })
        .collect();
    (snippet, spans)
}

/// A related label in the finding's own file is drawn in the finding's snippet when it is at
/// most this many lines away from the finding; further away it gets a snippet of its own
/// (miette numbers a snippet's lines one after the other, so it cannot leave lines out).
const NEAR_LINES: u32 = 3;

/// A finding as a diagnostic, and its related labels that are drawn on their own (in another
/// file, or far from the finding in its file), each with its own snippet.
fn human<'a>(located: &Located, sources: &'a SourceMap) -> (Human<'a>, Vec<Human<'a>>) {
    let f = &located.finding;
    let location = located.location.as_ref();
    let lines = |l: &Location| {
        let file = sources.get(l.file);
        let line = |offset| file.line_col(offset, ColumnUnit::Bytes).line;
        line(l.range.start)..=line(l.range.end.max(l.range.start))
    };
    // Near the finding in its file: drawn in the finding's snippet.
    let near = |l: &Location| {
        location.is_some_and(|at| {
            let (here, there) = (lines(at), lines(l));
            at.file == l.file
                && there.start().saturating_sub(NEAR_LINES) <= *here.end()
                && *here.start() <= there.end() + NEAR_LINES
        })
    };
    let mut here = Vec::new();
    let mut apart = Vec::new();
    for (loc, message) in &located.related {
        match loc {
            Some(l) if near(l) => here.push((Some(message.as_str()), &l.range)),
            // Also when the finding has no place of its own (a removed event): where it was.
            Some(l) => {
                let (snippet, labels) = snippet(sources, l.file, &[(None, &l.range)]);
                apart.push(Human {
                    title: String::new(),
                    message: plain(message).into_owned(),
                    severity: Severity::Info,
                    help: None,
                    snippet: Some(snippet),
                    labels,
                });
            }
            None => {}
        }
    }
    let (source, labels) = match location {
        Some(Location { file, range }) => {
            here.insert(0, (None, range));
            let (s, l) = snippet(sources, *file, &here);
            (Some(s), l)
        }
        None => (None, Vec::new()),
    };
    let finding = Human {
        title: plain(&f.rule.label()).into_owned(),
        message: plain(&f.message).into_owned(),
        severity: f.severity,
        help: f.help.as_deref().map(|h| plain(h).into_owned()),
        snippet: source,
        labels,
    };
    (finding, apart)
}

/// Writes every finding with its source snippet.
pub fn write(
    out: &mut dyn Write,
    report: &LocatedFindings,
    sources: &SourceMap,
    style: Style,
) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::none()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_wrap_lines(false)
        .with_links(false)
        .with_urls(false);
    // A file that did not parse explains what else is missing: it comes first.
    let (failures, rest): (Vec<&Located>, Vec<&Located>) = report
        .findings
        .iter()
        .partition(|f| super::is_file_failure(f));
    for located in failures.into_iter().chain(rest) {
        let (finding, apart) = human(located, sources);
        // A related label drawn apart follows the finding as a note with its snippet (as
        // miette's `related` would, without its empty `Advice:` heading).
        for diagnostic in std::iter::once(&finding).chain(&apart) {
            let mut rendered = String::new();
            handler
                .render_report(&mut rendered, diagnostic)
                .map_err(io::Error::other)?;
            writeln!(out, "{}", super::escape::log_lines(rendered.trim_end()))?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// `2 errors, 1 warning · 25 files, 39 events, 107 properties · 0.04s`
pub fn summary_line(t: &Totals, elapsed: Option<Duration>) -> String {
    let verdict = if t.errors + t.warnings + t.infos == 0 {
        "no findings".to_string()
    } else {
        let mut parts = vec![
            plural(t.errors, "error", "errors"),
            plural(t.warnings, "warning", "warnings"),
        ];
        if t.infos > 0 {
            parts.push(plural(t.infos, "info", "infos"));
        }
        parts.join(", ")
    };
    let unparsed = match t.unparsed {
        0 => String::new(),
        n => format!(" ({n} did not parse)"),
    };
    let mut line = format!(
        "contrail: {verdict} in {}{unparsed}, {}, {}",
        plural(t.files, "file", "files"),
        plural(t.events, "event", "events"),
        plural(t.properties, "property", "properties"),
    );
    if let Some(e) = elapsed {
        line.push_str(&format!(" ({:.2}s)", e.as_secs_f64()));
    }
    line
}
