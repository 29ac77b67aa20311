//! contrail: a policy-as-code compiler and linter for customer-data contracts.
//!
//! The pipeline runs in one direction: [`load`] (config, walk, parse, decode) →
//! [`check`] (structural rules, configuration, locations) → reporters, and
//! [`catalog::compile`] for the compiled contract.

pub mod adapters;
pub mod atomic;
pub mod catalog;
pub mod checks;
pub mod config;
pub mod diff;
pub mod finding;
pub mod locate;
pub mod model;
pub mod policy;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod source;
mod suggest;
pub mod validate;

use std::path::{Path, PathBuf};

use catalog::Catalog;
use config::{Config, ConfigError};
use diff::review::Review;
use diff::{Comparison, LocatedChange};
use finding::Finding;
use locate::LocatedFindings;
use model::Model;
use policy::{Input, InputValue, PolicyError, PolicySet};
use rules::RuleMeta;
use source::{FileId, Side, Sources};

/// A contract as read from disk.
#[derive(Debug)]
pub struct Contract {
    pub config: Config,
    pub sources: Sources,
    pub model: Model,
    /// Files skipped under the default include (no `kind` in any document).
    pub skipped: Vec<FileId>,
    /// Findings of reading and decoding the files.
    pub load_findings: Vec<Finding>,
    pub policies: PolicySet,
    /// What the contract is compared with, when a base was given.
    pub base: Option<diff::Base>,
    /// The versioned schemas of its catalogs (Iglu), every version adapted.
    pub versioned: Vec<adapters::Versioned>,
}

/// Why contrail could not do its job (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("`{}` does not exist or is not a directory", .0.display())]
    NoSuchDirectory(PathBuf),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    Scaffold(#[from] scaffold::ScaffoldError),
    #[error(transparent)]
    Git(#[from] diff::git::GitError),
    #[error("the reviewer diff could not be made: {0}")]
    Review(String),
    #[error("import failed: {0}")]
    Import(String),
}

/// The rules contrail implements in Rust, by code: each declared by the stage that detects
/// it (the structural checks in one table, [`checks::CHECKS`]).
pub fn rust_rules() -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = [
        source::RULES,
        adapters::RULES,
        model::RULES,
        checks::RULES,
        diff::RULES,
        policy::RULES,
    ]
    .into_iter()
    .flatten()
    .copied()
    .chain(checks::CHECKS.iter().map(|c| c.rule))
    .collect();
    rules.sort_by_key(|r| r.code);
    rules
}

/// Every rule of a run: the Rust rules, by code, then those of its policies.
pub fn rules_of_run(policies: &PolicySet) -> Vec<&'static RuleMeta> {
    rust_rules().into_iter().chain(policies.rules()).collect()
}

/// Every rule contrail ships, known before any user policy is read: the Rust rules, by
/// code, then the built-in policies'.
pub fn builtin_rules() -> Vec<&'static RuleMeta> {
    rust_rules()
        .into_iter()
        .chain(policy::builtin_rules().iter().copied())
        .collect()
}

/// Every rule that can fire when checking `contract`: the Rust rules and those of its
/// policies, minus `rules.disable`, at the severity `rules.severity` gives them.
pub fn active_rules(contract: &Contract) -> Vec<rules::ActiveRule> {
    let policy_rules = contract
        .policies
        .policies
        .iter()
        .filter(|p| !p.test)
        .flat_map(|p| p.rules.iter().map(move |r| (*r, p.builtin)));
    rules::active(
        rust_rules()
            .into_iter()
            .map(|r| (r, true))
            .chain(policy_rules),
        &contract.config.disabled,
        &contract.config.severity,
    )
}

