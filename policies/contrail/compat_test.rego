package contrail.compat_test

import data.contrail.compat

# Every change kind under every mode: backward, forward, full, none (B = breaking, S = safe).
# The changes carry the default context: a closed event on both sides, not required.
table := {
	"event.added": "SSSS",
	"event.removed": "BSBS",
	"event.removed_before_sunset": "BBBS",
	"event.retired": "SSSS",
	"event.renamed": "BBBS",
	"event.lifecycle_changed": "SSSS",
	"event.deprecated_without_sunset": "SSSS",
	"event.description_changed": "SSSS",
	"additional_properties.closed": "BSBS",
	"additional_properties.opened": "SBBS",
	"property.added_optional": "SBBS",
	"property.added_required": "BBBS",
	"property.removed": "BSBS",
	"property.removed_before_sunset": "BBBS",
	"property.retired": "SSSS",
	"property.renamed": "BBBS",
	"property.made_required": "BSBS",
	"property.made_optional": "SBBS",
	"property.lifecycle_changed": "SSSS",
	"property.deprecated_without_sunset": "SSSS",
	"property.description_changed": "SSSS",
	"type.narrowed": "BSBS",
	"type.widened": "SBBS",
	"type.changed": "BBBS",
	"enum.value_added": "SBBS",
	"enum.value_removed": "BSBS",
	"constraint.tightened": "BSBS",
	"constraint.relaxed": "SBBS",
	"pattern.changed": "BBBS",
	"format.added": "BSBS",
	"format.removed": "SBBS",
	"format.changed": "BBBS",
	"default.changed": "SSSS",
	"pii.lowered": "SSSS",
	"pii.raised": "SSSS",
	"pii.classified": "SSSS",
	"consent.purpose_added": "SSSS",
	"consent.purpose_removed": "SSSS",
	"residency.changed": "SSSS",
	"destination.new_event": "SSSS",
	"destination.new_property": "SSSS",
	"destination.no_longer_receives_event": "SSSS",
	"destination.no_longer_receives_property": "SSSS",
	"destination.type_changed": "SSSS",
	"destination.environment_changed": "SSSS",
	"destination.region_changed": "SSSS",
	"destination.pii_cap_raised": "SSSS",
	"destination.pii_cap_lowered": "SSSS",
	"destination.retention_lengthened": "SSSS",
	"destination.retention_shortened": "SSSS",
	"destination.accepts_direct_plain": "SSSS",
	"destination.accepts_direct_hashed": "SSSS",
	"destination.consent_purpose_added": "SSSS",
	"destination.consent_purpose_removed": "SSSS",
	"destination.allowlist_added": "SSSS",
	"destination.allowlist_removed": "SSSS",
	"destination.events_added": "SSSS",
	"destination.events_removed": "SSSS",
	"destination.deny_added": "SSSS",
	"destination.deny_removed": "SSSS",
	"source.platform_changed": "SSSS",
	"source.region_changed": "SSSS",
	"source.events_added": "SSSS",
	"source.events_removed": "SSSS",
	"pipeline.source_changed": "SSSS",
	"pipeline.events_added": "SSSS",
	"pipeline.events_removed": "SSSS",
	"pipeline.destination_added": "SSSS",
	"pipeline.destination_removed": "SSSS",
	"pipeline.transformation_added": "SSSS",
	"pipeline.transformation_removed": "SSSS",
	"pipeline.transformations_reordered": "SSSS",
	"transformation.events_added": "SSSS",
	"transformation.events_removed": "SSSS",
	"transformation.protection_added": "SSSS",
	"transformation.protection_removed": "SSSS",
	"transformation.enrichment_added": "SSSS",
	"transformation.enrichment_removed": "SSSS",
	"transformation.steps_changed": "SSSS",
	"identity.rule_added": "SSSS",
	"identity.rule_removed": "SSSS",
	"identity.match_key_added": "SSSS",
	"identity.match_key_removed": "SSSS",
	"identity.match_key_changed": "SSSS",
	"identity.precedence_changed": "SSSS",
	"identity.merge_changed": "SSSS",
}

