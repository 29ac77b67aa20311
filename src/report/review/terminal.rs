//! The reviewer diff for a terminal. Names, values, paths and policy texts are user text:
//! escaped with `escape::plain` before they are painted.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::{
    coverage_cell, coverage_rows, groups, headline, place, shown, texts, title, trailing,
    NOT_COMPARED_WHY,
};
use crate::diff::review::{Badge, Review};
use crate::report::escape::{log_lines, plain};
use crate::source::SourceMap;

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
            Badge::Unknown => self.paint("1;35", "UNKNOWN "),
            Badge::NeedsReview => self.paint("1;33", "REVIEW  "),
            Badge::Safe => self.paint("32", "safe    "),
        }
    }

    fn word_diff(&self, a: &str, b: &str) -> String {
        let diff = TextDiff::from_words(a, b);
        let mut out = String::new();
        for change in diff.iter_all_changes() {
            let v = plain(change.value());
            let v = v.as_ref();
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
pub fn render(review: &Review, sources: &SourceMap, color: bool) -> String {
    let p = Paint { color };
    let mut out = String::new();
    let verdict = match review.verdict() {
        Badge::Breaking => p.paint("1;31", "breaking"),
        Badge::Unknown => p.paint("1;35", "unknown"),
        Badge::NeedsReview => p.paint("1;33", "needs review"),
        Badge::Safe => p.paint("1;32", "safe"),
    };
    let _ = writeln!(
        out,
        "contrail diff against `{}`: {verdict}\n{}\n",
        plain(&review.base),
        headline(review)
    );
    if !review.not_compared.is_empty() {
        let _ = writeln!(
            out,
            "{} {} ({NOT_COMPARED_WHY})\n",
            p.paint("1;33", "not compared:"),
            plain(&review.not_compared.join(", "))
        );
    }
    if !review.reviewers.is_empty() {
        out.push_str("required reviewers:\n");
        for r in &review.reviewers {
            let gov = if r.governance { " (governance)" } else { "" };
            let _ = writeln!(
                out,
                "  {}{gov} {}",
                plain(&r.team),
                plain(&r.reviewers.join(", "))
            );
        }
        out.push('\n');
    }
    for (group, changes) in groups(review) {
        let (what, name) = group.parts();
        let _ = writeln!(out, "{}", p.paint("1", &format!("{what} {}", plain(name))));
        for c in &changes {
            let change = &c.located.change;
            let value = |v: &serde_json::Value| {
                shown(change, v).map_or_else(|| "—".into(), |s| plain(&s).into_owned())
            };
            let words = match title(change) {
                (Some(name), words) => plain(&format!("{name} {words}")).into_owned(),
                (None, words) => plain(&words).into_owned(),
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
                let _ = writeln!(out, "           at {}", plain(&at));
            }
            if let Some((a, b)) = texts(change) {
                let _ = writeln!(out, "           {}", p.word_diff(a, b));
            }
            if let Some(why) = &change.unknown {
                let _ = writeln!(out, "           not known: {why}");
            }
            if let Some(m) = &c.migration {
                let _ = writeln!(out, "           migration: {}", plain(m));
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
    log_lines(&out).into_owned()
}
