//! Property-based fuzzing of the whole pipeline over hostile input: arbitrary bytes as a
//! resource file, arbitrary YAML trees, mutated copies of `fixtures/examples/shop`, mutated
//! base/head pairs through the change set and the reviewer diff, and every reporter over
//! arbitrary names and descriptions. Most cases drive the library in-process; a few drive
//! the binary (user policies in their worker, every output file).
//!
//! Invariants, for every case: no panic; an answer within [`DEADLINE`]; every finding about
//! a file is located inside that file's text; SARIF is valid against the vendored 2.1.0
//! schema; `--format github` is one parseable workflow command per finding, and no line of
//! human output reads as one; every Markdown table row has its header's column count;
//! well-formed YAML reads back as the tree that was written.
//!
//! `cargo test` runs a few cases per property from a fixed seed; a campaign sets
//! `CONTRAIL_FUZZ_CASES` and `CONTRAIL_FUZZ_SEED` (see `fuzz/run.sh`). Inputs stay below
//! 65,536 columns per line and carry no control or bidi characters outside what the
//! arbitrary-bytes property writes: long lines and escaping are issue 14 items 2 and 3,
//! tested where they are fixed.

mod common;

use std::io::Write as _;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use common::{contrail, root, sarif_validator};
use contrail::report::place::SourceRoot;
use contrail::report::{github, human, json, markdown, review, sarif, Totals};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngSeed};

/// Longest a case may take before it counts as a hang (debug build, a shared machine).
const DEADLINE: Duration = Duration::from_secs(60);

/// `cases` per property, or `CONTRAIL_FUZZ_CASES / cost` (a property whose case costs
/// `cost` in-process cases gets fewer); the seed is fixed (`CONTRAIL_FUZZ_SEED`, default 0)
/// so that a failure in `cargo test` reproduces.
fn config(cases: u32, cost: u32) -> Config {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u32>().ok());
    Config {
        cases: env("CONTRAIL_FUZZ_CASES").map_or(cases, |n| (n / cost).max(1)),
        rng_seed: RngSeed::Fixed(env("CONTRAIL_FUZZ_SEED").map_or(0, u64::from)),
        // Regressions are kept as named tests below, not in a file beside this one.
        failure_persistence: None,
        max_shrink_time: 120_000,
        ..Config::default()
    }
}

/// Runs `case` on its own thread and fails if it panics or takes longer than [`DEADLINE`].
fn bounded<T: Send + 'static>(case: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(catch_unwind(AssertUnwindSafe(case)));
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => resume_unwind(panic),
        Err(_) => panic!("no answer within {DEADLINE:?}: a hang"),
    }
}

// ---------------------------------------------------------------------------------------
// YAML trees, and writing them as YAML text

/// A YAML value as a generator sees it (mapping keys are strings, as contrail requires).
#[derive(Clone, Debug)]
enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Y>),
    Map(Vec<(String, Y)>),
}

impl PartialEq for Y {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Y::Null, Y::Null) => true,
            (Y::Bool(a), Y::Bool(b)) => a == b,
            (Y::Int(a), Y::Int(b)) => a == b,
            (Y::Float(a), Y::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Y::Str(a), Y::Str(b)) => a == b,
            (Y::Seq(a), Y::Seq(b)) => a == b,
            (Y::Map(a), Y::Map(b)) => a == b,
            _ => false,
        }
    }
}

/// contrail's reading of a parsed node, for the round trip.
fn from_node(node: &contrail::source::yaml::Node) -> Y {
    use contrail::source::yaml::Value as V;
    match &node.value {
        V::Null => Y::Null,
        V::Bool(b) => Y::Bool(*b),
        V::Int(i) => Y::Int(*i),
        V::Float(f) => Y::Float(*f),
        V::Str(s) => Y::Str(s.clone()),
        V::Seq(items) => Y::Seq(items.iter().map(from_node).collect()),
        V::Map(entries) => Y::Map(
            entries
                .iter()
                .map(|(k, v)| match &k.value {
                    V::Str(k) => (k.clone(), from_node(v)),
                    other => panic!("a non-string key: {other:?}"),
                })
                .collect(),
        ),
    }
}

/// How a tree is written: block collections, or flow (`{a: 1, b: [x]}`) everywhere.
#[derive(Clone, Copy, Debug)]
enum Style {
    Block,
    Flow,
}

/// Documents as one YAML stream.
fn yaml_stream(docs: &[Y], style: Style) -> String {
    let mut out = String::new();
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        match style {
            Style::Block => block(&mut out, doc, 0),
            Style::Flow => {
                flow(&mut out, doc);
                out.push('\n');
            }
        }
    }
    out
}

fn block(out: &mut String, y: &Y, indent: usize) {
    let pad = " ".repeat(indent);
    match y {
        Y::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                out.push_str(&pad);
                out.push_str(&scalar_text(k));
                out.push(':');
                nested(out, v, indent + 2);
            }
        }
        Y::Seq(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                nested(out, item, indent + 2);
            }
        }
        _ => {
            flow(out, y);
            out.push('\n');
        }
    }
}

/// The value after `key:` or `-`: on the same line when it is a scalar or empty.
fn nested(out: &mut String, y: &Y, indent: usize) {
    match y {
        Y::Map(e) if !e.is_empty() => {
            out.push('\n');
            block(out, y, indent);
        }
        Y::Seq(s) if !s.is_empty() => {
            out.push('\n');
            block(out, y, indent);
        }
        _ => {
            out.push(' ');
            flow(out, y);
            out.push('\n');
        }
    }
}

