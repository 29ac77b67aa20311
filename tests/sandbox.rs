//! The policy sandbox: what a Rego policy from a pull request can reach, and what stops a
//! runaway one. Every builtin regorus registers is in one of two lists below: those that
//! only compute on their arguments, and those that could reach the network, files, the
//! environment, the clock or randomness, each with what a policy gets instead and the test
//! that shows it. A regorus upgrade that adds a builtin fails here until it is sorted.
//! (SECURITY.md cites these tests; tests/policies.rs has the older sandbox tests:
//! environment and `http.send`, recursion, allocation, memory limit, nesting.)

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::{check_json, contrail, temp_repo};
use serde_json::Value;

/// One classified property and one event: clean for every built-in rule.
const CLEAN: &[u8] = b"kind: Property\nname: cart_id\ntype: string\npii: none\nowner: data\ndescription: Cart.\n---\nkind: Event\nname: checkout_started\nowner: data\ndescription: Checkout opened.\nproperties: [{ref: cart_id}]\n---\nkind: Team\nname: data\n";

/// Builtins that could reach outside the policy's arguments, and what a policy gets.
const REACHING_OUT: &[(&str, &str)] = &[
    ("http.send", "undefined: regorus has no HTTP client"),
    ("opa.runtime", "versions and the builtin list; no `env`"),
    (
        "time.now_ns",
        "refused: CT016 naming the policy and the builtin",
    ),
    ("rand.intn", "refused"),
    ("uuid.rfc4122", "refused"),
    (
        "json.match_schema",
        "a `$ref` outside the schema is an error, never fetched",
    ),
    ("json.verify_schema", "likewise"),
    ("time.add_date", "the `Local` zone is UTC in the worker"),
    ("time.clock", "likewise"),
    ("time.date", "likewise"),
    ("time.diff", "likewise"),
    ("time.format", "likewise"),
    ("time.weekday", "likewise"),
    ("trace", "returns its argument, writes nothing"),
];

/// Builtins that compute on their arguments only (some can take long or allocate: the
/// limits below stop them).
#[rustfmt::skip]
const PURE: &[&str] = &[
    "__builtin_sets.intersection", "__builtin_sets.union", "abs", "array.concat",
    "array.reverse", "array.slice", "base64.decode", "base64.encode", "base64.is_valid",
    "base64url.decode", "base64url.encode", "base64url.encode_no_pad", "bits.and", "bits.lsh",
    "bits.negate", "bits.or", "bits.rsh", "bits.xor", "ceil", "concat", "contains", "count",
    "endswith", "floor", "format_int", "glob.match", "glob.quote_meta", "graph.reachable",
    "graph.reachable_paths", "hex.decode", "hex.encode", "indexof", "indexof_n",
    "intersection", "is_array", "is_boolean", "is_null", "is_number", "is_object", "is_set",
    "is_string", "json.filter", "json.is_valid", "json.marshal", "json.marshal_with_options",
    "json.patch", "json.remove", "json.unmarshal", "lower", "max", "min",
    "net.cidr_contains", "net.cidr_expand", "net.cidr_is_valid", "numbers.range",
    "numbers.range_step", "object.filter", "object.get", "object.keys", "object.remove",
    "object.subset", "object.union", "object.union_n", "product",
    "regex.find_all_string_submatch_n", "regex.find_n", "regex.is_valid", "regex.match",
    "regex.replace", "regex.split", "regex.template_match", "replace", "round",
    "semver.compare", "semver.is_valid", "sort", "split", "sprintf", "startswith",
    "strings.any_prefix_match", "strings.any_suffix_match", "strings.count",
    "strings.replace_n", "strings.reverse", "substring", "sum", "time.parse_duration_ns",
    "time.parse_ns", "time.parse_rfc3339_ns", "to_number", "trim", "trim_left",
    "trim_prefix", "trim_right", "trim_space", "trim_suffix", "type_name", "union",
    "units.parse", "units.parse_bytes", "upper", "urlquery.decode", "urlquery.decode_object",
    "urlquery.encode", "urlquery.encode_object", "uuid.parse", "walk", "yaml.is_valid",
    "yaml.marshal", "yaml.unmarshal",
];

/// A contract with `CLEAN`, `config` and one user policy per `(name, body)`: package
/// `acme.<name>`, whose `warn` rule has `body` and yields `msg`.
fn with_policies(config: &str, policies: &[(&str, &str)]) -> tempfile::TempDir {
    let files: Vec<(String, Vec<u8>)> = policies
        .iter()
        .map(|(name, body)| {
            let text = format!("package acme.{name}\n\nwarn contains msg if {{\n\t{body}\n}}\n");
            (format!("policies/{name}.rego"), text.into_bytes())
        })
        .chain([("catalog.yaml".to_string(), CLEAN.to_vec())])
        .collect();
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    temp_repo(config, &files)
}

