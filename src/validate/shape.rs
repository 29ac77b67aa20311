//! The tracking calls contrail reads, as they are sent: contrail's own shape and Segment /
//! RudderStack `track` calls. Both keep the properties under `/properties`.

use serde_json::{Map, Value};

use super::reason::{json_type, Reason, ReasonCode};

/// Where a payload's properties are, as a JSON Pointer (the same in every shape read).
pub const PROPERTIES_PATH: &str = "/properties";

/// A tracking call: the event, the source when the payload names one, its properties.
#[derive(Debug)]
pub struct Call<'p> {
    pub event: &'p str,
    pub source: Option<&'p str>,
    /// Always an object.
    pub properties: &'p Value,
}

impl<'p> Call<'p> {
    pub fn properties(&self) -> &'p Map<String, Value> {
        self.properties.as_object().unwrap_or(&EMPTY)
    }
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

/// An absent `properties` is an empty object (a call with no properties).
static NO_PROPERTIES: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| Value::Object(Map::new()));

/// The call in `payload`, or why it is not one.
///
/// - contrail: `{"event": NAME, "source": NAME?, "properties": {...}?}`
/// - Segment / RudderStack: `{"type": "track", "event": NAME, "properties": {...}, ...}`
///   (`context`, `anonymousId`, `userId`, `messageId`, timestamps are left as they are; a
///   track call names no contrail source).
pub fn read(payload: &Value) -> Result<Call<'_>, Box<Reason>> {
    let Some(object) = payload.as_object() else {
        return Err(not_a_call("", "a JSON object", type_of(payload)));
    };
    let segment = match object.get("type") {
        None => false,
        Some(Value::String(t)) if t == "track" => true,
        Some(Value::String(t)) => {
            return Err(not_a_call(
                "/type",
                "a `track` call (Segment and RudderStack `identify`, `page`, `screen`, `group` and `alias` carry no event)",
                Value::String(t.clone()),
            ))
        }
        Some(other) => return Err(not_a_call("/type", "the string `track`", type_of(other))),
    };
    if object.contains_key("schema") && object.contains_key("data") && !segment {
        return Err(not_a_call(
            "/schema",
            "contrail or Segment/RudderStack shape (Snowplow self-describing payloads are not read by validate-events yet: an Iglu registry can be a catalog, `format: iglu`, but a payload's `iglu:` URI is not mapped to its event)",
            object.get("schema").cloned().unwrap_or(Value::Null),
        ));
    }
    let event = match object.get("event") {
        Some(Value::String(e)) => e.as_str(),
        Some(other) => {
            return Err(not_a_call(
                "/event",
                "an event name (a string)",
                type_of(other),
            ))
        }
        None => return Err(not_a_call("/event", "an `event` name", Value::Null)),
    };
    let source = if segment {
        None
    } else {
        match object.get("source") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                return Err(not_a_call(
                    "/source",
                    "a source name (a string)",
                    type_of(other),
                ))
            }
        }
    };
    let properties = match object.get("properties") {
        None | Some(Value::Null) => &*NO_PROPERTIES,
        Some(p @ Value::Object(_)) => p,
        Some(other) => {
            return Err(Box::new(Reason::new(
                ReasonCode::WrongType,
                PROPERTIES_PATH,
                "type object",
                type_of(other),
                "tracking call: properties",
            )))
        }
    };
    Ok(Call {
        event,
        source,
        properties,
    })
}

fn not_a_call(path: &str, expected: &str, actual: Value) -> Box<Reason> {
    Box::new(Reason::new(
        ReasonCode::NotATrackingCall,
        path,
        expected,
        actual,
        "tracking call",
    ))
}

fn type_of(value: &Value) -> Value {
    Value::String(json_type(value).into())
}
