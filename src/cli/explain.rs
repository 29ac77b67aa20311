use super::args::ExplainArgs;
use super::{display_root, ExitStatus};
use contrail::report::escape::plain;

pub fn run(args: &ExplainArgs) -> Result<ExitStatus, contrail::Error> {
    let root = super::target(&args.path).root;
    let policies = contrail::policies(&root, &display_root(&root), false)?;
    let rules = contrail::rules_of_run(&policies);
    let Some(rule) = contrail::rules::find(&rules, &args.rule) else {
        eprintln!("error: no rule `{}`", plain(&args.rule));
        if let Some(help) = contrail::rules::suggest(&rules, &args.rule) {
            eprintln!("help: {}", plain(&help));
        }
        let has_policies = policies.policies.iter().any(|p| !p.builtin);
        if has_policies {
            eprintln!(
                "help: `contrail rules {}` lists every rule, the contract's policies' too",
                root.display()
            );
        } else {
            eprintln!(
                "help: `contrail rules` lists every rule; a rule of a contract's own policies is found from inside the contract, or with its path: `contrail explain {} PATH`",
                args.rule
            );
        }
        return Ok(ExitStatus::Error);
    };
    // A user policy's METADATA is user text.
    print!("{}", plain(&rule.explain_markdown()));
    Ok(ExitStatus::Clean)
}
