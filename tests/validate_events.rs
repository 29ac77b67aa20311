//! `contrail validate-events` on real-shaped traffic: every reason code, non-JSON lines,
//! gzip and stdin, several inputs, the accepted + rejected = lines invariant, Segment track
//! calls, the exit status, and the dry run (`--route`) on the flagship case.

mod common;

use std::io::Write;
use std::path::Path;

use common::{contrail, root};
use serde_json::{json, Value};

const CONTRACT: &str = "fixtures/validate/contract";

/// A valid checkout_started from the web.
fn checkout(properties: Value) -> Value {
    let mut p = json!({
        "cart_id": "4f1c2a8e-9b3d-4c6e-8a7f-2d5b1e9c0a34",
        "order_total": 42.5,
    });
    for (k, v) in properties.as_object().expect("an object") {
        p[k] = v.clone();
    }
    json!({"event": "checkout_started", "source": "web", "properties": p})
}

fn jsonl(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

struct Run {
    code: i32,
    summary: Value,
    dead: Vec<Value>,
    dir: tempfile::TempDir,
}

/// Runs validate-events on `events` (written to events.jsonl) with `--format json` and a
/// dead-letter file; `extra` args are appended.
fn validate(contract: &str, events: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("events.jsonl");
    std::fs::write(&input, events).expect("write");
    let dead = dir.path().join("dead.jsonl");
    let out = contrail()
        .args(["validate-events", contract, "--format", "json", "--events"])
        .arg(&input)
        .arg("--dead-letter")
        .arg(&dead)
        .args(extra)
        .current_dir(root())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Run {
        code: out.status.code().expect("exit code"),
        summary,
        dead: read_jsonl(&dead),
        dir,
    }
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The reasons of the only dead letter of a one-line run: (code, path, expected, actual, rule).
fn only_reasons(payload: Value) -> Vec<(String, String, String, Value, String)> {
    let run = validate(CONTRACT, &jsonl(&[payload]), &[]);
    assert_eq!(run.code, 1, "{}", run.summary);
    assert_eq!(run.dead.len(), 1, "{:?}", run.dead);
    run.dead[0]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| {
            (
                r["code"].as_str().expect("code").to_string(),
                r["path"].as_str().expect("path").to_string(),
                r["expected"].as_str().expect("expected").to_string(),
                r["actual"].clone(),
                r["rule"].as_str().expect("rule").to_string(),
            )
        })
        .collect()
}

fn codes(payload: Value) -> Vec<String> {
    only_reasons(payload).into_iter().map(|r| r.0).collect()
}

#[test]
fn a_valid_payload_is_accepted_and_the_run_exits_0() {
    let run = validate(
        CONTRACT,
        &jsonl(&[checkout(json!({"currency": "EUR"}))]),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.summary);
    assert_eq!(run.summary["accepted"], 1);
    assert_eq!(run.summary["rejected"], 0);
    assert!(run.dead.is_empty());
    // The contract has findings (coupon_hint is unclassified): traffic is validated anyway.
    assert!(run.summary["contract_findings"]["errors"].as_u64() > Some(0));
}

#[test]
fn unknown_event() {
    let r = only_reasons(json!({"event": "checkout_begun", "source": "web", "properties": {}}));
    assert_eq!(r[0].0, "unknown-event");
    assert_eq!(r[0].1, "/event");
    assert_eq!(r[0].3, json!("checkout_begun"));
}

#[test]
fn unknown_source_and_event_not_emitted_by_source() {
    let mut p = checkout(json!({}));
    p["source"] = json!("kiosk");
    assert_eq!(codes(p), ["unknown-source"]);
    let mut p = checkout(json!({}));
    p["source"] = json!("server");
    let r = only_reasons(p);
    assert_eq!(r[0].0, "event-not-emitted-by-source");
    assert_eq!(r[0].4, "Source server: events");
}

#[test]
fn missing_required_property() {
    let p = json!({"event": "checkout_started", "source": "web", "properties": {"order_total": 1}});
    let r = only_reasons(p);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].0, "missing-property");
    assert_eq!(r[0].1, "/properties/cart_id");
    assert_eq!(r[0].3, Value::Null);
    assert_eq!(r[0].4, "urn:contrail:event:checkout_started#/required");
}

