//! The GitHub Action (`action.yml`, `action/*.sh`) and the pre-commit hook
//! (`.pre-commit-hooks.yaml`): valid against SchemaStore's schemas (vendored in
//! tests/data/schemastore), and what a schema cannot see.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::root;
use contrail::source::yaml::{self, YamlLimits};
use serde_json::Value;

const LIMITS: YamlLimits = YamlLimits {
    max_depth: 64,
    max_aliases: 0,
    max_documents: 1,
    max_expanded: 1 << 20,
};

/// The one YAML document of a file of this repository, as JSON.
fn yaml_file(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).expect("file is readable");
    yaml_text(&text, path)
}

fn yaml_text(text: &str, what: &str) -> Value {
    let docs = yaml::parse(text, &LIMITS).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(docs.len(), 1, "{what}: one document");
    docs[0].to_json()
}

/// Every error of `instance` against a vendored SchemaStore schema, one line each.
fn schema_errors(schema: &str, instance: &Value) -> Vec<String> {
    let path = root().join("tests/data/schemastore").join(schema);
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn action() -> Value {
    yaml_file("action.yml")
}

fn inputs(action: &Value) -> BTreeSet<String> {
    action["inputs"]
        .as_object()
        .expect("inputs")
        .keys()
        .cloned()
        .collect()
}

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_array().expect("steps")
}

/// Every string in a JSON value, with the key it is the value of.
fn strings<'a>(value: &'a Value, key: &'a str, out: &mut Vec<(&'a str, &'a str)>) {
    match value {
        Value::String(s) => out.push((key, s)),
        Value::Array(items) => items.iter().for_each(|v| strings(v, key, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| strings(v, k, out)),
        _ => {}
    }
}

/// The input names an expression text refers to as `inputs.NAME`.
fn input_references(expression: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\binputs\.([A-Za-z_][A-Za-z0-9_-]*)").expect("regex");
    re.captures_iter(expression)
        .map(|c| c[1].to_string())
        .collect()
}

/// The expressions of a string: the insides of `${{ }}`, and an `if:` value as a whole.
fn expressions<'a>(key: &str, text: &'a str) -> Vec<&'a str> {
    if key == "if" {
        return vec![text];
    }
    text.split("${{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}").map(|(inside, _)| inside))
        .collect()
}

#[test]
fn action_yml_is_valid_against_the_github_action_schema() {
    let action = action();
    let errors = schema_errors("github-action.json", &action);
    assert!(errors.is_empty(), "{errors:#?}");

    // The schema does reject what GitHub would: a step that is neither `run` nor `uses`.
    let mut broken = action.clone();
    broken["runs"]["steps"][0]
        .as_object_mut()
        .expect("step")
        .remove("run");
    assert!(!schema_errors("github-action.json", &broken).is_empty());
}

#[test]
fn action_has_the_inputs_the_documentation_names() {
    let expected: BTreeSet<String> = [
        "path",
        "base",
        "args",
        "sarif-file",
        "upload-sarif",
        "fail-on",
        "version",
    ]
    .map(String::from)
    .into();
    assert_eq!(inputs(&action()), expected);
    assert_eq!(action()["runs"]["using"], "composite");
}

#[test]
fn every_input_used_is_declared_and_every_declared_input_is_used() {
    let action = action();
    let mut all = Vec::new();
    strings(&action["runs"], "runs", &mut all);
    strings(&action["outputs"], "outputs", &mut all);
    let used: BTreeSet<String> = all
        .iter()
        .flat_map(|(key, text)| expressions(key, text))
        .flat_map(input_references)
        .collect();
    assert_eq!(used, inputs(&action));
}

#[test]
fn run_scripts_hold_no_expression_and_name_existing_executable_scripts() {
    let action = action();
    for step in steps(&action) {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        // An expression in `run:` is pasted into the script before bash reads it: an input
        // or a branch name could inject commands. Values go through `env:` instead.
        assert!(!run.contains("${{"), "expression in `run:` of {step}");
        if let Some(script) = run
            .trim_matches(['\'', '"'])
            .strip_prefix("$GITHUB_ACTION_PATH/")
        {
            let path = root().join(script);
            let mode = std::fs::metadata(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .permissions();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert!(mode.mode() & 0o111 != 0, "{script} is not executable");
            }
            #[cfg(not(unix))]
            let _ = mode;
        }
    }
}

/// A run of one of the action's scripts, with a stand-in for the program it calls
/// (`contrail` or `cargo`) that records its arguments.
struct ScriptRun {
    /// The arguments the stand-in got.
    args: Vec<String>,
    /// What the script wrote to `$GITHUB_OUTPUT`.
    output: String,
    status: i32,
    stdout: String,
    /// The script's working directory.
    dir: tempfile::TempDir,
}