modes := ["backward", "forward", "full", "none"]

letter := {"breaking": "B", "safe": "S"}

change(kind, mode) := {
	"kind": kind, "mode": mode, "event": "checkout_started", "property": "cart_id",
	"field": "", "from": "cart_id", "to": "basket_id",
	"open": {"base": false, "head": false}, "required": false,
	"head": null, "base": null,
}

# Each (kind, mode) whose verdict is not the table's.
wrong contains [kind, mode, got] if {
	some kind, expected in table
	some i, mode in modes
	got := letter[compat.verdict(change(kind, mode))]
	got != substring(expected, i, 1)
}

# Each (kind, mode) that has no verdict at all.
wrong contains [kind, mode, "undefined"] if {
	some kind, _ in table
	some mode in modes
	not has_verdict(change(kind, mode))
}

has_verdict(c) if compat.verdict(c)

test_every_kind_in_every_mode if count(wrong) == 0

# The model and `required` decide three kinds.
test_an_optional_property_on_an_open_base_is_forward_safe if {
	c := object.union(change("property.added_optional", "forward"), {"open": {"base": true, "head": true}})
	compat.verdict(c) == "safe"
}

test_a_removed_property_from_an_open_head_is_backward_safe if {
	c := object.union(change("property.removed", "backward"), {"open": {"base": true, "head": true}})
	compat.verdict(c) == "safe"
}

test_a_removed_required_property_is_forward_breaking if {
	c := object.union(change("property.removed", "forward"), {"required": true})
	compat.verdict(c) == "breaking"
}

test_a_required_property_on_an_open_base_is_forward_safe if {
	c := object.union(change("property.added_required", "forward"), {"open": {"base": true, "head": true}})
	compat.verdict(c) == "safe"
}

# Every kind that can break has words and a migration path, so that no finding is lost.
test_every_breaking_kind_has_a_message_and_a_migration if {
	missing := [kind |
		some kind, expected in table
		contains(expected, "B")
		not described(kind)
	]
	count(missing) == 0
}

described(kind) if {
	compat.what[kind]
	compat.migration(change(kind, "full"))
}

test_a_rename_names_the_migration_and_the_join if {
	c := object.union(change("property.renamed", "backward"), {
		"head": {"kind": "Event", "name": "checkout_started", "field": "properties.basket_id"},
		"base": {"kind": "Event", "name": "checkout_started", "field": "properties.cart_id"},
	})
	fs := compat.deny with input as {
		"changes": [c],
		"events": {"checkout_started": {}},
		"transformations": {"enrich": {"steps": [{"join": {"key": "cart_id", "dataset": "carts"}}]}},
	}
	some f in fs
	f.rule == "breaking-change"
	f.at.field == "properties.basket_id"
	f.related[0].at.side == "base"
	contains(f.help, "replaced_by: basket_id")
	contains(f.help, "`enrich`")
}

test_a_removal_lands_on_the_event if {
	c := object.union(change("property.removed", "backward"), {
		"base": {"kind": "Event", "name": "checkout_started", "field": "properties.cart_id"},
	})
	fs := compat.deny with input as {"changes": [c], "events": {"checkout_started": {}}, "transformations": {}}
	some f in fs
	f.at == {"kind": "Event", "name": "checkout_started", "field": ""}
}

test_no_version_bump_is_a_warning if {
	c := object.union(change("type.changed", "backward"), {"version": {"base": 2, "head": 2}})
	fs := compat.warn with input as {"changes": [c], "events": {"checkout_started": {}}, "transformations": {}}
	some f in fs
	f.rule == "version-not-increased"
	contains(f.help, "version: 3")
}

test_a_raised_version_is_not_a_warning if {
	c := object.union(change("type.changed", "backward"), {"version": {"base": 2, "head": 3}})
	fs := compat.warn with input as {"changes": [c], "events": {"checkout_started": {}}, "transformations": {}}
	count(fs) == 0
}