#[test]
fn wrong_type() {
    let r = only_reasons(checkout(json!({"quantity": "3"})));
    assert_eq!(
        (r[0].0.as_str(), r[0].1.as_str(), r[0].2.as_str()),
        ("wrong-type", "/properties/quantity", "type integer")
    );
    assert_eq!(r[0].3, json!("string"));
    assert_eq!(
        r[0].4,
        "urn:contrail:event:checkout_started#/properties/quantity/type"
    );
}

#[test]
fn enum_pattern_format_range_and_length() {
    let r = only_reasons(checkout(json!({"currency": "GBP"})));
    assert_eq!((r[0].0.as_str(), &r[0].3), ("not-in-enum", &json!("GBP")));
    let r = only_reasons(checkout(json!({"promo_code": "save-10"})));
    assert_eq!(r[0].0, "pattern-mismatch");
    assert_eq!(r[0].2, "pattern ^[A-Z0-9]{4,8}$");
    let r = only_reasons(checkout(json!({"email": "not an email"})));
    assert_eq!(
        (r[0].0.as_str(), r[0].2.as_str()),
        ("format-mismatch", "format email")
    );
    let r = only_reasons(checkout(json!({"cart_id": "cart-1"})));
    assert_eq!(
        (r[0].0.as_str(), r[0].2.as_str()),
        ("format-mismatch", "format uuid")
    );
    let r = only_reasons(checkout(json!({"order_total": -1})));
    assert_eq!(
        (r[0].0.as_str(), r[0].2.as_str()),
        ("out-of-range", "at least 0")
    );
    let r = only_reasons(checkout(json!({"note": "a very long gift note"})));
    assert_eq!(
        (r[0].0.as_str(), r[0].2.as_str(), &r[0].3),
        ("length-out-of-range", "at most 10 characters", &json!(21))
    );
}

#[test]
fn unexpected_property_on_a_closed_event_but_not_on_an_open_one() {
    let r = only_reasons(checkout(json!({"coupon_code": "X"})));
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].0.as_str(), r[0].1.as_str(), &r[0].3),
        (
            "unexpected-property",
            "/properties/coupon_code",
            &json!("coupon_code")
        )
    );
    let open = json!({"event": "product_viewed", "source": "web",
                      "properties": {"product_id": "p1", "colour": "red"}});
    let run = validate(CONTRACT, &jsonl(&[open]), &[]);
    assert_eq!(run.code, 0, "{}", run.summary);
}

#[test]
fn removed_event_and_deprecated_event_past_its_sunset() {
    let r = only_reasons(json!({"event": "product_seen", "source": "web",
                                "properties": {"product_id": "p1"}}));
    assert_eq!(r[0].0, "event-removed");
    let r = only_reasons(json!({"event": "product_looked_at", "source": "web",
                                "properties": {"product_id": "p1"}}));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].0, "event-past-sunset");
    assert_eq!(
        r[0].2,
        "an event before its sunset 2020-01-31 (replaced by `product_viewed`)"
    );
}

#[test]
fn every_problem_of_a_payload_is_a_reason() {
    let p = json!({"event": "checkout_started", "source": "server",
                   "properties": {"order_total": "x", "currency": "GBP"}});
    let mut c = codes(p);
    c.sort();
    assert_eq!(
        c,
        [
            "event-not-emitted-by-source",
            "missing-property",
            "not-in-enum",
            "wrong-type"
        ]
    );
}

