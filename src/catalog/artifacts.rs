//! Writing the compiled contract: `catalog.json`, `routing.json`, `schemas/<event>.json`.
//! The three are written side by side (rayon), each streamed, never held as a JSON tree.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::{event_schema, routing_plan, Catalog};
use crate::model::{Lifecycle, Model};

/// Writes every artifact into `out` (created if missing) and returns how many event schemas
/// were written; `document` is written as `catalog.json` (the policy input: `catalog` with
/// its comparison). Schemas left from events that no longer exist are removed.
pub fn write_artifacts(
    model: &Model,
    catalog: &Catalog,
    document: &(impl Serialize + Sync),
    out: &Path,
) -> std::io::Result<usize> {
    let schemas_dir = out.join("schemas");
    std::fs::create_dir_all(&schemas_dir)?;
    for entry in std::fs::read_dir(&schemas_dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::remove_file(path)?;
        }
    }
    let live: Vec<_> = model
        .events
        .iter()
        .filter(|(_, e)| e.lifecycle.lifecycle != Lifecycle::Removed)
        .collect();
    let ((catalog_written, routing_written), schemas_written) = rayon::join(
        || {
            rayon::join(
                || write_json(&out.join("catalog.json"), document),
                || write_json(&out.join("routing.json"), &routing_plan(catalog)),
            )
        },
        || {
            live.par_iter().try_for_each(|(name, event)| {
                let schema = event_schema(model, name, event);
                write_json(&schemas_dir.join(format!("{name}.json")), &schema)
            })
        },
    );
    catalog_written?;
    routing_written?;
    schemas_written?;
    Ok(live.len())
}

/// Pretty JSON with a final newline, streamed through a buffer.
fn write_json(path: &Path, value: &impl Serialize) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer_pretty(&mut file, value).map_err(std::io::Error::other)?;
    file.write_all(b"\n")?;
    file.flush()
}
