//! JSON text → the same spanned tree the YAML reader produces, under the same limits: the
//! nesting depth is bounded while parsing, a key written twice in one object is reported with
//! both locations, and every node keeps its byte range. JSON catalogs (JSON Schema, Iglu)
//! are then adapted like YAML ones, and their findings point into the original file.
//!
//! Iterative (an explicit stack), so that hostile nesting cannot exhaust the stack before
//! the limit is met. Numbers without a fraction or exponent that fit an `i64` are integers,
//! as YAML's are; every other number is a float.

use std::collections::HashMap;
use std::ops::Range;

use super::yaml::{Node, Value, YamlError, YamlLimits};

/// Parses one JSON document (RFC 8259; a leading byte-order mark is allowed).
pub fn parse(text: &str, limits: &YamlLimits) -> Result<Node, YamlError> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        at: 0,
    };
    if text.starts_with('\u{feff}') {
        p.at = 3;
    }
    let root = p.document(limits)?;
    p.skip_space();
    if p.at < p.bytes.len() {
        return Err(p.error(p.at..p.at + 1, "unexpected text after the JSON value"));
    }
    Ok(root)
}

/// A collection being read: its start, and what it holds so far.
enum Open {
    Array {
        start: usize,
        items: Vec<Node>,
    },
    Object {
        start: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        seen: HashMap<String, Range<u32>>,
    },
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn document(&mut self, limits: &YamlLimits) -> Result<Node, YamlError> {
        let mut stack: Vec<Open> = Vec::new();
        loop {
            // Read a value: a scalar, or the start of a collection.
            self.skip_space();
            let start = self.at;
            let mut done = match self.peek() {
                Some(b'{') | Some(b'[') => {
                    if stack.len() >= limits.max_depth {
                        return Err(YamlError::Limit {
                            range: span(start..start + 1),
                            what: "the nesting depth",
                            setting: "nesting",
                            limit: limits.max_depth,
                        });
                    }
                    let object = self.peek() == Some(b'{');
                    self.at += 1;
                    self.skip_space();
                    let close = if object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.at += 1;
                        let value = if object {
                            Value::Map(Vec::new())
                        } else {
                            Value::Seq(Vec::new())
                        };
                        Some(node(start..self.at, value))
                    } else if object {
                        stack.push(Open::Object {
                            start,
                            entries: Vec::new(),
                            key: Some(self.key()?),
                            seen: HashMap::new(),
                        });
                        None
                    } else {
                        stack.push(Open::Array {
                            start,
                            items: Vec::new(),
                        });
                        None
                    }
                }
                _ => Some(self.scalar()?),
            };
            // Hand each finished value to its collection; close collections as they end.
            while let Some(value) = done.take() {
                let Some(open) = stack.last_mut() else {
                    return Ok(value);
                };
                match open {
                    Open::Array { items, .. } => items.push(value),
                    Open::Object {
                        entries, key, seen, ..
                    } => {
                        let key = key.take().expect("an object value follows its key");
                        let name = key.as_str().unwrap_or_default().to_string();
                        if let Some(first) = seen.insert(name.clone(), key.span.clone()) {
                            return Err(YamlError::DuplicateKey {
                                key: name,
                                range: key.span.clone(),
                                first,
                            });
                        }
                        entries.push((key, value));
                    }
                }
                self.skip_space();
                let object = matches!(open, Open::Object { .. });
                let close = if object { b'}' } else { b']' };
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        if let Open::Object { key, .. } = open {
                            *key = Some(self.key()?);
                        }
                    }
                    Some(c) if c == close => {
                        self.at += 1;
                        let end = self.at;
                        done = Some(match stack.pop().expect("the collection just read") {
                            Open::Array { start, items } => node(start..end, Value::Seq(items)),
                            Open::Object { start, entries, .. } => {
                                node(start..end, Value::Map(entries))
                            }
                        });
                    }
                    _ => {
                        let expected = if object {
                            "expected `,` or `}` after an object member"
                        } else {
                            "expected `,` or `]` after an array item"
                        };
                        return Err(self.error(self.here(), expected));
                    }
                }
            }
        }
    }

    /// An object key and the `:` after it.
    fn key(&mut self) -> Result<Node, YamlError> {
        self.skip_space();
        if self.peek() != Some(b'"') {
            return Err(self.error(self.here(), "expected a member name in double quotes"));
        }
        let key = self.string()?;
        self.skip_space();
        if self.peek() != Some(b':') {
            return Err(self.error(self.here(), "expected `:` after the member name"));
        }
        self.at += 1;
        Ok(key)
    }

    fn scalar(&mut self) -> Result<Node, YamlError> {
        let start = self.at;
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            None => Err(self.error(
                start..start,
                "unexpected end of the file: a value is missing",
            )),
            Some(_) => Err(self.error(self.here(), "expected a JSON value")),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Node, YamlError> {
        let start = self.at;
        if self.bytes[start..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(node(start..self.at, value))
        } else {
            Err(self.error(self.here(), "expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Node, YamlError> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.at += 1;
            }
            p.at > from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        if !digits(self) {
            return Err(self.error(start..self.at + 1, "invalid number"));
        }
        if self.bytes[int_start] == b'0' && self.at - int_start > 1 {
            return Err(self.error(start..self.at, "a number must not start with `0`"));
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            integral = false;
            self.at += 1;
            if !digits(self) {
                return Err(self.error(start..self.at, "invalid number: digits must follow `.`"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integral = false;
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error(
                    start..self.at,
                    "invalid number: digits must follow the exponent",
                ));
            }
        }
        let text = &self.text[start..self.at];
        let value = match (integral, text.parse::<i64>()) {
            (true, Ok(i)) => Value::Int(i),
            _ => match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Value::Float(f),
                _ => return Err(self.error(start..self.at, "the number is out of range")),
            },
        };
        Ok(node(start..self.at, value))
    }

    /// A string in double quotes; its span includes the quotes, as YAML's quoted scalars do.
    fn string(&mut self) -> Result<Node, YamlError> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            let run = self.at;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[run..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(node(start..self.at, Value::Str(out)));
                }
                Some(b'\\') => {
                    let escape = self.at;
                    self.at += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let c = self.unicode_escape(escape)?;
                            out.push(c);
                            continue;
                        }
                        _ => {
                            return Err(
                                self.error(escape..self.at + 1, "invalid escape in a string")
                            )
                        }
                    };
                    self.at += 1;
                    out.push(c);
                }
                Some(_) => {
                    return Err(self.error(
                        self.here(),
                        "a control character must be escaped inside a string",
                    ))
                }
                None => return Err(self.error(start..start + 1, "this string is never closed")),
            }
        }
    }

    /// The character of a `\uXXXX` escape (or a pair of them, for a surrogate pair);
    /// `self.at` is after the `u`.
    fn unicode_escape(&mut self, escape: usize) -> Result<char, YamlError> {
        let hex = |p: &mut Self| -> Option<u32> {
            let digits = p.text.get(p.at..p.at + 4)?;
            if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let value = u32::from_str_radix(digits, 16).ok()?;
            p.at += 4;
            Some(value)
        };
        let bad = |p: &Self| p.error(escape..p.at, "invalid `\\u` escape in a string");
        let first = hex(self).ok_or_else(|| bad(self))?;
        if (0xD800..0xDC00).contains(&first) {
            if !self.bytes[self.at..].starts_with(b"\\u") {
                return Err(bad(self));
            }
            self.at += 2;
            let second = hex(self).ok_or_else(|| bad(self))?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(bad(self));
            }
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            return char::from_u32(code).ok_or_else(|| bad(self));
        }
        char::from_u32(first).ok_or_else(|| bad(self))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// The character at the cursor (empty at the end of the file).
    fn here(&self) -> Range<usize> {
        let len = self.text[self.at..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        self.at..self.at + len
    }

    fn error(&self, range: Range<usize>, message: &str) -> YamlError {
        let end = range.end.min(self.text.len());
        YamlError::Syntax {
            range: span(range.start.min(end)..end),
            message: message.to_string(),
        }
    }
}

