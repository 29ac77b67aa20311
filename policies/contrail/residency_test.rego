package contrail.residency_test

import data.contrail.residency

exposure(destination, property, treatment, pipelines) := {
	"destination": destination, "property": property, "treatment": treatment,
	"events": ["address_updated"], "sources": ["web"], "pipelines": pipelines,
}

findings(rule, inp) := {f | some f in residency.deny with input as inp; f.rule == rule}

# CT207 residency-violation

residency_input(allowed, destination, treatment) := {
	"properties": {"postal_code": {"pii": "indirect", "residency": allowed}},
	"destinations": {"analytics": destination},
	"exposures": [exposure("analytics", "postal_code", treatment, ["web_b", "web_a"])],
}

outside(allowed, destination, treatment) := findings("residency-violation", residency_input(allowed, destination, treatment))

test_region_outside_residency_is_denied_at_the_property if {
	fs := outside(["eu"], {"region": "us"}, "plain")
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Property", "name": "postal_code", "field": "residency"}
	f.related == [
		{"at": {"kind": "Destination", "name": "analytics", "field": "region"}, "msg": "stores data in `us`"},
		{"at": {"kind": "Pipeline", "name": "web_a", "field": "destinations.analytics"}, "msg": "routed here"},
	]
	f.msg == "property `postal_code` may be stored only in `eu`, but reaches destination `analytics` in region `us`, in address_updated via web_a, web_b"
}

test_listed_region_passes if count(outside(["eu", "uk"], {"region": "uk"}, "plain")) == 0

test_destination_without_region_violates if {
	fs := outside(["eu"], {}, "plain")
	count(fs) == 1
	some f in fs
	f.related[0].msg == "declares no `region`"
	contains(f.msg, "(no `region` declared)")
}

test_hashing_is_not_enough_for_residency if count(outside(["eu"], {"region": "us"}, "hashed")) == 1

test_masked_passes_residency if count(outside(["eu"], {"region": "us"}, "masked")) == 0

test_property_without_residency_goes_anywhere if count(outside([], {"region": "us"}, "plain")) == 0

test_one_residency_finding_per_property_and_destination if {
	inp := {
		"properties": {"postal_code": {"residency": ["eu"]}, "email": {"residency": ["eu"]}},
		"destinations": {"ads": {"region": "us"}, "warehouse": {"region": "eu"}},
		"exposures": [
			exposure("ads", "email", "hashed", ["web_to_ads"]),
			exposure("ads", "email", "plain", ["server_to_ads"]),
			exposure("ads", "postal_code", "masked", ["web_to_ads"]),
			exposure("warehouse", "email", "plain", ["web_to_warehouse"]),
		],
	}
	fs := findings("residency-violation", inp)
	count(fs) == 1
	some f in fs
	f.at.name == "email"
	f.related[1].at == {"kind": "Pipeline", "name": "server_to_ads", "field": "destinations.ads"}
	contains(f.msg, "via server_to_ads, web_to_ads")
}

# CT208 retention-exceeded

retention_input(limit, kept, treatment) := {
	"properties": {"ip_address": object.union({"pii": "indirect"}, limit)},
	"destinations": {"warehouse": object.union({"environment": "prod"}, kept)},
	"exposures": [exposure("warehouse", "ip_address", treatment, ["web_b", "web_a"])],
}

longer(limit, kept, treatment) := findings("retention-exceeded", retention_input(limit, kept, treatment))

days_30 := {"retention": "30d", "retention_days": 30}

years_2 := {"retention": "2y", "retention_days": 730}

test_destination_keeping_longer_is_denied_at_the_property if {
	fs := longer(days_30, years_2, "plain")
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Property", "name": "ip_address", "field": "retention"}
	f.related == [
		{"at": {"kind": "Destination", "name": "warehouse", "field": "retention"}, "msg": "keeps data 2y"},
		{"at": {"kind": "Pipeline", "name": "web_a", "field": "destinations.warehouse"}, "msg": "routed here"},
	]
	f.msg == "property `ip_address` may be kept 30d, but destination `warehouse` keeps data 2y (730 days), in address_updated via web_a, web_b"
}

test_equal_retention_passes if count(longer(days_30, {"retention": "30d", "retention_days": 30}, "plain")) == 0

test_shorter_destination_retention_passes if count(longer(years_2, days_30, "plain")) == 0

test_hashing_is_not_enough_for_retention if count(longer(days_30, years_2, "hashed")) == 1

test_masked_passes_retention if count(longer(days_30, years_2, "masked")) == 0

test_destination_without_retention_is_not_checked if count(longer(days_30, {}, "plain")) == 0

test_property_without_retention_is_not_checked if count(longer({}, years_2, "plain")) == 0

test_one_retention_finding_per_property_and_destination if {
	inp := {
		"properties": {"ip_address": days_30, "email": years_2},
		"destinations": {"ads": years_2, "warehouse": years_2},
		"exposures": [
			exposure("ads", "email", "hashed", ["web_to_ads"]),
			exposure("ads", "ip_address", "hashed", ["web_to_ads"]),
			exposure("ads", "ip_address", "plain", ["server_to_ads"]),
			exposure("warehouse", "ip_address", "masked", ["web_to_warehouse"]),
		],
	}
	fs := findings("retention-exceeded", inp)
	count(fs) == 1
	some f in fs
	f.related[0].at.name == "ads"
	contains(f.msg, "via server_to_ads, web_to_ads")
}

test_renamed_property_keeps_its_retention if {
	renamed := object.union(exposure("warehouse", "ip_address", "plain", ["web_a"]), {"delivered_as": "client_ip"})
	inp := object.union(retention_input(days_30, years_2, "plain"), {"exposures": [renamed]})
	fs := findings("retention-exceeded", inp)
	count(fs) == 1
	some f in fs
	f.msg == "property `ip_address` may be kept 30d, but destination `warehouse` keeps data 2y (730 days), in address_updated via web_a (delivered as `client_ip`)"
}
