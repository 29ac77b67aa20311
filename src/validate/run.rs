//! Streaming traffic through the validator: a reader thread cuts the inputs into batches of
//! lines, each batch is parsed and validated in parallel (rayon), and its outcomes are
//! written and counted in input order. Memory holds a few batches, whatever the input size;
//! batches are cut by line count and byte size only, so outputs are the same byte for byte
//! with any number of threads.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::sync::mpsc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::compare::{self, BaseTally, Difference, Judged};
use super::contract::{Validator, Verdict};
use super::reason::{Reason, ReasonCode};
use super::route::{Delivery, RoutePlan};
use super::summary::{
    InputCount, Position, RouteSummary, Summary, UnplannedRow, ViolationRow, MAX_ROWS,
};
use crate::catalog::Treatment;
use crate::rules::RuleMeta;

/// Lines per batch, and bytes at which a batch is cut early.
const BATCH_LINES: usize = 4096;
const BATCH_BYTES: usize = 4 << 20;
/// Batches read ahead of the one being validated.
const READ_AHEAD: usize = 2;

/// A contract as a run applies it: its validator and, for the dry run, its routing.
#[derive(Clone, Copy)]
pub struct Applied<'a, 'm> {
    pub validator: &'a Validator<'m>,
    pub plan: Option<&'a RoutePlan<'m>>,
}

/// The base a run compares with (`--base`): how it was named, and its contract.
pub struct Base<'a, 'm> {
    pub spec: String,
    pub commit: Option<String>,
    pub contract: Applied<'a, 'm>,
}

/// One input: its name as shown in records and messages, and its lines.
pub struct Input {
    pub name: String,
    pub reader: Box<dyn BufRead + Send>,
}

/// Where the records go; each is optional.
#[derive(Default)]
pub struct Sinks<'w> {
    /// Rejected payloads with their reasons (docs/validate.md, "Dead letters").
    pub dead_letter: Option<&'w mut dyn Write>,
    /// Accepted lines, unchanged.
    pub accepted: Option<&'w mut dyn Write>,
    /// With a route plan: per accepted payload, its deliveries.
    pub deliveries: Option<&'w mut dyn Write>,
}

pub struct Options<'a> {
    /// The source of payloads that name none.
    pub default_source: Option<&'a str>,
    /// Records name their input file (several inputs).
    pub name_files: bool,
    /// Longer lines are skipped to their newline and dead-lettered as `line-too-long`: one
    /// line without a newline (or a gzip bomb) cannot take the memory.
    pub max_line_bytes: usize,
}

/// `--max-line-bytes` by default (docs/validate.md).
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// What a `line-too-long` dead letter keeps of the line.
const LONG_LINE_PREFIX: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot read `{file}`: {error}")]
    Read { file: String, error: io::Error },
    #[error("cannot write the output: {0}")]
    Write(#[from] io::Error),
    /// A bug: the counts do not add up.
    #[error("{accepted} accepted + {rejected} rejected is not the {lines} lines read")]
    Lost {
        lines: u64,
        accepted: u64,
        rejected: u64,
    },
    /// A bug: an output did not get one record per line it is for.
    #[error("{written} records were written to the {output} output for {expected} lines")]
    Unwritten {
        output: &'static str,
        written: u64,
        expected: u64,
    },
}

struct Batch {
    input: usize,
    /// The line number of the first line, from 1.
    first_line: u64,
    data: Vec<u8>,
    /// End of each line in `data` (its newline excluded).
    ends: Vec<usize>,
    /// The lines over the limit, in order: (index, length read); `data` holds their prefix.
    too_long: Vec<(usize, u64)>,
}

impl Batch {
    /// Line `i` of the batch, without the spaces and carriage return around it (they are not
    /// part of the payload).
    fn line(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] + 1 };
        self.data[start..self.ends[i]].trim_ascii()
    }

    /// The length of line `i` when it is over the limit.
    fn too_long(&self, i: usize) -> Option<u64> {
        let at = self.too_long.binary_search_by_key(&i, |&(j, _)| j).ok()?;
        Some(self.too_long[at].1)
    }
}

/// What one line came to, with its records already written out as bytes.
struct Outcome<'m> {
    event: Option<usize>,
    codes: Vec<ReasonCode>,
    dead_letter: Option<Vec<u8>>,
    route: Option<Routed<'m>>,
    delivery_record: Option<Vec<u8>>,
    /// With a base: how its judgement differs.
    difference: Option<Difference<'m>>,
}

struct Routed<'m> {
    has_source: bool,
    event: String,
    deliveries: Vec<RoutedTo<'m>>,
}