/// Reads the contract at `root`. `display_root` is how the user spelled it.
pub fn load(root: &Path, display_root: &Path) -> Result<Contract, Error> {
    if !root.is_dir() {
        return Err(Error::NoSuchDirectory(display_root.to_path_buf()));
    }
    let mut config = config::read(root, display_root, &builtin_rules())?;
    let policies = read_policies(root, &config, false)?;
    config.resolve_rules(&rules_of_run(&policies))?;
    let mut sources = Sources::default();
    let mut read = sources.read_dir(
        root,
        display_root,
        &config.file_selection(),
        &config.limits,
        Side::Head,
    );
    let adapted = adapters::adapt(&mut sources, &mut read, &config.catalogs);
    let built = model::build(&sources, &read, config.include.is_some());
    let mut load_findings = read.findings;
    load_findings.extend(adapted.findings);
    load_findings.extend(built.findings);
    Ok(Contract {
        config,
        sources,
        model: built.model,
        skipped: built.skipped,
        load_findings,
        policies,
        base: None,
        versioned: adapted.versions,
    })
}

/// What `import` wrote (paths relative to the output directory) and the adapters' findings
/// on the source: what could not be carried over, located in `sources`.
pub struct Imported {
    pub files: Vec<String>,
    pub findings: LocatedFindings,
    pub sources: Sources,
}

/// Writes the catalog at `src` (in `format`) as a native contract in `out`: contrail.yaml,
/// `catalog/` with the adapted documents, and `overlay.yaml` with an entry per property and
/// event. A directory that already holds a contrail.yaml is not written over.
pub fn import(
    src: &Path,
    display: &Path,
    format: adapters::Format,
    out: &Path,
) -> Result<Imported, Error> {
    if !src.is_dir() {
        return Err(Error::NoSuchDirectory(display.to_path_buf()));
    }
    let mut config = Config::default();
    config.catalogs = vec![adapters::CatalogDir {
        format,
        path: String::new(),
    }];
    let mut sources = Sources::default();
    let mut read = sources.read_dir(
        src,
        display,
        &config.file_selection(),
        &config.limits,
        Side::Head,
    );
    let adapted = adapters::adapt(&mut sources, &mut read, &config.catalogs);
    let built = model::build(&sources, &read, false);
    let properties: Vec<&str> = built.model.properties.keys().map(String::as_str).collect();
    let events: Vec<&str> = built.model.events.keys().map(String::as_str).collect();
    let mut files = vec![(
        "overlay.yaml".to_string(),
        adapters::import::overlay_skeleton(&properties, &events),
    )];
    files.extend(adapters::import::native_files(&sources, &read.files).map_err(Error::Import)?);
    // Last: a directory with a contrail.yaml is a contract, so an import stopped half way
    // does not leave one that reads as complete.
    files.push((config::FILE_NAME.to_string(), "version: 1\n".to_string()));
    if let Some(taken) = files
        .iter()
        .map(|(rel, _)| out.join(rel))
        .find(|p| p.exists())
    {
        return Err(Error::Import(format!(
            "`{}` already exists; import writes a new contract",
            taken.display()
        )));
    }
    for (rel, text) in &files {
        let path = out.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| atomic::write(&path, |w| w.write_all(text.as_bytes())));
        written.map_err(|e| Error::Import(format!("cannot write `{}`: {e}", path.display())))?;
    }
    let mut findings = read.findings;
    findings.extend(adapted.findings);
    let findings = locate::locate(findings, locate::Models::head(&built.model), &sources);
    Ok(Imported {
        files: files.into_iter().map(|(rel, _)| rel).collect(),
        findings,
        sources,
    })
}

/// Reads the base named by `spec` (a directory, else a git revision) for the contract read
/// from `root`; its `base-unreadable` findings join the contract's load findings.
/// `display_dir` is how a directory base is shown in messages.
pub fn load_base(
    contract: &mut Contract,
    root: &Path,
    spec: &str,
    display_dir: &Path,
) -> Result<(), Error> {
    let (base, findings) = diff::base::read(
        root,
        spec,
        display_dir,
        &contract.config,
        &mut contract.sources,
    )
    .map_err(|e| match e {
        diff::base::BaseError::Config(e) => Error::Config(e),
        diff::base::BaseError::Git(e) => Error::Git(e),
    })?;
    contract.load_findings.extend(findings);
    contract.base = Some(base);
    Ok(())
}