#[test]
fn lines_that_are_not_json_or_not_a_call_are_dead_lettered_never_fatal() {
    let good = checkout(json!({})).to_string();
    let events = format!(
        "{good}\n{{\"event\": \"checkout_started\", truncated\n\n[1, 2]\n\
         {{\"type\": \"identify\", \"userId\": \"u1\"}}\n\
         {{\"schema\": \"iglu:com.acme/checkout/jsonschema/1-0-0\", \"data\": {{}}}}\n{good}\n"
    );
    let run = validate(CONTRACT, &events, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.summary["lines"], 7);
    assert_eq!(run.summary["accepted"], 2);
    assert_eq!(run.summary["rejected"], 5);
    let lines: Vec<u64> = run
        .dead
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3, 4, 5, 6]);
    // The raw text, as a JSON string, with the parse error.
    assert_eq!(
        run.dead[0]["payload"],
        json!("{\"event\": \"checkout_started\", truncated")
    );
    assert_eq!(run.dead[0]["reasons"][0]["code"], "not-json");
    assert!(run.dead[0]["reasons"][0]["actual"]
        .as_str()
        .unwrap()
        .contains("line 1 column"));
    assert_eq!(run.dead[1]["payload"], json!(""));
    assert_eq!(run.dead[1]["reasons"][0]["actual"], "an empty line");
    assert_eq!(run.dead[2]["reasons"][0]["code"], "not-a-tracking-call");
    assert_eq!(run.dead[3]["reasons"][0]["path"], "/type");
    // The Iglu adapter reads registries as catalogs; payloads are not mapped to their events.
    let snowplow = run.dead[4]["reasons"][0]["expected"].as_str().unwrap();
    assert!(snowplow.contains("Snowplow"), "{snowplow}");
    assert!(snowplow.contains("`format: iglu`"), "{snowplow}");
    assert!(!snowplow.contains("no Iglu adapter"), "{snowplow}");
    assert_eq!(run.summary["reasons"]["not-json"], 2);
}

#[test]
fn dead_letters_keep_the_payload_byte_for_byte() {
    // Spacing, key order and number spelling are the sender's.
    let raw = r#"{ "properties": {"order_total": 1.50e1, "cart_id": "x"},  "event":"checkout_started", "source":"web" }"#;
    let run = validate(CONTRACT, &format!("{raw}\r\n"), &[]);
    let text = std::fs::read_to_string(run.dir.path().join("dead.jsonl")).unwrap();
    assert!(
        text.starts_with(&format!("{{\"line\":1,\"payload\":{raw},\"reasons\":[")),
        "{text}"
    );
}

#[test]
fn segment_and_rudderstack_track_calls_are_read_as_they_are() {
    let track = |properties: Value| {
        json!({
            "type": "track", "event": "checkout_started", "properties": properties,
            "context": {"library": {"name": "analytics.js"}, "ip": "203.0.113.9"},
            "anonymousId": "a1", "userId": "u1", "messageId": "m1",
            "timestamp": "2026-12-01T10:00:00Z"
        })
    };
    let ok = track(json!({"cart_id": "4f1c2a8e-9b3d-4c6e-8a7f-2d5b1e9c0a34", "order_total": 3}));
    let bad = track(json!({"order_total": 3}));
    let run = validate(CONTRACT, &jsonl(&[ok.clone(), bad]), &[]);
    assert_eq!(run.summary["accepted"], 1);
    assert_eq!(run.dead.len(), 1);
    assert_eq!(run.dead[0]["reasons"][0]["path"], "/properties/cart_id");
    // A track call names no source: `--source` says which it is, and is checked.
    let run = validate(CONTRACT, &jsonl(&[ok]), &["--source", "server"]);
    assert_eq!(
        run.dead[0]["reasons"][0]["code"],
        "event-not-emitted-by-source"
    );
}

