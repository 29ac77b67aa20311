//! The reviewer diff (`contrail diff`): a headline verdict, the changes grouped by event with
//! badges, before → after, word diffs of changed texts, migration paths, required reviewers
//! and coverage before → after; as Markdown (PR comments, job summaries), terminal text and
//! JSON. [`markdown`] is self-contained so that other reports can embed it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::json::json_change;
use crate::catalog::Coverage;
use crate::diff::{Change, ChangeKind};
use crate::locate::Location;
use crate::model::Kind;
use crate::review::{Badge, Review, ReviewedChange};
use crate::source::{ColumnUnit, SourceMap};

/// What a group of changes is about; events first, then properties, destinations, identity.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
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

    fn parts(&self) -> (&'static str, &str) {
        match self {
            Group::Event(n) => ("Event", n),
            Group::Property(n) => ("Property", n),
            Group::Destination(n) => ("Destination", n),
            Group::Identity(n) => ("Identity rule", n),
        }
    }
}

fn groups(review: &Review) -> BTreeMap<Group, Vec<&ReviewedChange>> {
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
fn title(c: &Change) -> (Option<&str>, String) {
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
fn shown(c: &Change, v: &serde_json::Value) -> Option<String> {
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
fn texts(c: &Change) -> Option<(&str, &str)> {
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

fn place(loc: &Option<Location>, sources: &SourceMap) -> Option<String> {
    loc.as_ref().map(|l| {
        let file = sources.get(l.file);
        format!(
            "{}:{}",
            file.rel_path,
            file.line_col(l.range.start, ColumnUnit::Bytes).line
        )
    })
}

fn coverage_cell(c: &Coverage) -> String {
    format!("{:.0}% ({}/{})", c.percent(), c.covered, c.total)
}

fn coverage_rows(review: &Review) -> Vec<(&'static str, Coverage, Coverage)> {
    review
        .coverage
        .base
        .rows()
        .into_iter()
        .zip(review.coverage.head.rows())
        .map(|((label, before), (_, after))| (label, before, after))
        .collect()
}

fn headline(review: &Review) -> String {
    format!(
        "{} change{}: {} breaking, {} need{} review, {} safe",
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

// ---- Markdown

/// Escapes text for Markdown outside code: the characters that would start emphasis, a
/// table cell, HTML, code or a link.
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '|' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

/// A code span that survives any name: a fence longer than any backtick run inside, and `|`
/// escaped (GitHub splits table cells on it even inside code).
pub fn md_code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    let body = s.replace('|', "\\|").replace('\n', " ");
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Policy text (help, migration) uses backticks as Markdown code: keep them, escape the rest.
fn md_prose(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

fn md_title(c: &Change) -> String {
    match title(c) {
        (Some(name), words) => format!("{} {}", md_code(name), md_text(&words)),
        (None, words) => md_text(&words),
    }
}

fn md_badge(b: Badge) -> &'static str {
    match b {
        Badge::Breaking => "🔴 **breaking**",
        Badge::NeedsReview => "🟡 **needs review**",
        Badge::Safe => "🟢 safe",
    }
}

fn md_word_diff(a: &str, b: &str) -> String {
    let diff = TextDiff::from_words(a, b);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let text = md_text(change.value());
        let trimmed = text.trim();
        match change.tag() {
            ChangeTag::Equal => out.push_str(&text),
            _ if trimmed.is_empty() => out.push_str(&text),
            ChangeTag::Delete => {
                let _ = write!(out, "~~{trimmed}~~{}", trailing(&text));
            }
            ChangeTag::Insert => {
                let _ = write!(out, "**{trimmed}**{}", trailing(&text));
            }
        }
    }
    out
}

fn trailing(s: &str) -> &str {
    &s[s.trim_end().len()..]
}

/// Why some files are missing from the comparison, after their names.
const NOT_COMPARED_WHY: &str =
    "the base version of these files could not be read, so their changes are not shown; `contrail check --base` says why";

/// The reviewer diff as GitHub-flavoured Markdown (a PR comment or a job summary).
pub fn markdown(review: &Review, sources: &SourceMap) -> String {
    let mut out = String::new();
    let verdict = match review.verdict() {
        Badge::Breaking => "🔴 Breaking changes",
        Badge::NeedsReview => "🟡 Changes that need review",
        Badge::Safe => "🟢 No breaking change",
    };
    let _ = writeln!(
        out,
        "## {verdict} against {}\n\n{}.\n",
        md_code(&review.base),
        headline(review)
    );
    if !review.not_compared.is_empty() {
        let files: Vec<String> = review.not_compared.iter().map(|f| md_code(f)).collect();
        let _ = writeln!(
            out,
            "> ⚠️ **Not compared:** {} ({NOT_COMPARED_WHY}).\n",
            files.join(", ")
        );
    }
    if !review.reviewers.is_empty() {
        let list: Vec<String> = review
            .reviewers
            .iter()
            .map(|r| {
                let handles: Vec<String> = r.reviewers.iter().map(|h| md_text(h)).collect();
                let gov = if r.governance { ", governance" } else { "" };
                if handles.is_empty() {
                    format!(
                        "{}{}",
                        md_code(&r.team),
                        if r.governance { " (governance)" } else { "" }
                    )
                } else {
                    format!("{} ({}{gov})", md_code(&r.team), handles.join(", "))
                }
            })
            .collect();
        let _ = writeln!(out, "**Required reviewers:** {}\n", list.join(", "));
    }
    for (group, changes) in groups(review) {
        let (what, name) = group.parts();
        let _ = writeln!(out, "### {what} {}\n", md_code(name));
        out.push_str("| | change | before | after | where |\n|---|---|---|---|---|\n");
        let mut notes = String::new();
        for c in &changes {
            let change = &c.located.change;
            let cell =
                |v: &serde_json::Value| shown(change, v).map_or("—".to_string(), |s| md_code(&s));
            let head = place(&c.located.head, sources);
            let base = place(&c.located.base, sources);
            let at = match (head, base) {
                (Some(h), Some(b)) if h != b => format!("{} (base {})", md_code(&h), md_code(&b)),
                (Some(h), _) => md_code(&h),
                (None, Some(b)) => format!("base {}", md_code(&b)),
                (None, None) => "—".into(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {at} |",
                md_badge(c.badge),
                md_title(change),
                cell(&change.from),
                cell(&change.to),
            );
            if let Some((a, b)) = texts(change) {
                let _ = writeln!(notes, "- {}: {}", md_title(change), md_word_diff(a, b));
            }
            if let Some(m) = &c.migration {
                let _ = writeln!(
                    notes,
                    "- **Migration** ({}): {}",
                    md_title(change),
                    md_prose(m)
                );
            }
        }
        out.push('\n');
        if !notes.is_empty() {
            out.push_str(&notes);
            out.push('\n');
        }
    }
    out.push_str("### Coverage\n\n| KPI | before | after |\n|---|---|---|\n");
    for (label, before, after) in coverage_rows(review) {
        let _ = writeln!(
            out,
            "| {label} | {} | {} |",
            coverage_cell(&before),
            coverage_cell(&after)
        );
    }
    out
}

// ---- Terminal

struct Paint {
    color: bool,
}

impl Paint {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn badge(&self, b: Badge) -> String {
        match b {
            Badge::Breaking => self.paint("1;31", "BREAKING"),
            Badge::NeedsReview => self.paint("1;33", "REVIEW  "),
            Badge::Safe => self.paint("32", "safe    "),
        }
    }

    fn word_diff(&self, a: &str, b: &str) -> String {
        let diff = TextDiff::from_words(a, b);
        let mut out = String::new();
        for change in diff.iter_all_changes() {
            let v = change.value();
            match change.tag() {
                ChangeTag::Equal => out.push_str(v),
                ChangeTag::Delete if self.color => out.push_str(&self.paint("31;9", v)),
                ChangeTag::Insert if self.color => out.push_str(&self.paint("32", v)),
                ChangeTag::Delete => {
                    let _ = write!(out, "[-{}-]{}", v.trim_end(), trailing(v));
                }
                ChangeTag::Insert => {
                    let _ = write!(out, "{{+{}+}}{}", v.trim_end(), trailing(v));
                }
            }
        }
        out
    }
}

/// The reviewer diff for a terminal; ANSI colours when `color`.
pub fn terminal(review: &Review, sources: &SourceMap, color: bool) -> String {
    let p = Paint { color };
    let mut out = String::new();
    let verdict = match review.verdict() {
        Badge::Breaking => p.paint("1;31", "breaking"),
        Badge::NeedsReview => p.paint("1;33", "needs review"),
        Badge::Safe => p.paint("1;32", "safe"),
    };
    let _ = writeln!(
        out,
        "contrail diff against `{}`: {verdict}\n{}\n",
        review.base,
        headline(review)
    );
    if !review.not_compared.is_empty() {
        let _ = writeln!(
            out,
            "{} {} ({NOT_COMPARED_WHY})\n",
            p.paint("1;33", "not compared:"),
            review.not_compared.join(", ")
        );
    }
    if !review.reviewers.is_empty() {
        out.push_str("required reviewers:\n");
        for r in &review.reviewers {
            let gov = if r.governance { " (governance)" } else { "" };
            let _ = writeln!(out, "  {}{gov} {}", r.team, r.reviewers.join(", "));
        }
        out.push('\n');
    }
    for (group, changes) in groups(review) {
        let (what, name) = group.parts();
        let _ = writeln!(out, "{}", p.paint("1", &format!("{what} {name}")));
        for c in &changes {
            let change = &c.located.change;
            let value = |v: &serde_json::Value| shown(change, v).unwrap_or_else(|| "—".into());
            let words = match title(change) {
                (Some(name), words) => format!("{name} {words}"),
                (None, words) => words,
            };
            let _ = writeln!(
                out,
                "  {} {}: {} → {}",
                p.badge(c.badge),
                words,
                value(&change.from),
                value(&change.to)
            );
            let head = place(&c.located.head, sources);
            let base = place(&c.located.base, sources);
            let at = match (head, base) {
                (Some(h), Some(b)) if h != b => format!("{h} (base {b})"),
                (Some(h), _) => h,
                (None, Some(b)) => format!("base {b}"),
                (None, None) => String::new(),
            };
            if !at.is_empty() {
                let _ = writeln!(out, "           at {at}");
            }
            if let Some((a, b)) = texts(change) {
                let _ = writeln!(out, "           {}", p.word_diff(a, b));
            }
            if let Some(m) = &c.migration {
                let _ = writeln!(out, "           migration: {m}");
            }
        }
        out.push('\n');
    }
    out.push_str("coverage (before → after):\n");
    for (label, before, after) in coverage_rows(review) {
        let _ = writeln!(
            out,
            "  {label}: {} → {}",
            coverage_cell(&before),
            coverage_cell(&after)
        );
    }
    out
}

// ---- JSON

/// The reviewer diff as JSON: verdict, counts, reviewers, changes (as in `check`'s JSON, with
/// `badge`, `migration` and `teams`) and coverage on both sides.
pub fn json(review: &Review, sources: &SourceMap) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = review
        .changes
        .iter()
        .map(|c| {
            let mut v = json_change(&c.located, sources);
            if let serde_json::Value::Object(map) = &mut v {
                map.insert("badge".into(), serde_json::json!(c.badge));
                map.insert("migration".into(), serde_json::json!(c.migration));
                map.insert("teams".into(), serde_json::json!(c.teams));
            }
            v
        })
        .collect();
    serde_json::json!({
        "version": super::json::SCHEMA_VERSION,
        "verdict": review.verdict(),
        "summary": {
            "breaking": review.count(Badge::Breaking),
            "needs_review": review.count(Badge::NeedsReview),
            "safe": review.count(Badge::Safe),
        },
        "reviewers": review.reviewers,
        "not_compared": review.not_compared,
        "changes": changes,
        "coverage": {"base": review.coverage.base, "head": review.coverage.head},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_markdown_characters_stay_names() {
        assert_eq!(md_code("a|b*<c>"), "`a\\|b*<c>`");
        assert_eq!(md_code("x`y"), "``x`y``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_text("a|b*<c>_`"), "a\\|b\\*&lt;c&gt;\\_\\`");
    }
}
