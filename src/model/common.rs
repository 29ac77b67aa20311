//! Value types shared by several kinds.

use serde::Serialize;

use crate::rules::declare_rule;
use crate::source::decode::{Decoder, Fields, Spanned, INVALID_VALUE};

declare_rule! {
    /// ## What it does
    /// Flags a `sunset` that is not a calendar date written `YYYY-MM-DD`.
    ///
    /// ## Why is this bad?
    /// Sunsets drive compatibility: removing a deprecated property before its sunset is a
    /// breaking change. A date that cannot be read (`2026-02-30`, `next quarter`) makes
    /// that judgement impossible.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: legacy_id
    /// type: string
    /// lifecycle: deprecated
    /// sunset: 2026-02-30
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: legacy_id
    /// type: string
    /// lifecycle: deprecated
    /// sunset: 2026-02-28
    /// ```
    pub(crate) static INVALID_DATE = {
        code: "CT012",
        name: "invalid-date",
        category: Structure,
        severity: Error,
        summary: "Date is not a YYYY-MM-DD calendar date",
    };
}

/// PII classes, ordered: none < indirect < direct < sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PiiClass {
    None,
    Indirect,
    Direct,
    Sensitive,
}

impl PiiClass {
    pub const CHOICES: &'static [(&'static str, PiiClass)] = &[
        ("none", PiiClass::None),
        ("indirect", PiiClass::Indirect),
        ("direct", PiiClass::Direct),
        ("sensitive", PiiClass::Sensitive),
    ];
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lifecycle {
    Draft,
    #[default]
    Active,
    Deprecated,
    Removed,
}

impl Lifecycle {
    const CHOICES: &'static [(&'static str, Lifecycle)] = &[
        ("draft", Lifecycle::Draft),
        ("active", Lifecycle::Active),
        ("deprecated", Lifecycle::Deprecated),
        ("removed", Lifecycle::Removed),
    ];
}

/// `lifecycle`, `sunset` and `replaced_by`, on events, properties and property refs.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LifecycleFields {
    pub lifecycle: Lifecycle,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sunset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

impl LifecycleFields {
    /// `allow_draft`: only events may be drafts.
    pub fn decode(d: &mut Decoder, f: &Fields, allow_draft: bool) -> Self {
        let choices = if allow_draft {
            Lifecycle::CHOICES
        } else {
            &Lifecycle::CHOICES[1..]
        };
        Self {
            lifecycle: f.choice(d, "lifecycle", choices).unwrap_or_default(),
            sunset: date(d, f, "sunset"),
            replaced_by: f.string(d, "replaced_by").map(|s| s.value),
        }
    }
}

/// A `YYYY-MM-DD` calendar date; a bare or a quoted date both work.
fn date(d: &mut Decoder, f: &Fields, key: &str) -> Option<String> {
    let node = f.get(key)?;
    let text = node
        .scalar_text()
        .map(|t| t.into_owned())
        .unwrap_or_default();
    if is_calendar_date(&text) {
        return Some(text);
    }
    let shown = if text.is_empty() {
        node.value.type_name().to_string()
    } else {
        format!("`{text}`")
    };
    d.report(
        &INVALID_DATE,
        node.span.clone(),
        format!("`{key}` must be a calendar date written YYYY-MM-DD, found {shown}"),
        Some("for example `sunset: 2027-03-31`".into()),
    );
    // Kept, so that the date is reported once, as invalid, and not also as missing.
    Some(text)
}

pub fn is_calendar_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || !digits(y) || !digits(m) || !digits(d) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// How long data may be kept: `<N>d`, `<N>w` or `<N>y` (1w = 7 days, 1y = 365 days).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    pub text: String,
    pub days: u64,
}

impl Retention {
    pub fn decode(d: &mut Decoder, f: &Fields) -> Option<Retention> {
        let node = f.get("retention")?;
        let text = node
            .scalar_text()
            .map(|t| t.into_owned())
            .unwrap_or_default();
        let days = text
            .strip_suffix(['d', 'w', 'y'])
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| *n > 0)
            .and_then(|n| match text.chars().last() {
                Some('w') => n.checked_mul(7),
                Some('y') => n.checked_mul(365),
                _ => Some(n),
            });
        match days {
            Some(days) => Some(Retention { text, days }),
            None => {
                d.report(
                    &INVALID_VALUE,
                    node.span.clone(),
                    format!(
                        "`retention` must be a duration like `30d`, `12w` or `2y`, found `{text}`"
                    ),
                    None,
                );
                None
            }
        }
    }
}

