//! What a run of `validate-events` counted: per input, per event, per reason, per
//! destination; as JSON (`--format json`, documented in docs/validate.md) and as a table.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;

use super::compare::BaseSummary;
use super::reason::ReasonCode;
use crate::report::escape::plain;
use crate::report::plural;

/// The version of the dead-letter record format (docs/validate.md).
pub const DEAD_LETTER_FORMAT: u32 = 1;

/// At most this many distinct rows of violations and of unplanned properties are kept
/// (their names come from traffic); the others are counted in `rows_omitted`.
pub const MAX_ROWS: usize = 1000;

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub dead_letter_format: u32,
    /// Findings of the contract itself (`contrail check`), by severity: traffic is validated
    /// while they are fixed.
    pub contract_findings: FindingCounts,
    pub lines: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub rejection_rate: f64,
    pub max_rejection_rate: f64,
    pub inputs: Vec<InputCount>,
    /// The contract's events that payloads named.
    pub events: BTreeMap<String, EventCount>,
    /// Rejected payloads per reason code (a payload may have several reasons).
    pub reasons: BTreeMap<ReasonCode, u64>,
    /// With `--route`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteSummary>,
    /// With `--base`: what the head does differently from the base to the same traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<BaseSummary>,
}

#[derive(Debug, Default, Serialize)]
pub struct FindingCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Default, Serialize)]
pub struct InputCount {
    pub file: String,
    pub lines: u64,
    pub accepted: u64,
    pub rejected: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct EventCount {
    pub accepted: u64,
    pub rejected: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct RouteSummary {
    /// Accepted payloads that name no source (and no `--source` was given): not routed.
    pub without_source: u64,
    /// Accepted payloads that no pipeline delivers anywhere.
    pub undelivered: u64,
    /// Accepted payloads with at least one violation.
    pub payloads_with_violations: u64,
    /// `payloads_with_violations` / accepted.
    pub violation_rate: f64,
    pub destinations: BTreeMap<String, DestinationCount>,
    pub violations: Vec<ViolationRow>,
    pub unplanned: Vec<UnplannedRow>,
    pub rows_omitted: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct DestinationCount {
    /// Payloads delivered, once per pipeline that delivers them.
    pub deliveries: u64,
    /// Deliveries with at least one violation.
    pub deliveries_with_violations: u64,
}

/// Where a payload was read: the file (with several `--events`) and the line, from 1.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: u64,
}

#[derive(Debug, Serialize)]
pub struct ViolationRow {
    pub code: &'static str,
    pub rule: &'static str,
    pub property: String,
    pub destination: String,
    /// Whether the event declares the property.
    pub planned: bool,
    pub events: BTreeSet<String>,
    pub deliveries: u64,
    pub first: Position,
}

#[derive(Debug, Serialize)]
pub struct UnplannedRow {
    pub event: String,
    pub property: String,
    /// Where it would arrive (not dropped on the way).
    pub destinations: BTreeSet<String>,
    pub payloads: u64,
    pub first: Position,
}

impl Summary {
    pub fn new() -> Self {
        Summary {
            dead_letter_format: DEAD_LETTER_FORMAT,
            ..Summary::default()
        }
    }

    pub fn violations(&self) -> u64 {
        self.route
            .as_ref()
            .map_or(0, |r| r.payloads_with_violations)
    }

    /// `--format json`: pretty, hazards in strings escaped.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        crate::report::escape::write_json(out, self)?;
        out.write_all(b"\n")
    }

    /// The human table: counts first, then the reasons, the destinations and every
    /// violation and unplanned property. Names from traffic are escaped.
    pub fn write_human(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = &self.contract_findings;
        let (rate, max) = percents(self.rejection_rate, self.max_rejection_rate);
        writeln!(
            out,
            "contrail validate-events: {} lines read, {} accepted, {} rejected ({rate} rejected, at most {max} allowed)",
            self.lines, self.accepted, self.rejected,
        )?;
        if c.errors + c.warnings + c.infos > 0 {
            writeln!(
                out,
                "the contract has findings ({} errors, {} warnings, {} infos): see `contrail check`",
                c.errors, c.warnings, c.infos
            )?;
        }
        if self.inputs.len() > 1 {
            table(
                out,
                &["file", "lines", "accepted", "rejected"],
                self.inputs.iter().map(|i| {
                    vec![
                        plain(&i.file).into_owned(),
                        i.lines.to_string(),
                        i.accepted.to_string(),
                        i.rejected.to_string(),
                    ]
                }),
            )?;
        }
        table(
            out,
            &["event", "accepted", "rejected"],
            self.events.iter().map(|(name, e)| {
                vec![
                    plain(name).into_owned(),
                    e.accepted.to_string(),
                    e.rejected.to_string(),
                ]
            }),
        )?;
        table(
            out,
            &["reason", "payloads"],
            self.reasons
                .iter()
                .map(|(code, n)| vec![code.as_str().to_string(), n.to_string()]),
        )?;
        if let Some(route) = &self.route {
            write_route(out, route)?;
        }
        if let Some(base) = &self.base {
            write_base(out, base)?;
        }
        Ok(())
    }
}

/// The dry run, in the human table.
fn write_route(out: &mut dyn Write, route: &RouteSummary) -> io::Result<()> {
    writeln!(
        out,
        "\ndry run: {} with violations ({}), {} without a source, {} delivered nowhere",
        plural(route.payloads_with_violations, "payload", "payloads"),
        percent(route.violation_rate, 2),
        route.without_source,
        route.undelivered
    )?;
    table(
        out,
        &["destination", "deliveries", "with violations"],
        route.destinations.iter().map(|(name, d)| {
            vec![
                plain(name).into_owned(),
                d.deliveries.to_string(),
                d.deliveries_with_violations.to_string(),
            ]
        }),
    )?;
    if !route.violations.is_empty() {
        writeln!(out, "\nviolations:")?;
    }
    for v in &route.violations {
        let planned = if v.planned { "" } else { " (unplanned)" };
        writeln!(
            out,
            "  {} {}: property `{}`{planned} reaches `{}` in {} of {}; first at {}",
            v.code,
            v.rule,
            plain(&v.property),
            plain(&v.destination),
            plural(v.deliveries, "delivery", "deliveries"),
            names(&v.events),
            position(&v.first)
        )?;
    }
    if !route.unplanned.is_empty() {
        writeln!(out, "\nunplanned properties (not in the contract):")?;
    }
    for u in &route.unplanned {
        let reaches = if u.destinations.is_empty() {
            "reaches no destination".to_string()
        } else {
            format!("reaches {}", names(&u.destinations))
        };
        writeln!(
            out,
            "  `{}` of `{}` in {} {reaches}; first at {}",
            plain(&u.property),
            plain(&u.event),
            plural(u.payloads, "payload", "payloads"),
            position(&u.first)
        )?;
    }
    if route.rows_omitted > 0 {
        writeln!(
            out,
            "({} more distinct rows not kept; the first {MAX_ROWS} of each kind are listed)",
            route.rows_omitted
        )?;
    }
    Ok(())
}

/// The comparison with the base, in the human table.
fn write_base(out: &mut dyn Write, base: &BaseSummary) -> io::Result<()> {
    let commit = base
        .commit
        .as_ref()
        .map(|c| format!(" (commit {})", c.get(..12).unwrap_or(c)))
        .unwrap_or_default();
    writeln!(
        out,
        "\nagainst the base `{}`{commit}: {} newly rejected, {} newly accepted",
        plain(&base.base),
        base.newly_rejected,
        base.newly_accepted
    )?;
    table(
        out,
        &["event", "newly rejected", "newly accepted"],
        base.events.iter().map(|(name, e)| {
            vec![
                plain(name).into_owned(),
                e.newly_rejected.to_string(),
                e.newly_accepted.to_string(),
            ]
        }),
    )?;
    table(
        out,
        &["newly rejected for", "payloads"],
        base.newly_rejected_reasons
            .iter()
            .map(|(code, n)| vec![code.as_str().to_string(), n.to_string()]),
    )?;
    table(
        out,
        &["destination", "newly delivered", "no longer delivered"],
        base.destinations.iter().map(|(name, d)| {
            vec![
                plain(name).into_owned(),
                d.newly_delivered.to_string(),
                d.no_longer_delivered.to_string(),
            ]
        }),
    )?;
    if !base.properties.is_empty() {
        writeln!(
            out,
            "\nproperties that arrive differently, where both deliver the payload:"
        )?;
    }
    for p in &base.properties {
        let change = match (p.base, p.head) {
            (None, Some(now)) => format!(
                "newly reaches `{}` ({})",
                plain(&p.destination),
                treatment(now)
            ),
            (Some(was), None) => format!(
                "no longer reaches `{}` (was {})",
                plain(&p.destination),
                treatment(was)
            ),
            (Some(was), Some(now)) => format!(
                "reaches `{}` {} (was {})",
                plain(&p.destination),
                treatment(now),
                treatment(was)
            ),
            (None, None) => continue,
        };
        writeln!(
            out,
            "  `{}` {change} in {}; first at {}",
            plain(&p.property),
            plural(p.payloads, "payload", "payloads"),
            position(&p.first)
        )?;
    }
    if base.rows_omitted > 0 {
        writeln!(
            out,
            "({} more property changes not kept; the first {MAX_ROWS} distinct ones are listed)",
            base.rows_omitted
        )?;
    }
    Ok(())
}

fn treatment(t: crate::catalog::Treatment) -> &'static str {
    match t {
        crate::catalog::Treatment::Plain => "plain",
        crate::catalog::Treatment::Hashed => "hashed",
        crate::catalog::Treatment::Masked => "masked",
    }
}

