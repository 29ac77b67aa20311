//! `contrail.yaml`: read with the same spanned YAML as resources, validated all at once so
//! that every problem is reported at its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::adapters::CatalogDir;
use crate::finding::Finding;
use crate::model::Compatibility;
use crate::rules::{RuleMeta, Severity};
use crate::source::decode::{Decoder, Spanned, INVALID_VALUE};
use crate::source::yaml::YamlLimits;
use crate::source::{
    file_glob, CatalogFiles, FileLimits, FileSelection, ReadError, Root, SourceFile, SourceMap,
    Sources, DEFAULT_INCLUDE,
};

mod parse;

pub const FILE_NAME: &str = "contrail.yaml";

use parse::parse;

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `None`: the default include (every non-hidden YAML file not git-ignored).
    pub include: Option<Vec<String>>,
    pub exclude: Vec<String>,
    /// Directories or files of user Rego policies, relative to the contract root.
    pub policies: Vec<String>,
    /// `catalogs:`, the directories of catalogs in other formats (rudder-cli, JSON Schema).
    pub catalogs: Vec<CatalogDir>,
    /// Filled by [`Config::resolve_rules`] once every rule (user policies too) is known.
    pub disabled: Vec<&'static RuleMeta>,
    /// Severity overrides by rule code, likewise.
    pub severity: BTreeMap<&'static str, Severity>,
    pub compatibility: Compatibility,
    /// `base:`, the default `--base` of `check` and `diff`.
    pub base: Option<String>,
    pub limits: FileLimits,
    /// `rules.options`: per rule name, a mapping the rule's policy reads as
    /// `data.contrail.config.options[NAME]`.
    pub rule_options: serde_json::Map<String, serde_json::Value>,
    /// Wall-clock limit for one policy package's evaluation.
    pub policy_time: std::time::Duration,
    /// Address space of the process that evaluates the user's policy packages, in bytes.
    pub policy_memory: u64,
    /// Where each of `catalogs` is written in the file.
    catalog_spans: Vec<std::ops::Range<u32>>,
    /// Rule names as written under `rules:`, resolved later.
    rule_refs: RuleRefs,
    /// The file's text, to show problems found after parsing.
    text: String,
    display_path: PathBuf,
}

#[derive(Debug, Clone, Default)]
struct RuleRefs {
    disable: Vec<Spanned<String>>,
    severity: Vec<(Spanned<String>, Severity)>,
    /// Rule names of `rules.options` (the values are kept in [`Config::rule_options`]).
    options: Vec<Spanned<String>>,
}

impl RuleRefs {
    /// The rules to disable and the severity overrides; unknown names are reported in `d`.
    fn check(
        &self,
        d: &mut Decoder,
        known: &[&'static RuleMeta],
    ) -> (Vec<&'static RuleMeta>, BTreeMap<&'static str, Severity>) {
        let disabled = self
            .disable
            .iter()
            .filter_map(|n| rule(d, known, n))
            .collect();
        let severity = self
            .severity
            .iter()
            .filter_map(|(n, level)| Some((rule(d, known, n)?.code, *level)))
            .collect();
        for name in &self.options {
            rule(d, known, name);
        }
        (disabled, severity)
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            include: None,
            exclude: Vec::new(),
            policies: Vec::new(),
            catalogs: Vec::new(),
            catalog_spans: Vec::new(),
            disabled: Vec::new(),
            severity: BTreeMap::new(),
            compatibility: Compatibility::Backward,
            base: None,
            policy_time: std::time::Duration::from_secs(10),
            policy_memory: 4 << 30,
            rule_options: serde_json::Map::new(),
            rule_refs: RuleRefs::default(),
            text: String::new(),
            display_path: PathBuf::new(),
            limits: FileLimits {
                file_size: 16 << 20,
                yaml: YamlLimits {
                    max_depth: 64,
                    max_aliases: 10_000,
                    max_documents: 10_000,
                    max_expanded: 16 << 20,
                },
            },
        }
    }
}

