use serde_json::Value as Json;

use crate::finding::{Anchor, FieldPath, Finding};
use crate::model::{Kind, Model, Schema, TypeName};
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags constraints that cannot hold or do not apply: `minimum` above `maximum`
    /// (likewise lengths and item counts), `enum` values or a `default` of another type
    /// than the property's, a `pattern` that is not a valid regular expression or uses
    /// syntax JSON Schema validators do not share (lookaround, backreferences, inline
    /// flags, `(?P<name>…)`, `\A`, `\z`, POSIX classes), and constraints on a type that does
    /// not have them (`pattern` on an integer, `max_length` on an array).
    ///
    /// ## Why is this bad?
    /// The compiled JSON Schema would reject every payload, or silently not enforce what
    /// the author wrote.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: quantity
    /// type: integer
    /// minimum: 10
    /// maximum: 1
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: quantity
    /// type: integer
    /// minimum: 1
    /// maximum: 10
    /// ```
    pub(crate) static RULE = {
        code: "CT010",
        name: "invalid-constraint",
        category: Structure,
        severity: Error,
        summary: "Constraint is contradictory, malformed or does not apply to the type",
    };
}

pub(crate) fn check(model: &Model, out: &mut Vec<Finding>) {
    for (name, p) in &model.properties {
        let mut report = |field: FieldPath, message: String, help: Option<String>| {
            let anchor = Anchor::resource(Kind::Property, name.as_str(), field);
            out.push(Finding::new(&RULE, anchor, message).with_help(help));
        };
        for (at, schema) in p.schema.levels() {
            check_schema(schema, at, &mut report);
        }
        if let Some(default) = &p.default {
            if !p.schema.types.is_empty() && !value_has_type(default, &p.schema.types) {
                report(
                    FieldPath::key("default"),
                    format!(
                        "`default` {default} is not of type {}",
                        type_list(&p.schema.types)
                    ),
                    None,
                );
            }
        }
    }
}

fn check_schema(
    s: &Schema,
    at: FieldPath,
    report: &mut impl FnMut(FieldPath, String, Option<String>),
) {
    let has = |t: TypeName| s.types.contains(&t);
    let numeric = has(TypeName::Integer) || has(TypeName::Number);
    let textual = has(TypeName::String);
    let array = has(TypeName::Array);
    let known = !s.types.is_empty();
    let types = type_list(&s.types);
    let field = |f: &str| at.clone().then(f);

    if known && !numeric {
        for (key, v) in [("minimum", &s.minimum), ("maximum", &s.maximum)] {
            if v.is_some() {
                report(
                    field(key),
                    format!("`{key}` applies to numbers, not to {types}"),
                    None,
                );
            }
        }
    }
    if known && !textual {
        for (key, v) in [("min_length", &s.min_length), ("max_length", &s.max_length)] {
            if v.is_some() {
                let help =
                    array.then(|| format!("for arrays use `{}`", key.replace("length", "items")));
                report(
                    field(key),
                    format!("`{key}` applies to strings, not to {types}"),
                    help,
                );
            }
        }
        if s.pattern.is_some() {
            report(
                field("pattern"),
                format!("`pattern` applies to strings, not to {types}"),
                None,
            );
        }
    }
    if known && !array {
        let item_fields = [
            ("items", s.items.is_some()),
            ("min_items", s.min_items.is_some()),
            ("max_items", s.max_items.is_some()),
        ];
        for (key, present) in item_fields {
            if present {
                report(
                    field(key),
                    format!("`{key}` applies to arrays, not to {types}"),
                    None,
                );
            }
        }
    }
    if let (Some(min), Some(max)) = (&s.minimum, &s.maximum) {
        if min.as_f64() > max.as_f64() {
            report(
                field("minimum"),
                format!("`minimum` {min} is above `maximum` {max}"),
                None,
            );
        }
    }
    for (lo, hi, lo_key, hi_key) in [
        (s.min_length, s.max_length, "min_length", "max_length"),
        (s.min_items, s.max_items, "min_items", "max_items"),
    ] {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo > hi {
                report(
                    field(lo_key),
                    format!("`{lo_key}` {lo} is above `{hi_key}` {hi}"),
                    None,
                );
            }
        }
    }
    if let Some(values) = &s.enum_values {
        for (i, v) in values.iter().enumerate() {
            if known && !value_has_type(v, &s.types) {
                report(
                    field("enum").then_index(i),
                    format!("enum value {v} is not of type {types}"),
                    None,
                );
            }
        }
    }
    if let Some(pattern) = &s.pattern {
        if let Err(message) = check_pattern(pattern) {
            report(
                field("pattern"),
                message,
                Some(
                    "write a pattern both Rust's regex crate and ECMA-262 (JSON Schema) accept"
                        .into(),
                ),
            );
        }
    }
}

