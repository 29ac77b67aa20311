//! SchemaVer checks of Iglu registries: per change kind, the bump JSON Schema semantics
//! require, and the finding when the declared bump is smaller.

mod common;

use common::{check_json, codes, contrail, root, structured, temp_repo};

/// A self-describing schema of `com.acme/app_opened` at `version`; `body` is the rest of
/// its members (`properties`, `required`, `additionalProperties`).
fn schema(version: &str, body: &str) -> String {
    format!(
        "{{\n  \"self\": {{ \"vendor\": \"com.acme\", \"name\": \"app_opened\", \"format\": \"jsonschema\", \"version\": \"{version}\" }},\n  \"type\": \"object\",\n{body}\n}}\n"
    )
}

/// A registry with two versions of one schema.
fn registry(from: (&str, &str), to: (&str, &str)) -> tempfile::TempDir {
    let path = |v: &str| format!("registry/schemas/com.acme/app_opened/jsonschema/{v}");
    let (a, b) = (schema(from.0, from.1), schema(to.0, to.1));
    temp_repo(
        "version: 1\ncatalogs: [{ format: iglu, path: registry }]\n",
        &[(&path(from.0), a.as_bytes()), (&path(to.0), b.as_bytes())],
    )
}

fn versions_json(dir: &std::path::Path) -> (i32, serde_json::Value) {
    let out = contrail()
        .args(["versions", "--format", "json"])
        .arg(dir)
        .output()
        .expect("contrail runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// One case per change kind and the bump it requires: (what, old body, new body, the
/// change kind, what that change requires, what the pair requires).
const CASES: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("optional property added to a closed schema",
     "\"properties\": {}, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false",
     "property.added_optional", "addition", "addition"),
    ("optional property added to an open schema",
     "\"properties\": {}, \"additionalProperties\": true",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": true",
     "property.added_optional", "revision", "revision"),
    ("required property added",
     "\"properties\": {}, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"required\": [\"a\"], \"additionalProperties\": false",
     "property.added_required", "model", "model"),
    ("property removed from a closed schema",
     "\"properties\": { \"a\": { \"type\": \"string\" }, \"b\": { \"type\": \"integer\" } }, \"additionalProperties\": false",
     "\"properties\": { \"b\": { \"type\": \"integer\" } }, \"additionalProperties\": false",
     "property.removed", "model", "model"),
    ("property removed from an open schema",
     "\"properties\": { \"a\": { \"type\": \"string\" }, \"b\": { \"type\": \"integer\" } }, \"additionalProperties\": true",
     "\"properties\": { \"b\": { \"type\": \"integer\" } }, \"additionalProperties\": true",
     "property.removed", "addition", "addition"),
    ("property made required",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"required\": [\"a\"], \"additionalProperties\": false",
     "property.made_required", "model", "model"),
    ("property made optional",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"required\": [\"a\"], \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false",
     "property.made_optional", "addition", "addition"),
    ("integer widened to number",
     "\"properties\": { \"a\": { \"type\": \"integer\" } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"number\" } }, \"additionalProperties\": false",
     "type.widened", "addition", "addition"),
    ("string made nullable",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": [\"string\", \"null\"] } }, \"additionalProperties\": false",
     "type.widened", "addition", "addition"),
    ("null no longer allowed",
     "\"properties\": { \"a\": { \"type\": [\"string\", \"null\"] } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false",
     "type.narrowed", "model", "model"),
    ("type changed across families",
     "\"properties\": { \"a\": { \"type\": \"integer\" } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false",
     "type.changed", "model", "model"),
    ("enum value added",
     "\"properties\": { \"a\": { \"type\": \"string\", \"enum\": [\"x\"] } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\", \"enum\": [\"x\", \"y\"] } }, \"additionalProperties\": false",
     "enum.value_added", "addition", "addition"),
    ("enum value removed",
     "\"properties\": { \"a\": { \"type\": \"string\", \"enum\": [\"x\", \"y\"] } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\", \"enum\": [\"x\"] } }, \"additionalProperties\": false",
     "enum.value_removed", "model", "model"),
    ("maxLength lowered",
     "\"properties\": { \"a\": { \"type\": \"string\", \"maxLength\": 40 } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\", \"maxLength\": 20 } }, \"additionalProperties\": false",
     "constraint.tightened", "model", "model"),
    ("maxLength raised",
     "\"properties\": { \"a\": { \"type\": \"string\", \"maxLength\": 20 } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\", \"maxLength\": 40 } }, \"additionalProperties\": false",
     "constraint.relaxed", "addition", "addition"),
    ("minimum raised",
     "\"properties\": { \"a\": { \"type\": \"integer\", \"minimum\": 0 } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"integer\", \"minimum\": 1 } }, \"additionalProperties\": false",
     "constraint.tightened", "model", "model"),
    ("format added",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\", \"format\": \"uuid\" } }, \"additionalProperties\": false",
     "format.added", "model", "model"),
    ("format removed",
     "\"properties\": { \"a\": { \"type\": \"string\", \"format\": \"uuid\" } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false",
     "format.removed", "addition", "addition"),
    ("format changed",
     "\"properties\": { \"a\": { \"type\": \"string\", \"format\": \"uuid\" } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\", \"format\": \"email\" } }, \"additionalProperties\": false",
     "format.changed", "model", "model"),
    ("schema closed",
     "\"properties\": {}, \"additionalProperties\": true",
     "\"properties\": {}, \"additionalProperties\": false",
     "additional_properties.closed", "model", "model"),
    ("schema opened",
     "\"properties\": {}, \"additionalProperties\": false",
     "\"properties\": {}, \"additionalProperties\": true",
     "additional_properties.opened", "addition", "addition"),
    ("array items narrowed",
     "\"properties\": { \"a\": { \"type\": \"array\", \"items\": { \"type\": \"number\" } } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"array\", \"items\": { \"type\": \"integer\" } } }, \"additionalProperties\": false",
     "type.narrowed", "model", "model"),
    ("description changed",
     "\"properties\": { \"a\": { \"type\": \"string\", \"description\": \"old\" } }, \"additionalProperties\": false",
     "\"properties\": { \"a\": { \"type\": \"string\", \"description\": \"new\" } }, \"additionalProperties\": false",
     "property.description_changed", "null", "addition"),
];

#[test]
fn each_change_kind_requires_its_bump() {
    let mut failures = Vec::new();
    for (what, old, new, kind, requires, required) in CASES {
        // Declared as a MODEL bump, so no case is a finding and the exit status is 0.
        let dir = registry(("1-0-0", old), ("2-0-0", new));
        let (status, json) = versions_json(dir.path());
        let pair = &json[0];
        let change = pair["changes"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["kind"] == *kind));
        let got = (
            change.map(|c| c["requires"].to_string().trim_matches('"').to_string()),
            pair["required"].as_str().unwrap_or_default().to_string(),
        );
        if status != 0 || got != (Some(requires.to_string()), required.to_string()) {
            failures.push(format!("{what}: expected {kind} → {requires}, pair {required}; got {got:?}, exit {status}\n{json:#}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A changed pattern cannot be judged: the pair says it is not complete, and no finding
/// claims a bump it cannot back.
#[test]
fn a_changed_pattern_is_undecided_never_a_verdict() {
    let dir = registry(
        ("1-0-0", "\"properties\": { \"a\": { \"type\": \"string\", \"pattern\": \"^[a-z]+$\" } }, \"additionalProperties\": false"),
        ("1-0-1", "\"properties\": { \"a\": { \"type\": \"string\", \"pattern\": \"^[a-z0-9]+$\" } }, \"additionalProperties\": false"),
    );
    let (status, json) = versions_json(dir.path());
    assert_eq!(status, 0, "{json:#}");
    assert_eq!(json[0]["complete"], false, "{json:#}");
    assert_eq!(json[0]["changes"][0]["requires"], "undecided", "{json:#}");
    let (_, check) = check_json(dir.path());
    assert!(!codes(&check).contains(&"CT404".to_string()), "{check:#}");
}

/// The bundled registry: its JSON view, and `check` quiet about a correct ADDITION.
#[test]
fn the_example_registry_in_json() {
    let dir = root().join("fixtures/adapters/iglu");
    let (status, json) = versions_json(&dir);
    assert_eq!(status, 0);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json).expect("JSON"));
}

/// A bump too small is an error at the new version's `self.version`, naming the changes,
/// with the version before it as a related place; the table says so too.
#[test]
fn a_bump_too_small_is_a_finding_at_the_new_version() {
    let dir = registry(
        ("1-0-0", "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false"),
        ("1-0-1", "\"properties\": { \"a\": { \"type\": \"string\", \"maxLength\": 8 } }, \"required\": [\"a\"], \"additionalProperties\": false"),
    );
    let (status, json) = check_json(dir.path());
    assert_eq!(status, 1);
    let found = structured(&json, dir.path());
    // Each finding is a line starting with its code, then its indented details.
    let mut blocks: Vec<String> = Vec::new();
    for line in found.lines() {
        match blocks.last_mut() {
            Some(last) if !line.starts_with("CT") => {
                last.push('\n');
                last.push_str(line);
            }
            _ => blocks.push(line.to_string()),
        }
    }
    blocks.retain(|b| b.starts_with("CT404"));
    insta::assert_snapshot!("bump_too_small_finding", blocks.join("\n"));
    let table = contrail()
        .args(["versions", "--color", "never"])
        .arg(dir.path())
        .output()
        .expect("contrail runs");
    assert_eq!(table.status.code(), Some(1));
    insta::assert_snapshot!(
        "bump_too_small_table",
        String::from_utf8_lossy(&table.stdout)
    );
}

/// A property key that another schema defines differently (or identically) is the other
/// schema's in the model, but each version is still compared with its own definitions.
#[test]
fn a_key_shared_with_another_schema_is_compared_within_its_own_schema() {
    let other = "{\n  \"self\": { \"vendor\": \"com.acme\", \"name\": \"aaa\", \"format\": \"jsonschema\", \"version\": \"1-0-0\" },\n  \"type\": \"object\",\n  \"properties\": { \"name\": { \"type\": \"integer\" }, \"id\": { \"type\": \"string\" } },\n  \"additionalProperties\": false\n}\n";
    let body = "\"properties\": { \"name\": { \"type\": \"string\" }, \"id\": { \"type\": \"string\" } }, \"additionalProperties\": false";
    let (a, b) = (schema("1-0-0", body), schema("1-0-1", body));
    let dir = temp_repo(
        "version: 1\ncatalogs: [{ format: iglu, path: registry }]\n",
        &[
            (
                "registry/schemas/com.acme/aaa/jsonschema/1-0-0",
                other.as_bytes(),
            ),
            (
                "registry/schemas/com.acme/app_opened/jsonschema/1-0-0",
                a.as_bytes(),
            ),
            (
                "registry/schemas/com.acme/app_opened/jsonschema/1-0-1",
                b.as_bytes(),
            ),
        ],
    );
    let (status, json) = versions_json(dir.path());
    assert_eq!(status, 0, "{json:#}");
    assert_eq!(json[0]["changes"], serde_json::json!([]), "{json:#}");
    assert_eq!(json[0]["required"], "addition", "{json:#}");
}

/// A change names its values only where they say something: an added property is named once,
/// a constraint that appears shows its new value.
#[test]
fn the_table_names_each_value_once() {
    let dir = registry(
        ("1-0-0", "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false"),
        ("1-0-1", "\"properties\": { \"a\": { \"type\": \"string\", \"maxLength\": 8 }, \"b\": { \"type\": \"string\" } }, \"required\": [\"b\"], \"additionalProperties\": false"),
    );
    let table = contrail()
        .args(["versions", "--color", "never"])
        .arg(dir.path())
        .output()
        .expect("contrail runs");
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("property.added_required `b`  [model]"),
        "{table}"
    );
    assert!(
        table.contains("constraint.tightened `a.max_length` (now 8)"),
        "{table}"
    );
}

/// A version part too large to count on from is the Iglu-layout finding at its path (it
/// overflowed when the next version was suggested), and the largest allowed one is
/// compared without a suggestion past it.
#[test]
fn version_parts_are_bounded() {
    let required = "\"properties\": { \"a\": { \"type\": \"string\" } }, \"required\": [\"a\"], \"additionalProperties\": false";
    let optional =
        "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": false";
    for (model, layout) in [("18446744073709551615", true), ("4294967295", false)] {
        let (from, to) = (format!("{model}-0-0"), format!("{model}-0-1"));
        let dir = registry((&from, optional), (&to, required));
        let (status, json) = check_json(dir.path());
        let found = structured(&json, dir.path());
        assert_eq!(status, 1, "{found}");
        assert_eq!(
            found.contains("is not an Iglu schema path"),
            layout,
            "{found}"
        );
        assert!(!found.contains("publish this change as"), "{found}");
    }
}

/// The suggested version is one not published yet: with 1-1-0 taken, a REVISION after
/// 1-0-0 is 1-2-0.
#[test]
fn the_suggested_version_is_not_taken() {
    let path = |v: &str| format!("registry/schemas/com.acme/app_opened/jsonschema/{v}");
    let closed = "\"properties\": {}, \"additionalProperties\": true";
    let added =
        "\"properties\": { \"a\": { \"type\": \"string\" } }, \"additionalProperties\": true";
    let files = [
        (path("1-0-0"), schema("1-0-0", closed)),
        (path("1-0-1"), schema("1-0-1", added)),
        (path("1-1-0"), schema("1-1-0", added)),
    ];
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, s)| (p.as_str(), s.as_bytes()))
        .collect();
    let dir = temp_repo(
        "version: 1\ncatalogs: [{ format: iglu, path: registry }]\n",
        &files,
    );
    let (_, json) = check_json(dir.path());
    let found = structured(&json, dir.path());
    assert!(found.contains("publish this change as 1-2-0"), "{found}");
}