struct RoutedTo<'m> {
    destination: &'m str,
    violations: Vec<(String, &'static RuleMeta, bool)>,
    unplanned: Vec<String>,
}

/// Validates every line of `inputs`, in order, with `head` (and `base`, to compare),
/// writing the records to `sinks`, and returns the counts. `progress` is called after each
/// batch with the lines read so far.
pub fn run(
    head: Applied,
    base: Option<Base>,
    inputs: Vec<Input>,
    options: &Options,
    sinks: Sinks,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary, RunError> {
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let event_names: Vec<&str> = head.validator.event_names().collect();
    let mut tally = Tally::new(&names, head.plan.is_some());
    let mut base_tally = base
        .as_ref()
        .map(|b| BaseTally::new(b.spec.clone(), b.commit.clone()));
    let base = base.map(|b| b.contract);
    let Sinks {
        mut dead_letter,
        mut accepted,
        mut deliveries,
    } = sinks;
    let want = Wanted {
        accepted: accepted.is_some(),
        dead_letter: dead_letter.is_some(),
        deliveries: deliveries.is_some(),
    };
    let mut written = Written::default();
    let mut lines_read = 0;
    std::thread::scope(|scope| -> Result<(), RunError> {
        let (send, receive) = mpsc::sync_channel::<Result<Batch, RunError>>(READ_AHEAD);
        let max_line = options.max_line_bytes;
        let reader = scope.spawn(move || read_batches(inputs, max_line, &send));
        for batch in receive {
            let batch = batch?;
            let file = options.name_files.then(|| names[batch.input].as_str());
            let outcomes: Vec<Outcome> = (0..batch.ends.len())
                .into_par_iter()
                .map(|i| {
                    let line = batch.first_line + i as u64;
                    let at = Line {
                        file,
                        line,
                        text: batch.line(i),
                        too_long: batch.too_long(i),
                    };
                    outcome(head, base, options, &at, want)
                })
                .collect();
            for (i, mut outcome) in outcomes.into_iter().enumerate() {
                let line = batch.first_line + i as u64;
                let text = batch.line(i);
                if outcome.codes.is_empty() {
                    if let Some(out) = accepted.as_deref_mut() {
                        out.write_all(text)?;
                        out.write_all(b"\n")?;
                        written.accepted += 1;
                    }
                } else if let (Some(out), Some(record)) =
                    (dead_letter.as_deref_mut(), &outcome.dead_letter)
                {
                    out.write_all(record)?;
                    written.dead_letter += 1;
                }
                if let (Some(out), Some(record)) =
                    (deliveries.as_deref_mut(), &outcome.delivery_record)
                {
                    out.write_all(record)?;
                }
                if let (Some(t), Some(d)) = (base_tally.as_mut(), outcome.difference.take()) {
                    let position = || Position {
                        file: file.map(str::to_string),
                        line,
                    };
                    t.add(d, &outcome.codes, position);
                }
                tally.add(batch.input, file, line, &event_names, outcome);
            }
            progress(tally.summary.lines);
        }
        // Counted apart from the tally, so that a line the loop skipped would show.
        lines_read = reader.join().unwrap_or_default();
        Ok(())
    })?;
    let mut summary = tally.finish(lines_read, &written, want)?;
    summary.base = base_tally.map(BaseTally::finish);
    Ok(summary)
}

/// Records written to the dead-letter and accepted outputs.
#[derive(Default)]
struct Written {
    dead_letter: u64,
    accepted: u64,
}

/// The reader thread: every input in turn, cut into batches; returns the lines sent. A read
/// error ends the run.
fn read_batches(
    inputs: Vec<Input>,
    max_line: usize,
    send: &mpsc::SyncSender<Result<Batch, RunError>>,
) -> u64 {
    let mut sent = 0;
    for (input, Input { name, mut reader }) in inputs.into_iter().enumerate() {
        let mut next_line = 1;
        loop {
            let mut batch = Batch {
                input,
                first_line: next_line,
                data: Vec::with_capacity(BATCH_BYTES / 4),
                ends: Vec::with_capacity(BATCH_LINES),
                too_long: Vec::new(),
            };
            let mut finished = false;
            while batch.ends.len() < BATCH_LINES && batch.data.len() < BATCH_BYTES {
                match read_line(&mut *reader, &mut batch.data, max_line) {
                    Ok(None) => {
                        finished = true;
                        break;
                    }
                    Ok(Some(length)) => {
                        if length > max_line as u64 {
                            batch.too_long.push((batch.ends.len(), length));
                        }
                        batch.ends.push(batch.data.len());
                        batch.data.push(b'\n');
                    }
                    Err(error) => {
                        let _ = send.send(Err(RunError::Read {
                            file: name.clone(),
                            error,
                        }));
                        return sent;
                    }
                }
            }
            let lines = batch.ends.len() as u64;
            next_line += lines;
            if lines > 0 {
                if send.send(Ok(batch)).is_err() {
                    return sent;
                }
                sent += lines;
            }
            if finished {
                break;
            }
        }
    }
    sent
}

/// Appends the next line to `data`, its newline dropped, and returns its length in bytes;
/// `None` at the end of the input. Of a line longer than `max`, only its first
/// [`LONG_LINE_PREFIX`] bytes are kept, and the rest is read through a bounded buffer.
fn read_line(reader: &mut dyn BufRead, data: &mut Vec<u8>, max: usize) -> io::Result<Option<u64>> {
    let start = data.len();
    let limit = max as u64 + 1;
    let read = <&mut dyn BufRead as io::Read>::take(&mut *reader, limit).read_until(b'\n', data)?;
    if read == 0 {
        return Ok(None);
    }
    if data.last() == Some(&b'\n') {
        data.pop();
        return Ok(Some(read as u64 - 1));
    }
    if read as u64 <= max as u64 {
        // The last line of the input, without a newline.
        return Ok(Some(read as u64));
    }
    data.truncate(start + LONG_LINE_PREFIX.min(max));
    let mut length = read as u64;
    let mut skipped = Vec::new();
    loop {
        skipped.clear();
        let read = <&mut dyn BufRead as io::Read>::take(&mut *reader, 1 << 16)
            .read_until(b'\n', &mut skipped)?;
        if skipped.last() == Some(&b'\n') {
            return Ok(Some(length + read as u64 - 1));
        }
        if read == 0 {
            return Ok(Some(length));
        }
        length += read as u64;
    }
}

#[derive(Clone, Copy)]
struct Wanted {
    accepted: bool,
    dead_letter: bool,
    deliveries: bool,
}

/// A line of an input, where it was read.
struct Line<'a> {
    file: Option<&'a str>,
    line: u64,
    text: &'a [u8],
    /// The line's length when it is over `--max-line-bytes` (`text` is its prefix).
    too_long: Option<u64>,
}