/// A pattern must compile with the `regex` crate and use only syntax ECMA-262 shares.
fn check_pattern(pattern: &str) -> Result<(), String> {
    const RUST_ONLY: &[(&str, &str)] = &[
        ("(?P<", "named groups are written `(?<name>…)` in ECMA-262"),
        ("\\A", "`\\A` does not exist in ECMA-262; use `^`"),
        ("\\z", "`\\z` does not exist in ECMA-262; use `$`"),
        ("[[:", "POSIX classes do not exist in ECMA-262"),
    ];
    for (needle, why) in RUST_ONLY {
        if pattern.contains(needle) {
            return Err(format!(
                "`pattern` uses syntax JSON Schema validators do not share: {why}"
            ));
        }
    }
    let bytes = pattern.as_bytes();
    for i in 0..bytes.len().saturating_sub(2) {
        if bytes[i] == b'('
            && bytes[i + 1] == b'?'
            && bytes[i + 2].is_ascii_alphabetic()
            && bytes[i + 2] != b'P'
        {
            let escaped = i > 0 && bytes[i - 1] == b'\\';
            if !escaped {
                let flags: String = pattern[i + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
                    .collect();
                return Err(format!(
                    "`pattern` uses the inline flags `(?{flags})`, which ECMA-262 does not have"
                ));
            }
        }
    }
    regex::Regex::new(pattern).map(|_| ()).map_err(|e| {
        let detail = e.to_string();
        let last = detail
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or(&detail);
        format!(
            "`pattern` cannot be used: {}",
            last.trim().trim_start_matches("error: ")
        )
    })
}

fn value_has_type(v: &Json, types: &[TypeName]) -> bool {
    types.iter().any(|t| match (t, v) {
        (TypeName::String | TypeName::Datetime, Json::String(_)) => true,
        (TypeName::Integer, Json::Number(n)) => n.is_i64() || n.is_u64(),
        (TypeName::Number, Json::Number(_)) => true,
        (TypeName::Boolean, Json::Bool(_)) => true,
        (TypeName::Object, Json::Object(_)) => true,
        (TypeName::Array, Json::Array(_)) => true,
        (TypeName::Null, Json::Null) => true,
        _ => false,
    })
}

fn type_list(types: &[TypeName]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| {
            serde_json::to_value(t)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        })
        .collect();
    match names.as_slice() {
        [one] => one.clone(),
        _ => format!("[{}]", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::check_pattern;

    #[test]
    fn patterns_must_be_shared_by_rust_and_ecma() {
        assert!(check_pattern("^[A-Z]{3}$").is_ok());
        assert!(check_pattern("^(?<year>\\d{4})$").is_ok());
        assert!(check_pattern("\\(?x").is_ok());
        assert!(check_pattern("(?i)abc").is_err());
        assert!(check_pattern("(?P<y>a)").is_err());
        assert!(check_pattern("(?=a)b").is_err());
        assert!(check_pattern("(a)\\1").is_err());
        assert!(check_pattern("[a-").is_err());
    }
}