fn run_script(script: &str, stand_in: &str, env: &[(&str, &str)], stand_in_exit: u8) -> ScriptRun {
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let stub = bin.join(stand_in);
    std::fs::write(
        &stub,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$ARGS_FILE\"\nexit {stand_in_exit}\n"
        ),
    )
    .expect("stub");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(root().join("action").join(script))
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir.path())
        .env("ARGS_FILE", dir.path().join("args"))
        .env("GITHUB_OUTPUT", dir.path().join("output"))
        .env("GITHUB_PATH", dir.path().join("path"))
        .env("GITHUB_ACTION_PATH", root())
        .envs(env.iter().copied())
        .output()
        .expect("bash runs");
    assert!(
        !dir.path().join("pwned").exists(),
        "an input was run as a command"
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    ScriptRun {
        args: read("args").lines().map(String::from).collect(),
        output: read("output"),
        status: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        dir,
    }
}

const CHECK_ENV: [(&str, &str); 6] = [
    ("CONTRAIL_PATH", "contract dir"),
    ("CONTRAIL_BASE", ""),
    ("PULL_REQUEST_BASE", "0123abc"),
    ("CONTRAIL_ARGS", ""),
    ("SARIF_FILE", "reports/contrail.sarif"),
    ("FAIL_ON", "warning"),
];

#[test]
fn check_script_compares_with_the_pull_request_base_and_records_the_exit_status() {
    let run = run_script("check.sh", "contrail", &CHECK_ENV, 1);
    assert_eq!(
        run.args,
        [
            "check",
            "contract dir",
            "--format",
            "github",
            "--sarif",
            "reports/contrail.sarif",
            "--fail-on",
            "warning",
            "--base",
            "0123abc"
        ]
    );
    // The findings fail the job in the last step, after the SARIF upload.
    assert_eq!((run.output.as_str(), run.status), ("exit-code=1\n", 0));
    assert!(
        run.dir.path().join("reports").is_dir(),
        "the SARIF file's directory"
    );
}

#[test]
fn check_script_prefers_the_base_input_and_passes_args_literally() {
    let mut env = CHECK_ENV.to_vec();
    env[1] = ("CONTRAIL_BASE", "origin/main; touch pwned");
    env[3] = (
        "CONTRAIL_ARGS",
        "-v  --color\talways\n$(touch pwned) `touch pwned` *",
    );
    let run = run_script("check.sh", "contrail", &env, 2);
    assert_eq!(
        &run.args[8..],
        [
            "--base",
            "origin/main; touch pwned",
            "-v",
            "--color",
            "always",
            "$(touch",
            "pwned)",
            "`touch",
            "pwned`",
            "*"
        ]
    );
    assert_eq!(run.output, "exit-code=2\n");
}

#[test]
fn check_script_without_a_base_lets_contrail_yaml_decide() {
    let mut env = CHECK_ENV.to_vec();
    env[2] = ("PULL_REQUEST_BASE", "");
    let run = run_script("check.sh", "contrail", &env, 0);
    assert!(!run.args.contains(&"--base".to_string()), "{:?}", run.args);
    assert_eq!(run.output, "exit-code=0\n");
}

/// The `key=` and `restore-key=` lines that `plan.sh` writes, for an action directory.
fn cache_keys(action_dir: &std::path::Path, version: &str) -> (String, String) {
    let run = run_script(
        "plan.sh",
        "unused",
        &[
            (
                "GITHUB_ACTION_PATH",
                action_dir.to_str().expect("UTF-8 path"),
            ),
            ("CONTRAIL_VERSION", version),
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
        ],
        0,
    );
    assert_eq!(run.status, 0, "{}", run.stdout);
    let line = |name: &str| {
        run.output
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("{name} in {}", run.output))
            .to_string()
    };
    let bin = std::fs::read_to_string(run.dir.path().join("path")).expect("GITHUB_PATH");
    assert_eq!(
        bin,
        format!("{}/.contrail-action/bin\n", run.dir.path().display())
    );
    (line("key="), line("restore-key="))
}

#[test]
fn the_cache_key_follows_the_sources_and_the_restore_key_cargo_lock() {
    let action = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        std::fs::create_dir_all(action.path().join(name).parent().expect("parent")).expect("mkdir");
        std::fs::write(action.path().join(name), text).expect("write");
    };
    write("Cargo.lock", "lock 1");
    write("src/main.rs", "fn main() {}");
    let (key, restore) = cache_keys(action.path(), "");
    assert!(key.starts_with(&restore) && restore.starts_with("contrail-Linux-X64-lock-"));

    write("src/main.rs", "fn main() { }");
    let (key_2, restore_2) = cache_keys(action.path(), "");
    assert_eq!(
        restore_2, restore,
        "same Cargo.lock: the dependencies' build is reused"
    );
    assert_ne!(key_2, key, "changed source: contrail is rebuilt");

    write("Cargo.lock", "lock 2");
    let (_, restore_3) = cache_keys(action.path(), "");
    assert_ne!(restore_3, restore);

    assert_eq!(
        cache_keys(action.path(), "0.2.0"),
        (
            "contrail-Linux-X64-release-0.2.0".to_string(),
            "contrail-Linux-X64-release-".to_string()
        )
    );
}