const WITH_POLICIES: &str = "version: 1\npolicies: [\"policies/\"]\n";

/// Messages of the findings, `CODE message`.
fn messages(json: &Value) -> BTreeSet<String> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn every_builtin_is_reviewed_for_what_it_reaches() {
    let repo = with_policies(
        WITH_POLICIES,
        &[("list", "some msg in opa.runtime().builtins")],
    );
    let (_, json) = check_json(repo.path());
    let registered: BTreeSet<String> = messages(&json)
        .into_iter()
        .filter_map(|m| m.strip_prefix("CT501 acme.list: ").map(str::to_string))
        .collect();
    let reviewed: BTreeSet<String> = PURE
        .iter()
        .chain(REACHING_OUT.iter().map(|(name, _)| name))
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        registered, reviewed,
        "sort every new builtin into PURE or REACHING_OUT (and SECURITY.md)"
    );
    // `test.sleep` (regorus' `opa-testutil`) would block a worker thread: not built in.
    assert!(!registered.contains("test.sleep"));
}

#[test]
fn the_clock_and_randomness_are_refused_with_a_finding_naming_policy_and_builtin() {
    let repo = with_policies(
        WITH_POLICIES,
        &[
            ("clock", "msg := sprintf(\"%v\", [time.now_ns()])"),
            ("dice", "msg := sprintf(\"%v\", [rand.intn(\"x\", 6)])"),
            ("id", "msg := uuid.rfc4122(\"x\")"),
        ],
    );
    let run = || {
        let out = contrail()
            .args(["check", "--format", "json"])
            .arg(repo.path())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        out.stdout
    };
    let first = run();
    let json: Value = serde_json::from_slice(&first).expect("JSON");
    let why = "is not available to policies: contrail gives the same findings on every run of the same contract";
    for (policy, builtin, column) in [
        ("clock", "time.now_ns", 38),
        ("dice", "rand.intn", 36),
        ("id", "uuid.rfc4122", 24),
    ] {
        let expected = format!(
            "CT016 policy `policies/{policy}.rego` (acme.{policy}.warn) failed: `{builtin}` {why} (a test can mock it: `with {builtin} as …`) (at policies/{policy}.rego:4:{column})"
        );
        assert!(messages(&json).contains(&expected), "{expected}\n{json:#}");
    }
    assert_eq!(run(), first, "the same findings on every run");

    // A test may still mock the clock.
    let test = b"package acme.clock_test\n\ntest_mocked if {\n\ttime.now_ns() == 7 with time.now_ns as 7\n}\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", CLEAN), ("policies/clock_test.rego", test)],
    );
    let out = contrail()
        .arg("test")
        .arg(repo.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("PASS policies/clock_test.rego:3 acme.clock_test.test_mocked"));
}

#[test]
fn schemas_cannot_reach_files_or_the_network() {
    let secret_dir = tempfile::tempdir().expect("temp dir");
    let secret = secret_dir.path().join("secret.json");
    std::fs::write(&secret, r#"{"SECRET_TOKEN": "s3cret-marker"}"#).expect("write");
    // Any connection to this listener would be a policy reaching the network.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("address").port();
    let file_ref = format!("file://{}", secret.display());
    let http_ref = format!("http://127.0.0.1:{port}/schema.json");
    let file =
        format!("msg := sprintf(\"%v\", [json.match_schema({{}}, {{\"$ref\": \"{file_ref}\"}})])");
    let http =
        format!("msg := sprintf(\"%v\", [json.verify_schema({{\"$ref\": \"{http_ref}\"}})])");
    let send = format!("r := http.send({{\"method\": \"get\", \"url\": \"http://127.0.0.1:{port}/\"}}); msg := sprintf(\"%v\", [r])");
    let repo = with_policies(
        WITH_POLICIES,
        &[("file", &file), ("http", &http), ("send", &send)],
    );
    let out = contrail()
        .args(["check", "--format", "json"])
        .arg(repo.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("s3cret-marker"), "{stdout}");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let found = messages(&json);
    assert!(
        found
            .iter()
            .any(|m| m.starts_with(
                "CT016 policy `policies/file.rego` (acme.file.warn) failed: invalid schema"
            ) && m.contains("`resolve-file` feature or a custom resolver is required")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|m| m.starts_with(
                "CT016 policy `policies/http.rego` (acme.http.warn) failed: invalid schema"
            ) && m.contains("`resolve-http` feature or a custom resolver is required")),
        "{found:#?}"
    );
    // `http.send` is undefined: its rule yields nothing.
    assert!(!found.iter().any(|m| m.contains("acme.send")), "{found:#?}");
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a policy connected to 127.0.0.1:{port}"
    );
}

