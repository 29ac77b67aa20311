//! `contrail compile` on the shop example: snapshots, valid draft 2020-12 schemas that
//! accept a matching payload and reject a wrong one, byte-identical output.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{contrail, root};
use serde_json::{json, Value};

fn compile(out: &Path, threads: &str) {
    contrail()
        .env("RAYON_NUM_THREADS", threads)
        .args(["compile", "fixtures/examples/shop", "--out"])
        .arg(out)
        .current_dir(root())
        .assert()
        .success();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shop's events: every one is active, so each has a schema.
const SHOP_EVENTS: usize = 39;

/// The schemas `compile` wrote into `out`, sorted: exactly one per event of the catalog that
/// is not removed, so a test over them cannot pass on an empty or partial folder.
fn schemas(out: &Path) -> Vec<PathBuf> {
    let catalog: Value = serde_json::from_str(&read(&out.join("catalog.json"))).expect("JSON");
    let expected: BTreeSet<String> = catalog["events"]
        .as_object()
        .expect("events")
        .iter()
        .filter(|(_, e)| e["lifecycle"] != "removed")
        .map(|(name, _)| format!("{name}.json"))
        .collect();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(out.join("schemas"))
        .expect("schemas dir")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let written: BTreeSet<String> = paths
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        written, expected,
        "one schema per event that is not removed"
    );
    assert_eq!(paths.len(), SHOP_EVENTS);
    paths
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .expect("schema compiles")
}

#[test]
fn shop_compiles_to_snapshotted_artifacts() {
    let out = tempfile::tempdir().expect("temp dir");
    compile(out.path(), "2");
    insta::assert_snapshot!("shop_catalog", read(&out.path().join("catalog.json")));
    insta::assert_snapshot!("shop_routing", read(&out.path().join("routing.json")));
    insta::assert_snapshot!(
        "shop_checkout_started_schema",
        read(&out.path().join("schemas/checkout_started.json"))
    );
}

#[test]
fn every_event_schema_is_valid_draft_2020_12() {
    let out = tempfile::tempdir().expect("temp dir");
    compile(out.path(), "2");
    for path in schemas(out.path()) {
        let schema: Value = serde_json::from_str(&read(&path)).expect("JSON");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
            panic!("{} is not a valid 2020-12 schema: {e}", path.display());
        }
        validator(&schema);
    }
}

#[test]
fn checkout_started_schema_accepts_a_real_payload_and_rejects_a_wrong_one() {
    let out = tempfile::tempdir().expect("temp dir");
    compile(out.path(), "2");
    let schema: Value =
        serde_json::from_str(&read(&out.path().join("schemas/checkout_started.json")))
            .expect("JSON");
    let validator = validator(&schema);
    let good = json!({
        "anonymous_id": "0b5c3f7e-8d7a-4f43-9a55-2f6f0a1c9e21",
        "session_id": "6f1d2a4b-3c5e-4f70-8a91-b2c3d4e5f607",
        "platform": "web",
        "cart_id": "a3f1c2d4-5b6e-4a70-8c91-d2e3f4a5b6c7",
        "checkout_id": "c0ffee00-1234-4abc-8def-0123456789ab",
        "cart_value": 89.9,
        "cart_item_count": 3,
        "currency": "EUR",
        "product_ids": ["P00012345", "P00067890"],
        "email": "ana@example.com"
    });
    let errors: Vec<String> = validator
        .iter_errors(&good)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    let mut missing_cart = good.clone();
    missing_cart
        .as_object_mut()
        .expect("object")
        .remove("cart_id");
    assert!(!validator.is_valid(&missing_cart), "cart_id is required");

    let wrong = [
        ("cart_item_count", json!("3")),
        ("currency", json!("USD")),
        ("product_ids", json!(["12345"])),
        ("email", json!("not an email")),
        ("cartId", json!("a3f1c2d4-5b6e-4a70-8c91-d2e3f4a5b6c7")),
    ];
    for (key, value) in wrong {
        let mut payload = good.clone();
        payload[key] = value;
        assert!(!validator.is_valid(&payload), "{key} should be rejected");
    }
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let one = tempfile::tempdir().expect("temp dir");
    let two = tempfile::tempdir().expect("temp dir");
    compile(one.path(), "1");
    compile(two.path(), "2");
    let relative = |out: &Path| -> Vec<PathBuf> {
        schemas(out)
            .iter()
            .map(|p| p.strip_prefix(out).expect("inside out").to_path_buf())
            .collect()
    };
    let names = relative(one.path());
    assert_eq!(names, relative(two.path()));
    let mut files = vec![PathBuf::from("catalog.json"), PathBuf::from("routing.json")];
    files.extend(names);
    for name in files {
        assert_eq!(
            read(&one.path().join(&name)),
            read(&two.path().join(&name)),
            "{}",
            name.display()
        );
    }
}

#[test]
fn a_contract_with_errors_is_not_compiled() {
    let repo = common::temp_repo(
        "version: 1\n",
        &[(
            "a.yaml",
            b"kind: Event\nname: e\nproperties: [{ref: nope}]\n",
        )],
    );
    let out = repo.path().join("out");
    contrail()
        .args(["compile", "--out"])
        .arg(&out)
        .arg(repo.path())
        .assert()
        .code(1);
    assert!(!out.join("catalog.json").exists());
}

