package contrail.governance_test

import data.contrail.governance

# The findings of one rule, as "Kind/name/field".
found(rule, inp) := {sprintf("%s/%s/%s", [f.at.kind, f.at.name, f.at.field]) |
	some f in governance.warn with input as inp
	f.rule == rule
}

documented := {"owner": "checkout", "description": "The order was paid."}

test_event_and_property_without_owner_are_flagged if {
	inp := {
		"events": {"order_completed": {"description": "The order was paid."}, "order_refunded": documented},
		"properties": {"order_id": {"description": "Order number."}, "order_total": documented},
	}
	found("owner-missing", inp) == {"Event/order_completed/owner", "Property/order_id/owner"}
	count(found("description-missing", inp)) == 0
}

test_null_owner_is_missing if {
	inp := {"events": {"order_completed": {"owner": null, "description": "x"}}, "properties": {}}
	found("owner-missing", inp) == {"Event/order_completed/owner"}
}

test_owner_message if {
	fs := governance.warn with input as {"events": {}, "properties": {"order_id": {"description": "Order number."}}}
	count(fs) == 1
	some f in fs
	f.msg == "property `order_id` has no owner"
	f.help == "add `owner:` naming the Team that answers for this property"
}

test_event_and_property_without_description_are_flagged if {
	inp := {
		"events": {"order_completed": {"owner": "checkout"}, "order_refunded": documented},
		"properties": {"order_id": {"owner": "checkout", "description": null}, "order_total": documented},
	}
	found("description-missing", inp) == {"Event/order_completed/description", "Property/order_id/description"}
	count(found("owner-missing", inp)) == 0
}

test_blank_description_is_missing if {
	inp := {"events": {}, "properties": {"order_id": {"owner": "checkout", "description": " \n\t"}, "order_total": {"owner": "checkout", "description": ""}}}
	fs := {f.at.name: f.msg | some f in governance.warn with input as inp}
	fs == {"order_id": "property `order_id` has a blank description", "order_total": "property `order_total` has a blank description"}
}

test_missing_both_gives_two_findings if {
	fs := governance.warn with input as {"events": {"order_completed": {}}, "properties": {}}
	{f.rule | some f in fs} == {"owner-missing", "description-missing"}
	count(fs) == 2
}

test_removed_resources_are_not_checked_but_deprecated_and_draft_are if {
	inp := {
		"events": {"order_placed": {"lifecycle": "removed"}, "cart_opened": {"lifecycle": "draft"}},
		"properties": {"cart_token": {"lifecycle": "deprecated"}, "legacy_id": {"lifecycle": "removed"}},
	}
	found("owner-missing", inp) == {"Event/cart_opened/owner", "Property/cart_token/owner"}
	found("description-missing", inp) == {"Event/cart_opened/description", "Property/cart_token/description"}
}

test_documented_and_owned_resources_pass if {
	fs := governance.warn with input as {"events": {"order_completed": documented}, "properties": {"order_id": documented}}
	count(fs) == 0
}

# ---- Changes against a base.

pii_lowered := {
	"kind": "pii.lowered", "property": "postcode", "field": "pii", "from": "direct", "to": "indirect",
	"mode": "backward", "events": ["signed_up"],
	"head": {"kind": "Property", "name": "postcode", "field": "pii"},
	"base": {"kind": "Property", "name": "postcode", "field": "pii"},
}

with_change(c, property) := {
	"changes": [c],
	"events": {"signed_up": {"owner": "growth"}},
	"properties": {"postcode": property},
	"destinations": {}, "identity": {},
	"teams": {
		"growth": {"reviewers": ["@shop/growth"]},
		"privacy": {"reviewers": ["@shop/privacy"], "governance": true},
	},
	"base": {"properties": {"postcode": {"owner": "growth"}}},
}

test_a_lowered_class_is_an_error_and_a_review_by_owner_and_governance if {
	inp := with_change(pii_lowered, {"owner": "growth"})
	denied := {f.rule | some f in governance.deny with input as inp}
	denied == {"pii-lowered"}
	some f in governance.warn with input as inp
	f.rule == "review-required"
	contains(f.msg, "`growth` (@shop/growth), `privacy` (@shop/privacy)")
	governance.reviews[0] == {"teams": ["growth", "privacy"], "governance": true, "blocking": true} with input as inp
}

