//! What changed in a value schema: type, enum, constraints, format (and inline `items`).

use serde_json::{json, Value};

use crate::diff::ChangeKind;
use crate::model::{Items, Schema, TypeName};

/// One schema change: its kind, the field (`pattern`, `items.max_length`) and both values.
pub struct SchemaChange {
    pub kind: ChangeKind,
    pub field: String,
    pub from: Value,
    pub to: Value,
}

/// Every change from `base` to `head`, fields prefixed with `prefix` (`items.` for items).
pub fn compare(base: &Schema, head: &Schema, prefix: &str, out: &mut Vec<SchemaChange>) {
    let mut push = |kind, field: &str, from: Value, to: Value| {
        out.push(SchemaChange {
            kind,
            field: format!("{prefix}{field}"),
            from,
            to,
        })
    };
    if let Some(kind) = types(&base.types, &head.types) {
        push(kind, "type", json!(base.types), json!(head.types));
    }
    match (&base.enum_values, &head.enum_values) {
        (Some(b), Some(h)) => {
            for v in h.iter().filter(|v| !b.contains(v)) {
                push(ChangeKind::EnumValueAdded, "enum", Value::Null, v.clone());
            }
            for v in b.iter().filter(|v| !h.contains(v)) {
                push(ChangeKind::EnumValueRemoved, "enum", v.clone(), Value::Null);
            }
        }
        (None, Some(h)) => push(
            ChangeKind::ConstraintTightened,
            "enum",
            Value::Null,
            json!(h),
        ),
        (Some(b), None) => push(ChangeKind::ConstraintRelaxed, "enum", json!(b), Value::Null),
        (None, None) => {}
    }
    match (&base.pattern, &head.pattern) {
        (None, Some(h)) => push(
            ChangeKind::ConstraintTightened,
            "pattern",
            Value::Null,
            json!(h),
        ),
        (Some(b), None) => push(
            ChangeKind::ConstraintRelaxed,
            "pattern",
            json!(b),
            Value::Null,
        ),
        (Some(b), Some(h)) if b != h => {
            push(ChangeKind::PatternChanged, "pattern", json!(b), json!(h))
        }
        _ => {}
    }
    match (&base.format, &head.format) {
        (None, Some(h)) => push(ChangeKind::FormatAdded, "format", Value::Null, json!(h)),
        (Some(b), None) => push(ChangeKind::FormatRemoved, "format", json!(b), Value::Null),
        (Some(b), Some(h)) if b != h => {
            push(ChangeKind::FormatChanged, "format", json!(b), json!(h))
        }
        _ => {}
    }
    // (field, base, head, whether a larger value is tighter)
    let bounds = [
        ("minimum", json!(base.minimum), json!(head.minimum), true),
        ("maximum", json!(base.maximum), json!(head.maximum), false),
        (
            "min_length",
            json!(base.min_length),
            json!(head.min_length),
            true,
        ),
        (
            "max_length",
            json!(base.max_length),
            json!(head.max_length),
            false,
        ),
        (
            "min_items",
            json!(base.min_items),
            json!(head.min_items),
            true,
        ),
        (
            "max_items",
            json!(base.max_items),
            json!(head.max_items),
            false,
        ),
    ];
    for (field, b, h, larger_is_tighter) in bounds {
        let tighter = match (b.as_f64(), h.as_f64()) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(b), Some(h)) if b != h => (h > b) == larger_is_tighter,
            _ => continue,
        };
        let kind = if tighter {
            ChangeKind::ConstraintTightened
        } else {
            ChangeKind::ConstraintRelaxed
        };
        push(kind, field, b, h);
    }
    match (base.items.as_deref(), head.items.as_deref()) {
        (Some(Items::Inline(b)), Some(Items::Inline(h))) => {
            compare(b, h, &format!("{prefix}items."), out)
        }
        (b, h) if b != h => out.push(SchemaChange {
            kind: ChangeKind::TypeChanged,
            field: format!("{prefix}items"),
            from: json!(b),
            to: json!(h),
        }),
        _ => {}
    }
}

/// Whether `t` is a value of the types `set` (integers are numbers, datetimes are strings).
fn covers(set: &[TypeName], t: TypeName) -> bool {
    set.contains(&t)
        || (t == TypeName::Integer && set.contains(&TypeName::Number))
        || (t == TypeName::Datetime && set.contains(&TypeName::String))
}

/// Widened when every base value is still valid, narrowed when every head value was valid,
/// changed when neither holds.
fn types(base: &[TypeName], head: &[TypeName]) -> Option<ChangeKind> {
    if base == head {
        return None;
    }
    let widened = base.iter().all(|t| covers(head, *t));
    let narrowed = head.iter().all(|t| covers(base, *t));
    match (widened, narrowed) {
        (true, true) => None,
        (true, false) => Some(ChangeKind::TypeWidened),
        (false, true) => Some(ChangeKind::TypeNarrowed),
        (false, false) => Some(ChangeKind::TypeChanged),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TypeName::*;

    #[test]
    fn integer_to_number_widens_and_families_change() {
        assert_eq!(types(&[Integer], &[Number]), Some(ChangeKind::TypeWidened));
        assert_eq!(types(&[Number], &[Integer]), Some(ChangeKind::TypeNarrowed));
        assert_eq!(
            types(&[String], &[String, Null]),
            Some(ChangeKind::TypeWidened)
        );
        assert_eq!(
            types(&[String], &[Datetime]),
            Some(ChangeKind::TypeNarrowed)
        );
        assert_eq!(types(&[String], &[Integer]), Some(ChangeKind::TypeChanged));
        assert_eq!(types(&[Number], &[Integer, Number]), None);
    }
}
