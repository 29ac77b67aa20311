//! Every file contrail writes (compiled artifacts, reports, the job summary) appears whole or
//! not at all: it is written to a temporary file in the same directory, then renamed over the
//! target, which replaces it in one step. A run that fails or is killed while writing leaves
//! the previous file as it was, and at worst a hidden `.*.tmp` file beside it.
//!
//! The rename also means an output path that is a symbolic link is replaced, never written
//! through: a pull request may commit `contrail.sarif` as a link to a file of the runner.
//! There is no `fsync`: a killed process loses nothing it wrote, and power loss during a CI
//! run is not worth an `fsync` per compiled schema.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Writes `path` with what `fill` writes, atomically. The file keeps the permissions of the one it
/// replaces.
pub fn write(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut pending = Pending::create(path)?;
    fill(pending.writer())?;
    pending.commit()
}

/// A file being written beside `path` that replaces it only when committed, for a command
/// that writes several files from one stream and commits them only once the stream is
/// through: dropped without [`Pending::commit`] (an error, a panic), the temporary file is
/// removed. Each commit is one rename, so the files are not replaced together: when a later
/// commit fails, the files committed before it are already replaced.
pub struct Pending {
    path: PathBuf,
    temp: PathBuf,
    out: BufWriter<File>,
    committed: bool,
}

impl Pending {
    pub fn create(path: &Path) -> io::Result<Self> {
        let (temp, file) = create_temp(path)?;
        Ok(Pending {
            path: path.to_path_buf(),
            temp,
            out: BufWriter::new(file),
            committed: false,
        })
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.out
    }

    /// Flushes, gives the file the permissions of the one it replaces, and renames it over
    /// `path`.
    pub fn commit(mut self) -> io::Result<()> {
        self.out.flush()?;
        if let Ok(previous) = fs::metadata(&self.path) {
            fs::set_permissions(&self.temp, previous.permissions())?;
        }
        fs::rename(&self.temp, &self.path)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// `path` with `tail` appended, atomically: the existing content is copied into the new file
/// first. (An append in place could leave half of `tail` behind on a full disk or a kill.)
pub fn append(path: &Path, tail: &[u8]) -> io::Result<()> {
    write(path, |out| {
        match File::open(path) {
            Ok(mut previous) => drop(io::copy(&mut previous, out)?),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        out.write_all(tail)
    })
}

/// A new file beside `path`, named so that it cannot collide with another run's or thread's.
fn create_temp(path: &Path) -> io::Result<(PathBuf, File)> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(
            ".{}.{}-{n}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        match File::options().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            // Left by a killed run whose process id came back: take the next name.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_previous_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.json");
        fs::write(&path, "previous").expect("write");
        let failed = write(&path, |out| {
            out.write_all(b"half of the new")?;
            Err(io::Error::other("the writer failed"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&path).expect("read"), "previous");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["report.json"]);
    }

    #[test]
    fn append_copies_then_adds_and_keeps_the_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("summary.md");
        fs::write(&path, "first\n").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        append(&path, b"second\n").expect("append");
        assert_eq!(fs::read_to_string(&path).expect("read"), "first\nsecond\n");
        let mode = fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        append(&dir.path().join("new.md"), b"only\n").expect("append to nothing");
        assert_eq!(
            fs::read_to_string(dir.path().join("new.md")).expect("read"),
            "only\n"
        );
    }

    #[test]
    fn a_link_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().expect("temp dir");
        let victim = dir.path().join("victim");
        fs::write(&victim, "untouched").expect("write");
        let link = dir.path().join("out.sarif");
        std::os::unix::fs::symlink(&victim, &link).expect("symlink");
        write(&link, |out| out.write_all(b"report")).expect("write");
        assert_eq!(fs::read_to_string(&victim).expect("read"), "untouched");
        assert_eq!(fs::read_to_string(&link).expect("read"), "report");
        assert!(!fs::symlink_metadata(&link).expect("stat").is_symlink());
    }
}
