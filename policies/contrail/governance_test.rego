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