/// Both rates as percentages, with two decimals or as many more as it takes for unequal rates
/// to read unequal: `0.00 % rejected, at most 0.00 % allowed` would contradict an exit 1.
/// (Rounding keeps the order, so the larger never reads smaller.)
fn percents(rate: f64, max: f64) -> (String, String) {
    let mut digits = 2;
    while rate != max && percent(rate, digits) == percent(max, digits) && digits < 40 {
        digits += 1;
    }
    (percent(rate, digits), percent(max, digits))
}

fn percent(rate: f64, digits: usize) -> String {
    format!("{:.digits$} %", rate * 100.0)
}

fn names(set: &BTreeSet<String>) -> String {
    set.iter()
        .map(|n| format!("`{}`", plain(n)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn position(p: &Position) -> String {
    match &p.file {
        Some(file) => format!("{}:{}", plain(file), p.line),
        None => format!("line {}", p.line),
    }
}

/// Left-aligned first column, right-aligned counts; nothing when there are no rows.
fn table(
    out: &mut dyn Write,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = rows.collect();
    if rows.is_empty() {
        return Ok(());
    }
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    format!("{c:<w$}", w = widths[i])
                } else {
                    format!("{c:>w$}", w = widths[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        line(header.iter().map(|h| h.to_string()).collect())
    )?;
    for row in rows {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}
