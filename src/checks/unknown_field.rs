use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a field that the resource (or the nested item: property ref, match key, step,
    /// `items`) does not have, with the closest known field as a suggestion.
    ///
    /// ## Why is this bad?
    /// A misspelt field is silently ignored by tools that accept anything: `pi: direct`
    /// leaves the property unclassified while its author believes it is protected.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// descripton: Customer email
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// description: Customer email
    /// ```
    pub(crate) static RULE = {
        code: "CT006",
        name: "unknown-field",
        category: Structure,
        severity: Error,
        summary: "Field is not part of the format",
    };
}
