package contrail.consent_test

import data.contrail.consent

exposure(destination, property, treatment, pipelines) := {
	"destination": destination, "property": property, "treatment": treatment,
	"events": ["signed_up"], "sources": ["web"], "pipelines": pipelines,
}

consent_input(required, covered, treatment) := {
	"properties": {"email": {"pii": "direct", "consent": required}},
	"destinations": {"crm": {"environment": "prod", "pii": "direct", "consent": covered}},
	"exposures": [exposure("crm", "email", treatment, ["web_b", "web_a"])],
}

findings(inp) := {f | some f in consent.deny with input as inp; f.rule == "consent-not-covered"}

test_uncovered_purpose_is_denied_at_the_property if {
	fs := findings(consent_input(["marketing"], ["analytics"], "plain"))
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Property", "name": "email", "field": "consent"}
	f.related == [
		{"at": {"kind": "Destination", "name": "crm", "field": "consent"}, "msg": "covers `analytics`"},
		{"at": {"kind": "Pipeline", "name": "web_a", "field": "destinations.crm"}, "msg": "routed here"},
	]
	f.msg == "property `email` requires consent purpose `marketing`, which destination `crm` does not cover, in signed_up via web_a, web_b"
}

test_every_purpose_must_be_covered if {
	fs := findings(consent_input(["analytics", "marketing", "advertising"], ["analytics"], "plain"))
	count(fs) == 1
	some f in fs
	contains(f.msg, "requires consent purposes `advertising`, `marketing`, which")
}

test_covered_purposes_pass if count(findings(consent_input(["marketing"], ["analytics", "marketing"], "plain"))) == 0

test_hashing_is_not_enough if count(findings(consent_input(["marketing"], [], "hashed"))) == 1

test_masked_carries_nothing if count(findings(consent_input(["marketing"], [], "masked"))) == 0

test_property_without_purposes_passes if count(findings(consent_input([], [], "plain"))) == 0

test_destination_without_consent_covers_nothing if {
	inp := json.patch(consent_input(["marketing"], [], "plain"), [{"op": "remove", "path": "/destinations/crm/consent"}])
	not inp.destinations.crm.consent
	fs := findings(inp)
	count(fs) == 1
	some f in fs
	f.related[0].msg == "covers no consent purpose"
}

test_one_finding_per_property_and_destination if {
	inp := {
		"properties": {"email": {"pii": "direct", "consent": ["marketing"]}, "ad_id": {"pii": "indirect", "consent": ["advertising"]}},
		"destinations": {"ads": {"consent": ["advertising"]}, "crm": {"consent": []}},
		"exposures": [
			exposure("ads", "ad_id", "plain", ["web_to_ads"]),
			exposure("ads", "email", "hashed", ["web_to_ads"]),
			exposure("ads", "email", "masked", ["ios_to_ads"]),
			exposure("ads", "email", "plain", ["server_to_ads"]),
			exposure("crm", "ad_id", "plain", ["web_to_crm"]),
			exposure("crm", "email", "plain", ["web_to_crm"]),
		],
	}
	fs := findings(inp)
	count(fs) == 3
	{[f.at.name, f.related[0].at.name] | some f in fs} == {["email", "ads"], ["ad_id", "crm"], ["email", "crm"]}
	some f in fs
	f.related[0].at.name == "ads"
	contains(f.msg, "via server_to_ads, web_to_ads")
	not contains(f.msg, "ios_to_ads")
}

test_renamed_property_keeps_its_purposes if {
	renamed := object.union(exposure("crm", "email", "plain", ["web_a"]), {"delivered_as": "contact_email"})
	inp := object.union(consent_input(["marketing"], [], "plain"), {"exposures": [renamed]})
	fs := findings(inp)
	count(fs) == 1
	some f in fs
	endswith(f.msg, "via web_a (delivered as `contact_email`)")
}