/// The policies of the contract at `root` (built-ins plus its `policies:`), or the built-ins
/// alone when `root` has no contrail.yaml. `with_tests` also loads `*_test.rego` modules.
pub fn policies(root: &Path, display_root: &Path, with_tests: bool) -> Result<PolicySet, Error> {
    let config = match config::read(root, display_root, &builtin_rules()) {
        Ok(config) => config,
        Err(ConfigError::Missing(_)) => Config::default(),
        Err(e) => return Err(e.into()),
    };
    read_policies(root, &config, with_tests)
}

/// The built-in policies and the user's, none of them reusing a Rust rule's name or code.
fn read_policies(root: &Path, config: &Config, with_tests: bool) -> Result<PolicySet, Error> {
    let policies = PolicySet::read(root, config, with_tests)?;
    policies.reject_reserved(&rust_rules())?;
    Ok(policies)
}

/// The worker side of user-policy isolation: evaluates `rules` (default `deny`, `warn`,
/// `info`) of one `package` of the contract at `root` over the policy input given as JSON,
/// and answers the results as JSON. `with_tests` loads the `*_test.rego` modules too.
pub fn evaluate_in_worker(
    root: &Path,
    package: &str,
    rules: &[String],
    with_tests: bool,
    input_json: &str,
) -> Result<String, Error> {
    // The parent validated contrail.yaml; the worker reads the same file again.
    let config = config::read(root, root, &[])?;
    let request = policy::WorkerRequest {
        package,
        rules,
        with_tests,
    };
    Ok(policy::evaluate_in_worker(
        root, &config, &request, input_json,
    )?)
}

/// The worker side of a failing user test (`contrail test`): why test `name` of `package`
/// did not hold, as JSON.
pub fn explain_test_in_worker(root: &Path, package: &str, name: &str) -> Result<String, Error> {
    // The parent validated contrail.yaml; the worker reads the same file again.
    let config = config::read(root, root, &[])?;
    Ok(policy::explain_test_in_worker(
        root, &config, package, name,
    )?)
}

/// What `check` found: every finding, the changes against the base (if any), and the
/// catalog the policies judged, for whatever the caller writes next from it.
#[derive(Debug)]
pub struct Checked<'c> {
    pub findings: LocatedFindings,
    pub changes: Vec<LocatedChange>,
    pub catalog: Catalog<'c>,
    pub comparison: Option<Comparison<'c>>,
    /// The policy input as the policies read it, for more questions to them (the reviewer
    /// diff); why it could not be made otherwise.
    pub input_value: Result<InputValue, String>,
}

impl Checked<'_> {
    /// What the policies judged.
    pub fn input(&self) -> Input<'_> {
        input(&self.catalog, self.comparison.as_ref())
    }
}

/// Runs the structural rules, compares with the base (if any) and runs the policies over the
/// catalog and its changes; returns every finding, configured and located.
pub fn check(contract: &Contract) -> Checked<'_> {
    let mut findings = contract.load_findings.clone();
    findings.extend(checks::run(&contract.model));
    let versions = versions(contract);
    findings.extend(diff::versions::findings(&versions.pairs));
    findings.extend(versions.findings);
    let catalog = catalog::compile(&contract.model);
    let comparison = compare(contract, &catalog);
    let policy_input = input(&catalog, comparison.as_ref());
    // Built once: the findings here, the reviewer diff's questions later.
    let input_value = InputValue::new(&policy_input);
    match &input_value {
        Ok(value) => findings.extend(contract.policies.evaluate(
            &policy_input,
            value,
            &contract.model,
        )),
        Err(e) => findings.push(Finding::new(
            &policy::FAILED,
            finding::Anchor::Repo,
            format!("the catalog could not be given to the policies: {e}"),
        )),
    }
    // Withheld after the configuration, so that a disabled rule is not counted; the
    // configuration then applies to the note that counts them too.
    let config = &contract.config;
    let findings = config.apply(checks::withhold(config.apply(findings), &unread(contract)));
    let models = models(contract);
    let changes = comparison
        .as_ref()
        .map(|c| diff::locate(&c.changes, models, &contract.sources))
        .unwrap_or_default();
    Checked {
        findings: locate::locate(findings, models, &contract.sources),
        changes,
        catalog,
        comparison,
        input_value,
    }
}

