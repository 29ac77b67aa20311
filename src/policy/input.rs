//! The policy input: the catalog with the comparison, as `catalog.json` serializes it and as
//! a regorus `Value` (built once per run), converted field by field and large arrays chunk
//! by chunk, side by side.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use regorus::Value;
use serde::Serialize;

use crate::catalog::{Application, Arrival, Catalog, Exposure, Flow, PipelineSelection, Treatment};
use crate::diff::Change;

/// What the policies read as `input`, and what `compile` writes as `catalog.json`: the
/// catalog, what changed against the base (empty without one) and the base compiled the same
/// way (its own `changes` empty, its `base` null).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Input<'a> {
    #[serde(flatten)]
    pub catalog: &'a Catalog<'a>,
    pub changes: &'a [Change],
    #[serde(serialize_with = "serialize_base")]
    pub base: Option<&'a Catalog<'a>>,
}

impl<'a> Input<'a> {
    /// A catalog on its own: no base, no changes.
    pub fn alone(catalog: &'a Catalog<'a>) -> Self {
        Self {
            catalog,
            changes: &[],
            base: None,
        }
    }
}

fn serialize_base<S: serde::Serializer>(
    base: &Option<&Catalog>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    base.map(Input::alone).serialize(serializer)
}

/// Rows per chunk of a large array: enough to amortize a task, few enough to balance threads.
const CHUNK: usize = 4096;

type Field<'a> = (
    &'static str,
    Box<dyn Fn() -> Result<Value, String> + Send + Sync + 'a>,
);

/// The policy input of a run as a regorus value, converted once and shared by every
/// evaluation of the run (findings, verdicts, reviews), with the JSON text a worker process
/// reads, made the first time a worker needs it.
#[derive(Debug)]
pub struct InputValue {
    pub(super) value: Value,
    json: std::sync::OnceLock<Result<String, String>>,
}

impl InputValue {
    pub fn new(input: &Input) -> Result<Self, String> {
        Ok(Self {
            value: value_of(input)?,
            json: std::sync::OnceLock::new(),
        })
    }

    /// `input` as JSON text for a worker process, only its `keys` when given (those the
    /// worker's policies read): serialized once per run, whatever the number of workers.
    pub(super) fn json(
        &self,
        input: &Input,
        keys: Option<&BTreeSet<String>>,
    ) -> Result<&str, String> {
        self.json
            .get_or_init(|| {
                match keys {
                    Some(keys) => serde_json::to_string(&Subset { input, keys }),
                    None => serde_json::to_string(input),
                }
                .map_err(|e| e.to_string())
            })
            .as_deref()
            .map_err(Clone::clone)
    }
}

/// The fields `keys` of an input, as [`Input`] serializes them.
struct Subset<'i, 'a> {
    input: &'i Input<'a>,
    keys: &'i BTreeSet<String>,
}

impl Serialize for Subset<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (input, catalog) = (self.input, self.input.catalog);
        let mut map = serializer.serialize_map(None)?;
        for key in self.keys {
            match key.as_str() {
                "events" => map.serialize_entry(key, catalog.events)?,
                "properties" => map.serialize_entry(key, catalog.properties)?,
                "sources" => map.serialize_entry(key, catalog.sources)?,
                "destinations" => map.serialize_entry(key, catalog.destinations)?,
                "pipelines" => map.serialize_entry(key, catalog.pipelines)?,
                "transformations" => map.serialize_entry(key, catalog.transformations)?,
                "identity" => map.serialize_entry(key, catalog.identity)?,
                "teams" => map.serialize_entry(key, catalog.teams)?,
                "purposes" => map.serialize_entry(key, catalog.purposes)?,
                "flows" => map.serialize_entry(key, &catalog.flows)?,
                "exposures" => map.serialize_entry(key, &catalog.exposures)?,
                "selections" => map.serialize_entry(key, &catalog.selections)?,
                "applications" => map.serialize_entry(key, &catalog.applications)?,
                "changes" => map.serialize_entry(key, input.changes)?,
                "base" => map.serialize_entry(key, &input.base.map(Input::alone))?,
                // Not a key of the input: undefined for the policy, as in the whole input.
                _ => {}
            }
        }
        map.end()
    }
}

