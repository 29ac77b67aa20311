//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and editors' SARIF viewers. One
//! run; every rule that can fire is described; URIs are relative to `%SRCROOT%`.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde_json::json;
use serde_sarif::sarif;

use super::escape;
use super::place::{position, SourceRoot, Span};
use crate::locate::{Located, LocatedFindings, Location};
use crate::rules::{ActiveRule, Category, RuleMeta, Severity};
use crate::source::{ColumnUnit, SourceMap};

/// GitHub code scanning refuses a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// The schema URI written as `$schema`: the OASIS 2.1.0 schema (errata 01).
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `partialFingerprints` key; its version changes if the fingerprint's recipe does.
const FINGERPRINT_KEY: &str = "contrail/v1";

/// What a SARIF run needs besides the findings.
pub struct Run<'a> {
    /// Every rule that can fire in this run (`contrail::active_rules`).
    pub rules: &'a [ActiveRule],
    pub root: &'a SourceRoot,
    /// Results beyond this many are left out, the least severe first, and the run says so.
    pub max_results: usize,
}

pub fn write(
    out: &mut dyn Write,
    report: &LocatedFindings,
    sources: &SourceMap,
    run: &Run,
) -> io::Result<()> {
    let log = log(report, sources, run);
    escape::write_json(&mut *out, &log)?;
    writeln!(out)
}

fn log(report: &LocatedFindings, sources: &SourceMap, run: &Run) -> sarif::Sarif {
    let mut rules: Vec<ActiveRule> = run.rules.to_vec();
    let mut index_of: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta.code, i))
        .collect();
    for located in &report.findings {
        // Every finding's rule is active; a finding that says otherwise still gets a descriptor.
        let meta = located.finding.rule;
        if !index_of.contains_key(meta.code) {
            index_of.insert(meta.code, rules.len());
            rules.push(ActiveRule {
                meta,
                severity: located.finding.severity,
                builtin: false,
            });
        }
    }
    let kept = kept(&report.findings, run.max_results);
    let mut occurrences: HashMap<&str, usize> = HashMap::new();
    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .map(|located| {
            // Numbered over every finding, so leaving some out renumbers nothing.
            let seen = occurrences.entry(&located.fingerprint).or_default();
            *seen += 1;
            (located, *seen)
        })
        .zip(&kept)
        .filter(|(_, keep)| **keep)
        .map(|((located, occurrence), _)| {
            result(
                located,
                index_of[located.finding.rule.code],
                occurrence,
                sources,
                run,
            )
        })
        .collect();

    let omitted = report.findings.len() - results.len();
    let mut invocation = sarif::Invocation::builder()
        .execution_successful(true)
        .build();
    let mut properties = None;
    if omitted > 0 {
        let text = format!(
            "{omitted} of {} results were left out (least severe first): GitHub code scanning \
             accepts at most {} results per run. `contrail check --format json` lists them all.",
            report.findings.len(),
            run.max_results
        );
        let notification = sarif::Notification::builder()
            .level(level(Severity::Warning))
            .message(message(&text))
            .build();
        invocation.tool_execution_notifications = Some(vec![notification]);
        properties = Some(property_bag(
            None,
            json!({
                "truncated": true,
                "resultsTotal": report.findings.len(),
                "resultsReported": results.len(),
            }),
        ));
    }

    let driver = sarif::ToolComponent::builder()
        .name("contrail")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();
    let base = sarif::ArtifactLocation::builder()
        .description(message(
            "The root of the git repository holding the contract (the contract root outside git).",
        ))
        .build();
    let mut sarif_run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .invocations(vec![invocation])
        .automation_details(
            sarif::RunAutomationDetails::builder()
                .id(automation_id(run.root))
                .build(),
        )
        .original_uri_base_ids(BTreeMap::from([(SourceRoot::BASE_ID.to_string(), base)]))
        .column_kind("utf16CodeUnits")
        .results(results)
        .build();
    sarif_run.properties = properties;
    sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version("2.1.0")
        .runs(vec![sarif_run])
        .build()
}

