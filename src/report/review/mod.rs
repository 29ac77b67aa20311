//! The reviewer diff (`contrail diff`): a headline verdict, the changes grouped by event with
//! badges, before → after, word diffs of changed texts, migration paths, required reviewers
//! and coverage before → after; one file per format. [`markdown::render`] is self-contained
//! so that other reports can embed it.

pub mod json;
pub mod markdown;
pub mod terminal;

use std::collections::BTreeMap;

use similar::{ChangeTag, TextDiff};

use crate::diff::review::{Badge, Review, ReviewedChange};
use crate::diff::{Change, ChangeKind};
use crate::locate::Location;
use crate::model::Coverage;
use crate::model::Kind;
use crate::source::{ColumnUnit, SourceMap};

/// What a group of changes is about; events first, then properties, the routing resources
/// (destinations, sources, pipelines, transformations), identity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Group {
    Event(String),
    Property(String),
    Destination(String),
    Source(String),
    Pipeline(String),
    Transformation(String),
    Identity(String),
}

impl Group {
    fn of(c: &Change) -> Group {
        if let Some(event) = &c.event {
            return Group::Event(event.clone());
        }
        let at = c.head.as_ref().or(c.base.as_ref());
        match at.map(|a| (a.kind, a.name.clone())) {
            Some((Kind::Destination, name)) => Group::Destination(name),
            Some((Kind::Source, name)) => Group::Source(name),
            Some((Kind::Pipeline, name)) => Group::Pipeline(name),
            Some((Kind::Transformation, name)) => Group::Transformation(name),
            Some((Kind::IdentityRule, name)) => Group::Identity(name),
            Some((_, name)) => Group::Property(c.property.clone().unwrap_or(name)),
            None => Group::Property(c.property.clone().unwrap_or_default()),
        }
    }

    pub(super) fn parts(&self) -> (&'static str, &str) {
        match self {
            Group::Event(n) => ("Event", n),
            Group::Property(n) => ("Property", n),
            Group::Destination(n) => ("Destination", n),
            Group::Source(n) => ("Source", n),
            Group::Pipeline(n) => ("Pipeline", n),
            Group::Transformation(n) => ("Transformation", n),
            Group::Identity(n) => ("Identity rule", n),
        }
    }
}

pub(super) fn groups(review: &Review) -> BTreeMap<Group, Vec<&ReviewedChange>> {
    let mut out: BTreeMap<Group, Vec<&ReviewedChange>> = BTreeMap::new();
    for c in &review.changes {
        out.entry(Group::of(&c.located.change)).or_default().push(c);
    }
    for changes in out.values_mut() {
        changes.sort_by_key(|c| c.badge);
    }
    out
}

/// The change in words, without its group: the name it is about (shown as code) and what
/// happened to it (`basket_id` / `property renamed`, `sku` / `max_length tightened`).
pub(super) fn title(c: &Change) -> (Option<&str>, String) {
    let (subject, what) = c
        .kind
        .as_str()
        .split_once('.')
        .unwrap_or(("", c.kind.as_str()));
    let what = what.replace('_', " ");
    let subject = subject.replace('_', " ");
    let field = c.field.as_deref().filter(|f| !f.is_empty());
    let property = c.property.as_deref();
    if let Some(words) = routing_words(c) {
        return (property, words.into());
    }
    let destination = c
        .head
        .as_ref()
        .or(c.base.as_ref())
        .map_or("", |at| at.name.as_str());
    match c.kind {
        ChangeKind::DestinationNewProperty => (property, "now received".into()),
        ChangeKind::DestinationNoLongerReceivesProperty => (property, "no longer received".into()),
        ChangeKind::DestinationNewEvent => {
            (None, format!("now routed to destination {destination}"))
        }
        ChangeKind::DestinationNoLongerReceivesEvent => (
            None,
            format!("no longer routed to destination {destination}"),
        ),
        _ => match (property, field) {
            (Some(_), Some(f)) if subject != "property" => (property, format!("{f} {what}")),
            (Some(_), _) => (property, format!("{subject} {what}")),
            (None, _) => (None, format!("{subject} {what}")),
        },
    }
}

