//! "Did you mean" suggestions, shared by every message that names an unknown thing.

/// The closest of `candidates` to `unknown`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let unknown_lower = unknown.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let score = strsim::jaro_winkler(&unknown_lower, &c.to_lowercase());
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// `Some("did you mean `x`?")` for messages' help text.
pub fn help<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(unknown, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let fields = ["description", "destinations", "domain"];
        assert_eq!(did_you_mean("descripton", fields), Some("description"));
        assert_eq!(did_you_mean("Destination", fields), Some("destinations"));
        assert_eq!(did_you_mean("zzz", fields), None);
    }
}
