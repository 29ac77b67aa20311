//! The command line: argument parsing and printing only; the work is in the library.

pub mod args;
mod check;
mod compile;
mod diff;
mod explain;
mod import;
mod init;
mod rules;
mod stats;
mod test;
mod validate_events;
mod versions;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use args::{Cli, ColorChoice, Command, Global};
use contrail::config::ConfigError;
use contrail::locate;
use contrail::model::Model;
use contrail::report::escape::plain;
use contrail::report::human;

/// How a run ended: 0 clean, 1 findings at error level, 2 contrail could not do its job.
pub enum ExitStatus {
    Clean,
    Findings,
    Error,
}

impl ExitStatus {
    pub fn code(self) -> ExitCode {
        match self {
            ExitStatus::Clean => ExitCode::from(0),
            ExitStatus::Findings => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

pub fn run(cli: Cli) -> ExitStatus {
    let result = match &cli.command {
        Command::Check(args) => check::run(args, &cli.global),
        Command::Diff(args) => diff::run(args, &cli.global),
        Command::Compile(args) => compile::run(args, &cli.global),
        Command::Test(args) => test::run(args, &cli.global),
        Command::Rules(args) => rules::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Versions(args) => versions::run(args),
        Command::Import(args) => import::run(args, &cli.global),
        Command::Init(args) => init::run(args),
        Command::ValidateEvents(args) => validate_events::run(args, &cli.global),
        Command::EvaluatePolicy(args) => evaluate_policy(args),
    };
    match result {
        Ok(status) => status,
        Err(err) => {
            report_error(&err, &cli.global);
            ExitStatus::Error
        }
    }
}

/// Human output style for stdout.
fn style(global: &Global) -> human::Style {
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    human::Style { color }
}

/// Loads the contract at `path`, with user policies set to run in worker processes.
fn load_contract(path: &Path) -> Result<contrail::Contract, contrail::Error> {
    let mut contract = contrail::load(path, &display_root(path))?;
    if let Ok(exe) = std::env::current_exe() {
        contract
            .policies
            .isolate_user_policies(exe, path.to_path_buf());
    }
    Ok(contract)
}

/// Reads the base: `explicit` (`--base`), else `base:` from contrail.yaml. An explicit base
/// that cannot be read stops the run; one from the config is skipped with a note.
fn load_base(
    contract: &mut contrail::Contract,
    path: &Path,
    explicit: Option<&str>,
) -> Result<(), contrail::Error> {
    let load = |contract: &mut contrail::Contract, spec: &str| {
        contrail::load_base(contract, path, spec, &display_root(Path::new(spec)))
    };
    if let Some(spec) = explicit {
        return load(contract, spec);
    }
    let Some(spec) = contract.config.base.clone() else {
        return Ok(());
    };
    if let Err(err) = load(contract, &spec) {
        let note = format!("`base: {spec}` in contrail.yaml cannot be read ({err})");
        eprintln!("note: {}; compatibility is not checked", plain(&note));
    }
    Ok(())
}

/// The worker side of [`load_contract`]'s isolation: catalog JSON on stdin, results on stdout.
fn evaluate_policy(args: &args::EvaluatePolicyArgs) -> Result<ExitStatus, contrail::Error> {
    let mut catalog = String::new();
    if std::io::Read::read_to_string(&mut std::io::stdin(), &mut catalog).is_err() {
        return Ok(ExitStatus::Error);
    }
    let results = match (args.explain, args.rules.as_slice()) {
        (true, [test]) => contrail::explain_test_in_worker(&args.root, &args.package, test)?,
        _ => contrail::evaluate_in_worker(
            &args.root,
            &args.package,
            &args.rules,
            args.tests,
            &catalog,
        )?,
    };
    println!("{results}");
    Ok(ExitStatus::Clean)
}

/// What a PATH argument names: the contract that holds it, found as git and cargo find
/// theirs (the nearest directory at or above PATH with a contrail.yaml), and, when PATH is a
/// file, that file (relative to the contract root, `/`-separated).
struct Target {
    root: PathBuf,
    file: Option<String>,
}

fn target(path: &Path) -> Target {
    let given = Target {
        root: path.to_path_buf(),
        file: None,
    };
    let is_file = path.is_file();
    let start = match (is_file, path.parent()) {
        (true, Some(parent)) if parent.as_os_str().is_empty() => Path::new("."),
        (true, Some(parent)) => parent,
        _ => path,
    };
    let Ok(absolute) = std::path::absolute(start) else {
        return given;
    };
    let Some(root) = absolute
        .ancestors()
        .find(|dir| dir.join(contrail::config::FILE_NAME).is_file())
    else {
        return given;
    };
    let file = is_file
        .then(|| std::path::absolute(path).ok())
        .flatten()
        .map(|f| contrail::source::relative_slash_path(root, &f));
    let root = if root == absolute {
        start.to_path_buf()
    } else {
        relative_to_cwd(root)
    };
    Target { root, file }
}

/// `dir` as the user would spell it from the current directory: `..` for a parent.
fn relative_to_cwd(dir: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return dir.to_path_buf();
    };
    match cwd.strip_prefix(dir) {
        Ok(below) if below.as_os_str().is_empty() => PathBuf::from("."),
        Ok(below) => below.components().map(|_| "..").collect(),
        Err(_) => display_root(dir),
    }
}

/// Paths in messages are shown relative to the current directory when they are below it.
fn display_root(path: &Path) -> PathBuf {
    if path.is_absolute() {
        if let Ok(cwd) = std::env::current_dir() {
            if let Ok(rel) = path.strip_prefix(&cwd) {
                return if rel.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    rel.to_path_buf()
                };
            }
        }
    }
    path.to_path_buf()
}

/// Errors that stop contrail (exit 2), on stderr; an invalid contrail.yaml shows every problem.
fn report_error(err: &contrail::Error, global: &Global) {
    let mut stderr = std::io::stderr().lock();
    if let contrail::Error::Config(ConfigError::Invalid {
        path,
        sources,
        findings,
    }) = err
    {
        let report = locate::locate(
            findings.clone(),
            locate::Models::head(&Model::default()),
            sources,
        );
        let style = human::Style {
            color: style(global).color && std::io::stderr().is_terminal(),
        };
        let _ = human::write(&mut stderr, &report, &sources.map, style);
        eprintln!(
            "error: `{}` is not valid; contrail did not run",
            plain(&path.display().to_string())
        );
        return;
    }
    // Error messages quote paths, names and git's words: user text.
    eprintln!("error: {}", plain(&err.to_string()));
    if let contrail::Error::Config(ConfigError::Missing(_)) = err {
        eprintln!("help: create contrail.yaml at the contract's root, starting with `version: 1`");
    }
    if let Some(help) = match err {
        contrail::Error::Git(git) => git.help(),
        _ => None,
    } {
        eprintln!("help: {}", plain(&help));
    }
}
