use std::path::Path;

use super::args::InitArgs;
use super::ExitStatus;
use contrail::scaffold::{self, TEMPLATES};

pub fn run(args: &InitArgs) -> Result<ExitStatus, contrail::Error> {
    scaffold::scaffold(&args.dir, args.force)?;
    println!(
        "contrail: wrote {} files into {}",
        TEMPLATES.len(),
        args.dir.display()
    );
    for template in TEMPLATES {
        println!("  {}", template.path);
    }
    // The commands name the directory unless it is the current one.
    let dir = if args.dir == Path::new(".") {
        String::new()
    } else {
        format!(" {}", args.dir.display())
    };
    let next = [
        (format!("contrail check{dir}"), "check the contract"),
        (
            format!("contrail test{dir}"),
            "run the policies' unit tests",
        ),
        (
            "pre-commit install".to_string(),
            "in the git repository: check before each commit",
        ),
    ];
    let width = next
        .iter()
        .map(|(command, _)| command.len())
        .max()
        .unwrap_or(0);
    println!("\nNext:");
    for (command, why) in next {
        println!("  {command:width$}  {why}");
    }
    println!(
        "Pull requests are checked by .github/workflows/contrail.yml, with the action {}@{}.",
        scaffold::repository(),
        scaffold::tag()
    );
    Ok(ExitStatus::Clean)
}