fn flow(out: &mut String, y: &Y) {
    match y {
        Y::Null => out.push_str("null"),
        Y::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Y::Int(i) => out.push_str(&i.to_string()),
        Y::Float(f) if f.is_nan() => out.push_str(".nan"),
        Y::Float(f) if f.is_infinite() => out.push_str(if *f > 0.0 { ".inf" } else { "-.inf" }),
        Y::Float(f) => out.push_str(&format!("{f:?}")),
        Y::Str(s) => out.push_str(&scalar_text(s)),
        Y::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(out, item);
            }
            out.push(']');
        }
        Y::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&scalar_text(k));
                out.push_str(": ");
                flow(out, v);
            }
            out.push('}');
        }
    }
}

/// A string scalar: plain when YAML 1.2 reads it back as this string, else double-quoted.
fn scalar_text(s: &str) -> String {
    const RESERVED: &[&str] = &[
        "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
    ];
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&s);
    if plain {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// Generators

const KINDS: &[&str] = &[
    "Property",
    "Event",
    "Source",
    "Destination",
    "Pipeline",
    "Transformation",
    "IdentityRule",
    "Team",
    "ConsentPurpose",
    "property",
];

/// Field names of every kind, so that generated documents reach the decoders.
const FIELDS: &[&str] = &[
    "kind",
    "name",
    "type",
    "format",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "min_length",
    "max_length",
    "min_items",
    "max_items",
    "items",
    "ref",
    "required",
    "pii",
    "consent",
    "lawful_basis",
    "residency",
    "retention",
    "owner",
    "description",
    "domain",
    "lifecycle",
    "sunset",
    "replaced_by",
    "version",
    "properties",
    "additional_properties",
    "compatibility",
    "acknowledge",
    "rule",
    "reason",
    "platform",
    "region",
    "events",
    "environment",
    "deny",
    "source",
    "destinations",
    "transformations",
    "steps",
    "hash",
    "mask",
    "drop",
    "rename",
    "from",
    "to",
    "join",
    "key",
    "dataset",
    "set",
    "tests",
    "input",
    "output",
    "event",
    "match_keys",
    "property",
    "precedence",
    "normalize",
    "merge",
    "suppress",
    "values",
    "reviewers",
    "governance",
    "default",
];

/// Words the decoders compare values with.
const WORDS: &[&str] = &[
    "string",
    "integer",
    "number",
    "boolean",
    "object",
    "array",
    "datetime",
    "null",
    "none",
    "indirect",
    "direct",
    "sensitive",
    "active",
    "deprecated",
    "draft",
    "removed",
    "prod",
    "nonprod",
    "web",
    "ios",
    "server",
    "eu",
    "us",
    "30d",
    "2w",
    "1y",
    "0d",
    "2027-03-31",
    "2020-02-30",
    "email",
    "uuid",
    "date-time",
    "backward",
    "forward",
    "full",
    "lowercase",
    "e164",
    "most_recent",
    "checkout_*",
    "*",
    "?x",
    "^[a-z]+$",
    "(?=x)",
    "[",
    "@org/team",
    "contract",
    "marketing",
    "cart_id",
    "checkout_started",
];

fn from_list(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(list).prop_map(str::to_string)
}

/// Text a reporter must keep as text: Markdown, HTML, workflow-command and YAML
/// punctuation, non-ASCII, line breaks, lines that start with `::`; no control or bidi
/// characters (item 3).
fn hostile_text() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "|",
        "`",
        "``",
        "*",
        "_",
        "[x](http://e)",
        "<b>",
        "&amp;",
        "#",
        "\\",
        "$",
        "~",
        "!",
        "::",
        "::error file=x,line=1::forged",
        "%",
        "%0A",
        ",",
        ":",
        "=",
        "\n",
        "\n\n",
        " ",
        "é",
        "☕",
        "👩‍💻",
        "日本",
        "\"",
        "'",
        "{",
        "}",
        "---",
        "- ",
        "<!--",
        "-->",
        "%25",
        "title=x",
        "<br>",
        "\u{a0}",
    ];
    prop_oneof![
        "\\PC{0,24}",
        prop::collection::vec(
            prop_oneof![
                3 => proptest::sample::select(PIECES).prop_map(str::to_string),
                1 => "[a-z]{1,6}"
            ],
            0..12
        )
        .prop_map(|parts| parts.concat()),
    ]
}

/// A name-like string: mostly valid names, sometimes anything.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9_]{0,10}",
        1 => from_list(WORDS),
        1 => hostile_text(),
    ]
}

fn leaf() -> impl Strategy<Value = Y> {
    prop_oneof![
        1 => Just(Y::Null),
        1 => any::<bool>().prop_map(Y::Bool),
        1 => any::<i64>().prop_map(Y::Int),
        1 => prop_oneof![Just(0i64), Just(-1), Just(1), Just(65536)].prop_map(Y::Int),
        1 => any::<f64>().prop_map(Y::Float),
        3 => from_list(WORDS).prop_map(Y::Str),
        2 => name().prop_map(Y::Str),
        1 => hostile_text().prop_map(Y::Str),
        1 => from_list(KINDS).prop_map(Y::Str),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![6 => from_list(FIELDS), 1 => name(), 1 => "\\PC{0,12}"]
}

/// Mappings with unique keys (a duplicate key is a YAML error of its own).
fn map_of(values: impl Strategy<Value = Y>, size: usize) -> impl Strategy<Value = Y> {
    prop::collection::vec((key(), values), 0..size).prop_map(|entries| {
        let mut seen = std::collections::BTreeSet::new();
        Y::Map(
            entries
                .into_iter()
                .filter(|(k, _)| seen.insert(k.clone()))
                .collect(),
        )
    })
}

fn tree() -> impl Strategy<Value = Y> {
    leaf().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Y::Seq),
            map_of(inner, 6),
        ]
    })
}

