//! Catalogs in other formats (`catalogs:` in contrail.yaml): rudder-cli projects are read
//! in place, and every finding points into their files.

mod common;

use common::{
    check_json, check_json_with_base, codes, contrail, copy_dir, edit, root, structured, temp_repo,
};

fn example(name: &str) -> std::path::PathBuf {
    root().join("fixtures/adapters").join(name)
}

/// Each bundled example checked in place: rudder-cli in both spec versions, an Iglu
/// registry, and a JSON Schema directory whose constructs show what maps (a finding of
/// contrail's own checks at the construct) and what is `construct-unmapped`.
#[test]
fn each_example_is_checked_in_place() {
    for (name, snapshot) in [
        ("rudder-v0", "rudder_v0_project_is_checked_in_place"),
        ("rudder-v1", "rudder_v1_project_is_checked_in_place"),
        ("iglu", "iglu_registry_is_checked_in_place"),
        ("jsonschema", "json_schema_constructs"),
    ] {
        let dir = example(name);
        let (_, json) = check_json(&dir);
        insta::assert_snapshot!(snapshot, structured(&json, &dir));
    }
}

/// `diff --base` on rudder projects and an Iglu registry: a property removed from a rule, a
/// type narrowed, a length tightened are changes located in the original files of both sides.
#[test]
fn diff_against_a_base_directory_in_the_original_files() {
    for (name, file, from, to) in [
        (
            "rudder-v0",
            "tracking/tracking-plan.yaml",
            "        - $ref: \"#/properties/shop/coupon\"\n          required: false\n",
            "",
        ),
        (
            "rudder-v1",
            "tracking/properties.yaml",
            "      types: [integer, \"null\"]",
            "      types: [integer]",
        ),
        (
            "iglu",
            "registry/schemas/com.acme.shop/checkout_started/jsonschema/1-0-1",
            "\"maxLength\": 32",
            "\"maxLength\": 16",
        ),
    ] {
        let base = example(name);
        let head = tempfile::tempdir().expect("temp dir");
        copy_dir(&base, head.path());
        edit(&head.path().join(file), from, to);
        let out = contrail()
            .args(["diff", "--format", "json", "--base"])
            .arg(&base)
            .arg(head.path())
            .output()
            .expect("contrail runs");
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("diff prints JSON");
        let changes = serde_json::to_string_pretty(&json["changes"])
            .expect("JSON")
            .replace(&head.path().display().to_string(), "<head>")
            .replace(&root().display().to_string(), "<repo>");
        insta::assert_snapshot!(name, changes);
        let (_, check) = check_json_with_base(head.path(), Some(&base));
        assert!(
            codes(&check).contains(&"CT402".to_string()),
            "{name}: {check:#}"
        );
    }
}

#[test]
fn unknown_versions_and_kinds_are_findings() {
    let dir = temp_repo(
        "version: 1\ncatalogs: [{ format: rudder, path: plan }]\n",
        &[
            ("plan/a.yaml", b"version: rudder/v2\nkind: properties\nmetadata: { name: a }\nspec: { properties: [] }\n"),
            ("plan/b.yaml", b"version: rudder/v1\nkind: tp\nmetadata: { name: b }\nspec: {}\n"),
            ("plan/c.yaml", b"version: rudder/v0.1\nkind: propertes\nmetadata: { name: c }\nspec: {}\n"),
        ],
    );
    let (status, json) = check_json(dir.path());
    assert_eq!(status, 1);
    insta::assert_snapshot!(structured(&json, dir.path()));
}