#[test]
fn accepted_lines_are_written_unchanged_and_the_counts_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!("{}  ", checkout(json!({"note": "hi"})));
    let events = format!("{good}\nnot json\n{good}\n");
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, &events).unwrap();
    let accepted = dir.path().join("accepted.jsonl");
    let out = contrail()
        .args(["validate-events", CONTRACT, "--format", "json", "--events"])
        .arg(&input)
        .arg("--accepted")
        .arg(&accepted)
        .current_dir(root())
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(&accepted).unwrap();
    assert_eq!(text, format!("{0}\n{0}\n", good.trim_end()));
    assert_eq!(summary["lines"], 3);
    let sum = summary["accepted"].as_u64().unwrap() + summary["rejected"].as_u64().unwrap();
    assert_eq!(sum, 3);
    assert_eq!(summary["inputs"][0]["lines"], 3);
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn gzip_stdin_and_several_inputs_with_file_names_in_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let good = checkout(json!({}));
    let bad = checkout(json!({"currency": "GBP"}));
    let gz = dir.path().join("day1.jsonl.gz");
    std::fs::write(&gz, gzip(&jsonl(&[good.clone(), bad.clone()]))).unwrap();
    let dead = dir.path().join("dead.jsonl");
    let out = contrail()
        .args(["validate-events", CONTRACT, "--format", "json"])
        .arg("--events")
        .arg(&gz)
        .args(["--events", "-", "--dead-letter"])
        .arg(&dead)
        .write_stdin(jsonl(&[bad, good]))
        .current_dir(root())
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(summary["lines"], 4);
    assert_eq!(summary["inputs"][0]["lines"], 2);
    assert_eq!(summary["inputs"][1]["file"], "stdin");
    let records = read_jsonl(&dead);
    let at: Vec<(String, u64)> = records
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        at,
        [(gz.display().to_string(), 2), ("stdin".to_string(), 1)]
    );
}

