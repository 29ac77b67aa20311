use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a document whose `kind` is not one of Property, Event, Source, Destination,
    /// Pipeline, Transformation, IdentityRule, Team, ConsentPurpose.
    ///
    /// ## Why is this bad?
    /// The document is not part of the contract, so what it declares is silently missing.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Proprety
    /// name: email
    /// type: string
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// ```
    pub(crate) static RULE = {
        code: "CT005",
        name: "unknown-kind",
        category: Structure,
        severity: Error,
        summary: "Document has an unknown kind",
    };
}
