//! Human output: miette reports with source snippets; ASCII and no colour when not a terminal.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;
use std::time::Duration;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan,
};

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

/// One finding as a miette diagnostic.
struct Human {
    title: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    source: Option<NamedSource<Arc<String>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Human>,
}

impl fmt::Debug for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Human {}

impl Diagnostic for Human {
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
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
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

/// Shares each file's text between the diagnostics that show it.
struct Texts<'a> {
    sources: &'a SourceMap,
    cache: HashMap<FileId, Arc<String>>,
}

impl Texts<'_> {
    fn named(&mut self, file: FileId) -> NamedSource<Arc<String>> {
        let f = self.sources.get(file);
        let text = self
            .cache
            .entry(file)
            .or_insert_with(|| Arc::new(f.text.clone()))
            .clone();
        NamedSource::new(f.display_path.to_string_lossy(), text)
    }
}

fn span(range: &std::ops::Range<u32>) -> SourceSpan {
    (range.start as usize, (range.end - range.start) as usize).into()
}

fn human(located: &Located, texts: &mut Texts) -> Human {
    let f = &located.finding;
    let mut source = None;
    let mut labels = Vec::new();
    let mut related = Vec::new();
    if let Some(Location { file, range }) = &located.location {
        source = Some(texts.named(*file));
        labels.push(LabeledSpan::new_primary_with_span(None, span(range)));
        for (loc, message) in &located.related {
            match loc {
                Some(l) if l.file == *file => labels.push(LabeledSpan::new_with_span(
                    Some(message.clone()),
                    span(&l.range),
                )),
                Some(l) => related.push(Human {
                    title: String::new(),
                    message: message.clone(),
                    severity: Severity::Info,
                    help: None,
                    source: Some(texts.named(l.file)),
                    labels: vec![LabeledSpan::new_primary_with_span(None, span(&l.range))],
                    related: Vec::new(),
                }),
                None => {}
            }
        }
    }
    Human {
        title: f.rule.label(),
        message: f.message.clone(),
        severity: f.severity,
        help: f.help.clone(),
        source,
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
    let mut texts = Texts {
        sources,
        cache: HashMap::new(),
    };
    for located in &report.findings {
        let diagnostic = human(located, &mut texts);
        let mut rendered = String::new();
        handler
            .render_report(&mut rendered, &diagnostic)
            .map_err(io::Error::other)?;
        writeln!(out, "{}", rendered.trim_end())?;
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
    let mut line = format!(
        "contrail: {verdict} in {}, {}, {}",
        plural(t.files, "file", "files"),
        plural(t.events, "event", "events"),
        plural(t.properties, "property", "properties"),
    );
    if let Some(e) = elapsed {
        line.push_str(&format!(" ({:.2}s)", e.as_secs_f64()));
    }
    line
}
