package contrail.pii_test

import data.contrail.pii

test_unclassified_property_is_denied if {
	fs := pii.deny with input as {"properties": {"phone": {"pii": null}}, "exposures": []}
	some f in fs
	f.rule == "pii-unclassified"
	f.at == {"kind": "Property", "name": "phone", "field": "pii"}
}

test_classified_property_passes if {
	fs := pii.deny with input as {"properties": {"phone": {"pii": "direct"}}, "exposures": []}
	count(fs) == 0
}

nonprod_input(class, treatment) := {
	"properties": {"email": {"pii": class}},
	"destinations": {"sandbox": {"environment": "nonprod"}, "wh": {"environment": "prod"}},
	"exposures": [
		{"destination": "sandbox", "property": "email", "treatment": treatment, "events": ["signed_up"], "sources": ["web"], "pipelines": ["web_b", "web_a"]},
		{"destination": "wh", "property": "email", "treatment": treatment, "events": ["signed_up"], "sources": ["web"], "pipelines": ["web_wh"]},
	],
}

nonprod_findings(class, treatment) := {f | some f in pii.deny with input as nonprod_input(class, treatment); f.rule == "pii-in-nonprod"}

test_personal_data_in_nonprod_is_denied_at_the_first_pipeline if {
	fs := nonprod_findings("direct", "plain")
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Pipeline", "name": "web_a", "field": "destinations.sandbox"}
}

test_hashing_is_not_enough_for_nonprod if count(nonprod_findings("indirect", "hashed")) == 1

test_masked_personal_data_may_reach_nonprod if count(nonprod_findings("sensitive", "masked")) == 0

test_unclassified_is_refused_even_masked if count(nonprod_findings(null, "masked")) == 1

test_non_personal_data_may_reach_nonprod if count(nonprod_findings("none", "plain")) == 0