/// The resource maps go through JSON text (`Value::from_json_str`: as fast as a direct
/// serde `Serializer`, measured at 64,000 flows). The routing rows are built directly, one
/// value per name and per arrival shared by every row that has it (an `Arc` clone): as JSON
/// text they were a string allocation per delivered property per flow (957,000 at 5,000
/// events) and most of the input's memory.
fn value_of(input: &Input) -> Result<Value, String> {
    let catalog = input.catalog;
    // One entry per field of `Input` (a test checks the result equals the whole document).
    let fields: Vec<Field> = vec![
        ("events", Box::new(|| value(catalog.events))),
        ("properties", Box::new(|| value(catalog.properties))),
        ("sources", Box::new(|| value(catalog.sources))),
        ("destinations", Box::new(|| value(catalog.destinations))),
        ("pipelines", Box::new(|| value(catalog.pipelines))),
        (
            "transformations",
            Box::new(|| value(catalog.transformations)),
        ),
        ("identity", Box::new(|| value(catalog.identity))),
        ("teams", Box::new(|| value(catalog.teams))),
        ("purposes", Box::new(|| value(catalog.purposes))),
        (
            "flows",
            Box::new(|| Ok::<_, String>(rows(&catalog.flows, flow))),
        ),
        (
            "exposures",
            Box::new(|| Ok::<_, String>(rows(&catalog.exposures, exposure))),
        ),
        (
            "selections",
            Box::new(|| Ok::<_, String>(rows(&catalog.selections, selection))),
        ),
        (
            "applications",
            Box::new(|| Ok::<_, String>(rows(&catalog.applications, application))),
        ),
        ("changes", Box::new(|| array(input.changes))),
        (
            "base",
            Box::new(|| {
                input
                    .base
                    .map_or(Ok(Value::Null), |base| value_of(&Input::alone(base)))
            }),
        ),
    ];
    let object = fields
        .par_iter()
        .map(|(key, convert)| Ok((Value::from(*key), convert()?)))
        .collect::<Result<BTreeMap<_, _>, String>>()?;
    Ok(Value::from(object))
}

fn value<T: Serialize + ?Sized>(item: &T) -> Result<Value, String> {
    let json = serde_json::to_string(item).map_err(|e| e.to_string())?;
    Value::from_json_str(&json).map_err(|e| e.to_string())
}

fn array<T: Serialize + Sync>(items: &[T]) -> Result<Value, String> {
    let chunks = items
        .par_chunks(CHUNK)
        .map(value)
        .collect::<Result<Vec<_>, _>>()?;
    let mut all = Vec::with_capacity(items.len());
    for chunk in &chunks {
        all.extend(chunk.as_array().map_err(|e| e.to_string())?.iter().cloned());
    }
    Ok(Value::from(all))
}

/// Strings and arrivals already converted, for one chunk of rows: a name becomes one
/// `Value` however many rows carry it, an arrival one set of values for all its flows.
#[derive(Default)]
struct Shared<'m> {
    strings: HashMap<&'m str, Value>,
    /// By the arrival's address: `properties`, `after`, `renamed`.
    arrivals: HashMap<*const Arrival<'m>, [Value; 3]>,
}

impl<'m> Shared<'m> {
    fn string(&mut self, s: &'m str) -> Value {
        self.strings
            .entry(s)
            .or_insert_with(|| Value::from(s))
            .clone()
    }

    fn optional(&mut self, s: Option<&'m str>) -> Value {
        s.map_or(Value::Null, |s| self.string(s))
    }

    fn strings(&mut self, items: impl IntoIterator<Item = &'m str>) -> Value {
        Value::from(
            items
                .into_iter()
                .map(|s| self.string(s))
                .collect::<Vec<_>>(),
        )
    }

    fn treatment(&mut self, t: Treatment) -> Value {
        self.string(match t {
            Treatment::Plain => "plain",
            Treatment::Hashed => "hashed",
            Treatment::Masked => "masked",
        })
    }

    fn object(&mut self, fields: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
        let map: BTreeMap<Value, Value> = fields
            .into_iter()
            .map(|(k, v)| (self.string(k), v))
            .collect();
        Value::from(map)
    }
}

/// `items` as an array of `row` values, built chunk by chunk on every thread.
fn rows<'m, T: Sync>(items: &'m [T], row: fn(&mut Shared<'m>, &'m T) -> Value) -> Value {
    let chunks: Vec<Vec<Value>> = items
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut shared = Shared::default();
            chunk.iter().map(|item| row(&mut shared, item)).collect()
        })
        .collect();
    Value::from(chunks.into_iter().flatten().collect::<Vec<_>>())
}