/// A value the property schema accepts. Patterns map to samples written by hand, so a new
/// pattern in the shop fails here until it has one.
fn sample(schema: &Value) -> Value {
    const PATTERNS: &[(&str, &str)] = &[
        ("^P[0-9]{8}$", "P00012345"),
        ("^[0-9]+\\.[0-9]+\\.[0-9]+$", "4.12.0"),
        ("^[A-Z0-9-]{6,20}$", "GIFT-2026"),
        ("^\\+[1-9][0-9]{7,14}$", "+4915112345678"),
        ("^CUS[0-9]{9}$", "CUS000123456"),
        ("^ST[0-9]{4}$", "ST0042"),
        ("^ORD-[0-9]{10}$", "ORD-0000012345"),
        ("^[a-z]{2}-[A-Z]{2}$", "de-DE"),
        ("^[A-Z0-9]{4,20}$", "SPRING10"),
        ("^RW-[A-Z0-9]{6}$", "RW-ABC123"),
        ("^SHP-[0-9]{10}$", "SHP-0000054321"),
        ("^[a-z_]+:[A-Za-z0-9_ -]+$", "category:Shoes"),
        ("^[0-9]{16}$", "1234567812345678"),
    ];
    if let Some(values) = schema["enum"].as_array() {
        return values[0].clone();
    }
    if let Some(pattern) = schema["pattern"].as_str() {
        let found = PATTERNS.iter().find(|(p, _)| *p == pattern);
        let (_, value) = found.unwrap_or_else(|| panic!("add a sample for pattern {pattern}"));
        return json!(value);
    }
    let ty = match &schema["type"] {
        Value::Array(types) => types
            .iter()
            .find(|t| *t != "null")
            .cloned()
            .unwrap_or(Value::Null),
        t => t.clone(),
    };
    match ty.as_str() {
        Some("string") => match schema["format"].as_str() {
            Some("uuid") => json!("0b5c3f7e-8d7a-4f43-9a55-2f6f0a1c9e21"),
            Some("email") => json!("ana@example.com"),
            Some("uri") => json!("https://shop.example.com/p/1"),
            Some("date-time") => json!("2026-11-29T10:15:00Z"),
            Some("date") => json!("2026-11-29"),
            Some("ipv4") => json!("192.0.2.10"),
            Some(other) => panic!("add a sample for format {other}"),
            None => json!("x".repeat(schema["minLength"].as_u64().unwrap_or(1).max(1) as usize)),
        },
        Some("integer") => json!(schema["minimum"].as_i64().unwrap_or(1)),
        Some("number") => json!(schema["minimum"].as_f64().unwrap_or(0.0) + 1.0),
        Some("boolean") => json!(true),
        Some("array") => {
            let n = schema["minItems"].as_u64().unwrap_or(1).max(1) as usize;
            Value::Array(vec![sample(&schema["items"]); n])
        }
        Some("object") => json!({}),
        _ => Value::Null,
    }
}

#[test]
fn every_event_schema_accepts_a_matching_payload_and_rejects_wrong_ones() {
    let out = tempfile::tempdir().expect("temp dir");
    compile(out.path(), "2");
    for path in schemas(out.path()) {
        let schema: Value = serde_json::from_str(&read(&path)).expect("JSON");
        let validator = validator(&schema);
        let properties = schema["properties"].as_object().expect("properties");
        let payload: serde_json::Map<String, Value> = properties
            .iter()
            .map(|(name, s)| (name.clone(), sample(s)))
            .collect();
        let payload = Value::Object(payload);
        let errors: Vec<String> = validator
            .iter_errors(&payload)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());

        let mut undeclared = payload.clone();
        undeclared["not_in_the_plan"] = json!(1);
        assert!(
            !validator.is_valid(&undeclared),
            "{}: closed model",
            path.display()
        );
        if let Some(first) = schema["required"].as_array().and_then(|r| r.first()) {
            let mut missing = payload.clone();
            missing
                .as_object_mut()
                .expect("object")
                .remove(first.as_str().expect("name"));
            assert!(
                !validator.is_valid(&missing),
                "{}: `{first}` is required",
                path.display()
            );
        }
        let (name, _) = properties.iter().next().expect("a property");
        let mut wrong_type = payload.clone();
        wrong_type[name] = json!({"wrong": "type"});
        assert!(
            !validator.is_valid(&wrong_type),
            "{}: `{name}` has a type",
            path.display()
        );
    }
}

#[test]
fn removed_properties_are_neither_delivered_nor_accepted() {
    let plan: &[u8] = b"kind: Property\nname: fax\ntype: string\npii: none\nlifecycle: removed\n---
kind: Property\nname: sku\ntype: string\npii: none\n---
kind: Property\nname: legacy\ntype: string\npii: none\n---
kind: Event\nname: ordered\nproperties: [{ref: sku}, {ref: fax}, {ref: legacy, lifecycle: removed}]\n---
kind: Source\nname: web\nplatform: web\nevents: ['*']\n---
kind: Destination\nname: wh\ntype: warehouse\nenvironment: prod\n---
kind: Pipeline\nname: p\nsource: web\ndestinations: [wh]\nevents: ['*']\n";
    let repo = common::temp_repo("version: 1\n", &[("plan.yaml", plan)]);
    let out = repo.path().join("out");
    contrail()
        .args(["compile", "--out"])
        .arg(&out)
        .arg(repo.path())
        .assert()
        .success();
    let catalog: Value = serde_json::from_str(&read(&out.join("catalog.json"))).expect("JSON");
    assert_eq!(catalog["flows"][0]["properties"], json!(["sku"]));
    let schema: Value =
        serde_json::from_str(&read(&out.join("schemas/ordered.json"))).expect("JSON");
    let names: Vec<&String> = schema["properties"]
        .as_object()
        .expect("object")
        .keys()
        .collect();
    assert_eq!(names, ["sku"]);
}