fn outcome<'m>(
    head: Applied<'_, 'm>,
    base: Option<Applied<'_, 'm>>,
    options: &Options,
    at: &Line,
    want: Wanted,
) -> Outcome<'m> {
    let Line {
        file,
        line,
        text,
        too_long,
    } = *at;
    if let Some(length) = too_long {
        let reason = Reason::new(
            ReasonCode::LineTooLong,
            "",
            format!("at most {} bytes", options.max_line_bytes),
            Value::from(length),
            "--max-line-bytes",
        );
        return unread(file, line, text, reason, want);
    }
    let payload: Value = match serde_json::from_slice(text) {
        Ok(v) => v,
        Err(e) => {
            let error = if text.is_empty() {
                "an empty line".to_string()
            } else {
                e.to_string()
            };
            let reason = Reason::new(
                ReasonCode::NotJson,
                "",
                "one JSON value per line",
                Value::String(error),
                "JSON Lines",
            );
            return unread(file, line, text, reason, want);
        }
    };
    let verdict = head.validator.validate(&payload, options.default_source);
    let routed = deliver(head.plan, &verdict);
    let difference = base.and_then(|base| {
        let base_verdict = base.validator.validate(&payload, options.default_source);
        let base_routed = deliver(base.plan, &base_verdict);
        compare::difference(
            &judged(head.validator, &verdict, &routed),
            &judged(base.validator, &base_verdict, &base_routed),
        )
    });
    if !verdict.accepted() {
        let mut codes: Vec<ReasonCode> = verdict.reasons.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        return Outcome {
            event: verdict.event,
            codes,
            dead_letter: want
                .dead_letter
                .then(|| dead_letter(file, line, text, &verdict.reasons)),
            route: None,
            delivery_record: None,
            difference,
        };
    }
    let (Some(_), Some(call)) = (head.plan, &verdict.call) else {
        return Outcome {
            event: verdict.event,
            codes: Vec::new(),
            dead_letter: None,
            route: None,
            delivery_record: None,
            difference,
        };
    };
    let delivery_record = want
        .deliveries
        .then(|| delivery_record(file, line, call.event, call.source, &routed));
    let route = Routed {
        has_source: call.source.is_some(),
        event: call.event.to_string(),
        deliveries: routed
            .iter()
            .map(|d| RoutedTo {
                destination: d.destination,
                violations: d
                    .violations
                    .iter()
                    .map(|(p, r)| (p.to_string(), *r, !d.unplanned.contains(p)))
                    .collect(),
                unplanned: d.unplanned.iter().map(|p| p.to_string()).collect(),
            })
            .collect(),
    };
    Outcome {
        event: verdict.event,
        codes: Vec::new(),
        dead_letter: None,
        route: Some(route),
        delivery_record,
        difference,
    }
}

