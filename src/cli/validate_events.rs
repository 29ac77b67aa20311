use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::args::{Format, Global, ValidateEventsArgs};
use super::{load_base, load_contract, ExitStatus};
use contrail::atomic::Pending;
use contrail::report::escape::plain;
use contrail::rules::Severity;
use contrail::validate::{
    self, Applied, Base, FindingCounts, Input, Options, RoutePlan, Sinks, Validator,
};

/// Validates the traffic of `--events` against the contract; exit 1 when the rejection rate
/// is above `--max-rejection-rate` or the dry run finds a violation. A contract with
/// findings is used as it is; one that does not load is exit 2.
pub fn run(args: &ValidateEventsArgs, global: &Global) -> Result<ExitStatus, contrail::Error> {
    let target = super::target(&args.path);
    let mut contract = load_contract(&target.root)?;
    if let Some(spec) = &args.base {
        load_base(&mut contract, &target.root, Some(spec))?;
    }
    let checked = contrail::check(&contract);
    let findings = &checked.findings;
    let validator = Validator::new(&contract.model);
    for (event, why) in validator.unusable_schemas() {
        eprintln!(
            "warning: the schema of event `{}` cannot be built ({}); its payloads are rejected",
            plain(event),
            plain(why)
        );
    }
    let disabled = &contract.config.disabled;
    let plan = args
        .route
        .then(|| RoutePlan::new(&contract.model, &checked.catalog, disabled));
    // The base as `check --base` compiled it, judged with the contract's configuration.
    let base_validator = contract.base.as_ref().map(|b| Validator::new(&b.model));
    let base_plan = match (&contract.base, &checked.comparison) {
        (Some(b), Some(c)) if args.route => {
            Some(RoutePlan::new(&b.model, &c.base_catalog, disabled))
        }
        _ => None,
    };
    let Some(inputs) = open_inputs(&args.events) else {
        return Ok(ExitStatus::Error);
    };
    let named = [
        ("--dead-letter", &args.dead_letter),
        ("--accepted", &args.accepted),
        ("--deliveries", &args.deliveries),
    ];
    if let Some((a, b)) = same_file(&named) {
        eprintln!("error: `{a}` and `{b}` name the same file: one output would replace the other");
        return Ok(ExitStatus::Error);
    }
    let [dead_letter, accepted, deliveries] = named.map(|(_, path)| {
        path.as_deref()
            .map(|path| Pending::create(path).map_err(|e| (path, e)))
            .transpose()
    });
    let (mut dead_letter, mut accepted, mut deliveries) = match (dead_letter, accepted, deliveries)
    {
        (Ok(d), Ok(a), Ok(r)) => (d, a, r),
        (Err((path, e)), ..) | (_, Err((path, e)), _) | (.., Err((path, e))) => {
            let shown = path.display().to_string();
            eprintln!("error: cannot write `{}`: {e}", plain(&shown));
            return Ok(ExitStatus::Error);
        }
    };
    let sinks = Sinks {
        dead_letter: dead_letter.as_mut().map(Pending::writer),
        accepted: accepted.as_mut().map(Pending::writer),
        deliveries: deliveries.as_mut().map(Pending::writer),
    };
    let options = Options {
        default_source: args.source.as_deref(),
        name_files: args.events.len() > 1,
        max_line_bytes: args.max_line_bytes,
    };
    let mut progress = Progress::new(!global.quiet && std::io::stderr().is_terminal());
    let head = Applied {
        validator: &validator,
        plan: plan.as_ref(),
    };
    let base = contract
        .base
        .as_ref()
        .zip(base_validator.as_ref())
        .map(|(b, validator)| Base {
            spec: b.spec.clone(),
            commit: b.commit.clone(),
            contract: Applied {
                validator,
                plan: base_plan.as_ref(),
            },
        });
    let result = validate::run(head, base, inputs, &options, sinks, &mut |lines| {
        progress.show(lines)
    });
    progress.clear();
    let mut summary = match result {
        Ok(summary) => summary,
        Err(e) => {
            eprintln!("error: {}; no output was written", plain(&e.to_string()));
            return Ok(ExitStatus::Error);
        }
    };
    let mut committed = Vec::new();
    for (pending, path) in [
        (dead_letter, &args.dead_letter),
        (accepted, &args.accepted),
        (deliveries, &args.deliveries),
    ] {
        if let (Some(pending), Some(path)) = (pending, path) {
            let shown = plain(&path.display().to_string()).into_owned();
            if let Err(e) = pending.commit() {
                eprintln!("error: cannot write `{shown}`: {e}");
                if !committed.is_empty() {
                    // Renames are one file at a time (crate::atomic::Pending).
                    eprintln!("note: already written: `{}`", committed.join("`, `"));
                }
                return Ok(ExitStatus::Error);
            }
            committed.push(shown);
        }
    }
    summary.contract_findings = FindingCounts {
        errors: findings.count(Severity::Error),
        warnings: findings.count(Severity::Warning),
        infos: findings.count(Severity::Info),
    };
    summary.max_rejection_rate = args.max_rejection_rate;
    let mut stdout = std::io::stdout().lock();
    let written = match args.format {
        Format::Human if global.quiet => Ok(()),
        Format::Human => summary.write_human(&mut stdout),
        Format::Json => summary.write_json(&mut stdout),
    };
    if let Err(e) = written.and_then(|()| stdout.flush()) {
        eprintln!("error: cannot write the summary: {e}");
        return Ok(ExitStatus::Error);
    }
    let too_many_rejected = summary.rejection_rate > args.max_rejection_rate;
    Ok(if too_many_rejected || summary.violations() > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

/// Two output options that name one file, however spelled (`out.jsonl`, `./out.jsonl`):
/// the later rename would replace the earlier.
fn same_file<'a>(named: &[(&'a str, &Option<PathBuf>)]) -> Option<(&'a str, &'a str)> {
    let key = |path: &Path| {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        match (dir.canonicalize(), path.file_name()) {
            (Ok(dir), Some(name)) => dir.join(name),
            _ => path.to_path_buf(),
        }
    };
    let keys: Vec<(&str, PathBuf)> = named
        .iter()
        .filter_map(|(option, path)| Some((*option, key(path.as_deref()?))))
        .collect();
    keys.iter().enumerate().find_map(|(i, (a, path))| {
        keys[i + 1..]
            .iter()
            .find(|(_, other)| other == path)
            .map(|(b, _)| (*a, *b))
    })
}

