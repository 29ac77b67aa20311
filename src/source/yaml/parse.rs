//! The event loop: saphyr's events folded into [`Node`]s, with depth, alias and document
//! limits enforced as they are met.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, Span};

use super::scalar::{check_collection_tag, resolve_scalar};
use super::{Node, Value, YamlError, YamlLimits};

/// Maps saphyr's character indices to byte offsets.
struct Offsets<'a> {
    text: &'a str,
    byte_of_char: Option<Vec<u32>>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let byte_of_char = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(b, _)| b as u32)
                .chain(std::iter::once(text.len() as u32))
                .collect()
        });
        Self { text, byte_of_char }
    }

    fn byte(&self, char_index: usize) -> u32 {
        match &self.byte_of_char {
            None => char_index.min(self.text.len()) as u32,
            Some(map) => map[char_index.min(map.len() - 1)],
        }
    }

    fn range(&self, span: &Span) -> Range<u32> {
        self.byte(span.start.index())..self.byte(span.end.index())
    }
}

enum Frame {
    Seq {
        start: u32,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: u32,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        seen: HashMap<String, Range<u32>>,
    },
}

/// Parses every document of `text`. A document's root is its node; an empty document is `Null`.
pub fn parse(text: &str, limits: &YamlLimits) -> Result<Vec<Node>, YamlError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut aliases = 0usize;
    let mut expanded = 0usize;
    let mut doc_root: Option<Node> = None;

    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let mut at = offsets.byte(e.marker().index());
            // saphyr marks the token next to the tab: the one after it on the same line, or
            // a plain scalar that continues onto the tab's line. Point at the tab itself.
            if e.info().contains("tab") {
                let at_usize = at as usize;
                let line_start = text[..at_usize].rfind('\n').map_or(0, |i| i + 1);
                let next_line_end = text[at_usize..]
                    .match_indices('\n')
                    .nth(1)
                    .map_or(text.len(), |(i, _)| at_usize + i);
                let tab = text[line_start..at_usize]
                    .find('\t')
                    .map(|i| line_start + i)
                    .or_else(|| {
                        text[at_usize..next_line_end]
                            .find('\t')
                            .map(|i| at_usize + i)
                    });
                if let Some(tab) = tab {
                    at = tab as u32;
                }
            }
            YamlError::Syntax {
                range: at..at,
                message: e.info().to_string(),
            }
        })?;
        let range = offsets.range(&span);
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                if docs.len() >= limits.max_documents {
                    return Err(YamlError::Limit {
                        range,
                        what: "the number of documents",
                        setting: "documents",
                        limit: limits.max_documents,
                    });
                }
                continue;
            }
            Event::DocumentEnd => {
                docs.push(doc_root.take().unwrap_or(Node {
                    span: range.start..range.start,
                    value: Value::Null,
                }));
                anchors.clear();
                continue;
            }
            Event::SequenceStart(anchor, tag) => {
                check_collection_tag(tag.as_deref(), "!!seq", &range)?;
                push_frame(
                    &mut stack,
                    limits,
                    &range,
                    Frame::Seq {
                        start: range.start,
                        anchor,
                        items: Vec::new(),
                    },
                )?;
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                check_collection_tag(tag.as_deref(), "!!map", &range)?;
                push_frame(
                    &mut stack,
                    limits,
                    &range,
                    Frame::Map {
                        start: range.start,
                        anchor,
                        entries: Vec::new(),
                        pending_key: None,
                        seen: HashMap::new(),
                    },
                )?;
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else { continue };
                let (start, anchor, value, last_end) = match frame {
                    Frame::Seq {
                        start,
                        anchor,
                        items,
                    } => {
                        let last = items.last().map(|n| n.span.end);
                        (start, anchor, Value::Seq(items), last)
                    }
                    Frame::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    } => {
                        let last = entries.last().map(|(_, v)| v.span.end);
                        (start, anchor, Value::Map(entries), last)
                    }
                };
                // A flow collection ends at its closing bracket, a block one at its last child.
                let flow = matches!(text.as_bytes().get(start as usize), Some(b'[' | b'{'));
                let end = match last_end {
                    Some(e) if !flow => e,
                    _ => range.end,
                };
                let node = Node {
                    span: start..end.max(start),
                    value,
                };
                expanded += 1;
                remember(&mut anchors, anchor, &node);
                node
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = resolve_scalar(&text, style, tag.as_deref(), &range)?;
                expanded += 1 + text.len();
                let node = Node { span: range, value };
                remember(&mut anchors, anchor, &node);
                node
            }
            Event::Alias(id) => {
                aliases += 1;
                if aliases > limits.max_aliases {
                    return Err(YamlError::Limit {
                        range,
                        what: "the number of aliases",
                        setting: "aliases",
                        limit: limits.max_aliases,
                    });
                }
                let Some((target, weight)) = anchors.get(&id) else {
                    return Err(YamlError::Syntax {
                        range,
                        message: "alias to an unknown anchor".into(),
                    });
                };
                expanded += weight;
                if expanded > limits.max_expanded {
                    return Err(YamlError::Limit {
                        range,
                        what: "the size of the file with its aliases expanded",
                        setting: "file_size",
                        limit: limits.max_expanded,
                    });
                }
                Node {
                    span: range,
                    value: target.value.clone(),
                }
            }
        };
        if expanded > limits.max_expanded {
            return Err(YamlError::Limit {
                range: node.span.clone(),
                what: "the size of the file with its aliases expanded",
                setting: "file_size",
                limit: limits.max_expanded,
            });
        }
        attach(&mut stack, &mut doc_root, node)?;
    }
    Ok(docs)
}

