//! The compiled contract as a validator: one JSON Schema validator per event, built once
//! from the in-memory compile ([`crate::catalog::event_schema`]), then shared by every
//! thread.

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::Value;

use super::reason::{self, Reason, ReasonCode};
use super::shape::{self, Call, PROPERTIES_PATH};
use crate::catalog::{event_schema, matches_any};
use crate::model::{Event, Lifecycle, Model};

/// A contract loaded for validation. Build it once; [`Validator::validate`] takes `&self`
/// and may be called from any number of threads.
pub struct Validator<'m> {
    model: &'m Model,
    /// By name order, as in the model.
    events: Vec<EventCheck<'m>>,
    by_name: HashMap<&'m str, usize>,
    /// `YYYY-MM-DD`, for sunsets.
    today: String,
}

struct EventCheck<'m> {
    name: &'m str,
    event: &'m Event,
    schema_id: String,
    /// The compile error when the schema cannot be built.
    schema: Result<jsonschema::Validator, String>,
}

/// What the contract says of one payload.
#[derive(Debug)]
pub struct Verdict<'p> {
    /// The call, when the payload is one.
    pub call: Option<Call<'p>>,
    /// The index of its event in [`Validator::event_names`], when the contract has it.
    pub event: Option<usize>,
    /// Empty when the payload is accepted.
    pub reasons: Vec<Reason>,
}

impl Verdict<'_> {
    pub fn accepted(&self) -> bool {
        self.reasons.is_empty()
    }
}

impl<'m> Validator<'m> {
    /// Compiles every event's schema (in parallel), with today's date for sunsets.
    pub fn new(model: &'m Model) -> Self {
        Self::with_today(model, today())
    }

    /// As [`Validator::new`], with the date sunsets are compared with (`YYYY-MM-DD`).
    pub fn with_today(model: &'m Model, today: String) -> Self {
        let events: Vec<EventCheck> = model
            .events
            .par_iter()
            .map(|(name, event)| {
                let schema = event_schema(model, name, event);
                let schema_id = schema
                    .get("$id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                EventCheck {
                    name,
                    event,
                    schema_id,
                    schema: compile(&schema),
                }
            })
            .collect();
        let by_name = events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name, i))
            .collect();
        Validator {
            model,
            events,
            by_name,
            today,
        }
    }

    /// The contract's event names, sorted; [`Verdict::event`] indexes them.
    pub fn event_names(&self) -> impl ExactSizeIterator<Item = &'m str> + '_ {
        self.events.iter().map(|e| e.name)
    }

    /// The name of event `index` of [`Validator::event_names`].
    pub fn event_name(&self, index: usize) -> Option<&'m str> {
        self.events.get(index).map(|e| e.name)
    }

    /// Events whose schema could not be built, with why.
    pub fn unusable_schemas(&self) -> impl Iterator<Item = (&'m str, &str)> + '_ {
        self.events
            .iter()
            .filter_map(|e| Some((e.name, e.schema.as_ref().err()?.as_str())))
    }

    /// Validates one payload. `default_source` stands for the source of payloads that name
    /// none (a Segment track call never does).
    pub fn validate<'p>(&self, payload: &'p Value, default_source: Option<&'p str>) -> Verdict<'p> {
        let call = match shape::read(payload) {
            Ok(call) => call,
            Err(reason) => {
                return Verdict {
                    call: None,
                    event: None,
                    reasons: vec![*reason],
                }
            }
        };
        let call = Call {
            source: call.source.or(default_source),
            ..call
        };
        let mut reasons = Vec::new();
        let Some(&index) = self.by_name.get(call.event) else {
            reasons.push(Reason::new(
                ReasonCode::UnknownEvent,
                "/event",
                "an event of the contract",
                Value::String(call.event.into()),
                "contract: events",
            ));
            return Verdict {
                call: Some(call),
                event: None,
                reasons,
            };
        };
        let check = &self.events[index];
        let lifecycle = &check.event.lifecycle;
        let replaced = lifecycle
            .replaced_by
            .as_ref()
            .map(|r| format!(" (replaced by `{r}`)"))
            .unwrap_or_default();
        match (&lifecycle.lifecycle, &lifecycle.sunset) {
            (Lifecycle::Removed, _) => {
                reasons.push(Reason::new(
                    ReasonCode::EventRemoved,
                    "/event",
                    format!("an event that is not removed{replaced}"),
                    Value::String(call.event.into()),
                    format!("Event {}: lifecycle", check.name),
                ));
                return Verdict {
                    call: Some(call),
                    event: Some(index),
                    reasons,
                };
            }
            (Lifecycle::Deprecated, Some(sunset)) if sunset.as_str() < self.today.as_str() => {
                reasons.push(Reason::new(
                    ReasonCode::EventPastSunset,
                    "/event",
                    format!("an event before its sunset {sunset}{replaced}"),
                    Value::String(call.event.into()),
                    format!("Event {}: sunset", check.name),
                ))
            }
            _ => {}
        }
        if let Some(source) = call.source {
            match self.model.sources.get(source) {
                None => reasons.push(Reason::new(
                    ReasonCode::UnknownSource,
                    "/source",
                    "a source of the contract",
                    Value::String(source.into()),
                    "contract: sources",
                )),
                Some(s) if !matches_any(&s.events, call.event) => reasons.push(Reason::new(
                    ReasonCode::EventNotEmittedBySource,
                    "/event",
                    format!("an event source `{source}` emits"),
                    Value::String(call.event.into()),
                    format!("Source {source}: events"),
                )),
                Some(_) => {}
            }
        }
        match &check.schema {
            Ok(schema) => {
                if !schema.is_valid(call.properties) {
                    for error in schema.iter_errors(call.properties) {
                        reasons.extend(reason::from_schema_error(
                            &error,
                            PROPERTIES_PATH,
                            &check.schema_id,
                        ));
                    }
                }
            }
            Err(why) => reasons.push(Reason::new(
                ReasonCode::SchemaUnusable,
                PROPERTIES_PATH,
                format!("a usable schema for `{}` ({why})", check.name),
                Value::Null,
                check.schema_id.clone(),
            )),
        }
        Verdict {
            call: Some(call),
            event: Some(index),
            reasons,
        }
    }
}

