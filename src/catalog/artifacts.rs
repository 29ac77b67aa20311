//! Writing the compiled contract: `catalog.json`, `routing.json`, `schemas/<event>.json`.
//! The three are written side by side (rayon), each streamed, never held as a JSON tree.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::{event_schema, routing_plan, Catalog};
use crate::model::{Lifecycle, Model};

/// Writes every artifact into `out` (created if missing) and returns how many event schemas
/// were written; `document` is written as `catalog.json` (the policy input: `catalog` with
/// its comparison). Each file is replaced atomically, so a failed run leaves every artifact
/// either as it was or complete; schemas left from events that no longer exist are removed
/// once all the new ones are written.
pub fn write_artifacts(
    model: &Model,
    catalog: &Catalog,
    document: &(impl Serialize + Sync),
    out: &Path,
) -> std::io::Result<usize> {
    let schemas_dir = out.join("schemas");
    std::fs::create_dir_all(&schemas_dir)?;
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
                write_json(&schemas_dir.join(schema_file(name)), &schema)
            })
        },
    );
    catalog_written?;
    routing_written?;
    schemas_written?;
    let written: HashSet<String> = live.iter().map(|(name, _)| schema_file(name)).collect();
    for entry in std::fs::read_dir(&schemas_dir)? {
        let path = entry?.path();
        let stale = path.extension().is_some_and(|e| e == "json")
            && path
                .file_name()
                .is_some_and(|n| !written.contains(&*n.to_string_lossy()));
        if stale {
            std::fs::remove_file(path)?;
        }
    }
    Ok(live.len())
}

fn schema_file(event: &str) -> String {
    format!("{event}.json")
}

/// Pretty JSON with a final newline, streamed, replacing `path` atomically.
fn write_json(path: &Path, value: &impl Serialize) -> std::io::Result<()> {
    crate::atomic::write(path, |out| {
        serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    })
}