/// A document that looks like a resource: `kind`, usually `name`, then anything.
fn resource() -> impl Strategy<Value = Y> {
    (
        from_list(KINDS),
        proptest::option::weighted(0.9, name()),
        map_of(tree(), 8),
    )
        .prop_map(|(kind, name, rest)| {
            let mut entries = vec![("kind".to_string(), Y::Str(kind))];
            if let Some(name) = name {
                entries.push(("name".to_string(), Y::Str(name)));
            }
            if let Y::Map(rest) = rest {
                entries.extend(rest.into_iter().filter(|(k, _)| k != "kind" && k != "name"));
            }
            Y::Map(entries)
        })
}

/// A contrail.yaml: usually `version: 1`, then its fields (`limits` often small enough to
/// hit) with values of any type.
fn config_tree() -> impl Strategy<Value = Y> {
    const FIELDS: &[&str] = &[
        "include",
        "exclude",
        "rules",
        "policies",
        "compatibility",
        "base",
        "disable",
        "severity",
        "options",
        "x",
    ];
    const LIMITS: &[&str] = &[
        "file_size",
        "documents",
        "nesting",
        "aliases",
        "policy_time",
        "policy_memory",
    ];
    let limit = prop_oneof![4 => (1i64..200).prop_map(Y::Int), 1 => leaf()];
    let limits = prop::collection::btree_map(from_list(LIMITS), limit, 0..4)
        .prop_map(|m| Y::Map(m.into_iter().collect()));
    let fields = prop::collection::btree_map(from_list(FIELDS), tree(), 0..4);
    (
        proptest::option::weighted(0.9, Just(Y::Int(1))),
        fields,
        proptest::option::of(limits),
    )
        .prop_map(|(version, fields, limits)| {
            let mut entries: Vec<(String, Y)> =
                version.map(|v| ("version".into(), v)).into_iter().collect();
            entries.extend(fields);
            entries.extend(limits.map(|l| ("limits".into(), l)));
            Y::Map(entries)
        })
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![Just(Style::Block), Just(Style::Flow)]
}

/// Bytes that are often almost YAML: pieces of its syntax, contrail's words, and raw bytes.
fn yamlish_bytes() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&str] = &[
        "kind: ",
        "Property",
        "Event",
        "name: ",
        "type: string",
        "\n",
        "  ",
        "- ",
        "---\n",
        "...\n",
        "{",
        "}",
        "[",
        "]",
        ", ",
        ": ",
        "? ",
        "&a ",
        "*a",
        "!!str ",
        "!!binary ",
        "!x ",
        "\"",
        "'",
        "\\",
        "# c",
        "\t",
        "\u{feff}",
        "é",
        "|\n",
        ">-\n",
        "%YAML 1.2\n",
        "%TAG ! tag:x,2000:\n",
        "<<: *a",
        "null",
        "~",
        "0x1f",
        ".inf",
        "-",
        ":",
        "\r\n",
        "properties: [{ref: ",
        "}]",
        "\u{2028}",
        "\u{85}",
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(
            prop_oneof![
                6 => proptest::sample::select(PIECES).prop_map(|p| p.as_bytes().to_vec()),
                1 => prop::collection::vec(any::<u8>(), 1..4),
                2 => "[a-z_]{1,8}".prop_map(String::into_bytes),
            ],
            0..96,
        )
        .prop_map(|parts| parts.concat()),
    ]
}

// ---------------------------------------------------------------------------------------
// Mutating the shop example

/// A contract as files of documents.
#[derive(Clone, Debug)]
struct Repo {
    files: Vec<(String, Vec<Y>)>,
}

impl Repo {
    fn files(&self, style: Style) -> Vec<(String, Vec<u8>)> {
        self.files
            .iter()
            .map(|(path, docs)| (path.clone(), yaml_stream(docs, style).into_bytes()))
            .collect()
    }
}

/// `fixtures/examples/shop` read back as trees (its contrail.yaml apart).
fn shop() -> &'static Repo {
    static SHOP: OnceLock<Repo> = OnceLock::new();
    SHOP.get_or_init(|| {
        let dir = root().join("fixtures/examples/shop");
        let limits = contrail::config::Config::default().limits.yaml;
        let mut files = Vec::new();
        for path in yaml_files(&dir) {
            let rel = contrail::source::relative_slash_path(&dir, &path);
            let text = std::fs::read_to_string(&path).expect("shop file");
            let docs = contrail::source::yaml::parse(&text, &limits).expect("shop parses");
            files.push((rel, docs.iter().map(from_node).collect()));
        }
        Repo { files }
    })
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(yaml_files(&path));
        } else if path.extension().is_some_and(|e| e == "yaml")
            && path.file_name().is_some_and(|n| n != "contrail.yaml")
        {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// One edit of a contract: the kinds of mistake (and malice) a pull request makes.
#[derive(Clone, Debug)]
enum Mutation {
    /// Remove a field or list item.
    Drop(Index, Index),
    /// Replace a value by one of any type.
    Replace(Index, Index, Y),
    /// Give a string (a name, a ref) a new value.
    Rename(Index, Index, String),
    /// Copy one string over another: renames into an existing name, refs to other targets.
    Borrow(Index, Index, Index, Index),
    /// Copy a document into a file (a duplicate resource).
    Duplicate(Index, Index),
    /// Remove a document.
    Delete(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<Index>;
    prop_oneof![
        3 => (i(), i()).prop_map(|(d, n)| Mutation::Drop(d, n)),
        3 => (i(), i(), tree()).prop_map(|(d, n, y)| Mutation::Replace(d, n, y)),
        3 => (i(), i(), name()).prop_map(|(d, n, s)| Mutation::Rename(d, n, s)),
        2 => (i(), i(), i(), i()).prop_map(|(a, b, c, d)| Mutation::Borrow(a, b, c, d)),
        1 => (i(), i()).prop_map(|(d, f)| Mutation::Duplicate(d, f)),
        1 => i().prop_map(Mutation::Delete),
    ]
}

/// Paths (child positions) of every node of `y`, the root first.
fn paths(y: &Y) -> Vec<Vec<usize>> {
    fn walk(y: &Y, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        out.push(at.clone());
        let children: Vec<&Y> = match y {
            Y::Seq(items) => items.iter().collect(),
            Y::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
            _ => Vec::new(),
        };
        for (i, child) in children.into_iter().enumerate() {
            at.push(i);
            walk(child, at, out);
            at.pop();
        }
    }
    let mut out = Vec::new();
    walk(y, &mut Vec::new(), &mut out);
    out
}

fn node_mut<'y>(y: &'y mut Y, path: &[usize]) -> &'y mut Y {
    match path.split_first() {
        None => y,
        Some((i, rest)) => match y {
            Y::Seq(items) => node_mut(&mut items[*i], rest),
            Y::Map(entries) => node_mut(&mut entries[*i].1, rest),
            _ => unreachable!("paths() only descends into collections"),
        },
    }
}