#[test]
fn the_worker_sees_no_environment_and_local_time_is_utc() {
    let repo = with_policies(
        WITH_POLICIES,
        &[("zone", "msg := time.format([0, \"Local\"])")],
    );
    let out = contrail()
        .env("TZ", "Asia/Tokyo")
        .args(["check", "--format", "json"])
        .arg(repo.path())
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        messages(&json).contains("CT501 acme.zone: 1970-01-01T00:00:00Z"),
        "{json:#}"
    );
}

#[test]
fn print_and_trace_write_nothing() {
    // `\u001b[2J` clears a terminal.
    const MARKER: &str = "\\u001b[2JPRINTED-MARKER";
    let body = format!("print(\"{MARKER}\"); msg := trace(\"traced\")");
    let repo = with_policies(WITH_POLICIES, &[("talk", &body)]);
    let test = format!("package acme.talk_test\n\ntest_talks if {{\n\tprint(\"{MARKER}\")\n}}\n");
    std::fs::write(repo.path().join("policies/talk_test.rego"), test).expect("write");
    for command in ["check", "test"] {
        let out = contrail()
            .arg(command)
            .arg(repo.path())
            .output()
            .expect("runs");
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains("PRINTED-MARKER"),
                "`contrail {command}`: {text}"
            );
        }
    }
    let (_, json) = check_json(repo.path());
    assert!(
        messages(&json).contains("CT501 acme.talk: traced"),
        "{json:#}"
    );
}

// ---------------------------------------------------------------------------------------
// Runaway policies: stopped by `limits.policy_time`, `limits.policy_memory` and the
// nesting check, with a `policy-failed` finding naming the policy, within the time limit.

/// `contrail check --format json` with the time it took.
fn timed_check(repo: &tempfile::TempDir) -> (Value, Duration) {
    let started = Instant::now();
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1, "{json:#}");
    (json, started.elapsed())
}

const ONE_SECOND: &str = "version: 1\npolicies: [\"policies/\"]\nlimits:\n  policy_time: 1\n  policy_memory: 1073741824\n";

