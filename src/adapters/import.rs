//! `contrail import`: a catalog in another format written as native files, for teams that
//! move over. The documents are the adapters' own (what `check` judges in place), written
//! as block YAML, so `check` on the imported contract finds what it finds on the source; an
//! Overlay skeleton lists every property and event, for their facts to be filled in.

use std::collections::BTreeMap;

use crate::source::yaml::{Node, Value};
use crate::source::{FileId, Sources};

/// The native file for each adapted catalog file: its path under the output directory
/// (`catalog/<path in the catalog>.yaml`) and its text; an error naming two source files
/// that would be written to one path (`a.yaml` and `a.yml`).
pub fn native_files(sources: &Sources, files: &[FileId]) -> Result<Vec<(String, String)>, String> {
    let mut written: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for &f in files.iter().filter(|f| !sources.resources(**f).is_empty()) {
        let rel = &sources.map.get(f).rel_path;
        let stem = [".yaml", ".yml", ".json"]
            .iter()
            .find_map(|ext| rel.strip_suffix(ext))
            .unwrap_or(rel);
        let target = format!("catalog/{stem}.yaml");
        if let Some(other) = written.insert(target.clone(), rel) {
            return Err(format!(
                "`{other}` and `{rel}` would both be written as `{target}`: rename one in the source"
            ));
        }
        let mut text = String::new();
        for (i, doc) in sources.resources(f).iter().enumerate() {
            if i > 0 {
                text.push_str("---\n");
            }
            block(doc, 0, &mut text);
        }
        out.push((target, text));
    }
    Ok(out)
}

/// An Overlay with an entry for every property and event, each fact left empty (`null`
/// reads as absent, so the imported contract is judged as the source was).
pub fn overlay_skeleton(properties: &[&str], events: &[&str]) -> String {
    let mut text = String::from(
        "# Privacy facts and owners of the imported catalog: fill in, or move them into the\n\
         # resources themselves (a fact stated in both places is an error).\n\
         kind: Overlay\nname: imported\n",
    );
    for (section, names, facts) in [
        (
            "properties",
            properties,
            "{ pii: null, consent: null, residency: null, retention: null, owner: null }",
        ),
        ("events", events, "{ owner: null }"),
    ] {
        if names.is_empty() {
            continue;
        }
        text.push_str(section);
        text.push_str(":\n");
        for name in names {
            text.push_str(&format!("  {}: {facts}\n", key(name)));
        }
    }
    text
}

/// A non-empty mapping or list at `indent`, starting at the beginning of a line; a scalar
/// document on its own line.
fn block(node: &Node, indent: usize, out: &mut String) {
    match &node.value {
        Value::Map(entries) if !entries.is_empty() => map_entries(entries, indent, true, out),
        Value::Seq(items) if !items.is_empty() => {
            for item in items {
                pad(indent, out);
                out.push_str("- ");
                match &item.value {
                    Value::Map(entries) if !entries.is_empty() => {
                        map_entries(entries, indent + 2, false, out)
                    }
                    Value::Seq(inner) if !inner.is_empty() => {
                        out.push('\n');
                        block(item, indent + 2, out);
                    }
                    _ => {
                        out.push_str(&scalar(item));
                        out.push('\n');
                    }
                }
            }
        }
        _ => {
            out.push_str(&scalar(node));
            out.push('\n');
        }
    }
}

/// `key: value` lines; the first one unindented when it follows a `- `.
fn map_entries(entries: &[(Node, Node)], indent: usize, pad_first: bool, out: &mut String) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 || pad_first {
            pad(indent, out);
        }
        let name = k.scalar_text().unwrap_or_default();
        out.push_str(&key(&name));
        out.push(':');
        match &v.value {
            Value::Map(e) if !e.is_empty() => {
                out.push('\n');
                block(v, indent + 2, out);
            }
            Value::Seq(s) if !s.is_empty() => {
                out.push('\n');
                block(v, indent + 2, out);
            }
            _ => {
                out.push(' ');
                out.push_str(&scalar(v));
                out.push('\n');
            }
        }
    }
}

fn pad(indent: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A string as written: plain when it is an identifier YAML reads back as a string, else
/// a JSON string (valid YAML).
fn key(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    let special = ["null", "true", "false"]
        .iter()
        .any(|w| name.eq_ignore_ascii_case(w));
    if plain && !special {
        name.to_string()
    } else {
        serde_json::Value::String(name.to_string()).to_string()
    }
}

/// A scalar (or an empty collection) in flow style: strings plain or quoted, numbers kept
/// as numbers of the same kind.
fn scalar(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => {
            let text = f.to_string();
            if text.contains(['.', 'e', 'E']) {
                text
            } else {
                format!("{text}.0")
            }
        }
        Value::Str(s) => key(s),
        Value::Seq(_) => "[]".into(),
        Value::Map(_) => "{}".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::{parse, YamlLimits};

    #[test]
    fn emitted_yaml_reads_back_as_the_same_tree() {
        let text = "kind: Property\nname: \"a b\"\nc: [\"True\", \"1\", \"x.y\", \"-\"]\ntype: [string, \"null\"]\nenum: [1, 2.5, true, null]\nitems: { type: object }\nx: []\ny: {}\nz:\n  - - 1\n  - { p: \"#/x\", q: [] }\n";
        let limits = YamlLimits {
            max_depth: 16,
            max_aliases: 0,
            max_documents: 4,
            max_expanded: 1 << 16,
        };
        let docs = parse(text, &limits).expect("parses");
        let mut out = String::new();
        block(&docs[0], 0, &mut out);
        let again = parse(&out, &limits).expect("emitted YAML parses");
        assert_eq!(again[0].to_json(), docs[0].to_json(), "{out}");
    }
}
