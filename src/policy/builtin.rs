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
