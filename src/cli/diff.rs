use std::io::Write;

use super::args::{DiffArgs, DiffFormat, Global};
use super::{load_contract, style, ExitStatus};
use contrail::catalog;
use contrail::report::{escape, review};

/// `contrail diff`: the reviewer view. Exit 0 whatever the verdict (`check --base` is the
/// gate); 2 when there is no base or it cannot be read.
pub fn run(args: &DiffArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let target = super::target(&args.path);
    let mut contract = load_contract(&target.root)?;
    let Some(spec) = args.base.clone().or_else(|| contract.config.base.clone()) else {
        eprintln!("error: `contrail diff` needs a base: give `--base REV|DIR`, or set `base:` in contrail.yaml");
        return Ok(ExitStatus::Error);
    };
    contrail::load_base(
        &mut contract,
        &target.root,
        &spec,
        &super::display_root(std::path::Path::new(&spec)),
    )?;
    let catalog = catalog::compile(&contract.model);
    let comparison = contrail::compare(&contract, &catalog)
        .ok_or_else(|| contrail::Error::Review("there is no base to compare with".into()))?;
    let input = contrail::input(&catalog, Some(&comparison));
    let value = contrail::policy::InputValue::new(&input).map_err(contrail::Error::Review)?;
    let review = contrail::review(&contract, &catalog, &comparison, &value)?;
    let sources = &contract.sources.map;
    let text = match args.format {
        DiffFormat::Human => review::terminal::render(&review, sources, style(global).color),
        DiffFormat::Markdown => review::markdown::render(&review, sources),
        DiffFormat::Json => {
            let mut text = Vec::new();
            let _ = escape::write_json(&mut text, &review::json::render(&review, sources));
            text.push(b'\n');
            String::from_utf8_lossy(&text).into_owned()
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is the reader's choice, not a failure of the run.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
    Ok(ExitStatus::Clean)
}
