use std::io::Write;
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
    let errors = report.count(Severity::Error);
    if errors > 0 {
        eprintln!(
            "error: the contract has {errors} error(s); nothing was written to `{}`",
            args.out.display()
        );
        return Ok(ExitStatus::Findings);
    }
    let compiled = catalog::compile(&contract.model);
    // Streamed: the catalog of a large contract is not built a second time as a JSON tree.
    let write = |path: &Path, value: &dyn erased::Json| -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        value.write_pretty(&mut file)?;
        file.write_all(b"\n")?;
        file.flush()
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
        write(&args.out.join("catalog.json"), &compiled)?;
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

/// One writer for the differently typed artifacts.
mod erased {
    pub trait Json {
        fn write_pretty(&self, out: &mut dyn std::io::Write) -> std::io::Result<()>;
    }

    impl<T: serde::Serialize> Json for T {
        fn write_pretty(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
            serde_json::to_writer_pretty(out, self).map_err(std::io::Error::other)
        }
    }
}
