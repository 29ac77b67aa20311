//! Typed reading of spanned YAML: every problem (unknown field, wrong type, bad value) becomes
//! a finding at the exact span, and reading goes on so that one run reports all of them.

use std::ops::Range;

use crate::finding::{Anchor, Finding};
use crate::rules::{declare_rule, RuleMeta};
use crate::source::yaml::{Node, Value};
use crate::source::FileId;
use crate::suggest;

declare_rule! {
    /// ## What it does
    /// Flags a field that the resource (or the nested item: property ref, match key, step,
    /// `items`) does not have, with the closest known field as a suggestion. When that field
    /// is absent, the key stands for it: a required one is named in this finding (instead of
    /// a `missing-field` on the name), and what other rules would say about the absent field
    /// (`pii-unclassified` for `pi: direct`) is left to this one finding.
    ///
    /// ## Why is this bad?
    /// A misspelt field is silently ignored by tools that accept anything: `pi: direct`
    /// leaves the property unclassified while its author believes it is protected.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// descripton: Customer email
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// description: Customer email
    /// ```
    pub(crate) static UNKNOWN_FIELD = {
        code: "CT006",
        name: "unknown-field",
        category: Structure,
        severity: Error,
        summary: "Field is not part of the format",
    };
}

declare_rule! {
    /// ## What it does
    /// Flags a resource or item without a field it needs: `kind` and `name` everywhere,
    /// `type` on a Property, `platform` and `events` on a Source, `type` and `environment`
    /// on a Destination, `source`, `destinations` and `events` on a Pipeline, `events` and
    /// `steps` on a Transformation, `match_keys` on an IdentityRule, `ref` on a property ref.
    /// A misspelt key for it (`destinatons`) is reported as `unknown-field` instead, at the key.
    ///
    /// ## Why is this bad?
    /// Without it the resource cannot be compiled: a property without a type has no schema,
    /// a destination without an environment cannot be judged for personal data.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// pii: direct
    /// lawful_basis: contract
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// pii: direct
    /// lawful_basis: contract
    /// ```
    pub(crate) static MISSING_FIELD = {
        code: "CT007",
        name: "missing-field",
        category: Structure,
        severity: Error,
        summary: "Required field is missing",
    };
}

