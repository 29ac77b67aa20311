//! contrail: a policy-as-code compiler and linter for customer-data contracts.
//!
//! The pipeline runs in one direction: [`load`] (config, walk, parse, decode) →
//! [`check`] (structural rules, configuration, locations) → reporters, and
//! [`catalog::compile`] for the compiled contract.

pub mod base;
pub mod catalog;
pub mod checks;
pub mod config;
pub mod diff;
pub mod finding;
pub mod git;
pub mod locate;
pub mod model;
pub mod policy;
pub mod report;
pub mod review;
pub mod rules;
pub mod scaffold;
pub mod source;
mod suggest;

use std::path::{Path, PathBuf};

use config::{Config, ConfigError};
use finding::Finding;
use locate::{LocatedChange, Report};
use model::Model;
use policy::{PolicyError, PolicySet};
use rules::RuleMeta;
use source::{FileId, Sources};

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
    pub base: Option<base::Base>,
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
    Git(#[from] git::GitError),
    #[error("the reviewer diff could not be made: {0}")]
    Review(String),
}

/// Every rule of a run: the Rust rules and those of the loaded policies.
pub fn known_rules(policies: &PolicySet) -> Vec<&'static RuleMeta> {
    rules::RULES
        .iter()
        .copied()
        .chain(policies.rules())
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
        rules::RULES.iter().map(|r| (*r, true)).chain(policy_rules),
        &contract.config.disabled,
        &contract.config.severity,
    )
}

/// Reads the contract at `root`. `display_root` is how the user spelled it.
pub fn load(root: &Path, display_root: &Path) -> Result<Contract, Error> {
    if !root.is_dir() {
        return Err(Error::NoSuchDirectory(display_root.to_path_buf()));
    }
    let mut config = config::load(root, display_root)?;
    let policies = PolicySet::load(root, &config, false)?;
    config.resolve_rules(&known_rules(&policies))?;
    let mut sources = source::load(root, display_root, &config.selection(), &config.limits);
    let built = model::build(&sources, config.include.is_some());
    let mut load_findings = std::mem::take(&mut sources.findings);
    load_findings.extend(built.findings);
    Ok(Contract {
        config,
        sources,
        model: built.model,
        skipped: built.skipped,
        load_findings,
        policies,
        base: None,
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
    let (base, findings) = base::load(
        root,
        spec,
        display_dir,
        &contract.config,
        &mut contract.sources,
    )?;
    contract.load_findings.extend(findings);
    contract.base = Some(base);
    Ok(())
}

/// The policies of the contract at `root` (built-ins plus its `policies:`), or the built-ins
/// alone when `root` has no contrail.yaml. `with_tests` also loads `*_test.rego` modules.
pub fn policies(root: &Path, display_root: &Path, with_tests: bool) -> Result<PolicySet, Error> {
    let config = match config::load(root, display_root) {
        Ok(config) => config,
        Err(ConfigError::Missing(_)) => Config::default(),
        Err(e) => return Err(e.into()),
    };
    Ok(PolicySet::load(root, &config, with_tests)?)
}

/// What `check` found: every finding, the changes against the base (if any), and the
/// catalog the policies judged, for whatever the caller writes next from it.
#[derive(Debug)]
pub struct Checked<'c> {
    pub report: Report,
    pub changes: Vec<LocatedChange>,
    pub catalog: catalog::Catalog<'c>,
}

/// Runs the structural rules, compares with the base (if any) and runs the policies over the
/// catalog and its changes; returns every finding, configured and located.
pub fn check(contract: &Contract) -> Checked<'_> {
    let mut findings = contract.load_findings.clone();
    findings.extend(checks::run(&contract.model));
    let catalog = compiled(contract);
    findings.extend(contract.policies.evaluate(&catalog, &contract.model));
    let findings = rules::apply_config(
        findings,
        &contract.config.disabled,
        &contract.config.severity,
    );
    let models = locate::Models {
        head: &contract.model,
        base: contract.base.as_ref().map(|b| &b.model),
    };
    Checked {
        report: locate::locate(findings, models, &contract.sources),
        changes: locate::locate_changes(&catalog.changes, models, &contract.sources),
        catalog,
    }
}

/// The contract's catalog, with its `changes` and `base` filled when it has a base.
pub fn compiled(contract: &Contract) -> catalog::Catalog<'_> {
    let mut catalog = catalog::compile(&contract.model);
    compare(contract, &mut catalog);
    catalog
}

/// Fills the catalog's `changes` and `base` when the contract has a base.
fn compare<'m>(contract: &'m Contract, catalog: &mut catalog::Catalog<'m>) {
    let Some(base) = &contract.base else {
        return;
    };
    let base_catalog = catalog::compile(&base.model);
    // A head resource whose file could not be read on the base side is not compared.
    let skip = |kind, name: &str| {
        contract.model.origin(kind, name).is_some_and(|o| {
            base.unreadable
                .contains(&contract.sources.map.get(o.file).rel_path)
        })
    };
    let cx = diff::Context {
        base: &base.model,
        head: &contract.model,
        base_catalog: &base_catalog,
        head_catalog: catalog,
        mode: contract.config.compatibility,
        today: diff::today(),
        skip: &skip,
    };
    let changes = diff::diff(&cx);
    catalog.changes = changes;
    catalog.base = Some(Box::new(base_catalog));
}