impl Config {
    /// Applies `rules.disable` and `rules.severity`: the only place that changes what a
    /// finding is.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| !crate::rules::is_disabled(f.rule, &self.disabled))
            .map(|mut f| {
                if let Some(s) = self.severity.get(f.rule.code) {
                    f.severity = *s;
                }
                f
            })
            .collect()
    }

    /// Checks the rule names under `rules:` against every known rule, reporting each
    /// unknown one at its line with a suggestion.
    pub fn resolve_rules(&mut self, known: &[&'static RuleMeta]) -> Result<(), ConfigError> {
        let mut d = Decoder::new(crate::source::FileId(0));
        (self.disabled, self.severity) = std::mem::take(&mut self.rule_refs).check(&mut d, known);
        if d.findings.is_empty() {
            Ok(())
        } else {
            Err(invalid(&self.display_path, self.text.clone(), d.findings))
        }
    }

    /// The files `include` and `exclude` select (the default include when `include` is unset).
    pub fn file_selection(&self) -> FileSelection {
        let include = self
            .include
            .clone()
            .unwrap_or_else(|| DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect());
        let catalogs = self
            .catalogs
            .iter()
            .map(|c| CatalogFiles {
                dir: c.path.clone(),
                files: file_glob(&c.format.files_glob(&c.path))
                    .expect("a catalog's glob is built from a validated path")
                    .compile_matcher(),
                syntax: c.format.syntax(),
            })
            .collect();
        FileSelection::new(&include, &self.exclude)
            .expect("config validation keeps only valid globs")
            .with_catalogs(catalogs)
    }
}

/// Why contrail could not use the configuration (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no {FILE_NAME} in `{}`", .0.display())]
    Missing(PathBuf),
    #[error("cannot read `{}`: {source}", path.display())]
    Unreadable { path: PathBuf, source: ReadError },
    /// Every problem found, as findings located in `sources`.
    #[error("`{}` is not valid", path.display())]
    Invalid {
        path: PathBuf,
        sources: Sources,
        findings: Vec<Finding>,
    },
}

/// Reads and validates `<root>/contrail.yaml`. `builtin_rules` (the Rust rules and the
/// built-in policies') are the rule names known before any user policy is read.
pub fn read(
    root: &Path,
    display_root: &Path,
    builtin_rules: &[&'static RuleMeta],
) -> Result<Config, ConfigError> {
    let path = root.join(FILE_NAME);
    let missing = || ConfigError::Missing(root.to_path_buf());
    let dir = Root::new(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => missing(),
        _ => ConfigError::Unreadable {
            path: path.clone(),
            source: e.into(),
        },
    })?;
    let limit = Config::default().limits.file_size;
    let text = match dir.read(Path::new(FILE_NAME), limit) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| ConfigError::Unreadable {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()).into(),
        })?,
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
        Err(e) => return Err(ConfigError::Unreadable { path, source: e }),
    };
    let mut sources = SourceMap::default();
    let file = sources.add(SourceFile::new(
        FILE_NAME.into(),
        display_root.join(FILE_NAME),
        text,
    ));
    let mut d = Decoder::new(file);
    let text = sources.get(file).text.clone();
    let parsed = parse(&mut d, &text);
    if let Some(config) = &parsed {
        parse::catalogs_exist(&mut d, &dir, config);
    }
    match parsed {
        Some(mut config) if d.findings.is_empty() => {
            config.text = text;
            config.display_path = display_root.join(FILE_NAME);
            Ok(config)
        }
        Some(config) => {
            // Report unknown rule names in the same run when no user policy could declare
            // them (user policies are only read from a valid configuration).
            if config.policies.is_empty() {
                config.rule_refs.check(&mut d, builtin_rules);
            }
            Err(invalid(&display_root.join(FILE_NAME), text, d.findings))
        }
        None => Err(invalid(&display_root.join(FILE_NAME), text, d.findings)),
    }
}

/// A base's contrail.yaml, when it is valid (its `include` and `exclude` select the base's
/// files); `None` when it has any problem.
pub fn from_text(text: &str) -> Option<Config> {
    let mut d = Decoder::new(crate::source::FileId(0));
    parse(&mut d, text).filter(|_| d.findings.is_empty())
}

/// contrail.yaml with its problems, ready to be shown.
fn invalid(display_path: &Path, text: String, findings: Vec<Finding>) -> ConfigError {
    let mut map = SourceMap::default();
    map.add(SourceFile::new(
        FILE_NAME.into(),
        display_path.to_path_buf(),
        text,
    ));
    ConfigError::Invalid {
        path: display_path.to_path_buf(),
        sources: Sources {
            map,
            documents: vec![Vec::new()],
            resource_docs: Default::default(),
        },
        findings,
    }
}

fn rule(
    d: &mut Decoder,
    known: &[&'static RuleMeta],
    name: &Spanned<String>,
) -> Option<&'static RuleMeta> {
    let found = crate::rules::find(known, &name.value);
    if found.is_none() {
        d.report(
            &INVALID_VALUE,
            name.span.clone(),
            format!("unknown rule `{}`", name.value),
            crate::rules::suggest(known, &name.value)
                .or_else(|| Some("`contrail rules` lists every rule".into())),
        );
    }
    found
}