/// Which findings are reported when there are more than `max`: the most severe, in report
/// order within a severity.
fn kept(findings: &[Located], max: usize) -> Vec<bool> {
    let mut keep = vec![findings.len() <= max; findings.len()];
    if findings.len() > max {
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(findings[i].finding.severity));
        for &i in order.iter().take(max) {
            keep[i] = true;
        }
    }
    keep
}

/// `contrail/` at the repository root, `contrail/<dir>/` for a contract below it: GitHub
/// reads the part before the last `/` as the analysis category, so two contracts in one
/// repository keep separate alerts.
fn automation_id(root: &SourceRoot) -> String {
    match root.contract_dir() {
        "." => "contrail/".to_string(),
        dir => format!("contrail/{dir}/"),
    }
}

fn descriptor(rule: &ActiveRule) -> sarif::ReportingDescriptor {
    let meta = rule.meta;
    let docs = meta.docs_markdown();
    // A user policy's METADATA is user text: shown, never acted on.
    let help_markdown = escape::plain(if docs.trim().is_empty() {
        meta.summary
    } else {
        docs.trim_end()
    })
    .into_owned();
    let mut tags = vec![meta.category.as_str().to_string()];
    let mut extra = json!({});
    if meta.category == Category::Privacy {
        tags.insert(0, "security".to_string());
        extra = json!({ "security-severity": security_severity(rule.severity) });
    }
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(meta.code)
        .name(meta.name)
        .short_description(message_string(meta.summary))
        .full_description(message_string(&what_it_does(meta)))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help_markdown.clone())
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(level(rule.severity))
                .build(),
        )
        .properties(property_bag(Some(tags), extra))
        .build();
    if rule.builtin {
        descriptor.help_uri = Some(meta.docs_url());
    }
    descriptor
}

/// The "What it does" paragraph of a rule's docs, else its one-line summary.
fn what_it_does(meta: &RuleMeta) -> String {
    let docs = meta.docs_markdown();
    let body = docs
        .split_once("## What it does")
        .map(|(_, rest)| rest.split("\n#").next().unwrap_or_default().trim())
        .filter(|body| !body.is_empty());
    body.unwrap_or(meta.summary).to_string()
}

/// GitHub's scale: 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(
    located: &Located,
    rule_index: usize,
    occurrence: usize,
    sources: &SourceMap,
    run: &Run,
) -> sarif::Result {
    let finding = &located.finding;
    let mut text = match &finding.help {
        Some(help) => format!("{}\nhelp: {help}", finding.message),
        None => finding.message.clone(),
    };
    // A base file is not in the tree the URIs resolve against (or holds other lines there):
    // its labels are told in the message instead.
    let (in_base, in_head): (Vec<_>, Vec<_>) = located
        .related
        .iter()
        .partition(|(location, _)| location.as_ref().is_some_and(|l| in_base_file(l, sources)));
    for (location, note) in in_base {
        if let Some(location) = location {
            text.push_str(&format!("\nnote: {note} ({})", position(location, sources)));
        }
    }
    let related: Vec<sarif::Location> = in_head
        .into_iter()
        .enumerate()
        .map(|(id, (location, text))| {
            sarif::Location::builder()
                .id(id as i64)
                .physical_location(physical(location.as_ref(), sources, run.root))
                .message(message(text))
                .build()
        })
        .collect();
    let fingerprint = format!("{}:{occurrence}", located.fingerprint);
    let mut result = sarif::Result::builder()
        .rule_id(finding.rule.code)
        .rule_index(rule_index as i64)
        .level(match finding.severity {
            Severity::Error => sarif::ResultLevel::Error,
            Severity::Warning => sarif::ResultLevel::Warning,
            Severity::Info => sarif::ResultLevel::Note,
        })
        .message(message(&text))
        .locations(vec![sarif::Location::builder()
            .physical_location(physical(located.location.as_ref(), sources, run.root))
            .build()])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_string(), fingerprint)]))
        .build();
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    result
}

