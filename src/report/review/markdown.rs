//! The reviewer diff as GitHub-flavoured Markdown.

use std::fmt::Write as _;

use similar::ChangeTag;

use super::{
    coverage_cell, coverage_rows, groups, headline, place, shown, texts, title, word_runs,
    NOT_COMPARED_WHY,
};
use crate::diff::review::{Badge, Review};
use crate::diff::Change;
use crate::report::escape::{self, LineBreak};
use crate::source::SourceMap;

/// The reviewer diff as GitHub-flavoured Markdown (a PR comment or a job summary).
pub fn render(review: &Review, sources: &SourceMap) -> String {
    let mut out = String::new();
    let verdict = match review.verdict() {
        Badge::Breaking => "🔴 Breaking changes",
        Badge::Unknown => "⚪ Changes that could not be judged",
        Badge::NeedsReview => "🟡 Changes that need review",
        Badge::Safe => "🟢 No breaking change",
    };
    let _ = writeln!(
        out,
        "## {verdict} against {}\n\n{}.\n",
        escape::markdown_code(&review.base),
        headline(review)
    );
    if !review.not_compared.is_empty() {
        let files: Vec<String> = review
            .not_compared
            .iter()
            .map(|f| escape::markdown_code(f))
            .collect();
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
                let handles: Vec<String> = r
                    .reviewers
                    .iter()
                    .map(|h| escape::markdown_text(h, LineBreak::Space))
                    .collect();
                let gov = if r.governance { ", governance" } else { "" };
                if handles.is_empty() {
                    format!(
                        "{}{}",
                        escape::markdown_code(&r.team),
                        if r.governance { " (governance)" } else { "" }
                    )
                } else {
                    format!(
                        "{} ({}{gov})",
                        escape::markdown_code(&r.team),
                        handles.join(", ")
                    )
                }
            })
            .collect();
        let _ = writeln!(out, "**Required reviewers:** {}\n", list.join(", "));
    }
    for (group, changes) in groups(review) {
        let (what, name) = group.parts();
        let _ = writeln!(out, "### {what} {}\n", escape::markdown_code(name));
        out.push_str("| | change | before | after | where |\n|---|---|---|---|---|\n");
        let mut notes = String::new();
        for c in &changes {
            let change = &c.located.change;
            let cell = |v: &serde_json::Value| {
                shown(change, v).map_or("—".to_string(), |s| escape::markdown_code(&s))
            };
            let head = place(&c.located.head, sources);
            let base = place(&c.located.base, sources);
            let at = match (head, base) {
                (Some(h), Some(b)) if h != b => format!(
                    "{} (base {})",
                    escape::markdown_code(&h),
                    escape::markdown_code(&b)
                ),
                (Some(h), _) => escape::markdown_code(&h),
                (None, Some(b)) => format!("base {}", escape::markdown_code(&b)),
                (None, None) => "—".into(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {at} |",
                badge_cell(c.badge),
                title_cell(change),
                cell(&change.from),
                cell(&change.to),
            );
            if let Some((a, b)) = texts(change) {
                let _ = writeln!(notes, "- {}: {}", title_cell(change), word_diff(a, b));
            }
            if let Some(why) = &change.unknown {
                let _ = writeln!(
                    notes,
                    "- **Not known** ({}): {}",
                    title_cell(change),
                    escape::markdown_prose(why, LineBreak::Space)
                );
            }
            if let Some(m) = &c.migration {
                let _ = writeln!(
                    notes,
                    "- **Migration** ({}): {}",
                    title_cell(change),
                    escape::markdown_prose(m, LineBreak::Space)
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

fn title_cell(c: &Change) -> String {
    match title(c) {
        (Some(name), words) => format!(
            "{} {}",
            escape::markdown_code(name),
            escape::markdown_text(&words, LineBreak::Space)
        ),
        (None, words) => escape::markdown_text(&words, LineBreak::Space),
    }
}

fn badge_cell(b: Badge) -> &'static str {
    match b {
        Badge::Breaking => "🔴 **breaking**",
        Badge::Unknown => "⚪ **unknown**",
        Badge::NeedsReview => "🟡 **needs review**",
        Badge::Safe => "🟢 safe",
    }
}

fn word_diff(a: &str, b: &str) -> String {
    let mut out = String::new();
    for (tag, text) in word_runs(a, b) {
        let text = escape::markdown_text(&text, LineBreak::Space);
        match tag {
            ChangeTag::Equal => out.push_str(&text),
            ChangeTag::Delete => {
                let _ = write!(out, "~~{text}~~");
            }
            ChangeTag::Insert => {
                let _ = write!(out, "**{text}**");
            }
        }
    }
    out
}
