//! The source lines a human finding shows, as miette reads them. They are user text: every
//! control and bidi character is shown escaped (`\u{1b}`), and a line longer than
//! [`LONG_LINE`] characters is cut to a window around each label, [`CUT`] where text was left
//! out (miette cannot draw a label past column 65,535, and a minified line is unreadable
//! anyway). Line numbers and the `path:line:col` header stay those of the file.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape;
use crate::source::{ColumnUnit, SourceFile};

/// Lines up to this many characters are shown whole.
pub const LONG_LINE: usize = 240;
/// Characters kept on each side of a label's start and end on a longer line.
const CONTEXT: usize = 40;
/// Stands for the text left out of a long line.
pub const CUT: &str = "…";
/// Lines read around the labels: miette shows one on each side, one more costs nothing.
const MARGIN_LINES: usize = 2;

/// The lines of one file around a diagnostic's labels, escaped and cut.
pub struct Snippet<'a> {
    file: &'a SourceFile,
    name: String,
    text: String,
    /// The 0-based line of the file where `text` starts.
    first_line: usize,
    /// Where `text` and the file stop moving together (each escaped character, each cut):
    /// `(offset in text, offset in the file)`, both increasing.
    marks: Vec<(usize, usize)>,
}

impl<'a> Snippet<'a> {
    /// The lines of `file` that show `ranges` (byte ranges of the file), named `name`.
    pub fn new(file: &'a SourceFile, name: String, ranges: &[Range<u32>]) -> Self {
        let src = file.text.as_str();
        let at = |offset: u32| floor_boundary(src, offset as usize);
        let lo = ranges.iter().map(|r| at(r.start)).min().unwrap_or(0);
        let hi = ranges
            .iter()
            .map(|r| at(r.end.max(r.start)))
            .max()
            .unwrap_or(0);
        let boundaries: Vec<usize> = ranges
            .iter()
            .flat_map(|r| [at(r.start), at(r.end)])
            .collect();

        let line_of_lo = file.line_col(lo as u32, ColumnUnit::Bytes).line as usize - 1;
        let first_line = line_of_lo.saturating_sub(MARGIN_LINES);
        let start = file.line_start(first_line as u32 + 1) as usize;
        let mut end = hi;
        for _ in 0..=MARGIN_LINES {
            end = src[end..].find('\n').map_or(src.len(), |i| end + i + 1);
        }

        let mut snippet = Snippet {
            file,
            name,
            text: String::new(),
            first_line,
            marks: vec![(0, start)],
        };
        let mut pos = start;
        while pos < end {
            let newline = src[pos..end].find('\n').map(|i| pos + i);
            let line_end = newline.unwrap_or(end);
            // CR LF is one line break, kept as it is; a lone CR is escaped with the text.
            let content_end = match newline {
                Some(n) if n > pos && src.as_bytes()[n - 1] == b'\r' => n - 1,
                _ => line_end,
            };
            snippet.line(pos, content_end, &boundaries);
            match newline {
                Some(n) => {
                    snippet.text.push_str(&src[content_end..=n]);
                    pos = n + 1;
                }
                None => pos = end,
            }
        }
        snippet
    }

    /// Where a byte range of the file is in the snippet's text.
    pub fn span(&self, range: &Range<u32>) -> SourceSpan {
        let start = self.to_text(range.start as usize);
        let end = self.to_text(range.end.max(range.start) as usize).max(start);
        (start, end - start).into()
    }

    /// One line's text (without its line break), cut when long.
    fn line(&mut self, start: usize, end: usize, boundaries: &[usize]) {
        let src = self.file.text.as_str();
        let content = &src[start..end];
        let long = content.len() > LONG_LINE
            && (content.len() > 4 * LONG_LINE || content.chars().count() > LONG_LINE);
        if !long {
            self.copy(start, end);
            return;
        }
        let mut windows: Vec<(usize, usize)> = boundaries
            .iter()
            .filter(|&&b| start <= b && b <= end)
            .map(|&b| (back(src, start, b, CONTEXT), forward(src, b, end, CONTEXT)))
            .collect();
        if windows.is_empty() {
            windows.push((start, forward(src, start, end, 2 * CONTEXT)));
        }
        windows.sort_unstable();
        let mut pos = start;
        for (from, to) in windows {
            if from > pos {
                self.cut(pos, from);
                pos = from;
            }
            if to > pos {
                self.copy(pos, to);
                pos = to;
            }
        }
        if pos < end {
            self.cut(pos, end);
        }
    }

    /// The file's text from `start` to `end`, hazards escaped.
    fn copy(&mut self, start: usize, end: usize) {
        let src = self.file.text.as_str();
        let mut run = start;
        for (i, c) in src[start..end].char_indices() {
            let at = start + i;
            if escape::is_hazard(c) {
                self.text.push_str(&src[run..at]);
                self.marks.push((self.text.len(), at));
                self.text.push_str(&escape::visible(c));
                run = at + c.len_utf8();
                self.marks.push((self.text.len(), run));
            }
        }
        self.text.push_str(&src[run..end]);
    }

    /// The file's text from `start` to `end` left out.
    fn cut(&mut self, start: usize, end: usize) {
        self.marks.push((self.text.len(), start));
        self.text.push_str(CUT);
        self.marks.push((self.text.len(), end));
    }

