//! The fields of `contrail.yaml`, decoded with every problem reported at its line.

use super::{Config, FILE_NAME};
use crate::adapters::{CatalogDir, Format};
use crate::model::Compatibility;
use crate::rules::Severity;
use crate::source::decode::{Decoder, Fields, Spanned, INVALID_VALUE};
use crate::source::{file_glob, yaml, Root};

const FIELDS: &[&str] = &[
    "version",
    "include",
    "exclude",
    "rules",
    "policies",
    "compatibility",
    "limits",
    "base",
    "catalogs",
];
const CATALOG_FIELDS: &[&str] = &["format", "path"];
const RULES_FIELDS: &[&str] = &["disable", "severity", "options"];
const LIMITS_FIELDS: &[&str] = &[
    "file_size",
    "documents",
    "nesting",
    "aliases",
    "policy_time",
    "policy_memory",
];

pub(super) fn parse(d: &mut Decoder, text: &str) -> Option<Config> {
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
    config.include = f.string_list(d, "include").map(|globs| {
        let globs = inside_root(d, "include", globs);
        checked_globs(d, globs)
    });
    if let Some(exclude) = f.string_list(d, "exclude") {
        config.exclude = checked_globs(d, exclude);
    }
    let policies = f.string_list(d, "policies").unwrap_or_default();
    config.policies = inside_root(d, "policies", policies)
        .into_iter()
        .map(|p| p.value)
        .collect();
    config.base = f.string(d, "base").map(|s| s.value);
    (config.catalogs, config.catalog_spans) = catalogs(d, &f).into_iter().unzip();
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

/// The patterns that stay inside the contract root; one that is absolute or climbs out with
/// `..` is reported: contrail reads nothing outside the root.
fn inside_root(
    d: &mut Decoder,
    field: &str,
    patterns: Vec<Spanned<String>>,
) -> Vec<Spanned<String>> {
    patterns
        .into_iter()
        .filter(|p| {
            let leaves = p.value.starts_with('/') || p.value.split('/').any(|c| c == "..");
            if leaves {
                d.report(
                    &INVALID_VALUE,
                    p.span.clone(),
                    format!("`{field}` entry `{}` leads outside the contract root; contrail reads nothing outside the directory of {FILE_NAME}", p.value),
                    Some("write it relative to the directory of contrail.yaml, without `..` or a leading `/`".into()),
                );
            }
            !leaves
        })
        .collect()
}

/// `catalogs: [{format, path}]`: each path inside the root (as `include`), none inside another.
fn catalogs(d: &mut Decoder, f: &Fields) -> Vec<(CatalogDir, std::ops::Range<u32>)> {
    let entries = f
        .list_of(d, "catalogs", |d, _, node| {
            let c = d.mapping(node, "catalog", CATALOG_FIELDS)?;
            c.expect(d, "format");
            c.expect(d, "path");
            let format = c.choice(d, "format", Format::CHOICES);
            let path = c.string(d, "path")?;
            let path = inside_root(d, "catalogs", vec![path]).pop()?;
            let normal = path
                .value
                .split('/')
                .filter(|part| !part.is_empty() && *part != ".")
                .collect::<Vec<_>>()
                .join("/");
            if file_glob(&format?.files_glob(&normal)).is_err() {
                d.report(
                    &INVALID_VALUE,
                    path.span.clone(),
                    format!(
                        "`{}` cannot be a catalog path: it holds glob characters",
                        path.value
                    ),
                    Some("rename the directory, or move the catalog".into()),
                );
                return None;
            }
            Some((
                CatalogDir {
                    format: format?,
                    path: normal,
                },
                path.span,
            ))
        })
        .unwrap_or_default();
    for (i, (catalog, span)) in entries.iter().enumerate() {
        if let Some((other, other_span)) = entries[..i].iter().find(|(other, _)| {
            other.contains(&catalog.path)
                || catalog.contains(&other.path)
                || other.path == catalog.path
        }) {
            let finding = crate::finding::Finding::new(
                &INVALID_VALUE,
                crate::finding::Anchor::span(d.file, span.clone()),
                format!(
                    "catalog `{}` overlaps catalog `{}`: a file belongs to one catalog",
                    shown(&catalog.path),
                    shown(&other.path)
                ),
            )
            .with_help(Some("give each catalog a directory of its own".into()))
            .with_related(
                crate::finding::Anchor::span(d.file, other_span.clone()),
                "the other catalog",
            );
            d.findings.push(finding);
        }
    }
    entries
}

/// A catalog path as the user would write it (`.` for the root).
fn shown(path: &str) -> &str {
    if path.is_empty() {
        "."
    } else {
        path
    }
}

/// Each catalog path names a directory inside `root` (links resolved).
pub(super) fn catalogs_exist(d: &mut Decoder, root: &Root, config: &Config) {
    for (catalog, span) in config.catalogs.iter().zip(&config.catalog_spans) {
        let dir = root.resolve(std::path::Path::new(&catalog.path));
        if !dir.as_ref().is_ok_and(|p| p.is_dir()) {
            let why = match dir {
                Err(crate::source::ReadError::Outside) => {
                    "it leads outside the contract root".to_string()
                }
                _ => "it is not a directory of the contract".to_string(),
            };
            d.report(
                &INVALID_VALUE,
                span.clone(),
                format!("catalog path `{}` cannot be read: {why}", shown(&catalog.path)),
                Some("write the path of the catalog's directory, relative to the directory of contrail.yaml".into()),
            );
        }
    }
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