fn string_paths(y: &Y) -> Vec<Vec<usize>> {
    let mut y = y.clone();
    paths(&y.clone())
        .into_iter()
        .filter(|p| matches!(node_mut(&mut y, p), Y::Str(_)))
        .collect()
}

impl Repo {
    /// Every document with the index of its file.
    fn docs(&self) -> Vec<(usize, Y)> {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(f, (_, docs))| docs.iter().map(move |d| (f, d.clone())))
            .collect()
    }

    fn with_docs(&self, docs: Vec<(usize, Y)>) -> Repo {
        let mut files: Vec<(String, Vec<Y>)> = self
            .files
            .iter()
            .map(|(p, _)| (p.clone(), Vec::new()))
            .collect();
        for (f, d) in docs {
            files[f].1.push(d);
        }
        Repo { files }
    }

    fn mutated(&self, mutations: &[Mutation]) -> Repo {
        let mut docs = self.docs();
        for m in mutations {
            if docs.is_empty() {
                break;
            }
            let count = docs.len();
            match m {
                Mutation::Drop(d, n) => {
                    let doc = &mut docs[d.index(count)].1;
                    let ps = paths(doc);
                    let p = &ps[n.index(ps.len())];
                    if let Some((last, parent)) = p.split_last() {
                        match node_mut(doc, parent) {
                            Y::Seq(items) => drop(items.remove(*last)),
                            Y::Map(entries) => drop(entries.remove(*last)),
                            _ => {}
                        }
                    }
                }
                Mutation::Replace(d, n, y) => {
                    let doc = &mut docs[d.index(count)].1;
                    let ps = paths(doc);
                    *node_mut(doc, &ps[n.index(ps.len())]) = y.clone();
                }
                Mutation::Rename(d, n, s) => {
                    let doc = &mut docs[d.index(count)].1;
                    let ps = string_paths(doc);
                    if !ps.is_empty() {
                        *node_mut(doc, &ps[n.index(ps.len())]) = Y::Str(s.clone());
                    }
                }
                Mutation::Borrow(fd, fnode, td, tnode) => {
                    let from = &mut docs[fd.index(count)].1;
                    let ps = string_paths(from);
                    if ps.is_empty() {
                        continue;
                    }
                    let value = node_mut(from, &ps[fnode.index(ps.len())]).clone();
                    let to = &mut docs[td.index(count)].1;
                    let ps = string_paths(to);
                    if !ps.is_empty() {
                        *node_mut(to, &ps[tnode.index(ps.len())]) = value;
                    }
                }
                Mutation::Duplicate(d, f) => {
                    let doc = docs[d.index(count)].1.clone();
                    docs.push((f.index(self.files.len()), doc));
                }
                Mutation::Delete(d) => drop(docs.remove(d.index(docs.len()))),
            }
        }
        self.with_docs(docs)
    }
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..5)
}

// ---------------------------------------------------------------------------------------
// One run and its invariants

/// What a case writes: contrail.yaml, files, and optionally a base directory.
struct Case {
    config: String,
    /// `config` may be invalid: contrail then stops (exit 2) with an error to render.
    arbitrary_config: bool,
    files: Vec<(String, Vec<u8>)>,
    base: Option<Vec<(String, Vec<u8>)>>,
}

