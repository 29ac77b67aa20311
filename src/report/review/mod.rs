//! The reviewer diff (`contrail diff`): a headline verdict, the changes grouped by event with
//! badges, before → after, word diffs of changed texts, migration paths, required reviewers
//! and coverage before → after; one file per format. [`markdown::render`] is self-contained
//! so that other reports can embed it.

pub mod json;
pub mod markdown;
pub mod terminal;

use std::collections::BTreeMap;

use crate::diff::review::{Badge, Review, ReviewedChange};
use crate::diff::{Change, ChangeKind};
use crate::locate::Location;
use crate::model::Coverage;
use crate::model::Kind;
use crate::source::{ColumnUnit, SourceMap};

/// What a group of changes is about; events first, then properties, destinations, identity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Group {
    Event(String),
    Property(String),
    Destination(String),
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
    match c.kind {
        ChangeKind::DestinationNewProperty => (property, "now received".into()),
        ChangeKind::DestinationNewEvent => {
            let destination = c.head.as_ref().map_or("", |at| at.name.as_str());
            (None, format!("now routed to destination {destination}"))
        }
        _ => match (property, field) {
            (Some(_), Some(f)) if subject != "property" => (property, format!("{f} {what}")),
            (Some(_), _) => (property, format!("{subject} {what}")),
            (None, _) => (None, format!("{subject} {what}")),
        },
    }
}

/// A value as shown in a cell: strings as they are, nothing as `None`, others as JSON; what
/// a destination newly receives as its PII class and treatment.
pub(super) fn shown(c: &Change, v: &serde_json::Value) -> Option<String> {
    if c.kind == ChangeKind::DestinationNewProperty && !v.is_null() {
        let pii = v["pii"].as_str().unwrap_or("unclassified");
        let treatment = v["treatment"].as_str().unwrap_or_default();
        return Some(format!("{pii}, {treatment}"));
    }
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
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

pub(super) fn trailing(s: &str) -> &str {
    &s[s.trim_end().len()..]
}

/// Why some files are missing from the comparison, after their names.
pub(super) const NOT_COMPARED_WHY: &str =
    "the base version of these files could not be read: what they define is not compared, and a change that depends on them says what is not known; `contrail check --base` says why";