/// A contrail resource left in a rudder-cli directory is one finding at its `kind`, not a
/// finding per key of an envelope it never had.
#[test]
fn a_native_resource_in_a_rudder_directory_is_one_finding() {
    let dir = temp_repo(
        "version: 1\ncatalogs: [{ format: rudder, path: plan }]\n",
        &[(
            "plan/teams.yaml",
            b"kind: Team\nname: data\nreviewers: [\"@acme/data\"]\n",
        )],
    );
    let (status, json) = check_json(dir.path());
    assert_eq!(status, 1);
    let found: Vec<(&str, &str, u64)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["file"] == "plan/teams.yaml")
        .filter_map(|f| {
            Some((
                f["code"].as_str()?,
                f["message"].as_str()?,
                f["line"].as_u64()?,
            ))
        })
        .collect();
    assert_eq!(
        found,
        [(
            "CT009",
            "a contrail resource (`kind: Team`) in a rudder-cli project: it is not read",
            1
        )],
        "{json:#}"
    );
}

#[test]
fn references_of_the_wrong_form_or_to_nothing_are_findings() {
    let dir = temp_repo(
        "version: 1\ncatalogs: [{ format: rudder, path: plan }]\n",
        &[
            ("plan/props.yaml", b"version: rudder/v0.1\nkind: properties\nmetadata: { name: g }\nspec:\n  properties:\n    - { id: sku, name: SKU, type: string, description: Stock unit }\n"),
            ("plan/events.yaml", b"version: rudder/v0.1\nkind: events\nmetadata: { name: g }\nspec:\n  events:\n    - { id: viewed, name: Viewed, event_type: track, description: Viewed it }\n"),
            ("plan/tp.yaml", b"version: rudder/v0.1\nkind: tp\nmetadata: { name: t }\nspec:\n  id: t\n  display_name: T\n  rules:\n    - type: event_rule\n      id: r\n      event: { $ref: \"#/events/g/viewed\" }\n      properties:\n        - { $ref: \"#property:sku\" }\n        - { $ref: \"#/properties/other/sku\" }\n        - { $ref: \"#/properties/g/skew\" }\n"),
        ],
    );
    let (_, json) = check_json(dir.path());
    insta::assert_snapshot!(structured(&json, dir.path()));
}

#[test]
fn catalog_paths_are_validated_at_their_line() {
    let dir = temp_repo(
        "version: 1\ncatalogs:\n  - { format: rudder, path: /etc }\n  - { format: rudder, path: ../up }\n  - { format: rudr, path: plan }\n  - { format: rudder, path: missing }\n  - { format: rudder, path: plan }\n  - { format: iglu, path: plan/sub }\n  - { path: plan }\n",
        &[("plan/sub/x.txt", b"")],
    );
    let out = contrail()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .output()
        .expect("contrail runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr =
        String::from_utf8_lossy(&out.stderr).replace(&dir.path().display().to_string(), "<dir>");
    insta::assert_snapshot!(stderr);
}

/// The compiled JSON Schema of an adapted event: each construct as contrail exports it.
#[test]
fn json_schema_constructs_compile_to_the_same_meaning() {
    let schema = std::fs::read(example("jsonschema/events/order_completed.json")).expect("fixture");
    // compile writes nothing while errors remain: the properties are left unclassified here.
    let dir = temp_repo(
        "version: 1\ncatalogs: [{ format: jsonschema, path: events }]\nrules: { disable: [pii-unclassified] }\n",
        &[("events/order_completed.json", &schema)],
    );
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = contrail()
        .args(["compile", "--out"])
        .arg(out_dir.path())
        .arg(dir.path())
        .output()
        .expect("contrail runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schema = std::fs::read_to_string(out_dir.path().join("schemas/order_completed.json"))
        .expect("the event's schema is written");
    insta::assert_snapshot!(schema);
}

#[test]
fn a_json_syntax_error_points_into_the_file() {
    let dir = temp_repo(
        "version: 1\ncatalogs: [{ format: jsonschema, path: events }]\n",
        &[
            (
                "events/a.json",
                b"{\n  \"type\": \"object\",\n  \"properties\": {},\n}\n",
            ),
            (
                "events/b.json",
                b"{\"type\": \"object\", \"type\": \"object\"}",
            ),
        ],
    );
    let (status, json) = check_json(dir.path());
    assert_eq!(status, 1);
    insta::assert_snapshot!(structured(&json, dir.path()));
}

/// An Overlay gives adapted properties and events their privacy facts and owners without
/// touching the rudder files; findings about those facts land in the overlay, findings about
/// the schema in the rudder files, and native routing makes the privacy rules apply.
#[test]
fn an_overlay_classifies_an_adapted_catalog_and_routing_applies() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&example("rudder-v1"), dir.path());
    let overlay = "kind: Overlay
name: app_facts
properties:
  screen_name: { pii: none, owner: data }
  status_code: { pii: none, owner: data }
  tags: { pii: none, owner: data, description: Labels }
  contact_email: { pii: direct, consent: [support], residency: [eu], retention: 30d, owner: data }
  emial: { pii: direct }
events:
  screen_viewed: { owner: data, lifecycle: active }
  contact_requested: { owner: dta }
";
    std::fs::write(dir.path().join("facts.yaml"), overlay).expect("write");
    let sandbox = "---
kind: Destination
name: sandbox
type: warehouse
environment: nonprod
owner: data
---
kind: Pipeline
name: web_to_sandbox
source: web
destinations: [sandbox]
owner: data
events: [contact_requested]
";
    let routing = dir.path().join("routing.yaml");
    let mut text = std::fs::read_to_string(&routing).expect("routing");
    text.push_str(sandbox);
    std::fs::write(&routing, text).expect("write");
    let (status, json) = check_json(dir.path());
    assert_eq!(status, 1);
    insta::assert_snapshot!(structured(&json, dir.path()));
}

