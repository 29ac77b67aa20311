use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Policy-as-code compiler and linter for customer-data contracts.
#[derive(Debug, Parser)]
#[command(name = "contrail", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(Debug, Args)]
pub struct Global {
    /// When to use colour and Unicode drawing in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Print findings only, no summary line.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also list files skipped because no document in them has a `kind`.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load, compile and check a contract; exit 1 on errors.
    Check(CheckArgs),
    /// The reviewer diff against a base: what changed, what breaks, who must review.
    Diff(DiffArgs),
    /// Write catalog.json, one JSON Schema per event and routing.json.
    Compile(CompileArgs),
    /// Run the contract's Rego unit tests (`test_*` rules in `*_test.rego`); the built-ins'
    /// with `--builtins`.
    Test(TestArgs),
    /// List every rule: code, name, default severity, category.
    Rules(RulesArgs),
    /// Show a rule's documentation, with an example and its fix.
    Explain(ExplainArgs),
    /// Start a contract: contrail.yaml, an example catalog, a policy with its test, a GitHub
    /// workflow and a pre-commit config.
    Init(InitArgs),
    /// Coverage KPIs: how much of the contract carries PII, consent, residency, owner and
    /// description metadata.
    Stats(StatsArgs),
    /// Validate real payloads (JSON Lines) against the compiled contract: dead letters with
    /// reasons, and with `--route` a per-destination dry run.
    ValidateEvents(ValidateEventsArgs),
    /// Write a catalog in another format (rudder-cli, Iglu, JSON Schema) as native files,
    /// with an Overlay skeleton for its privacy facts.
    Import(ImportArgs),
    /// SchemaVer checks of versioned schemas (Iglu): each pair of consecutive versions, the
    /// bump it declares and the bump its changes require.
    Versions(VersionsArgs),
    /// Internal: evaluate one user policy package over a catalog read from stdin.
    #[command(name = "__evaluate-policy", hide = true)]
    EvaluatePolicy(EvaluatePolicyArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to write into (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct EvaluatePolicyArgs {
    /// Load the `*_test.rego` modules too (for `contrail test`).
    #[arg(long)]
    pub tests: bool,
    /// Find why the failing test named by the one rule did not hold (for `contrail test`).
    #[arg(long)]
    pub explain: bool,
    pub root: PathBuf,
    pub package: String,
    /// The package's rules to evaluate (default `deny`, `warn`, `info`).
    pub rules: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The contract's root directory (its `policies:` are tested).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Run the built-in policies' tests too (those of a package the contract replaces are
    /// skipped).
    #[arg(long)]
    pub builtins: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A contract root whose `policies:` add rules to the list.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The contract: its root or a directory inside it (the nearest directory at or above
    /// PATH that holds a contrail.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The format of the catalog.
    #[arg(value_enum)]
    pub format: ImportFormat,
    /// The catalog's directory (for Iglu, the one that holds `schemas/`).
    pub src: PathBuf,
    /// The directory to write the native contract into (must not hold a contrail.yaml).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Rudder,
    Iglu,
    Jsonschema,
}

#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// The contract: its root or a directory inside it (the nearest directory at or above
    /// PATH that holds a contrail.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format: a table, or one JSON object per pair of versions.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code or name (`CT201`, `pii-unclassified`).
    pub rule: String,
    /// A contract root whose `policies:` add rules.
    #[arg(long, default_value = ".")]
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The contract: its root, a directory inside it, or one of its files (the contract
    /// holding it is checked and that file's findings reported). The contract is the
    /// nearest directory at or above PATH that holds a contrail.yaml.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Compare with this base for compatibility: an existing directory, or else a git
    /// revision (branch, tag, commit) of the repository PATH is in. Default: `base:` in
    /// contrail.yaml.
    #[arg(long, value_name = "REV|DIR")]
    pub base: Option<String>,
    /// Output format on stdout. `github` also appends a Markdown report to
    /// `$GITHUB_STEP_SUMMARY` when that is set.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Also write SARIF 2.1.0 to FILE (same run, beside the stdout format).
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Also write the Markdown report to FILE.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Also write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// The lowest severity that makes the exit status 1; `never` exits 0 whatever is found
    /// (2 still means contrail could not run).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

/// What `check` can print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
}

/// The lowest severity that fails a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The contract: its root or a directory inside it (the nearest directory at or above
    /// PATH that holds a contrail.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The base to compare with: an existing directory, or else a git revision (branch, tag,
    /// commit) of the repository PATH is in. Default: `base:` in contrail.yaml.
    #[arg(long, value_name = "REV|DIR")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
}

/// Formats of the reviewer diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateEventsArgs {
    /// The contract: its root or a directory inside it (the nearest directory at or above
    /// PATH that holds a contrail.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Payloads, one JSON tracking call per line: contrail's `{event, source, properties}`
    /// or a Segment/RudderStack `track` call. `-` reads stdin; a name ending in `.gz` is read
    /// as gzip. Repeat for several files, read in order.
    #[arg(long, value_name = "FILE", required = true)]
    pub events: Vec<PathBuf>,
    /// Write every rejected payload, unchanged, with its reasons (JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub dead_letter: Option<PathBuf>,
    /// Write every accepted line, unchanged.
    #[arg(long, value_name = "FILE")]
    pub accepted: Option<PathBuf>,
    /// Dry run: the destinations each accepted payload would reach, after transformations,
    /// and every property that would reach one against the PII, consent, residency or
    /// retention policy (any such violation makes the exit status 1).
    #[arg(long)]
    pub route: bool,
    /// With `--route`: write each accepted payload's deliveries (JSON Lines).
    #[arg(long, value_name = "FILE", requires = "route")]
    pub deliveries: Option<PathBuf>,
    /// Also judge the traffic by this base (an existing directory, or else a git revision of
    /// the repository PATH is in) and report what the contract does differently: newly
    /// rejected, newly accepted, and with `--route` newly or no longer delivered per
    /// destination. Only when given (`base:` in contrail.yaml is not used here: it doubles
    /// the work). The exit status is the contract's own.
    #[arg(long, value_name = "REV|DIR")]
    pub base: Option<String>,
    /// The source of payloads that name none (a Segment track call never does).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Lines longer than this many bytes are skipped and dead-lettered as `line-too-long`
    /// (memory stays bounded on a file without newlines).
    #[arg(long, value_name = "BYTES", default_value_t = contrail::validate::MAX_LINE_BYTES,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_line_bytes: usize,
    /// The highest share of rejected lines (0.0 to 1.0) that still exits 0.
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = rate)]
    pub max_rejection_rate: f64,
    /// Output format of the summary on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("`{text}` is not a fraction between 0.0 and 1.0")),
    }
}

#[derive(Debug, Args)]
pub struct CompileArgs {
    /// The contract: its root or a directory inside it (the nearest directory at or above
    /// PATH that holds a contrail.yaml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Directory to write the compiled contract into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
