use std::path::Path;

use super::args::{CompileArgs, Global};
use super::{display_root, style, ExitStatus};
use contrail::catalog;
use contrail::report::human;
use contrail::rules::Severity;

/// Compiles only a contract without errors: artifacts of a broken contract would be wrong.
pub fn run(args: &CompileArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let display = display_root(&args.path);
    let contract = contrail::load(&args.path, &display)?;
    let report = contrail::check(&contract);
    let mut stdout = std::io::stdout().lock();
    let _ = human::write(&mut stdout, &report, &contract.sources.map, style(global));
    let errors = report
        .findings
        .iter()
        .filter(|f| f.finding.severity == Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "error: the contract has {errors} error(s); nothing was written to `{}`",
            args.out.display()
        );
        return Ok(ExitStatus::Findings);
    }
    let compiled = catalog::compile(&contract.model);
    let write = |path: &Path, value: &serde_json::Value| -> std::io::Result<()> {
        let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(path, text)
    };
    let result = (|| -> std::io::Result<usize> {
        let schemas_dir = args.out.join("schemas");
        std::fs::create_dir_all(&schemas_dir)?;
        // Schemas of events that no longer exist must not linger.
        for entry in std::fs::read_dir(&schemas_dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json") {
                std::fs::remove_file(path)?;
            }
        }
        let catalog_json = serde_json::to_value(&compiled).map_err(std::io::Error::other)?;
        write(&args.out.join("catalog.json"), &catalog_json)?;
        write(
            &args.out.join("routing.json"),
            &catalog::routing_plan(&compiled),
        )?;
        let mut count = 0;
        for (name, event) in &contract.model.events {
            if event.lifecycle.lifecycle == contrail::model::Lifecycle::Removed {
                continue;
            }
            let schema = catalog::event_schema(&contract.model, name, event);
            write(&schemas_dir.join(format!("{name}.json")), &schema)?;
            count += 1;
        }
        Ok(count)
    })();
    match result {
        Ok(count) => {
            if !global.quiet {
                println!(
                    "contrail: compiled {} events ({} schemas), {} flows into {}",
                    contract.model.events.len(),
                    count,
                    compiled.flows.len(),
                    args.out.display()
                );
            }
            Ok(ExitStatus::Clean)
        }
        Err(e) => {
            eprintln!("error: cannot write to `{}`: {e}", args.out.display());
            Ok(ExitStatus::Error)
        }
    }
}
