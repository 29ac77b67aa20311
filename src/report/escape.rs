//! Escaping user text for each output format, in one place: a name, description, message or
//! path from a pull request must read as text, never as markup or as a command to the
//! terminal, log viewer or browser that shows it.
//!
//! Every reporter escapes where it writes user text (messages interpolate user names, so
//! producers do not): [`plain`] for terminals and plain-text viewers (human output, the
//! reviewer diff, SARIF messages), [`github_data`] and [`github_property`] for workflow
//! commands, the `markdown_*` functions for Markdown, and [`write_json`] for JSON.

use std::borrow::Cow;
use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// A character that a terminal, log viewer or browser acts on instead of showing it: C0
/// controls but tab (ESC starts CSI and OSC sequences: colours, screen clearing, window
/// titles, hyperlinks), DEL, C1 controls (`\u{9b}` is a one-byte CSI), the bidi marks,
/// embeddings, overrides and isolates that reorder what is shown, and the Unicode line and
/// paragraph separators. Line feed and carriage return are hazards too: each format says how
/// it writes a line break before asking.
pub fn is_hazard(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// A hazard as it is shown: `\u{1b}`, as Rust writes it.
pub fn visible(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// Text for a terminal, a log or a plain-text viewer: every hazard shown as `\u{1b}`; line
/// feeds and tabs kept, a carriage return before a line feed dropped (the line break stays).
/// A line of user text that would start with `::` (after spaces) shows its first colon as
/// `\u{3a}`: in a CI log such a line is a workflow command, whatever indents it.
pub fn plain(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_hazard(c)) && !starts_a_command_line(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    let mut line_start = false;
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            ':' if line_start && chars.peek() == Some(&':') => out.push_str(&visible(c)),
            c if is_hazard(c) => out.push_str(&visible(c)),
            c => out.push(c),
        }
        line_start = c == '\n' || (line_start && matches!(c, ' ' | '\t'));
    }
    Cow::Owned(out)
}

/// Whether a line after a break in `text` starts, after spaces, with `::`.
fn starts_a_command_line(text: &str) -> bool {
    text.split('\n').skip(1).any(reads_as_a_command)
}

/// Whether a line of a log reads as a workflow command: the runner trims leading
/// whitespace and looks for `::`.
fn reads_as_a_command(line: &str) -> bool {
    line.trim_start_matches([' ', '\t']).starts_with("::")
}

/// A whole rendered output for a log (human output, the terminal reviewer diff): a line
/// that starts, after spaces, with `::` shows its first colon as `\u{3a}`. [`plain`] does
/// this for a line break inside user text; this covers user text that a renderer puts at
/// the start of a line (a team name in a list) or that wrapping moves there.
pub fn log_lines(text: &str) -> Cow<'_, str> {
    if !text.split('\n').any(reads_as_a_command) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text
        .split('\n')
        .map(|line| {
            if !reads_as_a_command(line) {
                return Cow::Borrowed(line);
            }
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            let (lead, rest) = line.split_at(indent);
            Cow::Owned(format!("{lead}{}{}", visible(':'), &rest[1..]))
        })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// A workflow command's message (`::error …::message`): `%`, CR and LF percent-encoded, as
/// GitHub's toolkit does, and every other hazard shown as `\u{1b}` (the log viewer renders
/// ANSI sequences).
pub fn github_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_github(&mut out, c);
    }
    out
}

/// A workflow command's property value (`file=`, `title=`): as data, and `:` and `,` too.
pub fn github_property(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => push_github(&mut out, c),
        }
    }
    out
}

fn push_github(out: &mut String, c: char) {
    match c {
        '%' => out.push_str("%25"),
        '\r' => out.push_str("%0D"),
        '\n' => out.push_str("%0A"),
        c if is_hazard(c) => out.push_str(&visible(c)),
        c => out.push(c),
    }
}

/// How a line break in text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineBreak {
    /// `<br>`: a table cell or heading that keeps the break.
    Html,
    /// A space: a one-line cell.
    Space,
}

/// Text safe in Markdown outside code (a table cell, a heading): HTML and the punctuation
/// that would start emphasis, a table cell, code, a link or math escaped, hazards shown as
/// `\u{1b}`.
pub fn markdown_text(text: &str, line_break: LineBreak) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str(match line_break {
                LineBreak::Html => "<br>",
                LineBreak::Space => " ",
            }),
            '\r' => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hazard(c) => {
                // `\u{1b}`, its backslash escaped so that it shows as written.
                out.push('\\');
                out.push_str(&visible(c));
            }
            _ => out.push(c),
        }
    }
    out
}

