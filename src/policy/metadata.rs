//! OPA `# METADATA` comment blocks: regorus does not read them, contrail does (they are YAML
//! inside comments). Each block with `custom.id` and `custom.name` declares one rule.

use crate::rules::{Category, RuleMeta, Severity};
use crate::source::yaml::{self, Node, Value, YamlLimits};

const LIMITS: YamlLimits = YamlLimits {
    max_depth: 16,
    max_aliases: 0,
    max_documents: 1,
    max_expanded: 1 << 20,
};

/// A METADATA block that cannot be read, with its 1-based line in the policy file.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("line {line}: {message}")]
pub struct MetadataError {
    pub line: usize,
    pub message: String,
}

/// The rules declared in a policy's METADATA blocks. Strings are leaked: rule metadata lives
/// as long as the process, like the Rust rules' statics.
pub fn parse(source: &str) -> Result<Vec<&'static RuleMeta>, MetadataError> {
    let lines: Vec<&str> = source.lines().collect();
    let mut rules = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "# METADATA" {
            i += 1;
            continue;
        }
        let first = i + 1;
        let mut end = first;
        while end < lines.len() && lines[end].trim_start().starts_with('#') {
            end += 1;
        }
        let text: String = lines[first..end]
            .iter()
            .map(|l| {
                let l = l.trim_start().trim_start_matches('#');
                format!("{}\n", l.strip_prefix(' ').unwrap_or(l))
            })
            .collect();
        if let Some(rule) = block(&text, first + 1)? {
            rules.push(rule);
        }
        i = end;
    }
    Ok(rules)
}

/// One block; `line` is the file line of its first YAML line.
fn block(text: &str, line: usize) -> Result<Option<&'static RuleMeta>, MetadataError> {
    let error = |offset: usize, message: String| MetadataError {
        line: line + offset,
        message,
    };
    let docs = yaml::parse(text, &LIMITS).map_err(|e| {
        let at = e.range().start as usize;
        error(
            text[..at.min(text.len())].matches('\n').count(),
            format!("METADATA is not valid YAML: {e}"),
        )
    })?;
    let Some(root) = docs.first() else {
        return Ok(None);
    };
    let Some(custom) = root.get("custom") else {
        return Ok(None);
    };
    let line_of = |n: &Node| text[..n.span.start as usize].matches('\n').count();
    let text_of = |key: &str, n: &Node| -> Result<Option<&'static str>, MetadataError> {
        match n.get(key) {
            None => Ok(None),
            Some(v) => match v.as_str() {
                Some(s) => Ok(Some(leak(s.trim_end()))),
                None => Err(error(
                    line_of(v),
                    format!("METADATA `{key}` must be a string"),
                )),
            },
        }
    };
    let required = |key: &str| -> Result<&'static str, MetadataError> {
        text_of(key, custom)?.ok_or_else(|| {
            error(
                line_of(custom),
                format!("METADATA `custom.{key}` is missing"),
            )
        })
    };
    let code = required("id")?;
    let name = required("name")?;
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(error(
            line_of(custom),
            format!("rule name `{name}` must be kebab-case"),
        ));
    }
    let severity = match text_of("severity", custom)? {
        None => Severity::Error,
        Some(s) => Severity::parse(s).ok_or_else(|| {
            error(
                line_of(custom),
                format!("severity `{s}` must be error, warning or info"),
            )
        })?,
    };
    let category = match text_of("category", custom)? {
        None => Category::Governance,
        Some(c) => Category::parse(c)
            .ok_or_else(|| error(line_of(custom), format!("unknown category `{c}`")))?,
    };
    let absence = match custom.get("absence") {
        None => false,
        Some(v) => match v.value {
            Value::Bool(b) => b,
            _ => {
                return Err(error(
                    line_of(v),
                    "METADATA `custom.absence` must be true or false".into(),
                ))
            }
        },
    };
    let summary = text_of("title", root)?.unwrap_or(name);
    let docs = text_of("description", root)?.unwrap_or("");
    Ok(Some(Box::leak(Box::new(RuleMeta {
        code,
        name,
        category,
        severity,
        summary,
        docs,
        absence,
    }))))
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_and_reports_broken_yaml_at_its_line() {
        let source = "package p\n\n# METADATA\n# title: Thing flagged\n# description: |\n#   ## What it does\n#   Flags.\n# custom:\n#   id: X001\n#   name: thing-flagged\n#   severity: warning\n#   category: quality\ndeny contains x if false\n";
        let rules = parse(source).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(
            (rules[0].code, rules[0].name, rules[0].severity),
            ("X001", "thing-flagged", Severity::Warning)
        );
        assert_eq!(rules[0].summary, "Thing flagged");
        assert!(rules[0].docs.contains("## What it does"));
        let broken = "package p\n# METADATA\n# title: [unclosed\n# custom: {id: X, name: y}\n";
        let err = parse(broken).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
    }

    #[test]
    fn absence_is_read_and_must_be_a_boolean() {
        let block = |absence: &str| {
            format!("package p\n# METADATA\n# custom:\n#   id: X002\n#   name: thing-unused\n{absence}deny contains x if false\n")
        };
        assert!(!parse(&block("")).unwrap()[0].absence);
        assert!(parse(&block("#   absence: true\n")).unwrap()[0].absence);
        let err = parse(&block("#   absence: yes please\n")).unwrap_err();
        assert!(err.message.contains("custom.absence"), "{err}");
    }

    #[test]
    fn a_helper_only_package_declares_no_rules() {
        let lib = include_str!("../../policies/contrail/lib.rego");
        assert!(parse(lib).unwrap().is_empty());
        // A block without `custom` documents a helper; it declares no rule.
        let documented =
            "package p\n\n# METADATA\n# title: Helper\n# description: Shared.\nf(x) := x\n";
        assert!(parse(documented).unwrap().is_empty());
    }
}
