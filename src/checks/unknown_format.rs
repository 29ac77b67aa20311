use crate::finding::{Anchor, FieldPath, Finding};
use crate::model::{Kind, Model, Schema};
use crate::rules::declare_rule;
use crate::suggest;

/// JSON Schema format names that validators understand.
pub(crate) const KNOWN_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "email",
    "uri",
    "uuid",
    "ipv4",
    "ipv6",
    "hostname",
];

declare_rule! {
    /// ## What it does
    /// Flags a `format` that is not one of the JSON Schema formats contrail exports:
    /// `date-time`, `date`, `email`, `uri`, `uuid`, `ipv4`, `ipv6`, `hostname`.
    ///
    /// ## Why is this bad?
    /// An unknown format is ignored by payload validators, so the constraint its author
    /// meant is not enforced anywhere.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// format: e-mail
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// format: email
    /// ```
    pub(crate) static RULE = {
        code: "CT101",
        name: "unknown-format",
        category: Quality,
        severity: Warning,
        summary: "Format is not a known JSON Schema format",
    };
}

pub(crate) fn check(model: &Model, out: &mut Vec<Finding>) {
    for (name, p) in &model.properties {
        for (path, schema) in p.schema.levels() {
            flag(name, &path, schema, out);
        }
    }
}

fn flag(name: &str, path: &FieldPath, schema: &Schema, out: &mut Vec<Finding>) {
    let Some(format) = &schema.format else { return };
    if KNOWN_FORMATS.contains(&format.as_str()) {
        return;
    }
    let help = suggest::help(format, KNOWN_FORMATS.iter().copied())
        .unwrap_or_else(|| format!("use one of: {}", KNOWN_FORMATS.join(", ")));
    let anchor = Anchor::resource(Kind::Property, name, path.clone().then("format"));
    out.push(Finding::new(&RULE, anchor, format!("unknown format `{format}`")).with_help(help));
}