fn flow<'m>(shared: &mut Shared<'m>, f: &'m Flow<'m>) -> Value {
    let a: &'m Arrival<'m> = &f.arrival;
    let arrival = match shared.arrivals.get(&(a as *const _)) {
        Some(values) => values.clone(),
        None => {
            let properties = shared.strings(a.properties.iter().copied());
            let after = a
                .after
                .iter()
                .map(|(k, t)| (shared.string(k), shared.treatment(*t)))
                .collect::<BTreeMap<_, _>>();
            let renamed = a
                .renamed
                .iter()
                .map(|(k, p)| (shared.string(k), shared.string(p)))
                .collect::<BTreeMap<_, _>>();
            let values = [properties, Value::from(after), Value::from(renamed)];
            shared.arrivals.insert(a as *const _, values.clone());
            values
        }
    };
    let [properties, after, renamed] = arrival;
    let fields = [
        ("source", shared.string(f.source)),
        ("event", shared.string(f.event)),
        ("destination", shared.string(f.destination)),
        ("pipeline", shared.string(f.pipeline)),
        ("selected_by", shared.string(f.selected_by)),
        ("allowed_by", shared.optional(f.allowed_by)),
        ("denied_by", shared.optional(f.denied_by)),
        ("allowed", Value::from(f.allowed)),
        ("properties", properties),
        ("after", after),
        ("renamed", renamed),
    ];
    shared.object(fields)
}

fn exposure<'m>(shared: &mut Shared<'m>, e: &'m Exposure<'m>) -> Value {
    let mut fields = vec![
        ("destination", shared.string(e.destination)),
        ("property", shared.string(e.property)),
        ("treatment", shared.treatment(e.treatment)),
        ("events", shared.strings(e.events.iter().copied())),
        ("sources", shared.strings(e.sources.iter().copied())),
        ("pipelines", shared.strings(e.pipelines.iter().copied())),
    ];
    if let Some(name) = e.delivered_as {
        fields.push(("delivered_as", shared.string(name)));
    }
    shared.object(fields)
}

fn selection<'m>(shared: &mut Shared<'m>, s: &'m PipelineSelection<'m>) -> Value {
    let fields = [
        ("pipeline", shared.string(s.pipeline)),
        ("glob", shared.string(s.glob)),
        ("events", shared.strings(s.events.iter().copied())),
    ];
    shared.object(fields)
}

fn application<'m>(shared: &mut Shared<'m>, a: &'m Application<'m>) -> Value {
    let fields = [
        ("transformation", shared.string(a.transformation)),
        ("event", shared.string(a.event)),
        ("pipelines", shared.strings(a.pipelines.iter().copied())),
    ];
    shared.object(fields)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn input_is_the_catalog_document() {
        let root = Path::new("fixtures/examples/shop");
        let contract = crate::load(root, root).expect("the example loads");
        let catalog = crate::catalog::compile(&contract.model);
        let base = crate::catalog::compile(&contract.model);
        let input = super::Input {
            catalog: &catalog,
            changes: &[],
            base: Some(&base),
        };
        let whole = super::value(&input).expect("the input converts");
        assert_eq!(super::value_of(&input), Ok(whole));
        let after = input
            .catalog
            .flows
            .iter()
            .filter(|f| !f.arrival.after.is_empty());
        let renamed = input
            .catalog
            .flows
            .iter()
            .filter(|f| !f.arrival.renamed.is_empty());
        assert!(
            after.count() > 0 && renamed.count() > 0,
            "the example exercises both"
        );
    }

    /// A worker given every key reads the same document as `input` itself.
    #[test]
    fn a_subset_of_every_key_is_the_whole_input() {
        let root = Path::new("fixtures/examples/shop");
        let contract = crate::load(root, root).expect("the example loads");
        let catalog = crate::catalog::compile(&contract.model);
        let input = super::Input::alone(&catalog);
        let whole = serde_json::to_value(input).expect("serializes");
        let keys = whole
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        let subset = super::Subset {
            input: &input,
            keys: &keys,
        };
        assert_eq!(serde_json::to_value(&subset).expect("serializes"), whole);
    }

    #[test]
    fn chunked_array_keeps_every_row_in_order() {
        let rows: Vec<usize> = (0..3 * super::CHUNK + 7).collect();
        assert_eq!(super::array(&rows), super::value(&rows));
    }
}
