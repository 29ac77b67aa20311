//! Every file contrail read, with a line index: the one place that turns byte offsets
//! into line and column numbers.

use std::ops::Range;
use std::path::{Path, PathBuf};

pub use crate::finding::FileId;

/// A file as contrail saw it: its path relative to the contract root and its text
/// (empty when it could not be read as UTF-8 text).
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the contract root, with `/` separators.
    pub rel_path: String,
    /// Path as given on the command line joined with `rel_path` (what humans see).
    pub display_path: PathBuf,
    pub text: String,
    /// A file of the base (`--base`), not of the contract being checked.
    pub from_base: bool,
    line_starts: Vec<u32>,
}

/// How columns are counted: bytes (miette, JSON) or UTF-16 code units (SARIF default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    Bytes,
    Chars,
    Utf16,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl SourceFile {
    pub fn new(rel_path: String, display_path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
            .collect();
        Self {
            rel_path,
            display_path,
            text,
            from_base: false,
            line_starts,
        }
    }

    /// 1-based line and column of a byte offset; the column counted in `unit`.
    pub fn line_col(&self, offset: u32, unit: ColumnUnit) -> LineCol {
        let offset = offset.min(self.text.len() as u32);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = &self.text[start..end];
        let column = match unit {
            ColumnUnit::Bytes => prefix.len(),
            ColumnUnit::Chars => prefix.chars().count(),
            ColumnUnit::Utf16 => prefix.encode_utf16().count(),
        };
        LineCol {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// Byte offset of the start of a 1-based line (clamped to the file).
    pub fn line_start(&self, line: u32) -> u32 {
        let idx = (line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        self.line_starts[idx]
    }

    /// The text a byte range covers, or "" when the range is not on char boundaries.
    pub fn slice(&self, range: &Range<u32>) -> &str {
        self.text
            .get(range.start as usize..range.end as usize)
            .unwrap_or("")
    }
}

/// All files of one side (head or base) of a run.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn set_text(&mut self, id: FileId, text: String) {
        let file = &mut self.files[id.0 as usize];
        let from_base = file.from_base;
        *file = SourceFile::new(
            std::mem::take(&mut file.rel_path),
            std::mem::take(&mut file.display_path),
            text,
        );
        file.from_base = from_base;
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The files, moved out in order.
    pub fn into_files(self) -> impl Iterator<Item = (FileId, SourceFile)> {
        self.files
            .into_iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn find(&self, rel_path: &str) -> Option<FileId> {
        self.iter()
            .find(|(_, f)| f.rel_path == rel_path)
            .map(|(id, _)| id)
    }
}

/// `path` relative to `root` with `/` separators (used for display and SARIF URIs).
pub fn relative_slash_path(root: &Path, path: &Path) -> String {
    let Ok(rel) = path.strip_prefix(root) else {
        // Outside the root (a policy path given as absolute): shown as it is.
        return path.to_string_lossy().into_owned();
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_every_unit_on_non_ascii_text() {
        let text = "name: Café ☕ x\nsecond: 𝄞y\n".to_string();
        let file = SourceFile::new("a.yaml".into(), "a.yaml".into(), text.clone());
        let x = text.find(" x").unwrap() as u32 + 1;
        let at = |unit| file.line_col(x, unit);
        assert_eq!(
            at(ColumnUnit::Bytes),
            LineCol {
                line: 1,
                column: 17
            }
        );
        assert_eq!(
            at(ColumnUnit::Chars),
            LineCol {
                line: 1,
                column: 14
            }
        );
        assert_eq!(
            at(ColumnUnit::Utf16),
            LineCol {
                line: 1,
                column: 14
            }
        );
        let y = text.find('y').unwrap() as u32;
        assert_eq!(
            file.line_col(y, ColumnUnit::Chars),
            LineCol {
                line: 2,
                column: 10
            }
        );
        assert_eq!(
            file.line_col(y, ColumnUnit::Utf16),
            LineCol {
                line: 2,
                column: 11
            }
        );
    }
}