#[test]
fn the_exit_status_follows_the_max_rejection_rate() {
    let lines = jsonl(&[
        checkout(json!({})),
        checkout(json!({})),
        checkout(json!({})),
        checkout(json!({"currency": "GBP"})),
    ]);
    assert_eq!(validate(CONTRACT, &lines, &[]).code, 1);
    assert_eq!(
        validate(CONTRACT, &lines, &["--max-rejection-rate", "0.25"]).code,
        0
    );
    assert_eq!(
        validate(CONTRACT, &lines, &["--max-rejection-rate", "0.2"]).code,
        1
    );
    let out = contrail()
        .args([
            "validate-events",
            CONTRACT,
            "--events",
            "x",
            "--max-rejection-rate",
            "5",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0.0 and 1.0"));
}

#[test]
fn an_input_that_cannot_be_read_is_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("broken.jsonl.gz");
    std::fs::write(&gz, b"not gzip at all").unwrap();
    let dead = dir.path().join("dead.jsonl");
    let out = contrail()
        .args(["validate-events", CONTRACT, "--events"])
        .arg(&gz)
        .arg("--dead-letter")
        .arg(&dead)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.jsonl.gz"));
    assert!(!dead.exists());
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file is left");
    let out = contrail()
        .args(["validate-events", CONTRACT, "--events", "no/such.jsonl"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `no/such.jsonl`"));
}

#[test]
fn a_contract_that_does_not_load_is_exit_2() {
    let out = contrail()
        .args(["validate-events", "no/such/dir", "--events", "-"])
        .write_stdin("")
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_human_summary_escapes_names_from_traffic() {
    let hostile = json!({"event": "product_viewed", "source": "web",
                         "properties": {"product_id": "p", "\u{1b}]0;pwned\u{7}": 1}});
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        jsonl(&[hostile, checkout(json!({"currency": "GBP"}))]),
    )
    .unwrap();
    let out = contrail()
        .args(["validate-events", CONTRACT, "--route", "--events"])
        .arg(&input)
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("\\u{1b}]0;pwned\\u{7}"), "{text}");
    insta::assert_snapshot!("human_summary", text);
}

/// The flagship head: `coupon_hint` is unclassified and `web_sandbox` routes checkout
/// events to the non-production `ad_sandbox`. `check` flags it from the contract; the dry
/// run flags it on the traffic that carries it, and only there.
#[test]
fn the_dry_run_flags_an_unclassified_property_reaching_the_nonprod_destination() {
    let head = "fixtures/compat/flagship/head";
    let base = json!({"basket_id": "4f1c2a8e-9b3d-4c6e-8a7f-2d5b1e9c0a34", "order_total": 10,
                      "email": "a@example.com"});
    let mut with_hint = base.clone();
    with_hint["coupon_hint"] = json!("WELCOME10");
    let call = |p: &Value| json!({"event": "checkout_started", "source": "web", "properties": p});
    let dir = tempfile::tempdir().unwrap();
    let deliveries = dir.path().join("deliveries.jsonl");
    let run = validate(
        head,
        &jsonl(&[call(&base), call(&with_hint)]),
        &["--route", "--deliveries", deliveries.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.summary);
    assert_eq!(run.summary["accepted"], 2);
    let route = &run.summary["route"];
    assert_eq!(route["payloads_with_violations"], 1);
    let v = &route["violations"];
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["code"], "CT202");
    assert_eq!(v[0]["rule"], "pii-in-nonprod");
    assert_eq!(v[0]["property"], "coupon_hint");
    assert_eq!(v[0]["destination"], "ad_sandbox");
    assert_eq!(v[0]["first"], json!({"line": 2}));
    assert_eq!(route["destinations"]["ad_sandbox"]["deliveries"], 2);
    assert_eq!(route["destinations"]["warehouse"]["deliveries"], 2);
    // The sandbox gets no email (drop_email), the warehouse does.
    let records = read_jsonl(&deliveries);
    assert_eq!(records.len(), 2);
    let to = |r: &Value, d: &str| {
        r["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["destination"] == d)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        to(&records[1], "ad_sandbox")["properties"],
        json!({"basket_id": "plain", "coupon_hint": "plain", "order_total": "plain"})
    );
    assert_eq!(
        to(&records[1], "ad_sandbox")["violations"],
        json!([{"property": "coupon_hint", "code": "CT202", "rule": "pii-in-nonprod"}])
    );
    assert_eq!(to(&records[0], "warehouse")["properties"]["email"], "plain");
}

#[test]
fn unplanned_properties_are_reported_with_the_destinations_they_reach() {
    let p = json!({"event": "product_viewed", "source": "web",
                   "properties": {"product_id": "p1", "colour": "red", "email": "a@b.example"}});
    let run = validate(CONTRACT, &jsonl(&[p.clone(), p]), &["--route"]);
    let route = &run.summary["route"];
    let unplanned = route["unplanned"].as_array().unwrap();
    let rows: Vec<(String, Value, Value)> = unplanned
        .iter()
        .map(|u| {
            (
                u["property"].as_str().unwrap().to_string(),
                u["destinations"].clone(),
                u["payloads"].clone(),
            )
        })
        .collect();
    // `email` is a declared property (not of this event): drop_email takes it out of the
    // sandbox; `colour` is declared nowhere and reaches both.
    assert_eq!(
        rows,
        [
            (
                "colour".into(),
                json!(["ad_sandbox", "warehouse"]),
                json!(2)
            ),
            ("email".into(), json!(["warehouse"]), json!(2)),
        ]
    );
    // Unclassified in a non-production destination: the same rule as a declared one.
    let v = &route["violations"];
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(
        (&v[0]["property"], &v[0]["destination"], &v[0]["planned"]),
        (&json!("colour"), &json!("ad_sandbox"), &json!(false))
    );
    assert_eq!(run.code, 1);
}

#[test]
fn without_route_no_dry_run_is_reported() {
    let run = validate(
        CONTRACT,
        &jsonl(&[checkout(json!({"coupon_hint": "X"}))]),
        &[],
    );
    assert_eq!(run.code, 0);
    assert!(run.summary.get("route").is_none());
}

/// Every output of a run with `--route` and `--base BASE`, with `threads` threads.
fn run_threads(threads: &str, input: &Path, out: &Path, base: &Path) -> Vec<u8> {
    let mut files = Vec::new();
    for name in ["dead", "accepted", "deliveries"] {
        files.push(out.join(format!("{name}-{threads}.jsonl")));
    }
    let output = contrail()
        .env("RAYON_NUM_THREADS", threads)
        .args([
            "validate-events",
            CONTRACT,
            "--route",
            "--format",
            "json",
            "--events",
        ])
        .arg(input)
        .arg("--dead-letter")
        .arg(&files[0])
        .arg("--accepted")
        .arg(&files[1])
        .arg("--deliveries")
        .arg(&files[2])
        .arg("--base")
        .arg(base)
        .current_dir(root())
        .output()
        .unwrap();
    let mut all = output.stdout;
    for f in files {
        all.extend(std::fs::read(f).unwrap());
    }
    all
}

#[test]
fn outputs_are_identical_with_one_and_two_threads_and_keep_the_input_order() {
    // Over two batches, a mix of accepted and rejected lines.
    let mut lines = Vec::new();
    for i in 0..6000 {
        let mut p = checkout(json!({"quantity": i}));
        match i % 7 {
            0 => p["properties"]["currency"] = json!("GBP"),
            1 => p["properties"]["coupon_hint"] = json!(format!("C{i}")),
            2 => {
                p = json!({"event": "product_viewed", "source": "web",
                            "properties": {"product_id": format!("p{i}"), format!("x{}", i % 5): 1}})
            }
            _ => {}
        }
        lines.push(p);
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, jsonl(&lines)).unwrap();
    // A base that takes GBP: the comparison is in the summary compared too.
    let base = dir.path().join("base");
    common::copy_dir(&root().join(CONTRACT), &base);
    common::edit(
        &base.join("properties.yaml"),
        "enum: [EUR, USD]",
        "enum: [EUR, USD, GBP]",
    );
    let one = run_threads("1", &input, dir.path(), &base);
    let two = run_threads("2", &input, dir.path(), &base);
    assert!(one == two, "outputs differ between 1 and 2 threads");
    let summary: Value = serde_json::Deserializer::from_slice(&two)
        .into_iter()
        .next()
        .and_then(Result::ok)
        .unwrap();
    assert_eq!(summary["base"]["newly_rejected"], 6000 / 7 + 1);
    let dead = read_jsonl(&dir.path().join("dead-2.jsonl"));
    let order: Vec<u64> = dead.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted);
    assert_eq!(dead.len(), 6000 / 7 + 1);
}

/// Flagship traffic: the head renamed `cart_id` to `basket_id` and routes checkout events
/// from the web to the sandbox too.
fn flagship_traffic() -> String {
    let id = "4f1c2a8e-9b3d-4c6e-8a7f-2d5b1e9c0a34";
    let call = |p: Value| json!({"event": "checkout_started", "source": "web", "properties": p});
    jsonl(&[
        call(json!({"cart_id": id, "order_total": 10})),
        call(json!({"basket_id": id, "order_total": 10, "email": "a@example.com"})),
        call(json!({"basket_id": id, "order_total": 10})),
        call(json!({"basket_id": id, "order_total": "ten"})),
        json!("not a call"),
    ])
}

#[test]
fn base_shows_what_the_change_does_differently_to_the_same_traffic() {
    let run = validate(
        "fixtures/compat/flagship/head",
        &flagship_traffic(),
        &["--route", "--base", "fixtures/compat/flagship/base"],
    );
    let base = &run.summary["base"];
    assert_eq!(base["base"], "fixtures/compat/flagship/base");
    assert_eq!(base["commit"], Value::Null);
    // Line 1 was valid (cart_id), lines 2 and 3 were not (no cart_id); 4 and 5 never were.
    assert_eq!(base["newly_rejected"], 1, "{base}");
    assert_eq!(base["newly_accepted"], 2, "{base}");
    assert_eq!(
        base["events"]["checkout_started"],
        json!({"newly_rejected": 1, "newly_accepted": 2})
    );
    assert_eq!(
        base["newly_rejected_reasons"],
        json!({"missing-property": 1, "unexpected-property": 1})
    );
    for destination in ["warehouse", "ad_sandbox"] {
        assert_eq!(
            base["destinations"][destination],
            json!({"newly_delivered": 2, "no_longer_delivered": 1}),
            "{destination}: {base}"
        );
    }
    assert_eq!(base["properties"], json!([]));
    // The exit status and every other count are the head's own.
    assert_eq!(run.summary["accepted"], 2);
    assert_eq!(run.dead.len(), 3);
}

#[test]
fn base_shows_properties_that_arrive_differently_where_both_deliver() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    common::copy_dir(&root().join("fixtures/compat/flagship/head"), &base);
    common::edit(
        &base.join("routing.yaml"),
        "  - drop: email",
        "  - hash: email",
    );
    let run = validate(
        "fixtures/compat/flagship/head",
        &flagship_traffic(),
        &["--route", "--base", base.to_str().unwrap()],
    );
    let b = &run.summary["base"];
    assert_eq!(b["newly_rejected"], 0);
    assert_eq!(b["newly_accepted"], 0);
    assert_eq!(b["destinations"], json!({}));
    assert_eq!(
        b["properties"],
        json!([{"destination": "ad_sandbox", "property": "email", "base": "hashed",
                "head": null, "payloads": 1, "first": {"line": 2}}])
    );
    // Without --route only the verdicts are compared.
    let run = validate(
        "fixtures/compat/flagship/head",
        &flagship_traffic(),
        &["--base", base.to_str().unwrap()],
    );
    assert_eq!(run.summary["base"]["properties"], json!([]));
    assert!(run.summary.get("route").is_none());
}

#[test]
fn base_reads_a_git_revision_as_check_does_and_shows_it_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    common::git(repo, &["init", "-q"]);
    common::copy_dir(&root().join("fixtures/compat/flagship/base"), repo);
    common::git(repo, &["add", "."]);
    common::git(repo, &["commit", "-qm", "base"]);
    let commit = common::git(repo, &["rev-parse", "HEAD"]);
    common::copy_dir(&root().join("fixtures/compat/flagship/head"), repo);
    let input = repo.join("traffic.jsonl");
    std::fs::write(&input, flagship_traffic()).unwrap();
    let out = contrail()
        .args([
            "validate-events",
            ".",
            "--route",
            "--base",
            "HEAD",
            "--events",
        ])
        .arg(&input)
        .current_dir(repo)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    let short = &commit[..12];
    assert!(
        text.contains(&format!(
            "against the base `HEAD` (commit {short}): 1 newly rejected, 2 newly accepted"
        )),
        "{text}"
    );
    assert!(
        text.contains("destination  newly delivered  no longer delivered"),
        "{text}"
    );
    let out = contrail()
        .args([
            "validate-events",
            ".",
            "--base",
            "no-such-rev",
            "--events",
            "-",
        ])
        .write_stdin("")
        .current_dir(repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`no-such-rev` does not exist"));
}

#[test]
fn an_event_whose_schema_cannot_be_built_rejects_its_payloads_with_schema_unusable() {
    // `regex` has no look-ahead: the pattern loads, but the schema cannot be built.
    let dir = tempfile::tempdir().unwrap();
    let contract = dir.path().join("contract");
    common::copy_dir(&root().join(CONTRACT), &contract);
    common::edit(
        &contract.join("properties.yaml"),
        r#"pattern: "^[A-Z0-9]{4,8}$""#,
        r#"pattern: "^(?=[A-Z])[A-Z0-9]{4,8}$""#,
    );
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, jsonl(&[checkout(json!({}))])).unwrap();
    let dead = dir.path().join("dead.jsonl");
    let out = contrail()
        .args(["validate-events", "--format", "json", "--events"])
        .arg(&input)
        .arg("--dead-letter")
        .arg(&dead)
        .arg(&contract)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: the schema of event `checkout_started` cannot be built"),
        "{stderr}"
    );
    let dead = read_jsonl(&dead);
    assert_eq!(dead[0]["reasons"][0]["code"], "schema-unusable");
    assert_eq!(dead[0]["reasons"][0]["path"], "/properties");
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let lines: Vec<Value> = (0..20_000).map(|_| checkout(json!({}))).collect();
    let run = contrail()
        .args(["validate-events", CONTRACT, "--events", "-"])
        .write_stdin(jsonl(&lines))
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&run.stderr), "");
}

