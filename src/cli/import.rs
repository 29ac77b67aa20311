//! `contrail import FORMAT SRC --out DIR`: a catalog in another format as native files.

use super::args::{Global, ImportArgs, ImportFormat};
use super::{style, ExitStatus};
use contrail::adapters::Format;
use contrail::report::escape::plain;
use contrail::report::human;
use contrail::rules::Severity;

pub fn run(args: &ImportArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let format = match args.format {
        ImportFormat::Rudder => Format::Rudder,
        ImportFormat::Iglu => Format::Iglu,
        ImportFormat::Jsonschema => Format::JsonSchema,
    };
    let imported = contrail::import(&args.src, &args.src, format, &args.out)?;
    let mut stdout = std::io::stdout().lock();
    let _ = human::write(
        &mut stdout,
        &imported.findings,
        &imported.sources.map,
        style(global),
    );
    let errors = imported.findings.count(Severity::Error);
    if !global.quiet {
        println!(
            "contrail: wrote {} files into {}{}",
            imported.files.len(),
            plain(&args.out.display().to_string()),
            if errors > 0 {
                format!("; {errors} problem(s) above were not carried over: fix them in the source, or in the imported files")
            } else {
                String::new()
            }
        );
    }
    Ok(if errors > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}