/// A line rejected before it is read as a payload: its text is the dead letter's payload, as
/// a JSON string.
fn unread<'m>(
    file: Option<&str>,
    line: u64,
    text: &[u8],
    reason: Reason,
    want: Wanted,
) -> Outcome<'m> {
    let raw = String::from_utf8_lossy(text);
    let payload = serde_json::to_vec(&raw).unwrap_or_default();
    Outcome {
        event: None,
        codes: vec![reason.code],
        dead_letter: want
            .dead_letter
            .then(|| dead_letter(file, line, &payload, &[reason])),
        route: None,
        delivery_record: None,
        difference: None,
    }
}

/// The deliveries of an accepted payload that names a source; none otherwise.
fn deliver<'m, 'p>(plan: Option<&RoutePlan<'m>>, verdict: &Verdict<'p>) -> Vec<Delivery<'m, 'p>>
where
    'm: 'p,
{
    match (plan, &verdict.call) {
        (Some(plan), Some(call)) if verdict.accepted() => call
            .source
            .map(|source| plan.deliver(source, call.event, call.properties()))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn judged<'j, 'm, 'p>(
    validator: &Validator<'m>,
    verdict: &Verdict,
    deliveries: &'j [Delivery<'m, 'p>],
) -> Judged<'j, 'm, 'p> {
    Judged {
        accepted: verdict.accepted(),
        event: verdict.event.and_then(|i| validator.event_name(i)),
        deliveries,
    }
}

/// `{"line":N,"file":F,"payload":RAW,"reasons":[...]}` and a newline; `payload` is written
/// as the bytes read (a JSON text), never re-serialized.
fn dead_letter(file: Option<&str>, line: u64, payload: &[u8], reasons: &[Reason]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 256);
    let _ = write!(out, "{{\"line\":{line},");
    if let Some(file) = file {
        out.extend_from_slice(b"\"file\":");
        let _ = serde_json::to_writer(&mut out, file);
        out.push(b',');
    }
    out.extend_from_slice(b"\"payload\":");
    out.extend_from_slice(payload);
    out.extend_from_slice(b",\"reasons\":");
    let _ = serde_json::to_writer(&mut out, reasons);
    out.extend_from_slice(b"}\n");
    out
}

#[derive(Serialize)]
struct DeliveryRecord<'a> {
    line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    event: &'a str,
    source: Option<&'a str>,
    deliveries: Vec<DeliveryOut<'a>>,
}

#[derive(Serialize)]
struct DeliveryOut<'a> {
    destination: &'a str,
    pipeline: &'a str,
    properties: BTreeMap<&'a str, Treatment>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    violations: Vec<ViolationOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unplanned: Vec<&'a str>,
}

#[derive(Serialize)]
struct ViolationOut<'a> {
    property: &'a str,
    code: &'static str,
    rule: &'static str,
}