fn write_dir(config: &str, files: &[(String, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("contrail.yaml"), config).expect("config");
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    dir
}

/// Loads, checks, compares and reports `case` in this process; checks every invariant.
fn run_in_process(case: Case) {
    bounded(move || {
        let head = write_dir(&case.config, &case.files);
        let base = case
            .base
            .as_ref()
            .map(|files| write_dir(&case.config, files));
        let mut contract = match contrail::load(head.path(), Path::new("repo")) {
            Ok(contract) => contract,
            Err(err) if case.arbitrary_config => return assert_error_renders(&err),
            Err(err) => panic!("a valid contract does not load: {err}"),
        };
        if let Some(base) = &base {
            let spec = base.path().to_str().expect("UTF-8 temp path");
            contrail::load_base(&mut contract, head.path(), spec, Path::new("base"))
                .expect("the base is read");
        }
        let checked = contrail::check(&contract);
        assert_located_inside_files(&contract, &checked);
        let review = checked.comparison.as_ref().map(|c| {
            let value = checked.input_value.as_ref().expect("the input converts");
            contrail::review(&contract, &checked.catalog, c, value).expect("reviews")
        });
        assert_reports(&contract, &checked, review.as_ref());
    })
}

/// An error that stops contrail renders; an invalid contrail.yaml's problems are located
/// inside it.
fn assert_error_renders(err: &contrail::Error) {
    assert!(!err.to_string().is_empty());
    if let contrail::Error::Config(contrail::config::ConfigError::Invalid {
        sources,
        findings,
        ..
    }) = err
    {
        let empty = contrail::model::Model::default();
        let models = contrail::locate::Models::head(&empty);
        let report = contrail::locate::locate(findings.clone(), models, sources);
        for located in &report.findings {
            let loc = located.location.as_ref().expect("located in contrail.yaml");
            let text = &sources.map.get(loc.file).text;
            assert!(loc.range.end as usize <= text.len(), "{located:?}");
        }
        let mut out = Vec::new();
        let style = human::Style { color: false };
        human::write(&mut out, &report, &sources.map, style).expect("human");
        assert_no_workflow_command(&String::from_utf8_lossy(&out));
    }
}

/// Every finding about a file has a location, and every location (primary, related, change)
/// is a byte range on character boundaries inside that file's text.
fn assert_located_inside_files(contract: &contrail::Contract, checked: &contrail::Checked) {
    let sources = &contract.sources.map;
    let inside = |loc: &contrail::locate::Location, what: &dyn std::fmt::Debug| {
        let text = &sources.get(loc.file).text;
        let (start, end) = (loc.range.start as usize, loc.range.end as usize);
        assert!(
            start <= end
                && end <= text.len()
                && text.is_char_boundary(start)
                && text.is_char_boundary(end),
            "{what:?}: {start}..{end} is not inside {} ({} bytes)",
            sources.get(loc.file).rel_path,
            text.len()
        );
    };
    for located in &checked.findings.findings {
        if let Some(file) = located.finding.anchor.file() {
            let loc = located.location.as_ref();
            assert_eq!(loc.map(|l| l.file), Some(file), "{:?}", located.finding);
        }
        for loc in located
            .location
            .iter()
            .chain(located.related.iter().filter_map(|(l, _)| l.as_ref()))
        {
            inside(loc, &located.finding);
        }
    }
    for change in &checked.changes {
        for loc in change.head.iter().chain(change.base.iter()) {
            inside(loc, &change.change);
        }
    }
}

/// Every reporter of `check` (and of `diff`, with a base) renders, and its output keeps
/// its format's shape.
fn assert_reports(
    contract: &contrail::Contract,
    checked: &contrail::Checked,
    review: Option<&contrail::diff::review::Review>,
) {
    let sources = &contract.sources.map;
    let report = &checked.findings;
    let totals = Totals::count(
        report,
        sources.len(),
        contract.model.events.len(),
        contract.model.properties.len(),
    );
    let stats = contrail::model::coverage(&contract.model);
    for color in [false, true] {
        let mut out = Vec::new();
        human::write(&mut out, report, sources, human::Style { color }).expect("human");
        assert_no_workflow_command(&String::from_utf8_lossy(&out));
    }
    let mut out = Vec::new();
    json::write(&mut out, report, &checked.changes, sources, &totals, &stats).expect("json");
    serde_json::from_slice::<serde_json::Value>(&out).expect("JSON output is JSON");

    let rules = contrail::active_rules(contract);
    let root = SourceRoot::new(Path::new("/repo"), None);
    let run = sarif::Run {
        rules: &rules,
        root: &root,
        max_results: sarif::MAX_RESULTS,
    };
    let mut out = Vec::new();
    sarif::write(&mut out, report, sources, &run).expect("sarif");
    assert_sarif_valid(&out);

    let mut out = Vec::new();
    github::write(&mut out, report, sources).expect("github");
    assert_github_commands(
        &String::from_utf8(out).expect("UTF-8"),
        report.findings.len(),
    );

    let sections: Vec<markdown::Section> = review
        .map(|r| markdown::Section {
            title: "Reviewer diff".into(),
            markdown: review::markdown::render(r, sources),
        })
        .into_iter()
        .collect();
    let md = markdown::render(report, sources, &totals, &sections, usize::MAX);
    assert_markdown_tables(&md);
    assert_eq!(findings_rows(&md), report.findings.len(), "{md}");
    // The job summary's cap: whole rows only, so the tables keep their shape.
    let cap = md.len() / 2;
    let capped = markdown::render(report, sources, &totals, &sections, cap);
    assert!(
        capped.len() <= cap,
        "{} bytes over a cap of {cap}",
        capped.len()
    );
    assert_markdown_tables(&capped);

    if let Some(r) = review {
        for color in [false, true] {
            assert_no_workflow_command(&review::terminal::render(r, sources, color));
        }
        serde_json::to_string(&review::json::render(r, sources)).expect("review JSON");
        assert_markdown_tables(&review::markdown::render(r, sources));
    }
}

fn assert_sarif_valid(log: &[u8]) {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let log: serde_json::Value = serde_json::from_slice(log).expect("SARIF is JSON");
    let errors: Vec<String> = VALIDATOR
        .get_or_init(sarif_validator)
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:#?}\n{log:#}");
}

/// `::level prop=value,…::message`, one per finding: values have no raw `:` or `,`, line
/// and column numbers are positive, nothing but commands is printed.
fn assert_github_commands(text: &str, findings: usize) {
    let lines: Vec<&str> = text.split('\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), findings, "one command per finding:\n{text}");
    for line in lines {
        assert!(!line.contains('\r'), "a raw CR: {line:?}");
        let rest = line
            .strip_prefix("::")
            .unwrap_or_else(|| panic!("{line:?}"));
        let (head, _message) = rest.split_once("::").unwrap_or_else(|| panic!("{line:?}"));
        let (level, properties) = head.split_once(' ').unwrap_or((head, ""));
        assert!(matches!(level, "error" | "warning" | "notice"), "{line:?}");
        for property in properties.split(',').filter(|p| !p.is_empty()) {
            let (key, value) = property
                .split_once('=')
                .unwrap_or_else(|| panic!("{property:?} in {line:?}"));
            assert!(
                !value.contains(':'),
                "a raw `:` in {property:?} of {line:?}"
            );
            match key {
                "line" | "endLine" | "col" | "endColumn" => assert!(
                    value.parse::<u32>().is_ok_and(|n| n >= 1),
                    "{key}={value} in {line:?}"
                ),
                "file" | "title" => assert!(!value.is_empty(), "{line:?}"),
                _ => panic!("unknown property {key:?} in {line:?}"),
            }
        }
    }
}

/// Human output is read by the runner too, which takes any line starting with `::` (after
/// leading spaces) as a workflow command: user text must never start a line.
fn assert_no_workflow_command(text: &str) {
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "a workflow command: {line:?}"
        );
    }
}

