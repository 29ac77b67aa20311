//! Identity stitching rules: rules, match keys, precedence, normalization, merge strategy.

use crate::diff::pair::{self, Pair};
use crate::diff::{At, Change, ChangeKind, Context};
use crate::finding::FieldPath;
use crate::model::{IdentityRule, Kind, MatchKey};

pub fn detect(cx: &Context, out: &mut Vec<Change>) {
    for p in pair::by_name(&cx.base.identity, &cx.head.identity) {
        let rule_at = |name: &str, field: FieldPath| Some(At::new(Kind::IdentityRule, name, field));
        let mut push = |kind, base, head, from, to| {
            out.push(Change::new(kind, cx.mode).values(from, to).at(base, head));
        };
        match p {
            Pair::Added(name, _) if !cx.skipped(Kind::IdentityRule, name) => push(
                ChangeKind::IdentityRuleAdded,
                None,
                rule_at(name, FieldPath::root()),
                serde_json::Value::Null,
                serde_json::json!(name),
            ),
            Pair::Removed(name, _) => push(
                ChangeKind::IdentityRuleRemoved,
                rule_at(name, FieldPath::root()),
                None,
                serde_json::json!(name),
                serde_json::Value::Null,
            ),
            Pair::Both(name, b, h) if !cx.skipped(Kind::IdentityRule, name) => {
                compare(cx, name, b, h, out)
            }
            _ => {}
        }
    }
}

fn compare(cx: &Context, name: &str, b: &IdentityRule, h: &IdentityRule, out: &mut Vec<Change>) {
    let key_at = |property: &str, field: Option<&str>| {
        let mut path = FieldPath::key("match_keys").then(property);
        if let Some(f) = field {
            path = path.then(f);
        }
        Some(At::new(Kind::IdentityRule, name, path))
    };
    let mut push = |kind, property: Option<&str>, base, head, from, to| {
        let mut c = Change::new(kind, cx.mode).values(from, to).at(base, head);
        c.property = property.map(str::to_string);
        out.push(c);
    };
    let find =
        |keys: &[MatchKey], property: &str| keys.iter().find(|k| k.property == property).cloned();
    for bk in &b.match_keys {
        match find(&h.match_keys, &bk.property) {
            None => push(
                ChangeKind::IdentityMatchKeyRemoved,
                Some(&bk.property),
                key_at(&bk.property, None),
                Some(At::new(
                    Kind::IdentityRule,
                    name,
                    FieldPath::key("match_keys"),
                )),
                serde_json::json!(bk),
                serde_json::Value::Null,
            ),
            Some(hk) => {
                if bk.precedence != hk.precedence {
                    push(
                        ChangeKind::IdentityPrecedenceChanged,
                        Some(&bk.property),
                        key_at(&bk.property, Some("precedence")),
                        key_at(&bk.property, Some("precedence")),
                        serde_json::json!(bk.precedence),
                        serde_json::json!(hk.precedence),
                    );
                }
                if bk.normalize != hk.normalize {
                    push(
                        ChangeKind::IdentityMatchKeyChanged,
                        Some(&bk.property),
                        key_at(&bk.property, Some("normalize")),
                        key_at(&bk.property, Some("normalize")),
                        serde_json::json!(bk.normalize),
                        serde_json::json!(hk.normalize),
                    );
                }
            }
        }
    }
    for hk in h
        .match_keys
        .iter()
        .filter(|k| find(&b.match_keys, &k.property).is_none())
    {
        push(
            ChangeKind::IdentityMatchKeyAdded,
            Some(&hk.property),
            None,
            key_at(&hk.property, None),
            serde_json::Value::Null,
            serde_json::json!(hk),
        );
    }
    if b.merge != h.merge {
        let at = || Some(At::new(Kind::IdentityRule, name, FieldPath::key("merge")));
        push(
            ChangeKind::IdentityMergeChanged,
            None,
            at(),
            at(),
            serde_json::json!(b.merge),
            serde_json::json!(h.merge),
        );
    }
}