test_an_acknowledged_lowering_is_a_review_with_its_reason if {
	ack := {"rule": "pii-lowered", "reason": "DPIA-142"}
	inp := with_change(pii_lowered, {"owner": "growth", "acknowledge": [ack]})
	count(governance.deny) == 0 with input as inp
	some f in governance.warn with input as inp
	f.rule == "review-required"
	endswith(f.msg, "acknowledged: DPIA-142")
	not unused_found with input as inp
	governance.reviews[0].blocking == false with input as inp
}

unused_found if {
	some f in governance.warn
	f.rule == "acknowledge-unused"
}

test_an_acknowledgement_without_its_change_is_unused if {
	ack := {"rule": "pii-lowered", "reason": "DPIA-142"}
	inp := object.union(with_change(pii_lowered, {"owner": "growth", "acknowledge": [ack]}), {"changes": []})
	some f in governance.warn with input as inp
	f.rule == "acknowledge-unused"
	f.at == {"kind": "Property", "name": "postcode", "field": "acknowledge.0"}
}

test_acknowledgements_are_not_checked_without_a_base if {
	ack := {"rule": "pii-lowered", "reason": "DPIA-142"}
	inp := object.union(with_change(pii_lowered, {"owner": "growth", "acknowledge": [ack]}), {"changes": [], "base": null})
	not unused_found with input as inp
}

test_a_safe_change_routes_to_its_owner_only if {
	c := {"kind": "property.description_changed", "property": "postcode", "field": "description", "from": "a", "to": "b", "mode": "backward", "events": [], "head": {"kind": "Property", "name": "postcode", "field": "description"}, "base": null}
	inp := with_change(c, {"owner": "growth"})
	governance.reviews[0] == {"teams": ["growth"], "governance": false, "blocking": false} with input as inp
	count([f | some f in governance.warn with input as inp; f.rule == "review-required"]) == 0
}

# ---- consent-purpose-removed (CT506).

purpose_removed := {
	"kind": "consent.purpose_removed", "property": "postcode", "field": "consent", "from": "marketing", "to": null,
	"mode": "backward", "events": ["signed_up"],
	"head": {"kind": "Property", "name": "postcode", "field": "consent"},
	"base": {"kind": "Property", "name": "postcode", "field": "consent"},
}

removed_denials(inp) := [f | some f in governance.deny with input as inp; f.rule == "consent-purpose-removed"]

test_a_removed_consent_purpose_is_an_error_at_the_property if {
	inp := with_change(purpose_removed, {"owner": "growth", "consent": ["analytics"]})
	fs := removed_denials(inp)
	count(fs) == 1
	f := fs[0]
	f.msg == "consent purpose `marketing` was removed from property `postcode`"
	f.at == {"kind": "Property", "name": "postcode", "field": "consent"}
	contains(f.help, "acknowledge: [{rule: consent-purpose-removed")
	governance.reviews[0] == {"teams": ["growth", "privacy"], "governance": true, "blocking": true} with input as inp
}

# Another rule's acknowledgement does not cover it.
test_an_acknowledgement_of_another_rule_leaves_the_error if {
	ack := {"rule": "pii-lowered", "reason": "DPIA-142"}
	inp := with_change(purpose_removed, {"owner": "growth", "consent": ["analytics"], "acknowledge": [ack]})
	count(removed_denials(inp)) == 1
}

test_an_acknowledged_removal_is_a_review_with_its_reason if {
	ack := {"rule": "consent-purpose-removed", "reason": "LEGAL-88"}
	inp := with_change(purpose_removed, {"owner": "growth", "consent": ["analytics"], "acknowledge": [ack]})
	count(governance.deny) == 0 with input as inp
	some f in governance.warn with input as inp
	f.rule == "review-required"
	f.msg == "consent purpose `marketing` removed from property `postcode`: needs review by `growth` (@shop/growth), `privacy` (@shop/privacy); acknowledged: LEGAL-88"
	not unused_found with input as inp
	governance.reviews[0].blocking == false with input as inp
}

test_an_added_consent_purpose_is_no_error if {
	added := object.union(purpose_removed, {"kind": "consent.purpose_added", "from": null, "to": "ads"})
	inp := with_change(added, {"owner": "growth", "consent": ["analytics", "ads"]})
	count(governance.deny) == 0 with input as inp
	governance.reviews[0].blocking == false with input as inp
}

# ---- Routing changes: widening the privacy envelope needs the governance review.

# A change of a routing resource, as `contrail diff` builds it.
routing_change(kind, resource, name, from, to) := {
	"kind": kind, "field": "x", "from": from, "to": to, "mode": "backward", "events": [],
	"head": {"kind": resource, "name": name, "field": "x"},
	"base": {"kind": resource, "name": name, "field": "x"},
}