/// The cells of a table row: `|` separates cells unless escaped with `\`.
fn cells(row: &str) -> usize {
    let mut pipes = 0usize;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => drop(chars.next()),
            '|' => pipes += 1,
            _ => {}
        }
    }
    pipes.saturating_sub(1)
}

/// Every table outside code fences: each row has its header's number of cells.
fn assert_markdown_tables(md: &str) {
    let lines: Vec<&str> = md.lines().collect();
    let mut fenced = false;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with("```") {
            fenced = !fenced;
        }
        let is_table = !fenced
            && lines[i].starts_with('|')
            && lines
                .get(i + 1)
                .is_some_and(|l| l.starts_with("|---") || l.starts_with("|:--"));
        if !is_table {
            i += 1;
            continue;
        }
        let width = cells(lines[i]);
        i += 1;
        while i < lines.len() && lines[i].starts_with('|') {
            assert_eq!(cells(lines[i]), width, "row {:?} in\n{md}", lines[i]);
            i += 1;
        }
    }
}

/// Rows of the findings table.
fn findings_rows(md: &str) -> usize {
    md.lines()
        .skip_while(|l| !l.starts_with("| severity | rule |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .count()
}

/// contrail.yaml: the default include, or an explicit one (which makes every document
/// a resource).
fn config_text(explicit_include: bool) -> String {
    if explicit_include {
        "version: 1\ninclude: [\"**/*.yaml\"]\n".to_string()
    } else {
        "version: 1\n".to_string()
    }
}

// ---------------------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(config(8, 1))]

    #[test]
    fn arbitrary_bytes_as_a_resource_file(bytes in yamlish_bytes(), explicit in any::<bool>()) {
        run_in_process(Case {
            arbitrary_config: false,
            config: config_text(explicit),
            files: vec![("catalog.yaml".into(), bytes)],
            base: None,
        });
    }

    #[test]
    fn arbitrary_yaml_trees(
        docs in prop::collection::vec(prop_oneof![3 => resource(), 1 => tree()], 1..4),
        style in style(),
        explicit in any::<bool>(),
    ) {
        let text = yaml_stream(&docs, style);
        // Well-formed YAML reads back as the tree that was written.
        let limits = contrail::config::Config::default().limits.yaml;
        let parsed = contrail::source::yaml::parse(&text, &limits)
            .unwrap_or_else(|e| panic!("{e}:\n{text}"));
        let read: Vec<Y> = parsed.iter().map(from_node).collect();
        prop_assert_eq!(&read, &docs, "{}", text);
        run_in_process(Case {
            arbitrary_config: false,
            config: config_text(explicit),
            files: vec![("catalog.yaml".into(), text.into_bytes())],
            base: None,
        });
    }

    #[test]
    fn arbitrary_contrail_yaml(config in config_tree(), style in style()) {
        run_in_process(Case {
            arbitrary_config: true,
            config: yaml_stream(&[config], style),
            files: shop().files(Style::Block),
            base: None,
        });
    }

    #[test]
    fn mutated_valid_contracts(edits in mutations(), style in style()) {
        run_in_process(Case {
            arbitrary_config: false,
            config: config_text(false),
            files: shop().mutated(&edits).files(style),
            base: None,
        });
    }

    #[test]
    fn mutated_base_and_head_through_the_change_set_and_reviewer_diff(
        head_edits in mutations(),
        base_edits in prop::collection::vec(mutation(), 0..3),
        style in style(),
    ) {
        run_in_process(Case {
            arbitrary_config: false,
            config: config_text(false),
            files: shop().mutated(&head_edits).files(style),
            base: Some(shop().mutated(&base_edits).files(Style::Block)),
        });
    }

    #[test]
    fn every_reporter_over_arbitrary_names_and_descriptions(
        texts in prop::collection::vec(hostile_text(), 8),
        with_base in any::<bool>(),
    ) {
        let files = vec![("catalog.yaml".to_string(), hostile_contract(&texts).into_bytes())];
        let base = with_base.then(|| {
            vec![("catalog.yaml".to_string(), hostile_contract(&texts[1..]).into_bytes())]
        });
        run_in_process(Case {
            arbitrary_config: false,
            config: "version: 1\npolicies: [\"policies/\"]\n".into(),
            files: files.into_iter().chain([echo_policy()]).collect(),
            base: base.map(|b| b.into_iter().chain([echo_policy()]).collect()),
        });
    }
}

/// Resources whose names, descriptions, owners, refs and unknown fields are `t[0..]`.
fn hostile_contract(t: &[String]) -> String {
    let t = |i: usize| Y::Str(t.get(i).cloned().unwrap_or_default());
    let s = |v: &str| Y::Str(v.to_string());
    let map = |entries: Vec<(&str, Y)>| {
        Y::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    };
    let unknown_key = match t(7) {
        Y::Str(k) if !["kind", "name", "reviewers"].contains(&k.as_str()) => k,
        _ => "x".into(),
    };
    let docs = vec![
        map(vec![
            ("kind", s("Property")),
            ("name", t(0)),
            ("type", s("string")),
            ("description", t(1)),
            ("enum", Y::Seq(vec![t(2), t(3)])),
            ("pii", s("direct")),
        ]),
        map(vec![
            ("kind", s("Event")),
            ("name", t(2)),
            ("owner", t(3)),
            ("description", t(4)),
            (
                "properties",
                Y::Seq(vec![map(vec![("ref", t(0))]), map(vec![("ref", t(5))])]),
            ),
        ]),
        Y::Map(vec![
            ("kind".into(), s("Team")),
            ("name".into(), t(3)),
            ("reviewers".into(), Y::Seq(vec![t(6)])),
            (unknown_key, t(1)),
        ]),
        map(vec![
            ("kind", s("Property")),
            ("name", t(0)),
            ("type", t(6)),
        ]),
    ];
    yaml_stream(&docs, Style::Block)
}

/// A user policy whose messages are the contract's own descriptions and names.
fn echo_policy() -> (String, Vec<u8>) {
    let policy = "package acme.echo\n\n# METADATA\n# title: Echo\n# custom: {id: ACME1, name: echo}\nwarn contains f if {\n\tsome name, e in input.events\n\tf := {\"rule\": \"echo\", \"msg\": sprintf(\"%s: %v\", [name, object.get(e, \"description\", \"\")]), \"at\": {\"kind\": \"Event\", \"name\": name, \"field\": \"description\"}}\n}\n\nwarn contains msg if {\n\tsome name, p in input.properties\n\tmsg := sprintf(\"%s %v\", [name, p])\n}\n";
    ("policies/echo.rego".into(), policy.as_bytes().to_vec())
}

// ---------------------------------------------------------------------------------------
// The binary, for a few cases: user policies in their worker, output files, `diff`

proptest! {
    #![proptest_config(config(1, 20))]

    #[test]
    fn the_binary_in_every_format(
        head_edits in mutations(),
        base_edits in prop::collection::vec(mutation(), 0..2),
        texts in prop::collection::vec(hostile_text(), 8),
    ) {
        let mut files = shop().mutated(&head_edits).files(Style::Block);
        files.push(("hostile.yaml".into(), hostile_contract(&texts).into_bytes()));
        files.push(echo_policy());
        let mut base = shop().mutated(&base_edits).files(Style::Flow);
        base.push(echo_policy());
        let config = "version: 1\npolicies: [\"policies/\"]\n";
        bounded(move || run_binary(config, &files, &base));
    }
}

fn run_binary(config: &str, files: &[(String, Vec<u8>)], base: &[(String, Vec<u8>)]) {
    let head = write_dir(config, files);
    let base = write_dir(config, base);
    let out = tempfile::tempdir().expect("temp dir");
    let summary = out.path().join("summary.md");
    std::fs::write(&summary, "").expect("summary");
    for with_base in [false, true] {
        for format in ["human", "json", "sarif", "github", "markdown"] {
            let mut cmd = contrail();
            cmd.current_dir(head.path())
                .args(["check", ".", "--format", format, "--color", "always"])
                .arg("--sarif")
                .arg(out.path().join("out.sarif"))
                .arg("--markdown")
                .arg(out.path().join("out.md"))
                .arg("--json")
                .arg(out.path().join("out.json"))
                .env("GITHUB_STEP_SUMMARY", &summary);
            if with_base {
                cmd.arg("--base").arg(base.path());
            }
            let run = cmd.output().expect("runs");
            let stdout = String::from_utf8_lossy(&run.stdout);
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(
                matches!(run.status.code(), Some(0 | 1)),
                "check --format {format}: {:?}\n{stderr}",
                run.status
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
            match format {
                "sarif" => assert_sarif_valid(&run.stdout),
                "json" => {
                    let json: serde_json::Value =
                        serde_json::from_slice(&run.stdout).expect("JSON");
                    let n = json["findings"].as_array().map_or(0, Vec::len);
                    let sarif = std::fs::read(out.path().join("out.sarif")).expect("sarif");
                    assert_sarif_valid(&sarif);
                    let github = contrail()
                        .current_dir(head.path())
                        .args(["check", ".", "--format", "github"])
                        .args(with_base.then_some("--base"))
                        .args(with_base.then(|| base.path()))
                        .env_remove("GITHUB_STEP_SUMMARY")
                        .output()
                        .expect("runs");
                    assert_github_commands(&String::from_utf8_lossy(&github.stdout), n);
                }
                "markdown" => assert_markdown_tables(&stdout),
                _ => {}
            }
            let md = std::fs::read_to_string(out.path().join("out.md")).expect("markdown");
            assert_markdown_tables(&md);
        }
        if with_base {
            for format in ["human", "markdown", "json"] {
                let run = contrail()
                    .current_dir(head.path())
                    .args(["diff", ".", "--format", format, "--base"])
                    .arg(base.path())
                    .output()
                    .expect("runs");
                let stderr = String::from_utf8_lossy(&run.stderr);
                assert_eq!(
                    run.status.code(),
                    Some(0),
                    "diff --format {format}: {stderr}"
                );
                if format == "markdown" {
                    assert_markdown_tables(&String::from_utf8_lossy(&run.stdout));
                }
            }
        }
    }
    let summary = std::fs::read_to_string(&summary).expect("summary");
    assert_markdown_tables(&summary);
    let _ = std::io::stderr().flush();
}

// ---------------------------------------------------------------------------------------
// What the generators rely on

/// The shop example written back by this file's YAML writer reads as the original: the
/// mutated contracts start from a valid one.
#[test]
fn the_shop_example_written_back_is_still_clean() {
    for style in [Style::Block, Style::Flow] {
        let dir = write_dir(&config_text(false), &shop().files(style));
        let (status, json) = common::check_json(dir.path());
        assert_eq!(status, 0, "{style:?}: {json:#}");
        let errors: Vec<_> = json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(json["summary"]["events"], 39, "{json:#}");
    }
}

/// A name with a line break then `::` (shown in the help of `dangling-reference`) must not
/// start a line of the human output (the CI log) with a workflow command. Found by the
/// campaign, seed 2.
#[test]
fn a_line_break_in_a_name_never_starts_a_workflow_command_in_human_output() {
    let event = format!(
        "kind: Event\nname: x\nowner: {:?}\n",
        "team\n::error file=x,line=1::forged"
    );
    let repo = common::temp_repo("version: 1\n", &[("a.yaml", event.as_bytes())]);
    let out = common::check_human(repo.path(), ".");
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("\\u{3a}:error file=x"), "{human}");
    assert_no_workflow_command(&human);
}

/// A team name or reviewer handle with a line break then `::` (listed under "required
/// reviewers" by `contrail diff` and check's reviewer diff) must not start a line with a
/// workflow command. Found by the campaign, seed 4 (a team name).
#[test]
fn a_line_break_in_a_team_never_starts_a_workflow_command_in_the_reviewer_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, head) = (dir.path().join("base"), dir.path().join("head"));
    common::copy_dir(&common::root().join("fixtures/examples/shop"), &base);
    common::edit(
        &base.join("teams.yaml"),
        r#"reviewers: ["@shop/checkout"]"#,
        r#"reviewers: ["@shop/checkout\n::error file=x,line=1::handle"]"#,
    );
    // An owner that is no usable team name (CT009), but is still listed as a reviewer.
    common::edit(
        &base.join("properties/checkout.yaml"),
        "owner: checkout",
        r#"owner: "t\n::error file=x,line=2::team""#,
    );
    common::copy_dir(&base, &head);
    // Changes that the forged owner and the checkout team must review.
    let properties = head.join("properties/checkout.yaml");
    common::edit(&properties, "pii: none", "pii: indirect");
    common::edit(
        &properties,
        "minimum: 0\npii: none",
        "minimum: 0\npii: indirect",
    );
    for args in [&["diff"][..], &["check", "--format", "markdown"]] {
        let run = common::contrail()
            .args(args)
            .arg(&head)
            .arg("--base")
            .arg(&base)
            .output()
            .expect("runs");
        let out = String::from_utf8_lossy(&run.stdout);
        assert!(out.contains("error file=x,line=1"), "{args:?}: {out}");
        assert!(out.contains("error file=x,line=2"), "{args:?}: {out}");
        assert_no_workflow_command(&out);
    }
}

