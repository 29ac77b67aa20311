//! The built-in policies, embedded in the binary. Their sources are ordinary Rego under
//! `policies/contrail/` that a user can read, copy and override.

macro_rules! modules {
    ($($name:literal),* $(,)?) => {
        &[$((
            concat!("policies/contrail/", $name),
            include_str!(concat!("../../policies/contrail/", $name)),
        )),*]
    };
}

pub(super) const MODULES: &[(&str, &str)] = modules![
    "lib.rego",
    "lib_test.rego",
    "pii.rego",
    "pii_test.rego",
    "consent.rego",
    "consent_test.rego",
    "residency.rego",
    "residency_test.rego",
    "routing.rego",
    "routing_test.rego",
    "identity.rego",
    "identity_test.rego",
    "quality.rego",
    "quality_test.rego",
    "governance.rego",
    "governance_test.rego",
    "compat.rego",
    "compat_test.rego",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// A module added to or dropped from `policies/contrail/` without this list would be
    /// silently missing from the binary (or its tests from `contrail test`).
    #[test]
    fn every_file_of_the_policy_folder_is_embedded_once() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/contrail");
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .expect("policies/contrail")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        let embedded: Vec<&str> = super::MODULES
            .iter()
            .map(|(path, _)| path.strip_prefix("policies/contrail/").unwrap_or(path))
            .collect();
        let unique: BTreeSet<String> = embedded.iter().map(|n| n.to_string()).collect();
        assert_eq!(unique.len(), embedded.len(), "listed twice: {embedded:?}");
        assert_eq!(unique, on_disk, "MODULES and policies/contrail/ differ");
    }
}
