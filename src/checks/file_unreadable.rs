use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a selected file that cannot be read as YAML text: permission denied, a broken
    /// or looping symbolic link, a binary file with a `.yaml` name, text that is not UTF-8.
    ///
    /// ## Why is this bad?
    /// The file's resources are silently missing from the catalog unless someone says so.
    /// Fix the file, or leave it out with `exclude:` in `contrail.yaml`.
    pub(crate) static RULE = {
        code: "CT002",
        name: "file-unreadable",
        category: Structure,
        severity: Error,
        summary: "File cannot be read as UTF-8 text",
    };
}
