//! The boundary of every read: a file is opened only when its path, with every symbolic link
//! resolved, is inside the directory contrail was pointed at, and only when it is a regular
//! file. A pull request can add a link to `/proc/self/environ`, a credentials file, a
//! device or a FIFO; none of them is ever opened, so none of their bytes can reach a report.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A directory whose files contrail reads (the contract root, or a `--base` directory).
#[derive(Debug, Clone)]
pub struct Root {
    /// Canonical: no symbolic link, no `.` or `..`.
    canonical: PathBuf,
}

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("it is a symbolic link that leads outside the contract root")]
    Outside,
    #[error("it is a symbolic link loop")]
    Loop,
    /// Where a link is not followed at all (`.gitignore`, as git reads it).
    #[error("it is a symbolic link")]
    Link,
    #[error("{}", if *.link { format!("it is a symbolic link to {what}") } else { format!("it is {what}") })]
    NotRegular { what: &'static str, link: bool },
    #[error("it is {size} bytes, above the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl Root {
    pub fn new(dir: &Path) -> io::Result<Self> {
        Ok(Self {
            canonical: dir.canonicalize()?,
        })
    }

    pub fn path(&self) -> &Path {
        &self.canonical
    }

    /// `path` (relative to the root) resolved, if it stays inside the root.
    pub fn resolve(&self, rel: &Path) -> Result<PathBuf, ReadError> {
        let resolved = self.canonical.join(rel).canonicalize().map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                ReadError::Loop
            } else {
                ReadError::Io(e)
            }
        })?;
        if resolved.starts_with(&self.canonical) {
            Ok(resolved)
        } else {
            Err(ReadError::Outside)
        }
    }

    /// The bytes of the regular file at `rel` (relative to the root), at most `limit` of them.
    /// Symbolic links inside the root are followed; nothing outside it is opened.
    pub fn read(&self, rel: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let resolved = self.resolve(rel)?;
        let link = resolved != self.canonical.join(rel);
        // `resolved` holds no link: a link swapped in after `canonicalize` makes the open fail.
        read_regular(&resolved, limit).map_err(|e| match e {
            ReadError::NotRegular { what, .. } => ReadError::NotRegular { what, link },
            e => e,
        })
    }
}

/// Reads `path` when it is a regular file of at most `limit` bytes, without following a
/// symbolic link in its last component (as git reads `.gitignore`). A device, FIFO or socket
/// is never opened; the type is checked again on the opened handle (opened non-blocking, so
/// a FIFO swapped in meanwhile cannot stall the run), so what is read is what was checked.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    check_regular(std::fs::symlink_metadata(path)?.file_type())?;
    let file = File::options()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                ReadError::Link
            } else {
                ReadError::Io(e)
            }
        })?;
    let meta = file.metadata()?;
    check_regular(meta.file_type())?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn check_regular(kind: std::fs::FileType) -> Result<(), ReadError> {
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_symlink() {
        return Err(ReadError::Link);
    }
    let what = if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "an unknown kind of file"
    };
    Err(ReadError::NotRegular { what, link: false })
}
