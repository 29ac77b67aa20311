//! What to do about a YAML syntax error: the parser says what it expected, a newcomer needs
//! the usual cause (an unquoted `: ` in a value, a value starting with `*`, `\d` in double
//! quotes, an unclosed bracket, a line indented off its siblings) and the fix.

use std::ops::Range;

/// Help for the parser's `message` at byte `at` of `text`, and where a bracket it did not
/// see closed was opened.
pub(super) fn explain(
    message: &str,
    text: &str,
    at: u32,
) -> (Option<String>, Option<(Range<u32>, String)>) {
    let at = (at as usize).min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[line_start..line_end];
    let column = at - line_start;
    if message.contains("tab") {
        return (
            Some("indent with spaces: YAML does not allow tabs for indentation".into()),
            None,
        );
    }
    if message.contains("mapping values are not allowed") {
        return (Some(colon_help(line, column)), None);
    }
    if message.contains("anchor or alias") {
        return (Some(
            "a plain value cannot start with `*` or `&` (YAML reads an alias or an anchor): quote it, as in `pattern: \"*\"`"
                .into(),
        ), None);
    }
    if message.contains("unknown escape character") {
        return (Some(
            "inside double quotes `\\` starts an escape such as `\\n`: write patterns in single quotes, as in `pattern: '^\\d+$'`"
                .into(),
        ), None);
    }
    if message.contains("flow") || message.contains("expected ',' or") {
        if let Some(open) = unclosed_bracket(text, at) {
            let bracket = &text[open..open + 1];
            let closing = if bracket == "[" { "]" } else { "}" };
            return (
                Some(format!(
                    "close the `{bracket}` with `{closing}` on the same line, or write the list one `- item` per line"
                )),
                Some((
                    open as u32..open as u32 + 1,
                    format!("`{bracket}` opened here and not closed"),
                )),
            );
        }
    }
    if message.contains("expected '-' indicator") || message.contains("did not find expected key") {
        return (
            Some(
                "check the indentation: the items of one list, and the keys of one mapping, start in the same column"
                    .into(),
            ),
            None,
        );
    }
    (None, None)
}

/// "mapping values are not allowed": a `: ` inside a value, or a key indented under a
/// scalar.
fn colon_help(line: &str, column: usize) -> String {
    let body = line.trim_start();
    let indent = line.len() - body.len();
    let item = body.strip_prefix("- ").map_or(0, |_| 2);
    let key_colon = body[item..].find(": ").map(|i| indent + item + i);
    match key_colon {
        // The line's own `key: ` is what failed: the key sits under a scalar.
        Some(colon) if colon == column => {
            "this line is indented deeper than the key above it, which already has a value: line it up with that key, or put it under a key that ends with `:`"
                .into()
        }
        Some(colon) => {
            let key = &line[indent + item..colon];
            let value = line[colon + 2..].trim_end();
            if value.contains('"') {
                format!("a `: ` inside a value starts a mapping: quote the value in single quotes, as in `{key}: '{value}'`")
            } else {
                format!("a `: ` inside a value starts a mapping: quote the value, as in `{key}: \"{value}\"`")
            }
        }
        None => "a `: ` inside a value starts a mapping: quote the value".into(),
    }
}

/// The last `[` or `{` before `at` that no bracket after it closes (outside quotes).
fn unclosed_bracket(text: &str, at: usize) -> Option<usize> {
    let mut open = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in text[..at].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => open.push(i),
            (None, ']' | '}') => {
                open.pop();
            }
            (None, '#') if text[..i].ends_with(' ') || text[..i].ends_with('\n') => {
                // A comment runs to the end of its line; brackets in it do not count.
                quote = Some('\n');
            }
            _ => {}
        }
    }
    open.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(
        text: &str,
        marker: &str,
        message: &str,
    ) -> (Option<String>, Option<(Range<u32>, String)>) {
        let at = text.find(marker).expect("marker") as u32;
        explain(message, text, at)
    }

    #[test]
    fn an_unquoted_colon_in_a_value_is_told_to_be_quoted() {
        let text = "kind: Property\ndescription: City code: three letters\n";
        let (h, _) = help(
            text,
            ": three",
            "mapping values are not allowed in this context",
        );
        assert_eq!(
            h.as_deref(),
            Some("a `: ` inside a value starts a mapping: quote the value, as in `description: \"City code: three letters\"`")
        );
    }

    #[test]
    fn a_key_under_a_scalar_is_an_indentation_mistake() {
        let text = "kind: Event\nname: e\n  owner: x\n";
        let (h, _) = help(
            text,
            ": x",
            "mapping values are not allowed in this context",
        );
        assert!(h.is_some_and(|h| h.starts_with("this line is indented deeper")));
    }

    #[test]
    fn an_unclosed_bracket_is_pointed_at() {
        let text = "kind: Event\nproperties: [{ref: a}, {ref: b}\ndescription: x\n";
        let (h, related) = help(text, "description", "invalid indentation in flow construct");
        assert!(h.is_some_and(|h| h.starts_with("close the `[`")));
        let open = text.find('[').expect("bracket") as u32;
        assert_eq!(related.map(|(r, _)| r), Some(open..open + 1));
    }

    #[test]
    fn brackets_in_quotes_and_comments_do_not_count() {
        let text = "a: \"[x\" # [y\nb: [1, 2\nc: 3\n";
        let open = text.rfind('[').expect("bracket");
        assert_eq!(
            unclosed_bracket(text, text.find("c:").expect("c")),
            Some(open)
        );
    }
}