/// Match-key normalizations for identity rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Normalize {
    Lowercase,
    Trim,
    E164,
    None,
}

impl Normalize {
    pub const CHOICES: &'static [(&'static str, Normalize)] = &[
        ("lowercase", Normalize::Lowercase),
        ("trim", Normalize::Trim),
        ("e164", Normalize::E164),
        ("none", Normalize::None),
    ];
}

/// A free lowercase identifier (destination `type`, `region`): `[a-z][a-z0-9_-]*`.
pub fn lowercase_id(d: &mut Decoder, f: &Fields, key: &str) -> Option<String> {
    let value = f.string(d, key)?;
    check_lowercase_id(d, key, &value).then_some(value.value)
}

/// A list of lowercase identifiers (`residency`).
pub fn lowercase_ids(d: &mut Decoder, f: &Fields, key: &str) -> Vec<String> {
    f.string_list(d, key)
        .unwrap_or_default()
        .into_iter()
        .filter(|v| check_lowercase_id(d, key, v))
        .map(|v| v.value)
        .collect()
}

fn check_lowercase_id(d: &mut Decoder, key: &str, value: &Spanned<String>) -> bool {
    let mut chars = value.value.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok {
        d.report(
            &INVALID_VALUE,
            value.span.clone(),
            format!(
                "`{key}` must be a lowercase identifier like `eu` or `warehouse`, found `{}`",
                value.value
            ),
            Some(format!(
                "write `{}`",
                value.value.to_lowercase().replace(' ', "_")
            )),
        );
    }
    ok
}

/// An `acknowledge:` entry: a governance rule the change is known to trip, and why that is
/// accepted. It turns that rule's error on its resource into `review-required`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Acknowledgement {
    pub rule: String,
    pub reason: String,
}

impl Acknowledgement {
    /// Reads `acknowledge: [{rule, reason}]` (absent = none).
    pub fn decode_list(d: &mut Decoder, f: &Fields) -> Vec<Acknowledgement> {
        f.list_of(d, "acknowledge", |d, _, node| {
            let a = d.mapping(node, "acknowledge entry", &["rule", "reason"])?;
            let rule = a.required_string(d, "rule");
            let reason = a.required_string(d, "reason");
            Some(Acknowledgement {
                rule: rule?.value,
                reason: reason?.value,
            })
        })
        .unwrap_or_default()
    }
}

/// What properties and events both may say beyond their shape, and an Overlay may give
/// them too: owner, description, lifecycle, acknowledgements.
pub(super) struct SharedFacts {
    owner: Option<String>,
    description: Option<String>,
    lifecycle: Option<LifecycleFields>,
    acknowledge: Vec<Acknowledgement>,
}

/// The fields [`SharedFacts`] sets on a resource.
pub(super) struct SharedFields<'a> {
    pub owner: &'a mut Option<String>,
    pub description: &'a mut Option<String>,
    pub lifecycle: &'a mut LifecycleFields,
    pub acknowledge: &'a mut Vec<Acknowledgement>,
}

impl SharedFacts {
    /// The keys of [`SharedFacts`], as written.
    pub(super) const FIELDS: [&'static str; 6] = [
        "owner",
        "description",
        "lifecycle",
        "sunset",
        "replaced_by",
        "acknowledge",
    ];

    /// `allow_draft`: only events may be drafts.
    pub(super) fn decode(d: &mut Decoder, f: &Fields, allow_draft: bool) -> Self {
        let (owner, description) = super::owner_and_description(d, f);
        let has_lifecycle = ["lifecycle", "sunset", "replaced_by"]
            .iter()
            .any(|k| f.get(k).is_some());
        Self {
            owner,
            description,
            lifecycle: has_lifecycle.then(|| LifecycleFields::decode(d, f, allow_draft)),
            acknowledge: Acknowledgement::decode_list(d, f),
        }
    }

    /// Sets every fact given here.
    pub(super) fn apply(self, to: SharedFields) {
        if self.owner.is_some() {
            *to.owner = self.owner;
        }
        if self.description.is_some() {
            *to.description = self.description;
        }
        if let Some(lifecycle) = self.lifecycle {
            *to.lifecycle = lifecycle;
        }
        to.acknowledge.extend(self.acknowledge);
    }
}
