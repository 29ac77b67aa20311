//! Policy results → findings. The Rego `at` object becomes a typed [`Anchor`] here, once.

use regorus::Value;

use crate::finding::{Anchor, FieldPath, Finding};
use crate::model::{Kind, Model};
use crate::rules::{declare_rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it does
    /// Flags a result of a policy that contrail cannot turn into a finding: an object
    /// without a string `msg`, a `rule` that the package's METADATA does not declare, an
    /// `at` that is not `{kind, name, field}` with a known kind, or a value that is
    /// neither an object nor a string.
    ///
    /// ## Why is this bad?
    /// The policy meant to report something and contrail would have to guess what. The
    /// finding names the policy file and the package so its author can fix the rule.
    pub(crate) static INVALID = {
        code: "CT015",
        name: "policy-result-invalid",
        category: Structure,
        severity: Error,
        summary: "Policy returned a result contrail cannot read",
    };
}

declare_rule! {
    /// ## What it does
    /// Reports a plain-string result (conftest style) of a policy package that declares no
    /// rule, or more than one, in its METADATA, so the string cannot be given to one rule.
    ///
    /// ## Why is this bad?
    /// It is a real policy result, reported at the repository level; declaring the rule in
    /// METADATA and returning `{rule, msg, at}` gives it a code, a severity and a location.
    pub(crate) static VIOLATION = {
        code: "CT501",
        name: "policy-violation",
        category: Governance,
        severity: Error,
        summary: "Policy reported a violation without a declared rule",
    };
}

/// Reads the `deny`/`warn`/`info` set of one package.
pub(super) struct Reader<'a> {
    pub path: &'a str,
    pub package: &'a str,
    pub rules: &'a [&'static RuleMeta],
    pub model: &'a Model,
}

impl Reader<'_> {
    pub fn findings(&self, set: &str, value: &Value, out: &mut Vec<Finding>) {
        let items: Vec<&Value> = match value {
            Value::Set(items) => items.iter().collect(),
            Value::Array(items) => items.iter().collect(),
            Value::Undefined => return,
            other => {
                out.push(self.invalid(&format!("`{set}` is {}, not a set", describe(other))));
                return;
            }
        };
        for item in items {
            out.push(match self.finding(set, item) {
                Ok(f) => f,
                Err(why) => self.invalid(&format!("a `{set}` result {why}: {}", short(item))),
            });
        }
    }

    fn finding(&self, set: &str, item: &Value) -> Result<Finding, String> {
        if let Value::String(msg) = item {
            let mut f = match self.rules {
                [only] => Finding::new(only, Anchor::Repo, msg.to_string()),
                _ => Finding::new(
                    &VIOLATION,
                    Anchor::Repo,
                    format!("{}: {msg}", self.package_name()),
                ),
            };
            if self.rules.len() != 1 {
                f.severity = match set {
                    "warn" => Severity::Warning,
                    "info" => Severity::Info,
                    _ => Severity::Error,
                };
            }
            return Ok(f);
        }
        let Value::Object(fields) = item else {
            return Err(format!("is {}, not an object or a string", describe(item)));
        };
        let get = |k: &str| fields.get(&Value::from(k));
        let rule_name = match get("rule") {
            Some(Value::String(s)) => s.to_string(),
            _ => return Err("has no string `rule`".into()),
        };
        let rule = self
            .rules
            .iter()
            .find(|r| r.name == rule_name)
            .ok_or_else(|| {
                format!("names rule `{rule_name}`, which the package's METADATA does not declare")
            })?;
        let msg = match get("msg") {
            Some(Value::String(s)) => s.to_string(),
            _ => return Err("has no string `msg`".into()),
        };
        let mut finding = match get("at") {
            None => Finding::new(rule, Anchor::Repo, msg),
            Some(at) => {
                let (kind, name, field) = self.at(at)?;
                if self.model.contains(kind, &name) {
                    Finding::new(rule, Anchor::resource(kind, name, field), msg)
                } else {
                    Finding::new(rule, Anchor::Repo, msg).with_help(format!(
                        "the policy pointed at {kind} `{name}`, which is not defined"
                    ))
                }
            }
        };
        if let Some(Value::String(help)) = get("help") {
            finding.help = Some(help.to_string());
        }
        match get("related") {
            None => {}
            Some(Value::Array(items)) => {
                for item in items.iter() {
                    let Value::Object(label) = item else {
                        return Err("has a `related` entry that is not an object".into());
                    };
                    let (Some(at), Some(Value::String(msg))) = (
                        label.get(&Value::from("at")),
                        label.get(&Value::from("msg")),
                    ) else {
                        return Err("has a `related` entry without `at` and a string `msg`".into());
                    };
                    let (kind, name, field) = self.at(at)?;
                    if Self::on_base_side(at)? {
                        // Located in the base's model when there is one; unlocated otherwise.
                        finding = finding
                            .with_related(Anchor::Base { kind, name, field }, msg.to_string());
                    } else if self.model.contains(kind, &name) {
                        finding = finding
                            .with_related(Anchor::resource(kind, name, field), msg.to_string());
                    }
                }
            }
            Some(_) => return Err("has a `related` that is not an array".into()),
        }
        Ok(finding)
    }

    fn at(&self, at: &Value) -> Result<(Kind, String, FieldPath), String> {
        let Value::Object(fields) = at else {
            return Err("has an `at` that is not an object".into());
        };
        let text = |k: &str| match fields.get(&Value::from(k)) {
            Some(Value::String(s)) => Some(s.to_string()),
            _ => None,
        };
        let kind_text = text("kind").ok_or("has an `at` without a string `kind`")?;
        let kind = Kind::parse(&kind_text)
            .ok_or_else(|| format!("has an `at` with unknown kind `{kind_text}`"))?;
        let name = text("name").ok_or("has an `at` without a string `name`")?;
        let field = text("field").map_or_else(FieldPath::root, |f| FieldPath::parse(&f));
        Ok((kind, name, field))
    }

    /// Whether a related `at` names the base (`"side": "base"`) rather than the head.
    fn on_base_side(at: &Value) -> Result<bool, String> {
        let Value::Object(fields) = at else {
            return Ok(false);
        };
        match fields.get(&Value::from("side")) {
            None => Ok(false),
            Some(Value::String(s)) if s.as_ref() == "base" => Ok(true),
            Some(Value::String(s)) if s.as_ref() == "head" => Ok(false),
            Some(_) => Err("has an `at` whose `side` is not \"base\" or \"head\"".into()),
        }
    }

    /// The package as written after `package`.
    fn package_name(&self) -> &str {
        self.package.strip_prefix("data.").unwrap_or(self.package)
    }

    fn invalid(&self, what: &str) -> Finding {
        Finding::new(
            &INVALID,
            Anchor::Repo,
            format!("policy `{}` (package {}): {what}", self.path, self.package_name()),
        )
        .with_help("results are `{\"rule\": NAME, \"msg\": TEXT, \"at\": {\"kind\", \"name\", \"field\"}}` or a string".to_string())
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Set(_) => "a set",
        Value::Object(_) => "an object",
        Value::Undefined => "undefined",
    }
}

/// A result, shortened for a message.
fn short(v: &Value) -> String {
    let text = v
        .to_json_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match text.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}