/// Each `--events` as lines: `-` is stdin (once), `.gz` is gunzipped (several members read
/// as one stream, as `gzip -c a b` writes them). `None` when one cannot be opened (said on
/// stderr).
fn open_inputs(paths: &[PathBuf]) -> Option<Vec<Input>> {
    let stdin_count = paths.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_count > 1 {
        eprintln!("error: `--events -` (stdin) can be given once");
        return None;
    }
    let mut inputs = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if path.as_os_str() == "-" {
            inputs.push(Input {
                name: "stdin".into(),
                reader: Box::new(BufReader::with_capacity(1 << 20, std::io::stdin())),
            });
            continue;
        }
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", plain(&shown));
                eprintln!("help: `--events` takes a file of JSON Lines, or `-` for stdin");
                return None;
            }
        };
        let reader: Box<dyn BufRead + Send> = if path.extension().is_some_and(|e| e == "gz") {
            let gunzip = flate2::read::MultiGzDecoder::new(BufReader::new(file));
            Box::new(BufReader::with_capacity(1 << 20, gunzip))
        } else {
            Box::new(BufReader::with_capacity(1 << 20, file))
        };
        inputs.push(Input {
            name: shown,
            reader,
        });
    }
    Some(inputs)
}

/// `lines read, events/s` on stderr, rewritten in place, from two seconds in and at most
/// four times a second; only on a terminal.
struct Progress {
    on: bool,
    start: Instant,
    last: Option<Instant>,
}

impl Progress {
    fn new(on: bool) -> Self {
        Progress {
            on,
            start: Instant::now(),
            last: None,
        }
    }

    fn show(&mut self, lines: u64) {
        let now = Instant::now();
        let elapsed = now - self.start;
        let due = self.last.map_or(elapsed >= Duration::from_secs(2), |last| {
            now - last >= Duration::from_millis(250)
        });
        if !self.on || !due {
            return;
        }
        self.last = Some(now);
        let rate = lines as f64 / elapsed.as_secs_f64();
        eprint!("\r{lines} lines read, {rate:.0} events/s ");
    }

    fn clear(&self) {
        if self.on && self.last.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}