/// Every consecutive pair of versions of the contract's versioned schemas, compared.
pub fn versions(contract: &Contract) -> diff::versions::Versions {
    diff::versions::compare(&contract.sources, &contract.versioned)
}

/// The contract's own files that could not be read or parsed, or whose documents were not
/// read as written, by path: what they define or use is not all known.
fn unread(contract: &Contract) -> Vec<(&str, checks::Unread)> {
    let is = |rules: &[&RuleMeta], f: &Finding| rules.iter().any(|r| std::ptr::eq(*r, f.rule));
    let mut files: Vec<(&str, checks::Unread)> = contract
        .load_findings
        .iter()
        .filter_map(|f| {
            let how = if is(&[&source::YAML_SYNTAX, &source::JSON_SYNTAX], f) {
                checks::Unread::DidNotParse
            } else if is(source::RULES_OF_FILES, f) {
                checks::Unread::NotRead
            } else if is(model::RULES_OF_RESOURCES, f) {
                checks::Unread::InPart
            } else {
                return None;
            };
            Some((f.anchor.file()?, how))
        })
        .map(|(file, how)| (contract.sources.map.get(file), how))
        .filter(|(file, _)| !file.from_base)
        .map(|(file, how)| (file.rel_path.as_str(), how))
        .collect();
    files.sort_unstable();
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

/// Compares the contract, compiled into `catalog`, with its base; `None` without a base.
pub fn compare<'c>(contract: &'c Contract, catalog: &Catalog) -> Option<Comparison<'c>> {
    let base = contract.base.as_ref()?;
    Some(diff::compare(
        base,
        &contract.model,
        catalog,
        &contract.sources,
        contract.config.compatibility,
    ))
}

/// The policy input for `catalog` and its comparison with the base, if any.
pub fn input<'a>(catalog: &'a Catalog<'a>, comparison: Option<&'a Comparison<'a>>) -> Input<'a> {
    Input {
        catalog,
        changes: comparison.map_or(&[], |c| &c.changes),
        base: comparison.map(|c| &c.base_catalog),
    }
}

/// The reviewer view of the contract's comparison with its base: asks the policies
/// (`contrail.compat`, `contrail.governance`) what each change means, over the input
/// `value` made of `catalog` and `comparison` (the one `check` evaluated, when it ran).
pub fn review(
    contract: &Contract,
    catalog: &Catalog,
    comparison: &Comparison,
    value: &InputValue,
) -> Result<Review, Error> {
    let Some(base) = &contract.base else {
        return Err(Error::Review("there is no base to compare with".into()));
    };
    const VERDICTS: &str = "data.contrail.compat.verdicts";
    const REVIEWS: &str = "data.contrail.governance.reviews";
    let answers = contract
        .policies
        .query(
            &input(catalog, Some(comparison)),
            value,
            &[VERDICTS, REVIEWS],
        )
        .map_err(Error::Review)?;
    let [verdicts, reviews] = <[serde_json::Value; 2]>::try_from(answers)
        .map_err(|_| Error::Review("the policies gave no answer".into()))?;
    for (value, query, package) in [
        (&verdicts, VERDICTS, "contrail.compat"),
        (&reviews, REVIEWS, "contrail.governance"),
    ] {
        if !value.is_object() && !comparison.changes.is_empty() {
            return Err(Error::Review(format!(
                "`{query}` is not defined; a module replacing `{package}` must define it (see docs/policies.md)"
            )));
        }
    }
    let located = diff::locate(&comparison.changes, models(contract), &contract.sources);
    let answers = diff::review::Answers { verdicts, reviews };
    Ok(diff::review::review(
        base,
        &contract.model,
        located,
        &answers,
    ))
}

/// The models anchors resolve in: the contract's, and its base's when it has one.
fn models(contract: &Contract) -> locate::Models<'_> {
    locate::Models {
        head: &contract.model,
        base: contract.base.as_ref().map(|b| &b.model),
    }
}
