package contrail.pii_test

import data.contrail.pii

test_unclassified_property_is_denied if {
	fs := pii.deny with input as {"properties": {"phone": {"pii": null}}, "exposures": []}
	some f in fs
	f.rule == "pii-unclassified"
	f.at == {"kind": "Property", "name": "phone", "field": "pii"}
}

test_classified_property_passes if {
	fs := pii.deny with input as {"properties": {"phone": {"pii": "direct", "lawful_basis": "contract"}}, "exposures": []}
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

# The related label says what is at the property: its class, or that it has none.
test_the_related_label_says_whether_the_property_is_classified if {
	labels := {class: f.related[0].msg | some class in ["direct", null]; some f in nonprod_findings(class, "plain")}
	labels == {"direct": "classified `pii: direct` here", null: "declared here without a `pii` class"}
}

test_non_personal_data_may_reach_nonprod if count(nonprod_findings("none", "plain")) == 0

# CT203 pii-above-destination-class

exposure(destination, property, treatment, pipelines) := {
	"destination": destination, "property": property, "treatment": treatment,
	"events": ["signed_up"], "sources": ["web"], "pipelines": pipelines,
}

cap_input(class, treatment, limit) := {
	"properties": {"email": {"pii": class, "lawful_basis": "contract"}},
	"destinations": {"analytics": {"environment": "prod", "pii": limit}},
	"exposures": [exposure("analytics", "email", treatment, ["web_b", "web_a"])],
}

cap_findings(inp) := {f | some f in pii.deny with input as inp; f.rule == "pii-above-destination-class"}

test_class_above_the_destination_cap_is_denied_at_the_property if {
	fs := cap_findings(cap_input("direct", "plain", "indirect"))
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Property", "name": "email", "field": "pii"}
	f.related == [
		{"at": {"kind": "Destination", "name": "analytics", "field": "pii"}, "msg": "accepts at most pii indirect"},
		{"at": {"kind": "Pipeline", "name": "web_a", "field": "destinations.analytics"}, "msg": "routed here"},
	]
	contains(f.msg, "in signed_up via web_a, web_b")
}

test_class_at_the_destination_cap_passes if count(cap_findings(cap_input("direct", "plain", "direct"))) == 0

test_hashed_counts_as_indirect if count(cap_findings(cap_input("sensitive", "hashed", "indirect"))) == 0

test_hashed_is_still_above_a_none_cap if count(cap_findings(cap_input("direct", "hashed", "none"))) == 1

test_hashed_indirect_stays_indirect if count(cap_findings(cap_input("indirect", "hashed", "none"))) == 1

test_masked_carries_nothing if count(cap_findings(cap_input("sensitive", "masked", "none"))) == 0

test_absent_destination_cap_means_none if {
	inp := json.patch(cap_input("indirect", "plain", "none"), [{"op": "remove", "path": "/destinations/analytics/pii"}])
	not inp.destinations.analytics.pii
	count(cap_findings(inp)) == 1
}

test_unclassified_is_left_to_pii_unclassified if {
	fs := {f.rule | some f in pii.deny with input as cap_input(null, "plain", "none")}
	fs == {"pii-unclassified"}
}

test_nonprod_is_left_to_pii_in_nonprod if {
	inp := json.patch(cap_input("direct", "plain", "none"), [{"op": "replace", "path": "/destinations/analytics/environment", "value": "nonprod"}])
	fs := {f.rule | some f in pii.deny with input as inp}
	fs == {"pii-in-nonprod"}
}

# Rows of one pair (sorted by treatment) make one finding naming every pipeline; another pair
# its own.
test_one_finding_per_property_and_destination if {
	inp := {
		"properties": {"email": {"pii": "direct", "lawful_basis": "contract"}, "user_id": {"pii": "indirect"}},
		"destinations": {"ads": {"environment": "prod", "pii": "none"}, "crm": {"environment": "prod", "pii": "none"}},
		"exposures": [
			exposure("ads", "email", "hashed", ["web_to_ads"]),
			exposure("ads", "email", "masked", ["ios_to_ads"]),
			exposure("ads", "email", "plain", ["server_to_ads"]),
			exposure("ads", "user_id", "masked", ["web_to_ads"]),
			exposure("crm", "email", "plain", ["server_to_crm"]),
		],
	}
	fs := cap_findings(inp)
	count(fs) == 2
	some f in fs
	f.related[0].at.name == "ads"
	f.related[1].at == {"kind": "Pipeline", "name": "server_to_ads", "field": "destinations.ads"}
	contains(f.msg, "unmasked and hashed (counts as pii indirect)")
	contains(f.msg, "via server_to_ads, web_to_ads")
	not contains(f.msg, "ios_to_ads")
	some g in fs
	g.related[0].at.name == "crm"
}

# CT204 pii-without-legal-basis

basis_findings(p) := {f | some f in pii.deny with input as {"properties": {"phone": p}, "exposures": []}; f.rule == "pii-without-legal-basis"}

# At `consent`, where the purposes go (on the name when it is absent), with the class that
# needs them as related.
test_direct_without_consent_or_basis_is_denied if {
	fs := basis_findings({"pii": "direct", "consent": []})
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Property", "name": "phone", "field": "consent"}
	f.related == [{"at": {"kind": "Property", "name": "phone", "field": "pii"}, "msg": "classified `pii: direct` here"}]
}

test_sensitive_without_consent_or_basis_is_denied if count(basis_findings({"pii": "sensitive", "retention": "30d"})) == 1

test_consent_purposes_are_a_basis if count(basis_findings({"pii": "direct", "consent": ["marketing"]})) == 0

test_lawful_basis_is_a_basis if count(basis_findings({"pii": "sensitive", "consent": [], "lawful_basis": "vital_interests"})) == 0

test_indirect_needs_no_basis if count(basis_findings({"pii": "indirect", "consent": []})) == 0

test_unclassified_needs_no_basis_yet if count(basis_findings({"pii": null, "consent": []})) == 0

# CT205 sensitive-without-retention

retention_findings(p) := {f | some f in pii.deny with input as {"properties": {"health_notes": p}, "exposures": []}; f.rule == "sensitive-without-retention"}

test_sensitive_without_retention_is_denied if {
	fs := retention_findings({"pii": "sensitive", "lawful_basis": "vital_interests"})
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Property", "name": "health_notes", "field": "retention"}
	f.related == [{"at": {"kind": "Property", "name": "health_notes", "field": "pii"}, "msg": "classified `pii: sensitive` here"}]
}

test_sensitive_with_retention_passes if {
	count(retention_findings({"pii": "sensitive", "lawful_basis": "vital_interests", "retention": "30d", "retention_days": 30})) == 0
}

test_direct_needs_no_retention if count(retention_findings({"pii": "direct", "lawful_basis": "contract"})) == 0

unhashed_input(treatment, accepts) := {
	"properties": {"email": {"pii": "direct"}, "country": {"pii": "indirect"}},
	"destinations": {"ads": {"accepts_direct": accepts}},
	"exposures": [
		{"destination": "ads", "property": "country", "treatment": "plain", "events": ["e"], "pipelines": ["p"]},
		{"destination": "ads", "property": "email", "treatment": treatment, "events": ["e"], "pipelines": ["p"]},
	],
}

unhashed(treatment, accepts) := {f.at.name | some f in pii.deny with input as unhashed_input(treatment, accepts); f.rule == "direct-pii-unhashed"}

test_plain_direct_pii_at_a_hashed_only_destination_is_flagged if {
	unhashed("plain", "hashed") == {"email"}
}

test_hashed_or_plain_accepting_destinations_pass if {
	unhashed("hashed", "hashed") == set()
	unhashed("masked", "hashed") == set()
	unhashed("plain", "plain") == set()
}