fn delivery_record(
    file: Option<&str>,
    line: u64,
    event: &str,
    source: Option<&str>,
    deliveries: &[Delivery],
) -> Vec<u8> {
    let record = DeliveryRecord {
        line,
        file,
        event,
        source,
        deliveries: deliveries
            .iter()
            .map(|d| DeliveryOut {
                destination: d.destination,
                pipeline: d.pipeline,
                properties: d.properties.iter().copied().collect(),
                violations: d
                    .violations
                    .iter()
                    .map(|&(property, rule)| ViolationOut {
                        property,
                        code: rule.code,
                        rule: rule.name,
                    })
                    .collect(),
                unplanned: d.unplanned.clone(),
            })
            .collect(),
    };
    let mut out = serde_json::to_vec(&record).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The counts, kept in input order.
struct Tally {
    summary: Summary,
    violations: BTreeMap<(&'static str, String, String), ViolationRow>,
    unplanned: BTreeMap<(String, String), UnplannedRow>,
}

impl Tally {
    fn new(names: &[String], route: bool) -> Self {
        let mut summary = Summary::new();
        summary.inputs = names
            .iter()
            .map(|file| InputCount {
                file: file.clone(),
                ..InputCount::default()
            })
            .collect();
        summary.route = route.then(RouteSummary::default);
        Tally {
            summary,
            violations: BTreeMap::new(),
            unplanned: BTreeMap::new(),
        }
    }

    fn add(
        &mut self,
        input: usize,
        file: Option<&str>,
        line: u64,
        event_names: &[&str],
        outcome: Outcome,
    ) {
        let s = &mut self.summary;
        let accepted = outcome.codes.is_empty();
        s.lines += 1;
        let counts = &mut s.inputs[input];
        counts.lines += 1;
        if accepted {
            s.accepted += 1;
            counts.accepted += 1;
        } else {
            s.rejected += 1;
            counts.rejected += 1;
        }
        if let Some(event) = outcome.event {
            let e = s.events.entry(event_names[event].to_string()).or_default();
            if accepted {
                e.accepted += 1;
            } else {
                e.rejected += 1;
            }
        }
        for code in outcome.codes {
            *s.reasons.entry(code).or_default() += 1;
        }
        let (Some(route), Some(routed)) = (s.route.as_mut(), outcome.route) else {
            return;
        };
        if !routed.has_source {
            route.without_source += 1;
        } else if routed.deliveries.is_empty() {
            route.undelivered += 1;
        }
        let position = || Position {
            file: file.map(str::to_string),
            line,
        };
        let mut any_violation = false;
        let mut unplanned_here: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for d in &routed.deliveries {
            let counts = route
                .destinations
                .entry(d.destination.to_string())
                .or_default();
            counts.deliveries += 1;
            if !d.violations.is_empty() {
                counts.deliveries_with_violations += 1;
                any_violation = true;
            }
            for (property, rule, planned) in &d.violations {
                let key = (rule.code, property.clone(), d.destination.to_string());
                let full = self.violations.len() >= MAX_ROWS;
                match self.violations.get_mut(&key) {
                    Some(row) => {
                        row.deliveries += 1;
                        row.events.insert(routed.event.clone());
                    }
                    None if full => route.rows_omitted += 1,
                    None => {
                        let row = ViolationRow {
                            code: rule.code,
                            rule: rule.name,
                            property: property.clone(),
                            destination: d.destination.to_string(),
                            planned: *planned,
                            events: [routed.event.clone()].into(),
                            deliveries: 1,
                            first: position(),
                        };
                        self.violations.insert(key, row);
                    }
                }
            }
            for p in &d.unplanned {
                unplanned_here
                    .entry(p.as_str())
                    .or_default()
                    .push(d.destination);
            }
        }
        if any_violation {
            route.payloads_with_violations += 1;
        }
        for (property, destinations) in unplanned_here {
            let key = (routed.event.clone(), property.to_string());
            if !self.unplanned.contains_key(&key) && self.unplanned.len() >= MAX_ROWS {
                route.rows_omitted += 1;
                continue;
            }
            let row = self.unplanned.entry(key).or_insert_with(|| UnplannedRow {
                event: routed.event.clone(),
                property: property.to_string(),
                destinations: Default::default(),
                payloads: 0,
                first: position(),
            });
            row.payloads += 1;
            row.destinations
                .extend(destinations.iter().map(|d| d.to_string()));
        }
    }

    /// Rates, rows in key order, and the check that no line was lost: every line read was
    /// counted accepted or rejected, and got its record in the outputs asked for.
    fn finish(
        mut self,
        lines_read: u64,
        written: &Written,
        want: Wanted,
    ) -> Result<Summary, RunError> {
        let s = &mut self.summary;
        let rate = |n: u64, of: u64| if of == 0 { 0.0 } else { n as f64 / of as f64 };
        s.rejection_rate = rate(s.rejected, s.lines);
        if let Some(route) = s.route.as_mut() {
            route.violation_rate = rate(route.payloads_with_violations, s.accepted);
            route.violations = std::mem::take(&mut self.violations).into_values().collect();
            route.unplanned = std::mem::take(&mut self.unplanned).into_values().collect();
        }
        let all_inputs_add_up = s.inputs.iter().all(|i| i.accepted + i.rejected == i.lines);
        let lines: u64 = s.inputs.iter().map(|i| i.lines).sum();
        let counted = s.accepted + s.rejected;
        if counted != lines_read || s.lines != lines_read || !all_inputs_add_up || lines != s.lines
        {
            return Err(RunError::Lost {
                lines: lines_read,
                accepted: s.accepted,
                rejected: s.rejected,
            });
        }
        for (output, asked, records, expected) in [
            (
                "dead-letter",
                want.dead_letter,
                written.dead_letter,
                s.rejected,
            ),
            ("accepted", want.accepted, written.accepted, s.accepted),
        ] {
            if asked && records != expected {
                return Err(RunError::Unwritten {
                    output,
                    written: records,
                    expected,
                });
            }
        }
        Ok(self.summary)
    }
}
