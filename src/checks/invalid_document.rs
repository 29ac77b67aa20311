use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a document that is not a mapping (a list, a scalar, an empty document) in a
    /// file that holds resources, and a file with no documents at all under an explicit
    /// `include`.
    ///
    /// ## Why is this bad?
    /// Every document is one resource with `kind` and `name`. Anything else in a resource
    /// file is either a mistake (a lost indentation level) or data contrail would ignore.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ---
    /// - kind: Property
    ///   name: phone
    ///   type: string
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ---
    /// kind: Property
    /// name: phone
    /// type: string
    /// ```
    pub(crate) static RULE = {
        code: "CT013",
        name: "invalid-document",
        category: Structure,
        severity: Error,
        summary: "Document is not a resource mapping",
    };
}