declare_rule! {
    /// ## What it does
    /// Flags a field whose value has the wrong type or is not one of the allowed words:
    /// `required: "yes"`, `pii: secret`, `type: text`, `environment: production`,
    /// `retention: forever`, a region that is not a lowercase identifier.
    ///
    /// ## Why is this bad?
    /// The value cannot mean what its author intended; contrail would have to guess.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: text
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ```
    pub(crate) static INVALID_VALUE = {
        code: "CT009",
        name: "invalid-value",
        category: Structure,
        severity: Error,
        summary: "Field has a value of the wrong type or outside its allowed set",
    };
}

/// Collects the findings of decoding one file.
pub struct Decoder {
    pub file: FileId,
    pub findings: Vec<Finding>,
    /// The unknown keys that look like a field their mapping lacks.
    pub misspelt: Vec<MisspeltKey>,
}

/// An unknown key close to a known field that its mapping lacks (`pi:` for `pii:`): the field
/// was written, under the wrong name. A finding about the absent field lands on the key, where
/// the key's own `unknown-field` finding already is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MisspeltKey {
    pub file: FileId,
    /// The mapping the key is in.
    pub mapping: Range<u32>,
    /// The field it suggests.
    pub field: String,
    /// The key.
    pub key: Range<u32>,
}

/// A checked mapping: only known keys, ready to read typed fields.
pub struct Fields<'a> {
    pub node: &'a Node,
    /// What the mapping is, for messages ("Property", "property ref").
    pub what: &'a str,
}

/// A string with the span it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<u32>,
}

impl Decoder {
    pub fn new(file: FileId) -> Self {
        Self {
            file,
            findings: Vec::new(),
            misspelt: Vec::new(),
        }
    }

    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        range: Range<u32>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.findings
            .push(Finding::new(rule, Anchor::span(self.file, range), message).with_help(help));
    }

    /// `node` as a mapping whose keys are all in `allowed`; reports each unknown key.
    pub fn mapping<'a>(
        &mut self,
        node: &'a Node,
        what: &'a str,
        allowed: &[&str],
    ) -> Option<Fields<'a>> {
        let Some(entries) = node.as_map() else {
            self.report(
                &INVALID_VALUE,
                node.span.clone(),
                format!("{what} must be a mapping, found {}", node.value.type_name()),
                None,
            );
            return None;
        };
        for (key, _) in entries {
            match key.as_str() {
                Some(k) if allowed.contains(&k) => {}
                Some(k) => {
                    let suggested = suggest::did_you_mean(k, allowed.iter().copied());
                    let help = match suggested {
                        Some(field) => format!("did you mean `{field}`?"),
                        None => format!("{what} takes: {}", allowed.join(", ")),
                    };
                    if let Some(field) = suggested.filter(|f| node.get(f).is_none()) {
                        self.misspelt.push(MisspeltKey {
                            file: self.file,
                            mapping: node.span.clone(),
                            field: field.to_string(),
                            key: key.span.clone(),
                        });
                    }
                    self.report(
                        &UNKNOWN_FIELD,
                        key.span.clone(),
                        format!("unknown field `{k}` in {what}"),
                        Some(help),
                    );
                }
                None => self.report(
                    &UNKNOWN_FIELD,
                    key.span.clone(),
                    format!(
                        "{what} keys must be field names, found {}",
                        key.value.type_name()
                    ),
                    None,
                ),
            }
        }
        Some(Fields { node, what })
    }

    pub fn wrong_type(&mut self, fields: &Fields, key: &str, node: &Node, expected: &str) {
        // YAML 1.1 habits: in YAML 1.2 `yes`, `no`, `on` and `off` are strings.
        let help = match node.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("yes" | "on" | "y") => {
                Some("YAML 1.2 reads this as a string; write `true`".to_string())
            }
            Some("no" | "off" | "n") => {
                Some("YAML 1.2 reads this as a string; write `false`".to_string())
            }
            _ => None,
        };
        self.report(
            &INVALID_VALUE,
            node.span.clone(),
            format!(
                "`{key}` of {} must be {expected}, found {}",
                fields.what,
                found(node)
            ),
            help.filter(|_| expected.contains("true")),
        );
    }
}

impl<'a> Fields<'a> {
    /// The value of `key`; `None` when absent or written as null.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key).filter(|n| n.value != Value::Null)
    }

    /// Where a finding about an absent field lands: the mapping's `name` (or `ref`,
    /// `property`) value, else the mapping itself.
    pub fn anchor_range(&self) -> Range<u32> {
        self.node.natural_key().unwrap_or(self.node).span.clone()
    }

    /// Reports `key` as missing when it is absent (or null). When an unknown key looks like
    /// it, that key's `unknown-field` finding says so instead: one finding, at the key.
    pub fn expect(&self, d: &mut Decoder, key: &str) {
        if self.get(key).is_none() {
            let named = match self.node.natural_key().and_then(Node::as_str) {
                Some(name) => format!("{} `{name}`", self.what),
                None => self.what.to_string(),
            };
            if self.reword_misspelt(d, key, &named) {
                return;
            }
            d.report(
                &MISSING_FIELD,
                self.anchor_range(),
                format!("{named} is missing the required field `{key}`"),
                None,
            );
        }
    }

    /// Rewords the `unknown-field` finding of a key that looks like the missing `field`, if
    /// there is one, to say that it is the missing required field.
    fn reword_misspelt(&self, d: &mut Decoder, field: &str, named: &str) -> bool {
        let Some(m) = d
            .misspelt
            .iter()
            .find(|m| m.mapping == self.node.span && m.field == field)
        else {
            return false;
        };
        let span = Anchor::span(d.file, m.key.clone());
        let key = self.node.as_map().and_then(|entries| {
            entries
                .iter()
                .find(|(k, _)| k.span == m.key)
                .and_then(|(k, _)| k.as_str())
        });
        let finding = d
            .findings
            .iter_mut()
            .find(|f| std::ptr::eq(f.rule, &UNKNOWN_FIELD) && f.anchor == span);
        let (Some(key), Some(finding)) = (key, finding) else {
            return false;
        };
        finding.message = format!(
            "unknown field `{key}` in {named}, which is missing the required field `{field}`"
        );
        true
    }

    pub fn string(&self, d: &mut Decoder, key: &str) -> Option<Spanned<String>> {
        let node = self.get(key)?;
        match node.scalar_text() {
            Some(s) if matches!(node.value, Value::Str(_)) => Some(Spanned {
                value: s.into_owned(),
                span: node.span.clone(),
            }),
            _ => {
                d.wrong_type(self, key, node, "a string");
                None
            }
        }
    }

    pub fn required_string(&self, d: &mut Decoder, key: &str) -> Option<Spanned<String>> {
        self.expect(d, key);
        self.string(d, key)
    }

    pub fn bool(&self, d: &mut Decoder, key: &str) -> Option<bool> {
        let node = self.get(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                d.wrong_type(self, key, node, "`true` or `false`");
                None
            }
        }
    }

    pub fn integer(&self, d: &mut Decoder, key: &str) -> Option<i64> {
        let node = self.get(key)?;
        match node.value {
            Value::Int(i) => Some(i),
            _ => {
                d.wrong_type(self, key, node, "an integer");
                None
            }
        }
    }

    /// A non-negative integer (lengths, counts, precedences).
    pub fn count(&self, d: &mut Decoder, key: &str) -> Option<u64> {
        let node = self.get(key)?;
        match node.value {
            Value::Int(i) if i >= 0 => Some(i as u64),
            _ => {
                d.wrong_type(self, key, node, "a non-negative integer");
                None
            }
        }
    }

    pub fn number(&self, d: &mut Decoder, key: &str) -> Option<serde_json::Number> {
        let node = self.get(key)?;
        let number = match node.value {
            Value::Int(i) => Some(serde_json::Number::from(i)),
            Value::Float(f) => serde_json::Number::from_f64(f),
            _ => None,
        };
        if number.is_none() {
            d.wrong_type(self, key, node, "a finite number");
        }
        number
    }

    /// A list of strings (`[a, b]`); each item keeps its span.
    pub fn string_list(&self, d: &mut Decoder, key: &str) -> Option<Vec<Spanned<String>>> {
        let node = self.get(key)?;
        let Value::Seq(items) = &node.value else {
            d.wrong_type(self, key, node, "a list of strings");
            return None;
        };
        Some(
            items
                .iter()
                .filter_map(|item| match &item.value {
                    Value::Str(s) => Some(Spanned {
                        value: s.clone(),
                        span: item.span.clone(),
                    }),
                    _ => {
                        d.wrong_type(self, key, item, "a list of strings");
                        None
                    }
                })
                .collect(),
        )
    }

    /// A string or a list of strings.
    pub fn one_or_list(&self, d: &mut Decoder, key: &str) -> Option<Vec<Spanned<String>>> {
        let node = self.get(key)?;
        match &node.value {
            Value::Str(s) => Some(vec![Spanned {
                value: s.clone(),
                span: node.span.clone(),
            }]),
            _ => self.string_list(d, key),
        }
    }

    /// One of a fixed set of words.
    pub fn choice<T: Copy>(&self, d: &mut Decoder, key: &str, options: &[(&str, T)]) -> Option<T> {
        let value = self.string(d, key)?;
        choose(d, self.what, key, &value, options)
    }

    /// A list of mappings, each passed to `item` with its index.
    pub fn list_of<T>(
        &self,
        d: &mut Decoder,
        key: &str,
        mut item: impl FnMut(&mut Decoder, usize, &'a Node) -> Option<T>,
    ) -> Option<Vec<T>> {
        let node = self.get(key)?;
        let Value::Seq(items) = &node.value else {
            d.wrong_type(self, key, node, "a list");
            return None;
        };
        Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| item(d, i, n))
                .collect(),
        )
    }
}

/// What a value is, for "found …": the value itself for scalars, else its type.
fn found(node: &Node) -> String {
    match &node.value {
        Value::Seq(items) if items.is_empty() => "an empty list".into(),
        Value::Map(entries) if entries.is_empty() => "an empty mapping".into(),
        Value::Str(s) => format!("the string `{s}`"),
        Value::Null => "nothing (null)".into(),
        v => match node.scalar_text() {
            Some(text) => format!("`{text}`"),
            None => v.type_name().into(),
        },
    }
}

/// Checks a word against a fixed set, with a suggestion when it is close to one.
pub fn choose<T: Copy>(
    d: &mut Decoder,
    what: &str,
    key: &str,
    value: &Spanned<String>,
    options: &[(&str, T)],
) -> Option<T> {
    if let Some((_, v)) = options.iter().find(|(name, _)| *name == value.value) {
        return Some(*v);
    }
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    let help = suggest::help(&value.value, names.iter().copied())
        .or_else(|| Some(format!("use one of: {}", names.join(", "))));
    d.report(
        &INVALID_VALUE,
        value.span.clone(),
        format!("`{}` is not a valid `{key}` for {what}", value.value),
        help,
    );
    None
}
