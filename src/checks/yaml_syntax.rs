use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a file that is not valid YAML 1.2: bad indentation, tabs used for indentation,
    /// an unclosed bracket or quote, a key defined twice in one mapping, an unsupported tag.
    ///
    /// ## Why is this bad?
    /// Nothing in the file can be read, so its resources are missing from the catalog and
    /// every policy judges an incomplete contract. The rest of the run still goes on.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// type: integer
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ```
    pub(crate) static RULE = {
        code: "CT001",
        name: "yaml-syntax",
        category: Structure,
        severity: Error,
        summary: "File is not valid YAML",
    };
}