routing_input(changes) := {
	"changes": changes,
	"events": {}, "properties": {}, "identity": {},
	"sources": {"app": {"owner": "mobile"}},
	"destinations": {"staging": {"owner": "data"}, "crm": {"owner": "sales"}},
	"pipelines": {"app_staging": {"owner": "data"}},
	"transformations": {
		"hash_email": {"owner": "data", "steps": [{"hash": "email"}]},
		"add_city": {"owner": "data", "steps": [{"join": {"key": "city_id", "dataset": "cities"}}]},
	},
	"teams": {
		"data": {"reviewers": ["@ride/data"]},
		"mobile": {"reviewers": ["@ride/mobile"]},
		"sales": {"reviewers": ["@ride/sales"]},
		"privacy": {"reviewers": ["@ride/privacy"], "governance": true},
	},
	"base": {"transformations": {"old_mask": {"owner": "data", "steps": [{"mask": "phone"}]}}},
}

widenings := [
	routing_change("destination.region_changed", "Destination", "staging", "eu", "us"),
	routing_change("destination.pii_cap_raised", "Destination", "staging", "none", "sensitive"),
	routing_change("destination.retention_lengthened", "Destination", "staging", "30d", "5y"),
	routing_change("destination.retention_lengthened", "Destination", "staging", "30d", null),
	routing_change("destination.consent_purpose_added", "Destination", "staging", null, "marketing"),
	routing_change("destination.environment_changed", "Destination", "staging", "nonprod", "prod"),
	routing_change("destination.allowlist_removed", "Destination", "staging", ["ride_*"], null),
	routing_change("destination.events_added", "Destination", "staging", null, "ride_*"),
	routing_change("destination.deny_removed", "Destination", "staging", "debug_*", null),
	routing_change("source.region_changed", "Source", "app", null, "us"),
	routing_change("source.events_added", "Source", "app", null, "ride_*"),
	routing_change("pipeline.source_changed", "Pipeline", "app_staging", "web", "app"),
	routing_change("pipeline.events_added", "Pipeline", "app_staging", null, "ride_*"),
	routing_change("pipeline.destination_added", "Pipeline", "app_staging", null, "crm"),
	routing_change("pipeline.transformation_added", "Pipeline", "app_staging", null, "add_city"),
	routing_change("pipeline.transformation_removed", "Pipeline", "app_staging", "hash_email", null),
	routing_change("pipeline.transformation_removed", "Pipeline", "app_staging", "old_mask", null),
	routing_change("transformation.events_added", "Transformation", "add_city", null, "ride_*"),
	routing_change("transformation.events_removed", "Transformation", "hash_email", "ride_*", null),
	object.union(routing_change("transformation.protection_removed", "Transformation", "hash_email", "hash", null), {"property": "email"}),
	routing_change("transformation.enrichment_added", "Transformation", "add_city", null, {"join": {"key": "city_id", "dataset": "cities"}}),
	routing_change("transformation.enrichment_added", "Transformation", "add_city", null, {"set": {"channel": "app"}}),
	routing_change("destination.accepts_direct_plain", "Destination", "staging", "hashed", "plain"),
]

narrowings := [
	routing_change("destination.pii_cap_lowered", "Destination", "staging", "sensitive", "none"),
	routing_change("destination.accepts_direct_hashed", "Destination", "staging", "plain", "hashed"),
	routing_change("destination.type_changed", "Destination", "staging", "warehouse", "ads"),
	routing_change("destination.retention_shortened", "Destination", "staging", "5y", "30d"),
	routing_change("destination.consent_purpose_removed", "Destination", "staging", "marketing", null),
	routing_change("destination.environment_changed", "Destination", "staging", "prod", "nonprod"),
	routing_change("destination.allowlist_added", "Destination", "staging", null, ["ride_*"]),
	routing_change("destination.events_removed", "Destination", "staging", "ride_*", null),
	routing_change("destination.deny_added", "Destination", "staging", null, "debug_*"),
	routing_change("source.events_removed", "Source", "app", "ride_*", null),
	routing_change("source.platform_changed", "Source", "app", "server", "web"),
	routing_change("pipeline.events_removed", "Pipeline", "app_staging", "ride_*", null),
	routing_change("pipeline.destination_removed", "Pipeline", "app_staging", "crm", null),
	routing_change("pipeline.transformation_added", "Pipeline", "app_staging", null, "hash_email"),
	routing_change("pipeline.transformation_removed", "Pipeline", "app_staging", "add_city", null),
	routing_change("pipeline.transformations_reordered", "Pipeline", "app_staging", ["a", "b"], ["b", "a"]),
	routing_change("transformation.events_added", "Transformation", "hash_email", null, "ride_*"),
	routing_change("transformation.events_removed", "Transformation", "add_city", "ride_*", null),
	routing_change("transformation.protection_added", "Transformation", "hash_email", null, "hash"),
	routing_change("transformation.enrichment_removed", "Transformation", "add_city", {"set": {"channel": "app"}}, null),
	routing_change("transformation.steps_changed", "Transformation", "hash_email", [], []),
	{"kind": "destination.no_longer_receives_event", "event": "ride_cancelled", "from": ["app_staging"], "to": null, "mode": "backward", "events": [], "head": {"kind": "Destination", "name": "staging", "field": ""}, "base": {"kind": "Destination", "name": "staging", "field": ""}},
	{"kind": "destination.no_longer_receives_property", "property": "email", "from": {"treatment": "plain", "pii": "direct"}, "to": null, "mode": "backward", "events": [], "head": {"kind": "Destination", "name": "staging", "field": ""}, "base": {"kind": "Destination", "name": "staging", "field": ""}},
	new_property({"treatment": "masked", "pii": "direct"}),
]

