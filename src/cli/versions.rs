//! `contrail versions`: the SchemaVer view of versioned schemas, as a table or JSON.

use std::io::Write;

use super::args::{Format, VersionsArgs};
use super::{load_contract, ExitStatus};
use contrail::diff::versions::{describe, Requires};
use contrail::report::escape::plain;
use contrail::report::json::json_change;

pub fn run(args: &VersionsArgs) -> Result<ExitStatus, contrail::Error> {
    let target = super::target(&args.path);
    let contract = load_contract(&target.root)?;
    let versions = contrail::versions(&contract);
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            let pairs: Vec<serde_json::Value> = versions
                .pairs
                .iter()
                .map(|p| {
                    let located = contrail::diff::locate(
                        &p.changes.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(),
                        versions.models(p),
                        &contract.sources,
                    );
                    let changes: Vec<serde_json::Value> = located
                        .iter()
                        .zip(&p.changes)
                        .map(|(l, (_, r))| {
                            let mut value = json_change(l, &contract.sources.map);
                            if let serde_json::Value::Object(map) = &mut value {
                                let (requires, why) = match r {
                                    Requires::Bump(b) => (serde_json::json!(b.as_str()), None),
                                    Requires::Nothing => (serde_json::Value::Null, None),
                                    Requires::Undecided(why) => {
                                        (serde_json::json!("undecided"), Some(*why))
                                    }
                                };
                                map.insert("requires".into(), requires);
                                if let Some(why) = why {
                                    map.insert("undecided".into(), serde_json::json!(why));
                                }
                            }
                            value
                        })
                        .collect();
                    serde_json::json!({
                        "schema": p.schema,
                        "from": p.from.to_string(),
                        "to": p.to.to_string(),
                        "declared": p.declared.as_str(),
                        "required": p.required.as_str(),
                        "complete": p.complete,
                        "changes": changes,
                    })
                })
                .collect();
            contrail::report::escape::write_json(&mut out, &pairs).and_then(|_| writeln!(out))
        }
        Format::Human => (|| {
            let width = versions
                .pairs
                .iter()
                .map(|p| p.schema.len())
                .max()
                .unwrap_or(0)
                .max(6);
            writeln!(
                out,
                "{:<width$}  {:>8}  {:>8}  {:<8}  {:<8}  verdict",
                "schema", "from", "to", "declared", "required"
            )?;
            for p in &versions.pairs {
                let verdict = if p.declared < p.required {
                    "bump too small"
                } else if !p.complete {
                    "not fully judged"
                } else {
                    "ok"
                };
                writeln!(
                    out,
                    "{:<width$}  {:>8}  {:>8}  {:<8}  {:<8}  {verdict}",
                    plain(&p.schema),
                    p.from.to_string(),
                    p.to.to_string(),
                    p.declared.as_str(),
                    p.required.as_str()
                )?;
                for (c, r) in &p.changes {
                    let needs = match r {
                        Requires::Bump(b) => b.as_str().to_string(),
                        Requires::Nothing => "-".to_string(),
                        Requires::Undecided(why) => format!("undecided: {why}"),
                    };
                    writeln!(out, "    {}  [{needs}]", plain(&describe(c)))?;
                }
            }
            if versions.pairs.is_empty() {
                writeln!(
                    out,
                    "no versioned schemas (an Iglu catalog under `catalogs:` has them)"
                )?;
            }
            Ok(())
        })(),
    };
    let _ = written.and_then(|_| out.flush());
    Ok(if versions.pairs.iter().any(|p| p.declared < p.required) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