#[test]
fn a_line_longer_than_max_line_bytes_is_dead_lettered_and_the_next_line_is_read() {
    let good = checkout(json!({})).to_string();
    let long = format!("{{\"event\": \"{}\"}}", "x".repeat(2000));
    // The last line has no newline: its end is the end of the file.
    let events = format!("{good}\n{long}\n{good}\n{long}");
    let run = validate(CONTRACT, &events, &["--max-line-bytes", "1000"]);
    assert_eq!(run.code, 1, "{}", run.summary);
    assert_eq!(run.summary["lines"], 4);
    assert_eq!(run.summary["accepted"], 2);
    assert_eq!(run.summary["rejected"], 2);
    assert_eq!(run.summary["reasons"]["line-too-long"], 2);
    let lines: Vec<u64> = run
        .dead
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 4]);
    for dead in &run.dead {
        // The first 256 bytes, as a JSON string; the length read is the actual.
        assert_eq!(dead["payload"], json!(long[..256]));
        assert_eq!(dead["reasons"][0]["code"], "line-too-long");
        assert_eq!(dead["reasons"][0]["actual"], long.len());
        assert_eq!(dead["reasons"][0]["expected"], "at most 1000 bytes");
    }
    // A line of exactly the limit is read whole.
    let exact = validate(
        CONTRACT,
        &format!("{good}\n"),
        &["--max-line-bytes", &good.len().to_string()],
    );
    assert_eq!(exact.code, 0, "{}", exact.summary);
}

