use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a `sunset` that is not a calendar date written `YYYY-MM-DD`.
    ///
    /// ## Why is this bad?
    /// Sunsets drive compatibility: removing a deprecated property before its sunset is a
    /// breaking change. A date that cannot be read (`2026-02-30`, `next quarter`) makes
    /// that judgement impossible.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Property
    /// name: legacy_id
    /// type: string
    /// lifecycle: deprecated
    /// sunset: 2026-02-30
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Property
    /// name: legacy_id
    /// type: string
    /// lifecycle: deprecated
    /// sunset: 2026-02-28
    /// ```
    pub(crate) static RULE = {
        code: "CT012",
        name: "invalid-date",
        category: Structure,
        severity: Error,
        summary: "Date is not a YYYY-MM-DD calendar date",
    };
}