/// `import` writes native files on which `check` finds what it finds on the source, but
/// for the constructs import reports as not carried over (`construct-unmapped`).
#[test]
fn an_imported_catalog_checks_as_its_source() {
    for (name, format, catalog) in [
        ("rudder-v0", "rudder", "tracking"),
        ("rudder-v1", "rudder", "tracking"),
        ("jsonschema", "jsonschema", "events"),
        ("iglu", "iglu", "registry"),
    ] {
        let source = example(name);
        let out = tempfile::tempdir().expect("temp dir");
        let imported = contrail()
            .args(["import", format])
            .arg(source.join(catalog))
            .arg("--out")
            .arg(out.path())
            .output()
            .expect("contrail runs");
        assert!(
            imported.status.code().is_some_and(|c| c < 2),
            "{name}: {}",
            String::from_utf8_lossy(&imported.stderr)
        );
        std::fs::copy(source.join("routing.yaml"), out.path().join("routing.yaml")).expect("copy");
        let findings = |dir: &std::path::Path| {
            let (_, json) = check_json(dir);
            let mut found: Vec<String> = json["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["code"] != "CT019")
                .map(|f| format!("{} {}", f["code"], f["message"]))
                .collect();
            found.sort();
            found
        };
        assert_eq!(findings(&source), findings(out.path()), "{name}");
    }
    // The imported files themselves, once (events with a rule are written with their rule).
    let out = tempfile::tempdir().expect("temp dir");
    let status = contrail()
        .args(["import", "rudder"])
        .arg(example("rudder-v1/tracking"))
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("contrail runs");
    assert_eq!(status.status.code(), Some(0));
    let mut files = Vec::new();
    for rel in [
        "contrail.yaml",
        "overlay.yaml",
        "catalog/properties.yaml",
        "catalog/tracking-plan.yaml",
    ] {
        let text =
            std::fs::read_to_string(out.path().join(rel)).unwrap_or_else(|e| format!("({e})"));
        files.push(format!("==> {rel}\n{text}"));
    }
    insta::assert_snapshot!(files.join("\n"));
}

/// The compiled schema of property `p` of a one-event JSON Schema catalog whose event
/// schema has `members` (with `properties: {p: ...}`), or the contract's findings when it
/// does not compile.
fn compiled_property(members: &str) -> Result<serde_json::Value, String> {
    let schema = format!("{{ \"title\": \"e\", \"type\": \"object\", {members} }}");
    let dir = temp_repo(
        "version: 1\ncatalogs: [{ format: jsonschema, path: events }]\nrules: { disable: [pii-unclassified] }\n",
        &[("events/e.json", schema.as_bytes())],
    );
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = contrail()
        .args(["compile", "--out"])
        .arg(out_dir.path())
        .arg(dir.path())
        .output()
        .expect("contrail runs");
    if out.status.code() != Some(0) {
        let (_, json) = check_json(dir.path());
        return Err(structured(&json, dir.path()));
    }
    let text = std::fs::read_to_string(out_dir.path().join("schemas/e.json")).expect("schema");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    Ok(serde_json::json!({
        "p": json["properties"]["p"],
        "required": json["required"],
        "additionalProperties": json["additionalProperties"],
    }))
}

/// One case per JSON Schema construct the issue names: what maps compiles to the same
/// meaning, what does not is a `construct-unmapped` finding naming it.
#[test]
fn each_json_schema_construct() {
    let mapped: &[(&str, &str, &str)] = &[
        (
            "type",
            r#""properties": {"p": {"type": "integer"}}"#,
            r#"{"type": "integer"}"#,
        ),
        (
            "nullable type",
            r#""properties": {"p": {"type": ["string", "null"]}}"#,
            r#"{"type": ["null", "string"]}"#,
        ),
        (
            "enum",
            r#""properties": {"p": {"type": "string", "enum": ["a", "b"]}}"#,
            r#"{"type": "string", "enum": ["a", "b"]}"#,
        ),
        (
            "const",
            r#""properties": {"p": {"const": 3}}"#,
            r#"{"type": "integer", "enum": [3]}"#,
        ),
        (
            "enum without type",
            r#""properties": {"p": {"enum": ["a", null]}}"#,
            r#"{"type": ["null", "string"], "enum": ["a", null]}"#,
        ),
        (
            "pattern",
            r#""properties": {"p": {"type": "string", "pattern": "^[a-z]+$"}}"#,
            r#"{"type": "string", "pattern": "^[a-z]+$"}"#,
        ),
        (
            "format",
            r#""properties": {"p": {"type": "string", "format": "uuid"}}"#,
            r#"{"type": "string", "format": "uuid"}"#,
        ),
        (
            "lengths",
            r#""properties": {"p": {"type": "string", "minLength": 1, "maxLength": 9}}"#,
            r#"{"type": "string", "minLength": 1, "maxLength": 9}"#,
        ),
        (
            "range",
            r#""properties": {"p": {"type": "number", "minimum": 0, "maximum": 5.5}}"#,
            r#"{"type": "number", "minimum": 0, "maximum": 5.5}"#,
        ),
        (
            "array items",
            r#""properties": {"p": {"type": "array", "items": {"type": "string", "maxLength": 3}, "maxItems": 2}}"#,
            r#"{"type": "array", "maxItems": 2, "items": {"type": "string", "maxLength": 3}}"#,
        ),
        (
            "local $ref to definitions",
            r##""definitions": {"d": {"type": "boolean"}}, "properties": {"p": {"$ref": "#/definitions/d"}}"##,
            r#"{"type": "boolean"}"#,
        ),
        (
            "local $ref to $defs",
            r##""$defs": {"d": {"type": "string", "minLength": 2}}, "properties": {"p": {"$ref": "#/$defs/d"}}"##,
            r#"{"type": "string", "minLength": 2}"#,
        ),
        (
            "oneOf of types",
            r#""properties": {"p": {"oneOf": [{"type": "string", "maxLength": 4}, {"type": "null"}]}}"#,
            r#"{"type": ["null", "string"], "maxLength": 4}"#,
        ),
        (
            "no type at all",
            r#""properties": {"p": {"description": "anything"}}"#,
            r#"{"type": ["array", "boolean", "null", "number", "object", "string"], "description": "anything"}"#,
        ),
    ];
    let mut failures = Vec::new();
    for (what, members, expected) in mapped {
        let expected: serde_json::Value = serde_json::from_str(expected).expect("expected JSON");
        match compiled_property(members) {
            Ok(got) if got["p"] == expected => {}
            other => failures.push(format!("{what}: expected {expected}, got {other:?}")),
        }
    }
    // The event's own keywords.
    for (what, members, required, open) in [
        (
            "required",
            r#""properties": {"p": {"type": "string"}}, "required": ["p"]"#,
            serde_json::json!(["p"]),
            serde_json::Value::Null,
        ),
        (
            "closed",
            r#""properties": {"p": {"type": "string"}}, "additionalProperties": false"#,
            serde_json::json!([]),
            serde_json::json!(false),
        ),
        // Open is JSON Schema's default, so the compiled schema leaves it out.
        (
            "open by default",
            r#""properties": {"p": {"type": "string"}}"#,
            serde_json::json!([]),
            serde_json::Value::Null,
        ),
    ] {
        match compiled_property(members) {
            Ok(got) if got["required"] == required && got["additionalProperties"] == open => {}
            other => failures.push(format!(
                "{what}: expected required {required}, additionalProperties {open}; got {other:?}"
            )),
        }
    }
    let unmapped: &[(&str, &str, &str)] = &[
        (
            "nested object",
            r#""properties": {"p": {"type": "object", "properties": {"q": {"type": "string"}}}}"#,
            "nested properties",
        ),
        (
            "oneOf of different shapes",
            r#""properties": {"p": {"oneOf": [{"type": "string", "maxLength": 2}, {"type": "integer", "minimum": 1}]}}"#,
            "`oneOf` with branches of different shapes",
        ),
        (
            "remote $ref",
            r#""properties": {"p": {"$ref": "https://example.com/p.json"}}"#,
            "remote `$ref`",
        ),
        (
            "tuple items",
            r#""properties": {"p": {"type": "array", "items": [{"type": "string"}]}}"#,
            "`items` as a list",
        ),
        (
            "allOf",
            r#""properties": {"p": {"allOf": [{"type": "string"}]}}"#,
            "`allOf` is not checked",
        ),
        (
            "schema under additionalProperties",
            r#""properties": {"p": {"type": "string"}}, "additionalProperties": {"type": "string"}"#,
            "a schema under `additionalProperties`",
        ),
        (
            "required of a property's object",
            r#""properties": {"p": {"type": "object", "required": ["q"]}}"#,
            "`required` of a property's own object is not checked",
        ),
        (
            "additionalProperties of a property's object",
            r#""properties": {"p": {"type": "object", "additionalProperties": false}}"#,
            "`additionalProperties` of a property's own object is not checked",
        ),
    ];
    for (what, members, message) in unmapped {
        match compiled_property(members) {
            Err(found)
                if found.contains("CT019 construct-unmapped")
                    && found.contains(message)
                    && !found.contains("CT007") => {}
            other => failures.push(format!(
                "{what}: expected CT019 naming {message}, got {other:?}"
            )),
        }
    }
    // A `required` that is not a list of names is wrong, not an empty list.
    for required in [r#""p""#, "[1]"] {
        match compiled_property(&format!(
            r#""properties": {{"p": {{"type": "string"}}}}, "required": {required}"#
        )) {
            Err(found)
                if found.contains("CT009 invalid-value")
                    && found.contains("`required` must be a list of property names") => {}
            other => failures.push(format!(
                "required {required}: expected CT009, got {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A schema that refers back to itself through `items` is reported once, naming it, and
/// the rest of the file is still checked (it overflowed the stack).
#[test]
fn a_recursive_schema_is_reported_not_expanded() {
    let body = r##""type": "object", "definitions": {"l": {"type": "array", "items": {"$ref": "#/definitions/l"}}}, "properties": {"x": {"$ref": "#/definitions/l"}, "y": {"type": "string", "allOf": []}}"##;
    let iglu = format!("{{ \"self\": {{ \"vendor\": \"com.acme\", \"name\": \"e\", \"format\": \"jsonschema\", \"version\": \"1-0-0\" }}, {body} }}");
    let plain = format!("{{ \"title\": \"e\", {body} }}");
    for (format, path, text) in [
        ("iglu", "registry/schemas/com.acme/e/jsonschema/1-0-0", iglu),
        ("jsonschema", "registry/e.json", plain),
    ] {
        let dir = temp_repo(
            &format!("version: 1\ncatalogs: [{{ format: {format}, path: registry }}]\n"),
            &[(path, text.as_bytes())],
        );
        let (_, json) = check_json(dir.path());
        let found = structured(&json, dir.path());
        assert!(
            found.contains("the recursive schema `#/definitions/l` is not checked"),
            "{format}: {found}"
        );
        assert!(
            found.contains("`allOf` is not checked"),
            "{format}: {found}"
        );
    }
}

/// `import` refuses a directory holding any file it would write (not only contrail.yaml),
/// and two source files that would become one native file, writing nothing either way.
#[test]
fn import_neither_overwrites_nor_loses_a_file() {
    let props = b"version: rudder/v0.1\nkind: properties\nmetadata: { name: g }\nspec:\n  properties:\n    - { id: sku, name: SKU, type: string, description: Stock unit }\n";
    let import = |src: &std::path::Path, out: &std::path::Path| {
        let run = contrail()
            .args(["import", "rudder"])
            .arg(src)
            .arg("--out")
            .arg(out)
            .output()
            .expect("contrail runs");
        (
            run.status.code(),
            String::from_utf8_lossy(&run.stderr).into_owned(),
        )
    };
    let src = temp_repo("version: 1\n", &[("a.yaml", props)]);
    std::fs::remove_file(src.path().join("contrail.yaml")).expect("remove");
    let out = tempfile::tempdir().expect("temp dir");
    std::fs::write(out.path().join("overlay.yaml"), "mine\n").expect("write");
    let (status, stderr) = import(src.path(), out.path());
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("overlay.yaml` already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.path().join("overlay.yaml")).expect("kept"),
        "mine\n"
    );
    assert!(!out.path().join("contrail.yaml").exists());

    std::fs::write(src.path().join("a.yml"), props).expect("write");
    let out = tempfile::tempdir().expect("temp dir");
    let (status, stderr) = import(src.path(), out.path());
    assert_eq!(status, Some(2), "{stderr}");
    assert!(
        stderr.contains("`a.yaml` and `a.yml` would both be written as `catalog/a.yaml`"),
        "{stderr}"
    );
    assert!(!out.path().join("contrail.yaml").exists());
}

/// Definitions that each refer twice to the next expand to 2^n: the expansion stops at a
/// bound with a finding (it ran for minutes).
#[test]
fn a_schema_expanding_without_bound_is_reported() {
    let levels = 24;
    let mut definitions: Vec<String> = (0..levels)
        .map(|i| {
            let next = format!(r##"{{"$ref": "#/definitions/l{}"}}"##, i + 1);
            format!(r#""l{i}": {{"type": "array", "items": {next}, "anyOf": [{{"type": "array", "items": {next}}}, {{"type": "null"}}]}}"#)
        })
        .collect();
    definitions.push(format!(r#""l{levels}": {{"type": "string"}}"#));
    let members = format!(
        r##""definitions": {{{}}}, "properties": {{"p": {{"$ref": "#/definitions/l0"}}}}"##,
        definitions.join(", ")
    );
    let found = compiled_property(&members).expect_err("not compiled");
    assert!(
        found.contains("the schema expands to more than 4096 references"),
        "{found}"
    );
}