/// A code span that survives any name: a fence longer than any backtick run inside, `|`
/// escaped (GitHub splits table cells on it even inside code), hazards shown as `\u{1b}`.
pub fn markdown_code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    let body = one_line(s).replace('|', "\\|");
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Policy text (help, migration) uses backticks as Markdown code: keep them, escape the rest.
pub fn markdown_prose(s: &str) -> String {
    one_line(s)
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Hazards shown as `\u{1b}`, line breaks as spaces.
fn one_line(s: &str) -> String {
    plain(s).replace('\n', " ")
}

/// `value` as pretty JSON, every hazard left in a string written as a `\u` escape (serde_json
/// escapes C0 controls itself, not DEL, C1 or bidi characters): a parser reads the text
/// unchanged, and the file shows no raw control or bidi character when printed.
pub fn write_json(out: &mut dyn io::Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(out, SafeJson(PrettyFormatter::new()));
    value.serialize(&mut serializer).map_err(io::Error::other)
}

/// serde_json's pretty formatter, with hazards in strings escaped.
struct SafeJson<'a>(PrettyFormatter<'a>);

impl Formatter for SafeJson<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hazard(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every hazard is in the Basic Multilingual Plane: one `\uXXXX`.
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ESC with CSI and OSC 0/8, BEL, the C1 CSI, DEL, a lone CR, bidi override and isolate.
    const HOSTILE: &str =
        "a\x1b[2J\x1b]0;t\x07\x1b]8;;u\x1b\\l\u{9b}1m\x7f\r\u{202e}\u{2066}\u{200f}\u{61c}z";

    #[test]
    fn hazards_are_shown_escaped_in_plain_text() {
        assert_eq!(
            plain(HOSTILE),
            "a\\u{1b}[2J\\u{1b}]0;t\\u{7}\\u{1b}]8;;u\\u{1b}\\l\\u{9b}1m\\u{7f}\\u{d}\
             \\u{202e}\\u{2066}\\u{200f}\\u{61c}z"
        );
        assert_eq!(plain("two\r\nlines\tand tabs"), "two\nlines\tand tabs");
        assert!(matches!(plain("plain é ☕ text\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn no_line_of_a_log_starts_a_workflow_command() {
        assert_eq!(
            log_lines("required reviewers:\n  ::error::x @a\n\t::warning::y\nok :: z"),
            "required reviewers:\n  \\u{3a}:error::x @a\n\t\\u{3a}:warning::y\nok :: z"
        );
        assert!(matches!(log_lines("a\n b ::c\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn github_commands_percent_encode_line_breaks_and_show_other_hazards() {
        assert_eq!(github_data("50%\r\nnext: a,b"), "50%25%0D%0Anext: a,b");
        assert_eq!(github_property("a%b:c,d\ne"), "a%25b%3Ac%2Cd%0Ae");
        assert_eq!(
            github_data("\x1b[2J\u{9b}\u{202e}"),
            "\\u{1b}[2J\\u{9b}\\u{202e}"
        );
        assert!(!github_property(HOSTILE).chars().any(is_hazard));
    }

    #[test]
    fn names_with_markdown_characters_stay_names() {
        assert_eq!(markdown_code("a|b*<c>"), "`a\\|b*<c>`");
        assert_eq!(markdown_code("x`y"), "``x`y``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(
            markdown_text("a|b*<c>_`\\", LineBreak::Space),
            "a\\|b\\*&lt;c&gt;\\_\\`\\\\"
        );
    }

    #[test]
    fn markdown_shows_hazards_escaped() {
        assert_eq!(
            markdown_text("a\x1b[2J\u{202e}", LineBreak::Space),
            "a\\\\u{1b}\\[2J\\\\u{202e}"
        );
        assert_eq!(markdown_code("a\x1b\u{202e}"), "`a\\u{1b}\\u{202e}`");
        assert_eq!(markdown_prose("`x`\u{9b}\n"), "`x`\\u{9b} ");
        for text in [
            markdown_text(HOSTILE, LineBreak::Html),
            markdown_code(HOSTILE),
            markdown_prose(HOSTILE),
        ] {
            assert!(!text.chars().any(is_hazard), "{text:?}");
        }
    }

    #[test]
    fn json_keeps_the_text_and_writes_hazards_as_escapes() {
        let value = serde_json::json!({ HOSTILE: [HOSTILE, "é"] });
        let mut out = Vec::new();
        write_json(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.chars().any(|c| c != '\n' && is_hazard(c)), "{text}");
        assert!(
            text.contains(r"\u009b1m\u007f\r\u202e\u2066\u200f\u061cz"),
            "{text}"
        );
        assert!(text.contains("\"é\""), "{text}");
        let pretty = serde_json::to_string_pretty(&serde_json::json!({"a": [1, {"b": 2}]}));
        let mut ours = Vec::new();
        write_json(&mut ours, &serde_json::json!({"a": [1, {"b": 2}]})).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), pretty.unwrap());
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
    }
}
