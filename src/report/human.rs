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
use crate::source::{FileId, SourceMap};

/// How findings are drawn.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

/// One finding as a miette diagnostic, its text escaped.
struct Human<'a> {
    title: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    snippet: Option<Snippet<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Human<'a>>,
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

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn Diagnostic))
                as Box<dyn Iterator<Item = &dyn Diagnostic>>
        })
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

fn human<'a>(located: &Located, sources: &'a SourceMap) -> Human<'a> {
    let f = &located.finding;
    let mut source = None;
    let mut labels = Vec::new();
    let mut related = Vec::new();
    if let Some(Location { file, range }) = &located.location {
        let mut here = vec![(None, range)];
        for (loc, message) in &located.related {
            match loc {
                Some(l) if l.file == *file => here.push((Some(message.as_str()), &l.range)),
                Some(l) => {
                    let (snippet, labels) = snippet(sources, l.file, &[(None, &l.range)]);
                    related.push(Human {
                        title: String::new(),
                        message: plain(message).into_owned(),
                        severity: Severity::Info,
                        help: None,
                        snippet: Some(snippet),
                        labels,
                        related: Vec::new(),
                    });
                }
                None => {}
            }
        }
        let (s, l) = snippet(sources, *file, &here);
        source = Some(s);
        labels = l;
    }
    Human {
        title: plain(&f.rule.label()).into_owned(),
        message: plain(&f.message).into_owned(),
        severity: f.severity,
        help: f.help.as_deref().map(|h| plain(h).into_owned()),
        snippet: source,
        labels,
        related,
    }
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
        .with_width(style.width)
        .with_links(false)
        .with_urls(false);
    // A file that did not parse explains what else is missing: it comes first.
    let (failures, rest): (Vec<&Located>, Vec<&Located>) = report
        .findings
        .iter()
        .partition(|f| super::is_file_failure(f));
    for located in failures.into_iter().chain(rest) {
        let diagnostic = human(located, sources);
        let mut rendered = String::new();
        handler
            .render_report(&mut rendered, &diagnostic)
            .map_err(io::Error::other)?;
        writeln!(out, "{}", super::escape::log_lines(rendered.trim_end()))?;
        writeln!(out)?;
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