/// What happened in a change of a routing resource, in words (its group names the resource).
fn routing_words(c: &Change) -> Option<&'static str> {
    use ChangeKind::*;
    Some(match c.kind {
        DestinationTypeChanged => "type changed",
        SourcePlatformChanged => "platform changed",
        DestinationEnvironmentChanged => "environment changed",
        DestinationRegionChanged | SourceRegionChanged => "region changed",
        DestinationPiiCapRaised => "PII cap raised",
        DestinationPiiCapLowered => "PII cap lowered",
        DestinationAcceptsDirectPlain => "direct identifiers taken plain (were only hashed)",
        DestinationAcceptsDirectHashed => "direct identifiers taken only hashed",
        DestinationRetentionLengthened if c.to.is_null() => {
            "retention no longer stated (not checked)"
        }
        DestinationRetentionLengthened => "retention lengthened",
        DestinationRetentionShortened if c.from.is_null() => "retention stated (was not checked)",
        DestinationRetentionShortened => "retention shortened",
        DestinationConsentPurposeAdded => "consent purpose added",
        DestinationConsentPurposeRemoved => "consent purpose removed",
        DestinationAllowlistAdded => "events allowlist added (every event was allowed)",
        DestinationAllowlistRemoved => "events allowlist removed (every event is allowed)",
        DestinationEventsAdded => "allowed events added",
        DestinationEventsRemoved => "allowed events removed",
        DestinationDenyAdded => "denied events added",
        DestinationDenyRemoved => "denied events removed",
        SourceEventsAdded => "emitted events added",
        SourceEventsRemoved => "emitted events removed",
        PipelineSourceChanged => "source changed",
        PipelineEventsAdded => "routed events added",
        PipelineEventsRemoved => "routed events removed",
        PipelineDestinationAdded => "destination added",
        PipelineDestinationRemoved => "destination removed",
        PipelineTransformationAdded => "transformation added",
        PipelineTransformationRemoved => "transformation removed",
        PipelineTransformationsReordered => "transformations reordered",
        TransformationEventsAdded => "applies to more events",
        TransformationEventsRemoved => "applies to fewer events",
        TransformationProtectionAdded if c.from.is_null() => "protection added",
        TransformationProtectionAdded => "protection strengthened",
        TransformationProtectionRemoved if c.to.is_null() => "protection removed",
        TransformationProtectionRemoved => "protection weakened",
        TransformationEnrichmentAdded => "enrichment added",
        TransformationEnrichmentRemoved => "enrichment removed",
        TransformationStepsChanged => "steps changed",
        _ => return None,
    })
}

/// A value as shown in a cell: strings as they are, nothing as `None`, others as JSON; what
/// a destination receives as its PII class and treatment; transformation steps in words;
/// lists of names of routing changes (pipelines, globs) comma-separated.
pub(super) fn shown(c: &Change, v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match (c.kind, v) {
        (_, Value::Null) => None,
        (
            ChangeKind::DestinationNewProperty | ChangeKind::DestinationNoLongerReceivesProperty,
            _,
        ) => {
            let pii = v["pii"].as_str().unwrap_or("unclassified");
            let treatment = v["treatment"].as_str().unwrap_or_default();
            Some(format!("{pii}, {treatment}"))
        }
        (
            ChangeKind::TransformationEnrichmentAdded | ChangeKind::TransformationEnrichmentRemoved,
            _,
        ) => Some(step_text(v)),
        (ChangeKind::TransformationStepsChanged, Value::Array(steps)) => {
            Some(steps.iter().map(step_text).collect::<Vec<_>>().join("; "))
        }
        (_, Value::Array(items))
            if routing(c) && !items.is_empty() && items.iter().all(Value::is_string) =>
        {
            let names: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            Some(names.join(", "))
        }
        (_, Value::String(s)) => Some(s.clone()),
        (_, other) => Some(other.to_string()),
    }
}

/// A change of what destinations receive, or of a routing resource.
fn routing(c: &Change) -> bool {
    routing_words(c).is_some()
        || matches!(
            c.kind,
            ChangeKind::DestinationNewEvent | ChangeKind::DestinationNoLongerReceivesEvent
        )
}

