use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use super::args::{CheckArgs, CheckFormat, FailOn, Global};
use super::{load_base, load_contract, style, ExitStatus};
use contrail::diff::git;
use contrail::diff::{Comparison, LocatedChange};
use contrail::locate::LocatedFindings;
use contrail::model::CoverageKpis;
use contrail::report::escape::plain;
use contrail::report::markdown::Section;
use contrail::report::place::SourceRoot;
use contrail::report::{github, human, json, markdown, review, sarif, Totals};
use contrail::rules::{ActiveRule, Severity};

/// Everything a run's outputs are written from: the repo is loaded and checked once.
struct Outputs<'a> {
    contract: &'a contrail::Contract,
    report: &'a LocatedFindings,
    changes: &'a [LocatedChange],
    totals: Totals,
    stats: CoverageKpis,
    rules: Vec<ActiveRule>,
    root: SourceRoot,
    /// Sections after the findings in Markdown: the reviewer diff, with a base.
    sections: Vec<Section>,
    human: human::Style,
    quiet: bool,
    started: Instant,
}

impl Outputs<'_> {
    fn write(&self, format: CheckFormat, out: &mut dyn Write) -> io::Result<()> {
        let sources = &self.contract.sources.map;
        match format {
            CheckFormat::Human => {
                human::write(out, self.report, sources, self.human)?;
                if self.quiet {
                    return Ok(());
                }
                let elapsed = Some(self.started.elapsed());
                writeln!(out, "{}", human::summary_line(&self.totals, elapsed))?;
                writeln!(out, "{}", self.stats.summary_line())
            }
            CheckFormat::Json => json::write(
                out,
                self.report,
                self.changes,
                sources,
                &self.totals,
                &self.stats,
            ),
            CheckFormat::Sarif => {
                let run = sarif::Run {
                    rules: &self.rules,
                    root: &self.root,
                    max_results: sarif::MAX_RESULTS,
                };
                sarif::write(out, self.report, sources, &run)
            }
            CheckFormat::Github => github::write(out, self.report, sources),
            CheckFormat::Markdown => {
                markdown::write(out, self.report, sources, &self.totals, &self.sections)
            }
        }
    }
}

pub fn run(args: &CheckArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let started = Instant::now();
    let target = super::target(&args.path);
    let mut contract = load_contract(&target.root)?;
    load_base(&mut contract, &target.root, args.base.as_deref())?;
    let mut checked = contrail::check(&contract);
    // `check FILE` (editors, pre-commit with file names) checks the whole contract, since a
    // change in one file can break a rule about another, and reports that file's findings.
    if let Some(file) = &target.file {
        let sources = &contract.sources.map;
        checked.findings.findings.retain(|f| {
            f.location.as_ref().is_some_and(|l| {
                !sources.get(l.file).from_base && sources.get(l.file).rel_path == *file
            })
        });
    }
    let report = &checked.findings;
    if global.verbose {
        for file in &contract.skipped {
            let path = &contract.sources.map.get(*file).display_path;
            let path = plain(&path.display().to_string()).into_owned();
            eprintln!("skipped {path} (no document has a `kind`)");
        }
    }
    let writes_sarif = args.format == CheckFormat::Sarif || args.sarif.is_some();
    let writes_markdown = matches!(args.format, CheckFormat::Markdown | CheckFormat::Github)
        || args.markdown.is_some();
    let head_files = contract
        .sources
        .map
        .iter()
        .filter(|(_, f)| !f.from_base)
        .count();
    let outputs = Outputs {
        contract: &contract,
        report,
        changes: &checked.changes,
        totals: Totals::count(
            report,
            head_files - contract.skipped.len(),
            contract.model.events.len(),
            contract.model.properties.len(),
        ),
        stats: contrail::model::coverage(&contract.model),
        rules: contrail::active_rules(&contract),
        // Only SARIF needs the repository root; finding it runs git.
        root: if writes_sarif {
            source_root(&target.root)
        } else {
            SourceRoot::default()
        },
        sections: match &checked.comparison {
            Some(comparison) if writes_markdown => {
                vec![reviewer_diff_section(&contract, &checked, comparison)?]
            }
            _ => Vec::new(),
        },
        human: style(global),
        quiet: global.quiet,
        started,
    };

    let mut stdout = io::stdout().lock();
    // A closed pipe (`| head`) is the reader's choice, not a failure of the run.
    let _ = outputs
        .write(args.format, &mut stdout)
        .and_then(|_| stdout.flush());

    let mut written = true;
    let files = [
        (&args.sarif, CheckFormat::Sarif),
        (&args.markdown, CheckFormat::Markdown),
        (&args.json, CheckFormat::Json),
    ];
    for (path, format) in files {
        if let Some(path) = path {
            if let Err(e) = contrail::atomic::write(path, |out| outputs.write(format, out)) {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                written = false;
            }
        }
    }
    if args.format == CheckFormat::Github {
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            let path = Path::new(&path);
            let appended = github::append_step_summary(
                path,
                report,
                &contract.sources.map,
                &outputs.totals,
                &outputs.sections,
            );
            if let Err(e) = appended {
                eprintln!("error: cannot append to `{}`: {e}", path.display());
                written = false;
            }
        }
    }
    if !written {
        return Ok(ExitStatus::Error);
    }
    Ok(status(report, args.fail_on))
}

/// The reviewer diff (as `contrail diff --format markdown` prints it) for the Markdown report.
/// It asks the policies over the input `check` already gave them.
fn reviewer_diff_section(
    contract: &contrail::Contract,
    checked: &contrail::Checked,
    comparison: &Comparison,
) -> Result<Section, contrail::Error> {
    let value = checked
        .input_value
        .as_ref()
        .map_err(|e| contrail::Error::Review(e.clone()))?;
    let review = contrail::review(contract, &checked.catalog, comparison, value)?;
    Ok(Section {
        title: "Reviewer diff".into(),
        markdown: review::markdown::render(&review, &contract.sources.map),
    })
}

/// `%SRCROOT%` for SARIF: the git top level above the contract, else the contract root.
fn source_root(path: &Path) -> SourceRoot {
    let contract_root = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    SourceRoot::new(&contract_root, git::top_level(&contract_root).as_deref())
}

/// 1 when a finding is at or above the `--fail-on` severity, else 0.
fn status(report: &LocatedFindings, fail_on: FailOn) -> ExitStatus {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return ExitStatus::Clean,
    };
    if report
        .findings
        .iter()
        .any(|f| f.finding.severity >= threshold)
    {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}
