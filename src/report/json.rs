//! `--format json`: a versioned, documented document (docs/json-output.md). No timings, no
//! absolute paths, so output is byte-identical across machines and thread counts. User text
//! is kept as it is, control and bidi characters as `\u` escapes (`escape::write_json`).

use std::io::{self, Write};

use serde::Serialize;

use super::escape;
use super::place::Span;
use super::Totals;
use crate::diff::LocatedChange;
use crate::locate::{LocatedFindings, Location};
use crate::model::CoverageKpis;
use crate::source::{ColumnUnit, SourceMap};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    changes: Vec<serde_json::Value>,
    summary: &'a Totals,
    stats: &'a CoverageKpis,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    category: &'a str,
    message: &'a str,
    #[serde(flatten)]
    location: Option<JsonLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
    fingerprint: &'a str,
}

/// 1-based lines and columns; columns count Unicode characters; the end is exclusive.
#[derive(Serialize)]
pub struct JsonLocation<'a> {
    pub file: &'a str,
    /// The file is the base's (`--base`), not the contract's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub base: bool,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: Option<JsonLocation<'a>>,
}

pub fn json_location<'a>(loc: &Location, sources: &'a SourceMap) -> JsonLocation<'a> {
    let Span { start, end } = Span::of(loc, sources, ColumnUnit::Chars);
    JsonLocation {
        file: &sources.get(loc.file).rel_path,
        base: sources.get(loc.file).from_base,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// A change as JSON: its data, each side's `{kind, name, field}` with its file and position.
pub fn json_change(c: &LocatedChange, sources: &SourceMap) -> serde_json::Value {
    let mut value = serde_json::to_value(&c.change).unwrap_or_default();
    for (side, location) in [("head", &c.head), ("base", &c.base)] {
        if let (Some(serde_json::Value::Object(at)), Some(loc)) = (value.get_mut(side), location) {
            if let Ok(serde_json::Value::Object(place)) =
                serde_json::to_value(json_location(loc, sources))
            {
                at.extend(place);
            }
        }
    }
    value
}

pub fn write(
    out: &mut dyn Write,
    report: &LocatedFindings,
    changes: &[LocatedChange],
    sources: &SourceMap,
    totals: &Totals,
    stats: &CoverageKpis,
) -> io::Result<()> {
    let findings = report
        .findings
        .iter()
        .map(|l| JsonFinding {
            code: l.finding.rule.code,
            name: l.finding.rule.name,
            severity: l.finding.severity.as_str(),
            category: l.finding.rule.category.as_str(),
            message: &l.finding.message,
            location: l.location.as_ref().map(|loc| json_location(loc, sources)),
            help: l.finding.help.as_deref(),
            related: l
                .related
                .iter()
                .map(|(loc, message)| JsonRelated {
                    message,
                    location: loc.as_ref().map(|loc| json_location(loc, sources)),
                })
                .collect(),
            fingerprint: &l.fingerprint,
        })
        .collect();
    let output = Output {
        version: SCHEMA_VERSION,
        findings,
        changes: changes.iter().map(|c| json_change(c, sources)).collect(),
        summary: totals,
        stats,
    };
    escape::write_json(&mut *out, &output)?;
    writeln!(out)
}