#[test]
fn a_cpu_bound_policy_is_stopped_at_the_time_limit() {
    let repo = with_policies(
        ONE_SECOND,
        &[(
            "spin",
            "n := count([1 | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000)]); msg := sprintf(\"%d\", [n])",
        )],
    );
    let (json, took) = timed_check(&repo);
    assert!(
        messages(&json).contains("CT016 policy `policies/spin.rego` (acme.spin.warn) failed: ran past the time limit of 1s (`limits.policy_time` in contrail.yaml)"),
        "{json:#}"
    );
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

/// A builtin call runs to its end before regorus reads its clock again: the worker running
/// it is killed at its deadline (four times `limits.policy_time`). Here one call copies a
/// 10 MB string 20,000 times, in constant memory.
#[test]
fn a_builtin_that_never_returns_is_killed_at_the_deadline() {
    let mut body = String::from("s0 := \"aaaaaaaaaa\"");
    for i in 1..=6 {
        let parts = vec![format!("s{}", i - 1); 10].join(", ");
        body.push_str(&format!("; s{i} := concat(\"\", [{parts}])"));
    }
    body.push_str(
        "; patterns := {sprintf(\"k%d\", [i]): \"\" | some i in numbers.range(1, 20000)}",
    );
    body.push_str("; msg := sprintf(\"%d\", [count(strings.replace_n(patterns, s6))])");
    let repo = with_policies(ONE_SECOND, &[("copy", &body)]);
    let (json, took) = timed_check(&repo);
    // Whichever stops it first names the policy: the worker's deadline (the set being
    // evaluated is not known then) or, on a loaded machine, the engine's own timer between
    // two steps of `warn`.
    let stopped = |set: &str| {
        messages(&json).contains(&format!("CT016 policy `policies/copy.rego` (acme.copy{set}) failed: ran past the time limit of 1s (`limits.policy_time` in contrail.yaml)"))
    };
    assert!(stopped("") || stopped(".warn"), "{json:#}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn a_huge_comprehension_is_stopped_by_the_memory_limit() {
    let repo = with_policies(
        ONE_SECOND,
        &[(
            "huge",
            "n := count([x | some x in numbers.range(1, 1e9)]); msg := sprintf(\"%d\", [n])",
        )],
    );
    let (json, took) = timed_check(&repo);
    assert!(
        messages(&json).contains("CT016 policy `policies/huge.rego` (acme.huge) failed: evaluation ran out of memory: it needs more than 1024 MiB (`limits.policy_memory` in contrail.yaml)"),
        "{json:#}"
    );
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

/// regorus matches with the `regex` crate, in time linear in the input: a pattern that
/// backtracks exponentially elsewhere finishes; one too large to compile is an error.
#[test]
fn catastrophic_regexes_finish_or_fail_fast() {
    let repo = with_policies(
        ONE_SECOND,
        &[
            (
                "backtrack",
                "s := concat(\"\", [\"a\" | some _ in numbers.range(1, 20000)]); not regex.match(\"^(a+)+$\", concat(\"\", [s, \"!\"])); msg := \"linear\"",
            ),
            ("bomb", "regex.match(\"((((a{100}){100}){100}){100})\", \"a\"); msg := \"matched\""),
        ],
    );
    let (json, took) = timed_check(&repo);
    let found = messages(&json);
    assert!(found.contains("CT501 acme.backtrack: linear"), "{found:#?}");
    assert!(
        found.iter().any(|m| m
            .starts_with("CT016 policy `policies/bomb.rego` (acme.bomb.warn) failed:")
            && m.contains("compiled regex exceeded size limit")),
        "{found:#?}"
    );
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

/// A user module replacing `contrail.lib`, which the built-in packages import, runs inside
/// them: they are evaluated in the worker too, and a crash there is theirs alone.
#[test]
fn a_replaced_builtin_dependency_runs_in_the_worker() {
    let lib = b"package contrail.lib\n\nf(x) := y if {\n\ty := f(x + 1)\n}\n\npair_groups(rows) := f(1)\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[("catalog.yaml", CLEAN), ("policies/lib.rego", lib)],
    );
    let (status, json) = check_json(repo.path());
    assert_eq!(status, 1, "{json:#}");
    let found = messages(&json);
    for package in ["consent", "pii", "residency"] {
        let expected = format!("CT016 policy `policies/contrail/{package}.rego` (contrail.{package}) failed: evaluation overflowed the stack (unbounded recursion?)");
        assert!(found.contains(&expected), "{expected}\n{found:#?}");
    }
}

/// The reviewer diff asks `contrail.compat` and `contrail.governance` for verdicts: a user
/// override of them is asked in the worker, and a crash there stops `diff` with a message
/// (exit 2), not an abort.
#[test]
fn a_hostile_compat_override_cannot_crash_the_reviewer_diff() {
    let compat = b"package contrail.compat\n\nf(x) := y if {\n\ty := f(x + 1)\n}\n\nverdicts := {\"x\": f(1)}\n";
    let base = temp_repo(WITH_POLICIES, &[("catalog.yaml", CLEAN)]);
    let renamed = String::from_utf8_lossy(CLEAN).replace("cart_id", "cart_ref");
    let head = temp_repo(
        WITH_POLICIES,
        &[
            ("catalog.yaml", renamed.as_bytes()),
            ("policies/compat.rego", compat),
        ],
    );
    for args in [&["diff"][..], &["check", "--format", "markdown"]] {
        let out = contrail()
            .args(args)
            .arg(head.path())
            .arg("--base")
            .arg(base.path())
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("`data.contrail.compat.verdicts`: evaluation overflowed the stack"),
            "{args:?}: {stderr}"
        );
    }
}

/// `contrail test` runs the user's tests in the worker too: a test that recurses without end
/// fails alone, with the reason, and the others still run.
#[test]
fn a_hostile_policy_test_fails_alone() {
    let tests = b"package acme.hostile_test\n\nf(x) := y if {\n\ty := f(x + 1)\n}\n\ntest_recurses if {\n\tf(1)\n}\n\ntest_passes if true\n";
    let repo = temp_repo(
        WITH_POLICIES,
        &[
            ("catalog.yaml", CLEAN),
            ("policies/hostile_test.rego", tests),
        ],
    );
    let out = contrail()
        .args(["test", "--builtins", "--format", "json"])
        .arg(repo.path())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let outcome = |name: &str| {
        json["tests"]
            .as_array()
            .expect("tests")
            .iter()
            .find(|t| t["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {json:#}"))
    };
    assert_eq!(outcome("test_passes")["passed"], true);
    let recurses = outcome("test_recurses");
    assert_eq!(recurses["passed"], false);
    assert_eq!(
        recurses["error"],
        "evaluation overflowed the stack (unbounded recursion?)"
    );
    // The built-in tests still ran, in this process.
    assert!(
        json["summary"]["passed"].as_u64().unwrap_or(0) > 100,
        "{json:#}"
    );
}