/// A transformation step in words: `hash email`, `rename a → b`, `join carts on cart_id`,
/// `set channel: "web"`.
fn step_text(step: &serde_json::Value) -> String {
    use serde_json::Value;
    let Some((action, arg)) = step.as_object().and_then(|o| o.iter().next()) else {
        return step.to_string();
    };
    let text = |k: &str| arg[k].as_str().unwrap_or_default().to_string();
    match (action.as_str(), arg) {
        (_, Value::String(property)) => format!("{action} {property}"),
        ("rename", _) => format!("rename {} → {}", text("from"), text("to")),
        ("join", _) => format!("join {} on {}", text("dataset"), text("key")),
        ("set", Value::Object(values)) => values
            .iter()
            .map(|(k, v)| format!("set {k}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        _ => step.to_string(),
    }
}

/// The two texts of a change whose values are prose or patterns, for a word diff.
pub(super) fn texts(c: &Change) -> Option<(&str, &str)> {
    let diffable = matches!(
        c.kind,
        ChangeKind::EventDescriptionChanged
            | ChangeKind::PropertyDescriptionChanged
            | ChangeKind::PatternChanged
    );
    match (&c.from, &c.to) {
        (serde_json::Value::String(a), serde_json::Value::String(b)) if diffable => Some((a, b)),
        _ => None,
    }
}

pub(super) fn place(loc: &Option<Location>, sources: &SourceMap) -> Option<String> {
    loc.as_ref().map(|l| {
        let file = sources.get(l.file);
        format!(
            "{}:{}",
            file.rel_path,
            file.line_col(l.range.start, ColumnUnit::Bytes).line
        )
    })
}

pub(super) fn coverage_cell(c: &Coverage) -> String {
    format!("{:.0}% ({}/{})", c.percent(), c.covered, c.total)
}

pub(super) fn coverage_rows(review: &Review) -> Vec<(&'static str, Coverage, Coverage)> {
    review
        .coverage
        .base
        .rows()
        .into_iter()
        .zip(review.coverage.head.rows())
        .map(|((label, before), (_, after))| (label, before, after))
        .collect()
}

pub(super) fn headline(review: &Review) -> String {
    let unknown = match review.count(Badge::Unknown) {
        0 => String::new(),
        n => format!(" {n} unknown,"),
    };
    format!(
        "{} change{}: {} breaking,{unknown} {} need{} review, {} safe",
        review.changes.len(),
        if review.changes.len() == 1 { "" } else { "s" },
        review.count(Badge::Breaking),
        review.count(Badge::NeedsReview),
        if review.count(Badge::NeedsReview) == 1 {
            "s"
        } else {
            ""
        },
        review.count(Badge::Safe),
    )
}

/// A word diff of `a` → `b` as runs of text: neighbouring words of one kind are one run
/// (with the spaces between them), a changed run's outer spaces are unchanged text, and a
/// change of spaces alone shows as the new text: no changed run is empty or blank, so no
/// marker pair stands empty (`[--]`, `{++}`).
pub(super) fn word_runs(a: &str, b: &str) -> Vec<(ChangeTag, String)> {
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in TextDiff::from_words(a, b).iter_all_changes() {
        match runs.last_mut() {
            Some((tag, text)) if *tag == change.tag() => text.push_str(change.value()),
            _ => runs.push((change.tag(), change.value().to_string())),
        }
    }
    let mut out: Vec<(ChangeTag, String)> = Vec::new();
    let mut push = |tag: ChangeTag, text: &str| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((t, s)) if *t == tag => s.push_str(text),
            _ => out.push((tag, text.to_string())),
        }
    };
    for (tag, text) in &runs {
        let core = text.trim();
        match tag {
            ChangeTag::Equal => push(ChangeTag::Equal, text),
            ChangeTag::Delete if core.is_empty() => {}
            ChangeTag::Insert if core.is_empty() => push(ChangeTag::Equal, text),
            _ => {
                let start = text.len() - text.trim_start().len();
                push(ChangeTag::Equal, &text[..start]);
                push(*tag, core);
                push(ChangeTag::Equal, &text[start + core.len()..]);
            }
        }
    }
    out
}

/// Why some files are missing from the comparison, after their names.
pub(super) const NOT_COMPARED_WHY: &str =
    "the base version of these files could not be read: what they define is not compared, and a change that depends on them says what is not known; `contrail check --base` says why";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_diff_marks_words_never_bare_spaces() {
        use ChangeTag::{Delete, Equal, Insert};
        assert_eq!(
            word_runs("a b", "a b c d"),
            [(Equal, "a b ".to_string()), (Insert, "c d".to_string())]
        );
        assert_eq!(
            word_runs("a b c", "a c"),
            [
                (Equal, "a ".to_string()),
                (Delete, "b".to_string()),
                (Equal, " c".to_string())
            ]
        );
        assert_eq!(word_runs("a  b", "a b"), [(Equal, "a b".to_string())]);
    }
}
