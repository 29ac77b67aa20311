//! Every use of git, through the `git` CLI: base revisions read straight from the object
//! database (`git rev-parse`, `git ls-tree -r -z` and one `git cat-file --batch` process; no
//! checkout, no worktree), and the repository's top level that SARIF paths are relative to.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why a git revision could not be read (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run `git`: {0}")]
    Spawn(std::io::Error),
    #[error("`{}` is not a directory and `{}` is not inside a git repository", base, path.display())]
    NotARepository { base: String, path: PathBuf },
    #[error("the base revision `{rev}` is not in this shallow clone")]
    Shallow { rev: String },
    #[error("the base revision `{rev}` does not exist")]
    RevisionNotFound { rev: String },
    #[error("`git {command}` failed: {stderr}")]
    Failed { command: String, stderr: String },
    #[error("`git cat-file --batch` returned something unexpected for `{path}`")]
    Protocol { path: String },
}

impl GitError {
    /// What the user can do about it.
    pub fn help(&self) -> Option<String> {
        match self {
            GitError::Spawn(_) => Some("install git, or give `--base` a directory".into()),
            GitError::NotARepository { .. } => Some(
                "give `--base` an existing directory, or run contrail inside the git repository"
                    .into(),
            ),
            GitError::Shallow { rev } => Some(format!(
                "fetch the history: `git fetch --unshallow` (or `git fetch origin {rev}`); in GitHub Actions set `fetch-depth: 0` on actions/checkout"
            )),
            GitError::RevisionNotFound { rev } => Some(format!(
                "name an existing branch, tag or commit (`git branch -a`, `git tag`), or fetch it first: `git fetch origin {rev}`"
            )),
            GitError::Failed { .. } | GitError::Protocol { .. } => None,
        }
    }
}

/// A file of the base tree: its path relative to the contract root and its bytes.
#[derive(Debug)]
pub struct TreeFile {
    pub rel_path: String,
    pub bytes: Vec<u8>,
}

/// The contract's directory as it was at a revision.
#[derive(Debug)]
pub struct Tree {
    /// The full commit id the revision named.
    pub commit: String,
    /// The directory's path from the repository's top level, `/`-terminated (empty at the top).
    pub prefix: String,
    pub files: Vec<TreeFile>,
    /// Selected paths that are symbolic links (mode 120000): never followed, since what a
    /// link leads to in a revision may be outside the contract or not in the revision at all.
    pub links: Vec<String>,
}

/// Runs git in `dir`; its stdout, or its stderr as the error.
fn git(dir: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    if out.status.success() {
        Ok(Ok(out.stdout))
    } else {
        Ok(Err(String::from_utf8_lossy(&out.stderr).trim().to_string()))
    }
}

/// The git top level of the work tree holding `dir` (canonical), or `None` outside git or
/// without a `git` executable: then paths stay relative to the contract root.
pub fn top_level(dir: &Path) -> Option<PathBuf> {
    let stdout = git(dir, &["rev-parse", "--show-toplevel"]).ok()?.ok()?;
    let text = String::from_utf8(stdout).ok()?;
    let top = text.trim_end_matches(['\n', '\r']);
    (!top.is_empty())
        .then(|| Path::new(top).canonicalize().ok())
        .flatten()
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// Reads the directory `dir` (inside a git work tree) as it was at `rev`, keeping the files
/// whose path relative to `dir` `select` accepts. Each blob is read once, through one
/// `git cat-file --batch` process.
pub fn read_tree(dir: &Path, rev: &str, select: impl Fn(&str) -> bool) -> Result<Tree, GitError> {
    let prefix = match git(dir, &["rev-parse", "--show-prefix"])? {
        Ok(out) => text(out),
        Err(_) => {
            return Err(GitError::NotARepository {
                base: rev.to_string(),
                path: dir.to_path_buf(),
            })
        }
    };
    let commit = match git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
    )? {
        Ok(out) => text(out),
        Err(_) => {
            let shallow = git(dir, &["rev-parse", "--is-shallow-repository"])?
                .map(text)
                .is_ok_and(|s| s == "true");
            return Err(if shallow {
                GitError::Shallow {
                    rev: rev.to_string(),
                }
            } else {
                GitError::RevisionNotFound {
                    rev: rev.to_string(),
                }
            });
        }
    };
    let tree = format!("{commit}:{prefix}");
    // The contract's directory did not exist at that revision: everything in it is new.
    if git(dir, &["rev-parse", "--verify", "--quiet", &tree])?.is_err() {
        return Ok(Tree {
            commit,
            prefix,
            files: Vec::new(),
            links: Vec::new(),
        });
    }
    let listing = git(dir, &["ls-tree", "-r", "-z", "--full-tree", &tree])?.map_err(|stderr| {
        GitError::Failed {
            command: format!("ls-tree -r -z {tree}"),
            stderr,
        }
    })?;
    let mut wanted: Vec<(String, String)> = Vec::new();
    let mut links = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut fields = meta.split(' ');
        let (Some(mode), Some(kind), Some(id)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        // Submodules (commits) have no contract text.
        if kind == "blob" && select(path) {
            if mode == "120000" {
                links.push(path.to_string());
            } else {
                wanted.push((path.to_string(), id.to_string()));
            }
        }
    }
    let files = cat_blobs(dir, wanted)?;
    Ok(Tree {
        commit,
        prefix,
        files,
        links,
    })
}

/// The contents of `blobs` (path, object id), through one `git cat-file --batch` process.
fn cat_blobs(dir: &Path, blobs: Vec<(String, String)>) -> Result<Vec<TreeFile>, GitError> {
    if blobs.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::Spawn)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(GitError::Protocol {
            path: "(pipes)".into(),
        });
    };
    let ids: String = blobs.iter().map(|(_, id)| format!("{id}\n")).collect();
    // Written from another thread: git answers while we ask, and both pipes are bounded.
    let writer = std::thread::spawn(move || stdin.write_all(ids.as_bytes()));
    let files = match read_batch(BufReader::new(stdout), blobs) {
        Ok(files) => files,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
    };
    let written = writer.join();
    let status = child.wait().map_err(GitError::Spawn)?;
    if !status.success() || !matches!(written, Ok(Ok(()))) {
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        return Err(GitError::Failed {
            command: "cat-file --batch".into(),
            stderr: stderr.trim().to_string(),
        });
    }
    Ok(files)
}

/// Reads `git cat-file --batch` answers for `blobs`, in order.
fn read_batch(
    mut reader: impl BufRead,
    blobs: Vec<(String, String)>,
) -> Result<Vec<TreeFile>, GitError> {
    let mut files = Vec::with_capacity(blobs.len());
    let mut header = String::new();
    for (path, id) in blobs {
        header.clear();
        let protocol = || GitError::Protocol { path: path.clone() };
        reader.read_line(&mut header).map_err(|_| protocol())?;
        // `<id> blob <size>`, or `<id> missing`.
        let mut parts = header.split_whitespace();
        let size = match (parts.next(), parts.next(), parts.next()) {
            (Some(got), Some("blob"), Some(size)) if got == id => {
                size.parse::<usize>().map_err(|_| protocol())?
            }
            _ => return Err(protocol()),
        };
        let mut bytes = vec![0; size];
        reader.read_exact(&mut bytes).map_err(|_| protocol())?;
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline).map_err(|_| protocol())?;
        files.push(TreeFile {
            rel_path: path,
            bytes,
        });
    }
    Ok(files)
}
