//! Scalars and tags: a plain scalar resolved by the YAML 1.2 core schema, quoted ones kept as
//! strings, and only the core `!!` tags accepted.

use std::ops::Range;

use saphyr_parser::ScalarStyle;

use super::{Value, YamlError};

pub(super) fn check_collection_tag(
    tag: Option<&saphyr_parser::Tag>,
    expected: &str,
    range: &Range<u32>,
) -> Result<(), YamlError> {
    match tag {
        None => Ok(()),
        Some(t) if t.handle == "tag:yaml.org,2002:" && format!("!!{}", t.suffix) == expected => {
            Ok(())
        }
        Some(t) => Err(unsupported_tag(t, range)),
    }
}

fn unsupported_tag(tag: &saphyr_parser::Tag, range: &Range<u32>) -> YamlError {
    YamlError::Syntax {
        range: range.clone(),
        message: format!(
            "unsupported tag `{}{}`: contrail reads plain YAML 1.2 values only",
            tag.handle, tag.suffix
        ),
    }
}

pub(super) fn resolve_scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&saphyr_parser::Tag>,
    range: &Range<u32>,
) -> Result<Value, YamlError> {
    if let Some(tag) = tag {
        if tag.handle != "tag:yaml.org,2002:" {
            return Err(unsupported_tag(tag, range));
        }
        let resolved = resolve_plain(text);
        let ok = match tag.suffix.as_str() {
            "str" => return Ok(Value::Str(text.to_string())),
            "null" => matches!(resolved, Value::Null),
            "bool" => matches!(resolved, Value::Bool(_)),
            "int" => matches!(resolved, Value::Int(_)),
            "float" => matches!(resolved, Value::Float(_) | Value::Int(_)),
            _ => return Err(unsupported_tag(tag, range)),
        };
        if !ok {
            return Err(YamlError::Syntax {
                range: range.clone(),
                message: format!("`{text}` is not a valid !!{}", tag.suffix),
            });
        }
        return Ok(match (tag.suffix.as_str(), resolved) {
            ("float", Value::Int(i)) => Value::Float(i as f64),
            (_, v) => v,
        });
    }
    Ok(match style {
        ScalarStyle::Plain => resolve_plain(text),
        _ => Value::Str(text.to_string()),
    })
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Float(text.parse().unwrap_or(f64::NAN)));
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Value::Int(i);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Value::Int(i);
        }
    }
    if is_core_float(digits) {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_string())
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without the sign.
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (!int.is_empty() || !frac.is_empty())
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && !(int.is_empty() && frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}