/// A team name that itself starts with `::` is listed at the start of a line of the
/// reviewer diff ("  ::x @handle"): that line must not read as a workflow command. Found by
/// the campaign of 2026-12-03 on main, seed 21 (shrunk to this input).
#[test]
fn a_team_named_like_a_workflow_command_never_starts_a_line() {
    let texts: Vec<String> = [
        "",
        "",
        "\u{a81}",
        "::xwtwm",
        "/^c",
        "x",
        "<!--\n&amp;``",
        "*:",
    ]
    .map(String::from)
    .into();
    let files = vec![(
        "catalog.yaml".to_string(),
        hostile_contract(&texts).into_bytes(),
    )];
    let base = vec![(
        "catalog.yaml".to_string(),
        hostile_contract(&texts[1..]).into_bytes(),
    )];
    run_in_process(Case {
        arbitrary_config: false,
        config: "version: 1\npolicies: [\"policies/\"]\n".into(),
        files: files.into_iter().chain([echo_policy()]).collect(),
        base: Some(base.into_iter().chain([echo_policy()]).collect()),
    });
}

/// The invariant checks catch what they are for.
#[test]
fn the_invariant_checks_can_fail() {
    let fails = |f: fn()| catch_unwind(f).is_err();
    assert!(fails(|| assert_github_commands("::error file=a:b::m\n", 1)));
    assert!(fails(|| assert_github_commands("::error::a\nb\n", 1)));
    assert!(fails(|| assert_markdown_tables(
        "| a | b |\n|---|---|\n| x | y | z |\n"
    )));
    assert!(fails(|| assert_sarif_valid(br#"{"version": "2.1.0"}"#)));
    assert!(fails(|| assert_no_workflow_command(
        "x\n  ::error::forged\n"
    )));
    assert_markdown_tables("| a | b |\n|---|---|\n| x \\| y | z |\n");
    assert_github_commands(
        "::warning file=a%3Ab,line=1,col=2,title=CT001 x::m%0An\n",
        1,
    );
}
