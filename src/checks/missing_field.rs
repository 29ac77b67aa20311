use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a resource or item without a field it needs: `kind` and `name` everywhere,
    /// `type` on a Property, `platform` and `events` on a Source, `type` and `environment`
    /// on a Destination, `source`, `destinations` and `events` on a Pipeline, `events` and
    /// `steps` on a Transformation, `match_keys` on an IdentityRule, `ref` on a property ref.
    ///
    /// ## Why is this bad?
    /// Without it the resource cannot be compiled: a property without a type has no schema,
    /// a destination without an environment cannot be judged for personal data.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: email
    /// pii: direct
    /// lawful_basis: contract
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: email
    /// type: string
    /// pii: direct
    /// lawful_basis: contract
    /// ```
    pub(crate) static RULE = {
        code: "CT007",
        name: "missing-field",
        category: Structure,
        severity: Error,
        summary: "Required field is missing",
    };
}
