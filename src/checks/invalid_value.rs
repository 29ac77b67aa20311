use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a field whose value has the wrong type or is not one of the allowed words:
    /// `required: "yes"`, `pii: secret`, `type: text`, `environment: production`,
    /// `retention: forever`, a region that is not a lowercase identifier.
    ///
    /// ## Why is this bad?
    /// The value cannot mean what its author intended; contrail would have to guess.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: text
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ```
    pub(crate) static RULE = {
        code: "CT009",
        name: "invalid-value",
        category: Structure,
        severity: Error,
        summary: "Field has a value of the wrong type or outside its allowed set",
    };
}
