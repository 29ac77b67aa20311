//! The built-in policies, embedded in the binary. Their sources are ordinary Rego under
//! `policies/contrail/` that a user can read, copy and override.

pub(super) const MODULES: &[(&str, &str)] = &[
    (
        "policies/contrail/pii.rego",
        include_str!("../../policies/contrail/pii.rego"),
    ),
    (
        "policies/contrail/pii_test.rego",
        include_str!("../../policies/contrail/pii_test.rego"),
    ),
    (
        "policies/contrail/routing.rego",
        include_str!("../../policies/contrail/routing.rego"),
    ),
    (
        "policies/contrail/routing_test.rego",
        include_str!("../../policies/contrail/routing_test.rego"),
    ),
];