/// Formats are asserted (2020-12 only annotates them by default); patterns use the `regex`
/// crate, linear in the value's length whatever the traffic sends.
fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .should_validate_formats(true)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(schema)
        .map_err(|e| e.to_string())
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 into a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_into_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_790), (2026, 12, 3));
    }

    #[test]
    fn a_const_keyword_is_its_own_reason() {
        // contrail's schemas never write `const`; a schema from a registry may.
        let schema = serde_json::json!({"properties": {"v": {"const": 2}}});
        let validator = compile(&schema).expect("compiles");
        let properties = serde_json::json!({"v": 3});
        let errors: Vec<_> = validator
            .iter_errors(&properties)
            .flat_map(|e| reason::from_schema_error(&e, PROPERTIES_PATH, "urn:x"))
            .collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, ReasonCode::ConstMismatch);
        assert_eq!(errors[0].path, "/properties/v");
        assert_eq!(errors[0].rule, "urn:x#/properties/v/const");
        assert_eq!(errors[0].actual, serde_json::json!(3));
    }

    #[test]
    fn a_keyword_without_its_own_code_is_a_schema_violation() {
        let schema = serde_json::json!({"properties": {"v": {"multipleOf": 5}}});
        let validator = compile(&schema).expect("compiles");
        let properties = serde_json::json!({"v": 7});
        let errors: Vec<_> = validator
            .iter_errors(&properties)
            .flat_map(|e| reason::from_schema_error(&e, PROPERTIES_PATH, "urn:x"))
            .collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, ReasonCode::SchemaViolation);
        assert_eq!(errors[0].expected, "schema keyword `multipleOf`");
        assert_eq!(errors[0].actual, serde_json::json!(7));
    }
}