fn push_frame(
    stack: &mut Vec<Frame>,
    limits: &YamlLimits,
    range: &Range<u32>,
    frame: Frame,
) -> Result<(), YamlError> {
    if stack.len() >= limits.max_depth {
        return Err(YamlError::Limit {
            range: range.clone(),
            what: "the nesting depth",
            setting: "nesting",
            limit: limits.max_depth,
        });
    }
    stack.push(frame);
    Ok(())
}

fn remember(anchors: &mut HashMap<usize, (Node, usize)>, anchor: usize, node: &Node) {
    if anchor > 0 {
        anchors.insert(anchor, (node.clone(), weight(node)));
    }
}

fn weight(node: &Node) -> usize {
    match &node.value {
        Value::Str(s) => 1 + s.len(),
        Value::Seq(items) => 1 + items.iter().map(weight).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| weight(k) + weight(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

fn attach(stack: &mut [Frame], doc_root: &mut Option<Node>, node: Node) -> Result<(), YamlError> {
    match stack.last_mut() {
        None => *doc_root = Some(node),
        Some(Frame::Seq { items, .. }) => items.push(node),
        Some(Frame::Map {
            entries,
            pending_key,
            seen,
            ..
        }) => match pending_key.take() {
            None => {
                if let Some(key) = node.scalar_text() {
                    if let Some(first) = seen.get(key.as_ref()) {
                        return Err(YamlError::DuplicateKey {
                            key: key.into_owned(),
                            range: node.span.clone(),
                            first: first.clone(),
                        });
                    }
                    seen.insert(key.into_owned(), node.span.clone());
                }
                *pending_key = Some(node);
            }
            Some(key) => entries.push((key, node)),
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: YamlLimits = YamlLimits {
        max_depth: 64,
        max_aliases: 100,
        max_documents: 100,
        max_expanded: 1 << 20,
    };

    #[test]
    fn spans_are_byte_ranges_on_non_ascii_text() {
        let text = "description: Café ☕\nname: email\n";
        let docs = parse(text, &LIMITS).unwrap();
        let name = docs[0].get("name").unwrap();
        assert_eq!(
            &text[name.span.start as usize..name.span.end as usize],
            "email"
        );
    }

    #[test]
    fn core_schema_scalars() {
        let docs = parse(
            "a: yes\nb: 0x1f\nc: 1.5e3\nd: ~\ne: '1'\nf: 2026-01-01\n",
            &LIMITS,
        )
        .unwrap();
        let d = &docs[0];
        assert_eq!(d.get("a").unwrap().value, Value::Str("yes".into()));
        assert_eq!(d.get("b").unwrap().value, Value::Int(31));
        assert_eq!(d.get("c").unwrap().value, Value::Float(1500.0));
        assert_eq!(d.get("d").unwrap().value, Value::Null);
        assert_eq!(d.get("e").unwrap().value, Value::Str("1".into()));
        assert_eq!(d.get("f").unwrap().value, Value::Str("2026-01-01".into()));
    }

    #[test]
    fn duplicate_keys_name_both_places() {
        let err = parse("name: a\nname: b\n", &LIMITS).unwrap_err();
        assert_eq!(
            err,
            YamlError::DuplicateKey {
                key: "name".into(),
                range: 8..12,
                first: 0..4
            }
        );
    }

    /// The `limits.*` setting a parse stopped at.
    fn limit_hit(text: &str) -> &'static str {
        match parse(text, &LIMITS) {
            Err(YamlError::Limit { setting, .. }) => setting,
            other => panic!("expected a limit, got {other:?}"),
        }
    }

    #[test]
    fn alias_bomb_stops_at_the_expansion_limit() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert_eq!(limit_hit(&text), "file_size");
    }

    #[test]
    fn deep_nesting_stops_at_the_depth_limit() {
        let block: String = (0..10_000)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect();
        assert_eq!(limit_hit(&block), "nesting");
        let sequences: String = (0..10_000)
            .map(|i| format!("{}- \n", " ".repeat(i * 2)))
            .collect();
        assert_eq!(limit_hit(&sequences), "nesting");
        // Flow nesting stops in saphyr's own recursion guard.
        assert!(parse(&"[".repeat(10_000), &LIMITS).is_err());
    }
}