#[test]
fn plan_script_refuses_a_version_that_is_not_one() {
    let run = run_script(
        "plan.sh",
        "unused",
        &[("CONTRAIL_VERSION", "0.2; rm -rf /")],
        0,
    );
    assert_eq!(run.status, 2);
    assert!(
        run.stdout
            .starts_with("::error title=contrail::input `version`"),
        "{}",
        run.stdout
    );
    assert_eq!(run.output, "");
}

#[test]
fn install_script_builds_the_action_source_or_the_release_tag_of_its_repository() {
    let root_env = [("CONTRAIL_ROOT", "/opt/contrail")];
    let source = run_script("install.sh", "cargo", &root_env, 0);
    let common = [
        "install",
        "--locked",
        "--root",
        "/opt/contrail",
        "--target-dir",
        "/opt/contrail/target",
    ];
    assert_eq!(source.status, 0);
    assert_eq!(source.args[..6], common);
    assert_eq!(
        source.args[6..],
        ["--path", root().to_str().expect("UTF-8 path")]
    );

    let release = run_script(
        "install.sh",
        "cargo",
        &[root_env[0], ("CONTRAIL_VERSION", "0.2.0")],
        0,
    );
    assert_eq!(release.args[..6], common);
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert_eq!(
        release.args[6..],
        ["--git", repository, "--tag", "v0.2.0", "contrail"]
    );
}

/// The workflow examples that use the action: the README's and the one `contrail init` writes.
fn workflows_using_the_action() -> Vec<(String, Value)> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let mut found: Vec<(String, Value)> = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split_once("```").map(|(block, _)| block))
        .filter(|block| block.contains("jobs:") && block.contains("/contrail@"))
        .map(|block| ("README.md".to_string(), yaml_text(block, "README.md")))
        .collect();
    let template = contrail::scaffold::TEMPLATES
        .iter()
        .find(|t| t.path == ".github/workflows/contrail.yml")
        .expect("workflow template");
    found.push((
        template.path.to_string(),
        yaml_text(&template.render(), template.path),
    ));
    found
}

#[test]
fn workflow_examples_use_the_action_with_declared_inputs_and_the_permissions_it_needs() {
    let declared = inputs(&action());
    let expected_uses = format!(
        "{}@{}",
        contrail::scaffold::repository(),
        contrail::scaffold::tag()
    );
    let workflows = workflows_using_the_action();
    assert_eq!(
        workflows.len(),
        2,
        "README has one complete workflow example"
    );
    for (file, workflow) in workflows {
        assert_eq!(
            workflow["permissions"]["security-events"], "write",
            "{file}"
        );
        assert_eq!(workflow["permissions"]["contents"], "read", "{file}");
        assert!(workflow["on"].get("pull_request").is_some(), "{file}");
        let steps: Vec<&Value> = workflow["jobs"]
            .as_object()
            .expect("jobs")
            .values()
            .flat_map(|job| job["steps"].as_array().expect("steps"))
            .collect();
        let checkout = steps
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/checkout@"))
            })
            .expect("a checkout step");
        assert_eq!(checkout["with"]["fetch-depth"], 0, "{file}");
        let ours = steps
            .iter()
            .find(|s| s["uses"] == expected_uses.as_str())
            .unwrap_or_else(|| panic!("{file}: a step uses {expected_uses}"));
        for input in ours["with"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            assert!(declared.contains(input), "{file}: undeclared input {input}");
        }
    }
}

#[test]
fn pre_commit_hook_is_valid_against_the_pre_commit_hooks_schema() {
    let hooks = yaml_file(".pre-commit-hooks.yaml");
    let errors = schema_errors("pre-commit-hooks.json", &hooks);
    assert!(errors.is_empty(), "{errors:#?}");

    let mut broken = hooks.clone();
    broken[0].as_object_mut().expect("hook").remove("entry");
    assert!(!schema_errors("pre-commit-hooks.json", &broken).is_empty());
}

#[test]
fn pre_commit_hook_checks_the_whole_contract_when_yaml_or_rego_changes() {
    let hooks = yaml_file(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "contrail");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "contrail check");
    assert_eq!(hook["pass_filenames"], false);
    // pre-commit matches `files` with Python's `re.search`; this pattern means the same in
    // Rust's regex.
    let files = regex::Regex::new(hook["files"].as_str().expect("files")).expect("regex");
    for path in [
        "contrail.yaml",
        "contract/contrail.yaml",
        "events/checkout.yaml",
        ".github/workflows/ci.yml",
        "policies/events.rego",
    ] {
        assert!(files.is_match(path), "{path} runs the hook");
    }
    for path in [
        "README.md",
        "src/main.rs",
        "Cargo.toml",
        "notes.yaml.bak",
        "a.regos",
    ] {
        assert!(!files.is_match(path), "{path} does not run the hook");
    }
}
