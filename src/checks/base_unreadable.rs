use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a file of the base (`--base` or `base:` in contrail.yaml) that contrail could
    /// not read or parse: broken YAML, a file over a limit, a binary file. The finding names
    /// the base file and the line, and the resources of that file are left out of the
    /// comparison (the same path in the contract being checked is not compared either).
    ///
    /// ## Why is this bad?
    /// The pull request did not break that file, so it is not an error; but whatever changed
    /// in it is not judged for compatibility. Fix the file on the base branch, or compare
    /// with a revision where it parses.
    pub(crate) static RULE = {
        code: "CT401",
        name: "base-unreadable",
        category: Compatibility,
        severity: Warning,
        summary: "A base file could not be read, so its resources were not compared",
    };
}
