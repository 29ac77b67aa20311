//! Event name patterns (a pipeline's `events` entries such as `checkout_*`; not the file globs
//! of `include`, which are `source::file_glob`): case-sensitive, `*` matches any run of
//! characters, `?` exactly one.

pub fn matches(pattern: &str, name: &str) -> bool {
    // Byte positions on both sides; `?` consumes one whole character. No allocation: this
    // runs for every (pipeline, event) pair.
    let (p, n) = (pattern.as_bytes(), name);
    let (mut pi, mut ni) = (0, 0);
    // Position after the last `*` and the name position it was last tried at.
    let mut star: Option<(usize, usize)> = None;
    while let Some(c) = n[ni..].chars().next() {
        // Pattern bytes that match the name's next character.
        let step = match p.get(pi) {
            Some(b'*') => {
                star = Some((pi + 1, ni));
                pi += 1;
                continue;
            }
            Some(b'?') => Some(1),
            Some(_) if pattern[pi..].starts_with(c) => Some(c.len_utf8()),
            _ => None,
        };
        match (step, star) {
            (Some(pattern_len), _) => {
                pi += pattern_len;
                ni += c.len_utf8();
            }
            (None, Some((after, tried))) => {
                let skipped = n[tried..].chars().next().map_or(1, char::len_utf8);
                pi = after;
                ni = tried + skipped;
                star = Some((after, ni));
            }
            (None, None) => return false,
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

pub fn matches_any(patterns: &[String], name: &str) -> bool {
    first_match(patterns, name).is_some()
}

/// The first pattern that matches `name`.
pub fn first_match<'p>(patterns: &'p [String], name: &str) -> Option<&'p str> {
    patterns
        .iter()
        .map(String::as_str)
        .find(|p| matches(p, name))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn star_and_question_mark() {
        assert!(matches("checkout_*", "checkout_started"));
        assert!(matches("*", "x"));
        assert!(matches("order_?ompleted", "order_completed"));
        assert!(matches("*_viewed", "product_list_viewed"));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("Checkout_*", "checkout_started"));
        assert!(!matches("order_*", "orders"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("[x]", "[x]"));
        assert!(matches("caf?_*", "café_opened"));
        assert!(matches("*é", "thé"));
        assert!(!matches("caf?", "café_"));
    }
}
