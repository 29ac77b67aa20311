use super::args::ExplainArgs;
use super::{display_root, ExitStatus};
use contrail::report::escape::plain;

pub fn run(args: &ExplainArgs) -> Result<ExitStatus, contrail::Error> {
    let policies = contrail::policies(&args.path, &display_root(&args.path), false)?;
    let rules = contrail::rules_of_run(&policies);
    let Some(rule) = contrail::rules::find(&rules, &args.rule) else {
        eprintln!("error: no rule `{}`", plain(&args.rule));
        if let Some(help) = contrail::rules::suggest(&rules, &args.rule) {
            eprintln!("help: {}", plain(&help));
        }
        eprintln!("help: `contrail rules` lists every rule");
        return Ok(ExitStatus::Error);
    };
    // A user policy's METADATA is user text.
    print!("{}", plain(&rule.explain_markdown()));
    Ok(ExitStatus::Clean)
}