#[test]
fn the_human_summary_never_shows_a_rate_above_the_limit_as_equal_to_it() {
    let mut lines = vec![checkout(json!({})); 100];
    lines.push(checkout(json!({"currency": "GBP"})));
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("events.jsonl");
    std::fs::write(&input, jsonl(&lines)).expect("write");
    let out = contrail()
        .args([
            "validate-events",
            CONTRACT,
            "--max-rejection-rate",
            "0.0099",
            "--events",
        ])
        .arg(&input)
        .current_dir(root())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // 1 in 101 is 0.990099 %: at two decimals both would read 0.99 %.
    assert!(
        stdout.contains("1 rejected (0.9901 % rejected, at most 0.9900 % allowed)"),
        "{stdout}"
    );
}

/// One valid payload in `dir`, validated with `--dead-letter DEAD --accepted ACCEPTED`:
/// the exit code and stderr.
fn two_outputs(dir: &Path, dead: &Path, accepted: &Path) -> (Option<i32>, String) {
    let input = dir.join("events.jsonl");
    std::fs::write(&input, jsonl(&[checkout(json!({}))])).expect("write");
    let out = contrail()
        .args(["validate-events", CONTRACT, "--events"])
        .arg(&input)
        .arg("--dead-letter")
        .arg(dead)
        .arg("--accepted")
        .arg(accepted)
        .current_dir(root())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code(), stderr)
}

#[test]
fn the_same_path_for_two_outputs_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_path = dir.path().join("out.jsonl");
    let same = dir.path().join(".").join("out.jsonl");
    let (code, stderr) = two_outputs(dir.path(), &out_path, &same);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("`--dead-letter` and `--accepted` name the same file"),
        "{stderr}"
    );
    assert!(!out_path.exists());
}

#[test]
fn an_output_that_cannot_be_replaced_is_exit_2_and_says_what_was_already_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A directory: its temporary file can be written beside it, but not renamed over it.
    let accepted = dir.path().join("accepted");
    std::fs::create_dir(&accepted).expect("mkdir");
    let dead = dir.path().join("dead.jsonl");
    let (code, stderr) = two_outputs(dir.path(), &dead, &accepted);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(stderr.contains("note: already written: `"), "{stderr}");
    assert!(dead.exists());
}
