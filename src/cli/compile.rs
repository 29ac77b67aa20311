use super::args::{CompileArgs, Global};
use super::{load_contract, style, ExitStatus};
use contrail::catalog;
use contrail::report::human;
use contrail::rules::Severity;

/// Compiles only a contract without errors: artifacts of a broken contract would be wrong.
pub fn run(args: &CompileArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let target = super::target(&args.path);
    let contract = load_contract(&target.root)?;
    let checked = contrail::check(&contract);
    let report = &checked.findings;
    let mut stdout = std::io::stdout().lock();
    let _ = human::write(&mut stdout, report, &contract.sources.map, style(global));
    let errors = report.count(Severity::Error);
    if errors > 0 {
        eprintln!(
            "error: the contract has {errors} error(s); nothing was written to `{}`",
            args.out.display()
        );
        return Ok(ExitStatus::Findings);
    }
    // The catalog the policies judged: no base is loaded here, so it is the plain compile.
    let compiled = &checked.catalog;
    let result = catalog::write_artifacts(&contract.model, compiled, &checked.input(), &args.out);
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
