//! Event globs: case-sensitive, `*` matches any run of characters, `?` exactly one.

pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    // Position after the last `*` and the name position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi + 1, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((after, tried)) => {
                    pi = after;
                    ni = tried + 1;
                    star = Some((after, tried + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

pub fn matches_any(patterns: &[String], name: &str) -> bool {
    patterns.iter().any(|p| matches(p, name))
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
    }
}
