//! The validator embedded in a stream consumer, as docs/validate.md ("As a library") and
//! docs/scale.md describe it: the contract loaded once, then one payload at a time. Here the
//! "stream" is stdin (one payload per line); each line gets one line of JSON on stdout:
//! `{"accepted": true, "deliveries": [...]}` or `{"accepted": false, "reasons": [...]}`.
//!
//! usage: cargo run --release --example validate_stream -- CONTRACT_DIR SOURCE < events.jsonl

use std::io::{BufRead, Write};
use std::path::Path;

use contrail::validate::{RoutePlan, Validator};
use serde_json::{json, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(source)) = (args.next(), args.next()) else {
        return Err("usage: validate_stream CONTRACT_DIR SOURCE < events.jsonl".into());
    };
    let root = Path::new(&root);
    // Once per process: load, compile the routing, build every event's schema.
    let contract = contrail::load(root, root)?;
    let catalog = contrail::catalog::compile(&contract.model);
    let validator = Validator::new(&contract.model);
    let plan = RoutePlan::new(&contract.model, &catalog, &contract.config.disabled);

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let answer = match serde_json::from_str::<Value>(&line) {
            Err(e) => json!({"accepted": false, "error": e.to_string()}),
            Ok(payload) => {
                let verdict = validator.validate(&payload, Some(&source));
                match (&verdict.call, verdict.accepted()) {
                    (Some(call), true) => {
                        let from = call.source.unwrap_or(&source);
                        let deliveries: Vec<Value> = plan
                            .deliver(from, call.event, call.properties())
                            .iter()
                            .map(|d| {
                                json!({
                                    "destination": d.destination,
                                    "properties": d.properties.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
                                    "violations": d.violations.iter().map(|(p, r)| json!([p, r.code])).collect::<Vec<_>>(),
                                })
                            })
                            .collect();
                        json!({"accepted": true, "deliveries": deliveries})
                    }
                    _ => json!({"accepted": false, "reasons": verdict.reasons}),
                }
            }
        };
        writeln!(out, "{answer}")?;
    }
    Ok(())
}