fn span(range: Range<usize>) -> Range<u32> {
    range.start as u32..range.end as u32
}

fn node(range: Range<usize>, value: Value) -> Node {
    Node {
        span: span(range),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: YamlLimits = YamlLimits {
        max_depth: 8,
        max_aliases: 0,
        max_documents: 1,
        max_expanded: 1 << 20,
    };

    fn text_of<'t>(text: &'t str, node: &Node) -> &'t str {
        &text[node.span.start as usize..node.span.end as usize]
    }

    #[test]
    fn values_keep_their_spans() {
        let text = r#"{"name": "Café ☕", "n": [1, -2.5e1, true, null], "o": {}}"#;
        let root = parse(text, &LIMITS).expect("valid");
        assert_eq!(text_of(text, &root), text);
        let name = root.get("name").expect("name");
        assert_eq!(name.as_str(), Some("Café ☕"));
        assert_eq!(text_of(text, name), r#""Café ☕""#);
        let (key, _) = root.get_entry("n").expect("n");
        assert_eq!(text_of(text, key), r#""n""#);
        let Value::Seq(items) = &root.get("n").expect("n").value else {
            panic!("a list")
        };
        let values: Vec<&Value> = items.iter().map(|n| &n.value).collect();
        assert_eq!(
            values,
            [
                &Value::Int(1),
                &Value::Float(-25.0),
                &Value::Bool(true),
                &Value::Null
            ]
        );
        assert_eq!(text_of(text, &items[1]), "-2.5e1");
        assert_eq!(root.get("o").expect("o").value, Value::Map(Vec::new()));
    }

    #[test]
    fn escapes_are_decoded() {
        let text = r#"["a\"b\\c\/\n\u00e9\ud83d\ude00"]"#;
        let root = parse(text, &LIMITS).expect("valid");
        let Value::Seq(items) = root.value else {
            panic!("a list")
        };
        assert_eq!(items[0].as_str(), Some("a\"b\\c/\né😀"));
    }

    #[test]
    fn a_duplicate_key_names_both_places() {
        let text = "{\"a\": 1,\n \"a\": 2}";
        let err = parse(text, &LIMITS).expect_err("duplicate");
        assert_eq!(
            err,
            YamlError::DuplicateKey {
                key: "a".into(),
                range: 10..13,
                first: 1..4,
            }
        );
    }

    #[test]
    fn nesting_is_bounded_without_recursion() {
        let deep = "[".repeat(100_000);
        let err = parse(&deep, &LIMITS).expect_err("too deep");
        assert!(
            matches!(
                err,
                YamlError::Limit {
                    setting: "nesting",
                    ..
                }
            ),
            "{err:?}"
        );
        let ok = format!("{}{}", "[".repeat(8), "]".repeat(8));
        assert!(parse(&ok, &LIMITS).is_ok());
    }

    #[test]
    fn syntax_errors_point_at_the_offending_text() {
        let cases = [
            (
                "{\"a\": 1,}",
                "expected a member name in double quotes",
                8..9,
            ),
            ("{\"a\" 1}", "expected `:` after the member name", 5..6),
            ("[1 2]", "expected `,` or `]` after an array item", 3..4),
            ("{\"a\": tru}", "expected a JSON value", 6..7),
            ("[01]", "a number must not start with `0`", 1..3),
            ("\"open", "this string is never closed", 0..1),
            ("{} x", "unexpected text after the JSON value", 3..4),
            ("", "unexpected end of the file: a value is missing", 0..0),
            ("[\"\\x\"]", "invalid escape in a string", 2..4),
        ];
        for (text, message, range) in cases {
            let err = parse(text, &LIMITS).expect_err(text);
            assert_eq!(
                err,
                YamlError::Syntax {
                    range,
                    message: message.into()
                },
                "{text}"
            );
        }
    }
}
