//! Why a payload is rejected: one [`Reason`] per problem, with a stable kebab code (the
//! dead-letter format, docs/validate.md), and the mapping from JSON Schema errors into them.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde::Serialize;
use serde_json::Value;

/// What is wrong with a payload. The codes are part of the dead-letter format: never renamed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    /// The line is longer than `--max-line-bytes`; it is not read.
    LineTooLong,
    /// The line is not JSON.
    NotJson,
    /// JSON, but not a tracking call of a shape contrail reads.
    NotATrackingCall,
    /// No event of that name in the contract.
    UnknownEvent,
    /// The payload names a source the contract does not define.
    UnknownSource,
    /// The source exists but its `events` do not include the event.
    EventNotEmittedBySource,
    /// The event is `removed`.
    EventRemoved,
    /// The event is `deprecated` and its `sunset` has passed.
    EventPastSunset,
    /// The event's compiled schema could not be built (the contract's `check` says why).
    SchemaUnusable,
    /// A required property is absent.
    MissingProperty,
    WrongType,
    NotInEnum,
    ConstMismatch,
    PatternMismatch,
    FormatMismatch,
    /// Below `minimum` or above `maximum`.
    OutOfRange,
    /// A string's length or an array's item count outside the declared bounds.
    LengthOutOfRange,
    /// A property a closed event (`additional_properties: false`) does not declare.
    UnexpectedProperty,
    /// Any other schema keyword (not produced by contrail's own schemas).
    SchemaViolation,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::LineTooLong => "line-too-long",
            ReasonCode::NotJson => "not-json",
            ReasonCode::NotATrackingCall => "not-a-tracking-call",
            ReasonCode::UnknownEvent => "unknown-event",
            ReasonCode::UnknownSource => "unknown-source",
            ReasonCode::EventNotEmittedBySource => "event-not-emitted-by-source",
            ReasonCode::EventRemoved => "event-removed",
            ReasonCode::EventPastSunset => "event-past-sunset",
            ReasonCode::SchemaUnusable => "schema-unusable",
            ReasonCode::MissingProperty => "missing-property",
            ReasonCode::WrongType => "wrong-type",
            ReasonCode::NotInEnum => "not-in-enum",
            ReasonCode::ConstMismatch => "const-mismatch",
            ReasonCode::PatternMismatch => "pattern-mismatch",
            ReasonCode::FormatMismatch => "format-mismatch",
            ReasonCode::OutOfRange => "out-of-range",
            ReasonCode::LengthOutOfRange => "length-out-of-range",
            ReasonCode::UnexpectedProperty => "unexpected-property",
            ReasonCode::SchemaViolation => "schema-violation",
        }
    }
}

/// One problem of a payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    /// JSON Pointer into the payload as it was sent (`/properties/email`; empty for the
    /// whole payload).
    pub path: String,
    /// What the contract asks for, in words (`format email`, `type integer`).
    pub expected: String,
    /// What was found: the value for a scalar, the JSON type for a wrong type, the length
    /// for a length, the name for a name; `null` when absent.
    pub actual: Value,
    /// Where the contract says so: the keyword in the event's compiled schema
    /// (`urn:contrail:event:checkout_started#/properties/email/format`), or the resource
    /// and field (`Source web: events`).
    pub rule: String,
}

impl Reason {
    pub fn new(
        code: ReasonCode,
        path: impl Into<String>,
        expected: impl Into<String>,
        actual: Value,
        rule: impl Into<String>,
    ) -> Self {
        Reason {
            code,
            path: path.into(),
            expected: expected.into(),
            actual,
            rule: rule.into(),
        }
    }
}

/// The reasons of one JSON Schema error on an event's properties object, found at
/// `properties_path` in the payload, against the schema `schema_id`.
pub fn from_schema_error(
    error: &ValidationError,
    properties_path: &str,
    schema_id: &str,
) -> Vec<Reason> {
    let at = format!("{properties_path}{}", error.instance_path().as_str());
    let rule = format!("{schema_id}#{}", error.schema_path().as_str());
    let instance: &Value = error.instance();
    let one = |code, expected: String, actual: Value| {
        vec![Reason::new(
            code,
            at.clone(),
            expected,
            actual,
            rule.clone(),
        )]
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            vec![Reason::new(
                ReasonCode::MissingProperty,
                format!("{at}/{}", pointer_token(name)),
                format!("required property `{name}`"),
                Value::Null,
                rule,
            )]
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|name| {
                Reason::new(
                    ReasonCode::UnexpectedProperty,
                    format!("{at}/{}", pointer_token(name)),
                    "only the event's declared properties (closed event)",
                    Value::String(name.clone()),
                    rule.clone(),
                )
            })
            .collect(),
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => format!("type {t}"),
                TypeKind::Multiple(set) => {
                    let names: Vec<String> = set.iter().map(|t| t.to_string()).collect();
                    format!("type {}", names.join(" or "))
                }
            };
            one(
                ReasonCode::WrongType,
                expected,
                Value::String(json_type(instance).into()),
            )
        }
        ValidationErrorKind::Enum { options } => one(
            ReasonCode::NotInEnum,
            format!("one of {options}"),
            scalar(instance),
        ),
        ValidationErrorKind::Constant { expected_value } => one(
            ReasonCode::ConstMismatch,
            format!("exactly {expected_value}"),
            scalar(instance),
        ),
        ValidationErrorKind::Pattern { pattern } => one(
            ReasonCode::PatternMismatch,
            format!("pattern {pattern}"),
            scalar(instance),
        ),
        ValidationErrorKind::Format { format } => one(
            ReasonCode::FormatMismatch,
            format!("format {format}"),
            scalar(instance),
        ),
        ValidationErrorKind::Minimum { limit } => one(
            ReasonCode::OutOfRange,
            format!("at least {limit}"),
            scalar(instance),
        ),
        ValidationErrorKind::Maximum { limit } => one(
            ReasonCode::OutOfRange,
            format!("at most {limit}"),
            scalar(instance),
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => one(
            ReasonCode::OutOfRange,
            format!("more than {limit}"),
            scalar(instance),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => one(
            ReasonCode::OutOfRange,
            format!("less than {limit}"),
            scalar(instance),
        ),
        ValidationErrorKind::MinLength { limit } => one(
            ReasonCode::LengthOutOfRange,
            format!("at least {limit} characters"),
            length(instance),
        ),
        ValidationErrorKind::MaxLength { limit } => one(
            ReasonCode::LengthOutOfRange,
            format!("at most {limit} characters"),
            length(instance),
        ),
        ValidationErrorKind::MinItems { limit } => one(
            ReasonCode::LengthOutOfRange,
            format!("at least {limit} items"),
            length(instance),
        ),
        ValidationErrorKind::MaxItems { limit } => one(
            ReasonCode::LengthOutOfRange,
            format!("at most {limit} items"),
            length(instance),
        ),
        other => one(
            ReasonCode::SchemaViolation,
            format!("schema keyword `{}`", other.keyword()),
            scalar(instance),
        ),
    }
}

/// `~` and `/` escaped as RFC 6901 asks.
pub fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A scalar as it is; an array or object by its type, so a reason stays short.
fn scalar(value: &Value) -> Value {
    match value {
        Value::Array(_) | Value::Object(_) => Value::String(json_type(value).into()),
        v => v.clone(),
    }
}

/// A string's length in characters, an array's in items.
fn length(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::from(s.chars().count()),
        Value::Array(a) => Value::from(a.len()),
        v => scalar(v),
    }
}