    fn to_text(&self, offset: usize) -> usize {
        let i = self
            .marks
            .partition_point(|&(_, file)| file <= offset)
            .saturating_sub(1);
        let (text, file) = self.marks[i];
        let next = self.marks.get(i + 1).map_or(self.text.len(), |&(t, _)| t);
        (text + offset.saturating_sub(file)).min(next)
    }

    fn to_file(&self, offset: usize) -> usize {
        let i = self
            .marks
            .partition_point(|&(text, _)| text <= offset)
            .saturating_sub(1);
        let (text, file) = self.marks[i];
        let next = self
            .marks
            .get(i + 1)
            .map_or(self.file.text.len(), |&(_, f)| f);
        (file + offset.saturating_sub(text)).min(next)
    }
}

impl SourceCode for Snippet<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        // miette's header column: bytes from the start of the line, in the file.
        let column = if context_lines_before == 0 {
            let at = self.to_file(inner.span().offset()) as u32;
            self.file.line_col(at, ColumnUnit::Bytes).column as usize - 1
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.first_line + inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// The largest char boundary of `s` at or before `offset`.
fn floor_boundary(s: &str, offset: usize) -> usize {
    let mut at = offset.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The offset `n` characters before `at`, not before `start`.
fn back(s: &str, start: usize, at: usize, n: usize) -> usize {
    s[start..at]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(start, |(i, _)| start + i)
}

/// The offset `n` characters after `at`, not after `end`.
fn forward(s: &str, at: usize, end: usize, n: usize) -> usize {
    s[at..end]
        .char_indices()
        .nth(n)
        .map_or(end, |(i, _)| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("a.yaml".into(), "a.yaml".into(), text.into())
    }

    /// The snippet's text and what a file range covers in it.
    fn render(text: &str, range: Range<u32>) -> (String, String) {
        let f = file(text);
        let s = Snippet::new(&f, "a.yaml".into(), std::slice::from_ref(&range));
        let span = s.span(&range);
        let covered = s.text[span.offset()..span.offset() + span.len()].to_string();
        (s.text, covered)
    }

    #[test]
    fn short_lines_are_shown_as_they_are() {
        let text = "a: 1\nname: phone\r\nb: 2\nc: 3\nd: 4\ne: 5\n";
        let at = text.find("phone").unwrap() as u32;
        let (shown, covered) = render(text, at..at + 5);
        // The label's line and two on each side, as they are.
        assert_eq!(shown, "a: 1\nname: phone\r\nb: 2\nc: 3\n");
        assert_eq!(covered, "phone");
    }

    #[test]
    fn a_long_line_is_cut_around_the_label() {
        let line = format!("enum: [{}], bogus: 1", "v, ".repeat(30_000));
        let text = format!("kind: Property\n{line}\nnext: 1\n");
        let at = text.find("bogus").unwrap() as u32;
        let (shown, covered) = render(&text, at..at + 5);
        assert_eq!(covered, "bogus");
        let cut_line = shown.lines().nth(1).unwrap();
        assert!(cut_line.starts_with(CUT) && cut_line.ends_with("], bogus: 1"));
        assert!(cut_line.chars().count() < 2 * CONTEXT + 2, "{cut_line}");
        assert!(shown.starts_with("kind: Property\n") && shown.ends_with("\nnext: 1\n"));
    }

    #[test]
    fn a_long_label_keeps_its_start_and_end() {
        let line = format!("enum: [{}]", "v, ".repeat(30_000));
        let at = line.find('[').unwrap() as u32;
        let (shown, covered) = render(&line, at..line.len() as u32);
        assert!(
            covered.starts_with("[v, v,") && covered.ends_with("v, ]"),
            "{covered}"
        );
        assert_eq!(covered.matches(CUT).count(), 1);
        assert!(shown.len() < 200, "{shown}");
        // A line without a label is cut after its start.
        let text = format!("{line}\nname: x\n");
        let at = text.find("x\n").unwrap() as u32;
        let (shown, _) = render(&text, at..at + 1);
        assert!(shown.starts_with("enum: [v, ") && shown.contains(&format!("{CUT}\nname")));
    }

    #[test]
    fn hazards_are_escaped_and_labels_still_cover_their_text() {
        let text = "x: 1\nname: \"a\x1b[2J\u{202e}b\"\ry: 2\n";
        let at = text.find("\"a").unwrap() as u32;
        let end = text.find("\"\r").unwrap() as u32 + 1;
        let (shown, covered) = render(text, at..end);
        assert_eq!(covered, "\"a\\u{1b}[2J\\u{202e}b\"");
        assert_eq!(shown, "x: 1\nname: \"a\\u{1b}[2J\\u{202e}b\"\\u{d}y: 2\n");
    }

    #[test]
    fn the_header_gives_the_position_in_the_file() {
        let line = format!("k: \u{202e}{}bogus", "é".repeat(500));
        let text = format!("a: 1\n{line}\n");
        let f = file(&text);
        let at = text.find("bogus").unwrap() as u32;
        let label = at..at + 5;
        let s = Snippet::new(&f, "a.yaml".into(), std::slice::from_ref(&label));
        let contents = s.read_span(&s.span(&label), 0, 0).unwrap();
        assert_eq!(contents.line(), 1);
        assert_eq!(
            contents.column() + 1,
            f.line_col(at, ColumnUnit::Bytes).column as usize
        );
    }
}
