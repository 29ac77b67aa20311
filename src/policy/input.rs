//! The policy input: the catalog with the comparison, as `catalog.json` serializes it and as
//! a regorus `Value`, converted field by field and large arrays chunk by chunk, side by side.

use std::collections::BTreeMap;

use rayon::prelude::*;
use regorus::Value;
use serde::Serialize;

use crate::catalog::Catalog;
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

/// Measured at 64,000 flows: JSON text then `Value::from_json_str` converts as fast as a
/// direct serde `Serializer` into `Value`s and is far simpler; what was left to gain was
/// doing it on every thread.
pub fn value_of(input: &Input) -> Result<Value, String> {
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
        ("flows", Box::new(|| array(&catalog.flows))),
        ("exposures", Box::new(|| array(&catalog.exposures))),
        ("selections", Box::new(|| array(&catalog.selections))),
        ("applications", Box::new(|| array(&catalog.applications))),
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
    }

    #[test]
    fn chunked_array_keeps_every_row_in_order() {
        let rows: Vec<usize> = (0..3 * super::CHUNK + 7).collect();
        assert_eq!(super::array(&rows), super::value(&rows));
    }
}
