//! Escaping user text for each output format, in one place: a name or description from a
//! pull request must read as text, never as markup.

/// How a line break in text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineBreak {
    /// `<br>`: a table cell or heading that keeps the break.
    Html,
    /// A space: a one-line cell.
    Space,
}

/// Text safe in Markdown outside code (a table cell, a heading): HTML and the punctuation
/// that would start emphasis, a table cell, code, a link or math escaped.
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
            _ => out.push(c),
        }
    }
    out
}

/// A code span that survives any name: a fence longer than any backtick run inside, and `|`
/// escaped (GitHub splits table cells on it even inside code).
pub fn markdown_code(s: &str) -> String {
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
pub fn markdown_prose(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_markdown_characters_stay_names() {
        assert_eq!(markdown_code("a|b*<c>"), "`a\\|b*<c>`");
        assert_eq!(markdown_code("x`y"), "``x`y``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(
            markdown_text("a|b*<c>_`", LineBreak::Space),
            "a\\|b\\*&lt;c&gt;\\_\\`"
        );
    }
}