new_property(to) := {"kind": "destination.new_property", "property": "email", "from": null, "to": to, "mode": "backward", "events": [], "head": {"kind": "Destination", "name": "staging", "field": ""}, "base": null}

# Masked, a classified property carries nothing; an unclassified one is still unknown.
test_a_masked_property_needs_the_review_only_when_unclassified if {
	reviews := governance.reviews with input as routing_input([
		new_property({"treatment": "masked", "pii": "direct"}),
		new_property({"treatment": "masked", "pii": null}),
		new_property({"treatment": "hashed", "pii": "direct"}),
	])
	[r.governance | some r in [reviews[0], reviews[1], reviews[2]]] == [false, true, true]
}

# Each widening: governed, reviewed by the resource's owner and the governance team, and one
# `review-required` warning whose message says what widened (no change without words).
test_every_widening_routing_change_needs_the_governance_review if {
	inp := routing_input(widenings)
	reviews := governance.reviews with input as inp
	not_governed := [i | some i, _ in widenings; not reviews[i].governance]
	count(not_governed) == 0
	without_privacy := [i | some i, _ in widenings; not "privacy" in reviews[i].teams]
	count(without_privacy) == 0
	warned := [f | some f in governance.warn with input as inp; f.rule == "review-required"]
	count(warned) == count(widenings)
}

test_every_narrowing_routing_change_goes_to_the_owners_only if {
	inp := routing_input(narrowings)
	reviews := governance.reviews with input as inp
	governed := [narrowings[i].kind | some i, r in reviews; r.governance]
	count(governed) == 0
	unowned := [narrowings[i].kind | some i, r in reviews; count(r.teams) == 0]
	count(unowned) == 0
	warned := [f | some f in governance.warn with input as inp; f.rule == "review-required"]
	count(warned) == 0
}

test_a_raised_pii_cap_names_the_destination_and_its_reviewers if {
	inp := routing_input([widenings[1]])
	some f in governance.warn with input as inp
	f.msg == "destination `staging` may now receive PII up to `sensitive` (was `none`): needs review by `data` (@ride/data), `privacy` (@ride/privacy)"
	f.at == {"kind": "Destination", "name": "staging", "field": "x"}
}

# A pipeline's new destination is reviewed by its owner too.
test_a_new_destination_of_a_pipeline_is_reviewed_by_both_owners if {
	reviews := governance.reviews with input as routing_input([widenings[13]])
	reviews[0].teams == ["data", "privacy", "sales"]
}

test_a_removed_protection_names_the_property_and_the_step if {
	inp := routing_input([widenings[19]])
	some f in governance.warn with input as inp
	startswith(f.msg, "transformation `hash_email` no longer protects property `email` with `hash` (now none): needs review")
}

test_a_removed_allowlist_says_what_it_allowed if {
	msgs := {f.msg |
		some f in governance.warn with input as routing_input([
			widenings[6],
			routing_change("destination.allowlist_removed", "Destination", "staging", [], null),
		])
	}
	some a in msgs
	startswith(a, "destination `staging` no longer has an `events` allowlist (it allowed `ride_*`), so it allows every event")
	some b in msgs
	startswith(b, "destination `staging` no longer has an `events` allowlist (it allowed no event)")
}