fn in_base_file(location: &Location, sources: &SourceMap) -> bool {
    sources.get(location.file).from_base
}

/// A file and region; a finding about the contract as a whole points at its contrail.yaml.
fn physical(
    location: Option<&Location>,
    sources: &SourceMap,
    root: &SourceRoot,
) -> sarif::PhysicalLocation {
    let (uri, region) = match location {
        Some(location) => {
            let span = Span::of(location, sources, ColumnUnit::Utf16);
            let region = sarif::Region::builder()
                .start_line(i64::from(span.start.line))
                .start_column(i64::from(span.start.column))
                .end_line(i64::from(span.end.line))
                .end_column(i64::from(span.end.column))
                .build();
            (root.uri(&sources.get(location.file).rel_path), region)
        }
        None => (
            root.uri(crate::config::FILE_NAME),
            sarif::Region::builder().start_line(1).build(),
        ),
    };
    sarif::PhysicalLocation::builder()
        .artifact_location(
            sarif::ArtifactLocation::builder()
                .uri(uri)
                .uri_base_id(SourceRoot::BASE_ID)
                .build(),
        )
        .region(region)
        .build()
}

/// Message text, which viewers show as it is: control and bidi characters escaped.
fn message(text: &str) -> sarif::Message {
    sarif::Message::builder().text(escape::plain(text)).build()
}

fn message_string(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(escape::plain(text))
        .build()
}

fn property_bag(tags: Option<Vec<String>>, extra: serde_json::Value) -> sarif::PropertyBag {
    let mut bag = sarif::PropertyBag::builder()
        .additional_properties(match extra {
            serde_json::Value::Object(map) => map.into_iter().collect(),
            _ => BTreeMap::new(),
        })
        .build();
    bag.tags = tags;
    bag
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Anchor, Finding};
    use crate::source::YAML_SYNTAX;

    fn located(severity: Severity, message: &str) -> Located {
        let mut finding = Finding::new(&YAML_SYNTAX, Anchor::Repo, message);
        finding.severity = severity;
        Located {
            finding,
            location: None,
            related: Vec::new(),
            fingerprint: "0123456789abcdef".into(),
        }
    }

    #[test]
    fn over_the_cap_the_least_severe_results_are_left_out_and_the_run_says_so() {
        let findings = vec![
            located(Severity::Info, "i1"),
            located(Severity::Error, "e1"),
            located(Severity::Warning, "w1"),
            located(Severity::Error, "e2"),
            located(Severity::Info, "i2"),
        ];
        let report = LocatedFindings { findings };
        let rules = [ActiveRule {
            meta: &YAML_SYNTAX,
            severity: Severity::Error,
            builtin: true,
        }];
        let root = SourceRoot::default();
        let run = Run {
            rules: &rules,
            root: &root,
            max_results: 3,
        };
        let capped = serde_json::to_value(log(&report, &SourceMap::default(), &run)).unwrap();
        let run = &capped["runs"][0];
        let messages: Vec<&str> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["message"]["text"].as_str().unwrap())
            .collect();
        assert_eq!(messages, ["e1", "w1", "e2"]);
        assert_eq!(
            run["properties"],
            json!({"truncated": true, "resultsTotal": 5, "resultsReported": 3})
        );
        let note = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(note["level"], "warning");
        assert!(note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("2 of 5 results were left out"));
        // Same fingerprint, numbered occurrences over all five: unique and unchanged by the cap.
        let fingerprints: Vec<&str> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["contrail/v1"].as_str().unwrap())
            .collect();
        assert_eq!(
            fingerprints,
            [
                "0123456789abcdef:2",
                "0123456789abcdef:3",
                "0123456789abcdef:4"
            ]
        );

        let uncapped = Run {
            rules: &rules,
            root: &root,
            max_results: MAX_RESULTS,
        };
        let log =
            serde_json::to_value(super::log(&report, &SourceMap::default(), &uncapped)).unwrap();
        assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 5);
        assert!(log["runs"][0].get("properties").is_none());
    }
}
