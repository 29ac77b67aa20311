//! `contrail.yaml`: read with the same spanned YAML as resources, validated all at once so
//! that every problem is reported at its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::model::Compatibility;
use crate::rules::{RuleMeta, Severity};
use crate::source::decode::{Decoder, Fields, Spanned, INVALID_VALUE};
use crate::source::yaml::{self, YamlLimits};
use crate::source::{
    file_glob, FileLimits, FileSelection, SourceFile, SourceMap, Sources, DEFAULT_INCLUDE,
};

pub const FILE_NAME: &str = "contrail.yaml";

const FIELDS: &[&str] = &[
    "version",
    "include",
    "exclude",
    "rules",
    "policies",
    "compatibility",
    "limits",
    "base",
];
const RULES_FIELDS: &[&str] = &["disable", "severity", "options"];
const LIMITS_FIELDS: &[&str] = &[
    "file_size",
    "documents",
    "nesting",
    "aliases",
    "policy_time",
    "policy_memory",
];

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `None`: the default include (every non-hidden YAML file not git-ignored).
    pub include: Option<Vec<String>>,
    pub exclude: Vec<String>,
    /// Directories or files of user Rego policies, relative to the contract root.
    pub policies: Vec<String>,
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
        FileSelection::new(&include, &self.exclude)
            .expect("config validation keeps only valid globs")
    }
}

/// Why contrail could not use the configuration (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no {FILE_NAME} in `{}`", .0.display())]
    Missing(PathBuf),
    #[error("cannot read `{}`: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
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
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| ConfigError::Unreadable {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::Missing(root.to_path_buf()))
        }
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
    match parse(&mut d, &text) {
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
        },
        findings,
    }
}

fn parse(d: &mut Decoder, text: &str) -> Option<Config> {
    let defaults = Config::default();
    let docs = match yaml::parse(text, &defaults.limits.yaml) {
        Ok(docs) => docs,
        Err(err) => {
            d.report(
                &crate::source::YAML_SYNTAX,
                err.range(),
                err.to_string(),
                None,
            );
            return None;
        }
    };
    let [doc] = docs.as_slice() else {
        d.report(
            &INVALID_VALUE,
            0..0,
            format!(
                "{FILE_NAME} must hold exactly one mapping, found {} documents",
                docs.len()
            ),
            Some("start with `version: 1`".into()),
        );
        return None;
    };
    let f = d.mapping(doc, FILE_NAME, FIELDS)?;
    f.expect(d, "version");
    if let Some(v) = f.get("version") {
        if v.value != yaml::Value::Int(1) {
            d.report(
                &INVALID_VALUE,
                v.span.clone(),
                "unsupported `version`: this contrail reads version 1",
                Some("write `version: 1`".into()),
            );
        }
    }
    let mut config = defaults;
    config.include = f
        .string_list(d, "include")
        .map(|globs| checked_globs(d, globs));
    if let Some(exclude) = f.string_list(d, "exclude") {
        config.exclude = checked_globs(d, exclude);
    }
    config.policies = f
        .string_list(d, "policies")
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.value)
        .collect();
    config.base = f.string(d, "base").map(|s| s.value);
    if let Some(c) = f.choice(d, "compatibility", Compatibility::CHOICES) {
        config.compatibility = c;
    }
    if let Some(node) = f.get("rules") {
        if let Some(r) = d.mapping(node, "rules", RULES_FIELDS) {
            rules_section(d, &r, &mut config);
        }
    }
    if let Some(node) = f.get("limits") {
        if let Some(l) = d.mapping(node, "limits", LIMITS_FIELDS) {
            limits_section(d, &l, &mut config);
        }
    }
    Some(config)
}

fn checked_globs(d: &mut Decoder, globs: Vec<Spanned<String>>) -> Vec<String> {
    globs
        .into_iter()
        .filter(|g| match file_glob(&g.value) {
            Ok(_) => true,
            Err(e) => {
                d.report(
                    &INVALID_VALUE,
                    g.span.clone(),
                    format!("invalid glob `{}`: {}", g.value, e.kind()),
                    None,
                );
                false
            }
        })
        .map(|g| g.value)
        .collect()
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

fn rules_section(d: &mut Decoder, r: &Fields, config: &mut Config) {
    config.rule_refs.disable = r.string_list(d, "disable").unwrap_or_default();
    if let Some(node) = r.get("options") {
        match node.as_map() {
            Some(entries) => {
                for (key, value) in entries {
                    let Some(name) = key.as_str() else { continue };
                    if value.as_map().is_none() {
                        d.wrong_type(r, "options", value, "a mapping of option names to values");
                        continue;
                    }
                    config.rule_refs.options.push(Spanned {
                        value: name.to_string(),
                        span: key.span.clone(),
                    });
                    config
                        .rule_options
                        .insert(name.to_string(), value.to_json());
                }
            }
            None => d.wrong_type(
                r,
                "options",
                node,
                "a mapping of rule names to their options",
            ),
        }
    }
    let Some(node) = r.get("severity") else {
        return;
    };
    let Some(entries) = node.as_map() else {
        d.wrong_type(
            r,
            "severity",
            node,
            "a mapping of rule names to error, warning or info",
        );
        return;
    };
    for (key, value) in entries {
        let Some(name) = key.as_str() else { continue };
        let spanned = Spanned {
            value: name.to_string(),
            span: key.span.clone(),
        };
        let level = value.as_str().and_then(Severity::parse);
        if level.is_none() {
            d.report(
                &INVALID_VALUE,
                value.span.clone(),
                "a severity must be `error`, `warning` or `info`",
                Some("to turn a rule off, list it under `rules.disable`".into()),
            );
        }
        if let Some(level) = level {
            config.rule_refs.severity.push((spanned, level));
        }
    }
}

fn limits_section(d: &mut Decoder, l: &Fields, config: &mut Config) {
    let limits = &mut config.limits;
    let positive = |d: &mut Decoder, key: &str| -> Option<u64> {
        let v = l.count(d, key)?;
        if v == 0 {
            let span = l.get(key).map(|n| n.span.clone()).unwrap_or(0..0);
            d.report(
                &INVALID_VALUE,
                span,
                format!("`limits.{key}` must be at least 1"),
                None,
            );
            return None;
        }
        Some(v)
    };
    if let Some(v) = positive(d, "file_size") {
        limits.file_size = v;
        limits.yaml.max_expanded = v as usize;
    }
    if let Some(v) = positive(d, "documents") {
        limits.yaml.max_documents = v as usize;
    }
    if let Some(v) = positive(d, "nesting") {
        limits.yaml.max_depth = v as usize;
    }
    if let Some(v) = positive(d, "aliases") {
        limits.yaml.max_aliases = v as usize;
    }
    if let Some(v) = positive(d, "policy_time") {
        config.policy_time = std::time::Duration::from_secs(v);
    }
    if let Some(v) = positive(d, "policy_memory") {
        config.policy_memory = v;
    }
}
