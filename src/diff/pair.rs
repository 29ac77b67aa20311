//! Pairing base and head, once: by name, then renames by shape among what is left.

use std::collections::BTreeMap;

/// A name on one side, or on both.
pub enum Pair<'a, T> {
    Removed(&'a str, &'a T),
    Added(&'a str, &'a T),
    Both(&'a str, &'a T, &'a T),
}

/// Every name of `base` and `head`, in name order, paired.
pub fn by_name<'a, T>(
    base: &'a BTreeMap<String, T>,
    head: &'a BTreeMap<String, T>,
) -> Vec<Pair<'a, T>> {
    let mut out = Vec::new();
    for (name, b) in base {
        match head.get(name) {
            Some(h) => out.push(Pair::Both(name, b, h)),
            None => out.push(Pair::Removed(name, b)),
        }
    }
    for (name, h) in head {
        if !base.contains_key(name) {
            out.push(Pair::Added(name, h));
        }
    }
    out
}

/// Renames among `removed` and `added` names: a removed and an added item whose shapes are
/// equal, when no other removed or added item has that shape (the confidence rule: a match
/// must be unique both ways). An item without a shape (`None`: nothing to recognise it by)
/// is never a rename. Returns (removed index, added index) pairs.
pub fn renames<S: PartialEq>(removed: &[Option<S>], added: &[Option<S>]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, shape) in removed.iter().enumerate() {
        if shape.is_none() {
            continue;
        }
        let in_added: Vec<usize> = (0..added.len()).filter(|&j| added[j] == *shape).collect();
        let in_removed = removed.iter().filter(|s| *s == shape).count();
        if let ([j], 1) = (in_added.as_slice(), in_removed) {
            out.push((i, *j));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::renames;

    #[test]
    fn a_rename_is_a_unique_match_both_ways() {
        assert_eq!(renames(&[Some("a")], &[Some("a")]), vec![(0, 0)]);
        assert_eq!(
            renames(&[Some("a"), Some("b")], &[Some("b"), Some("c")]),
            vec![(1, 0)]
        );
        // Two candidates on either side: ambiguous, no rename.
        assert_eq!(renames(&[Some("a")], &[Some("a"), Some("a")]), vec![]);
        assert_eq!(renames(&[Some("a"), Some("a")], &[Some("a")]), vec![]);
        assert_eq!(renames::<&str>(&[Some("a")], &[]), vec![]);
        // Nothing to recognise on either side: never a rename.
        assert_eq!(renames::<&str>(&[None], &[None]), vec![]);
    }
}
