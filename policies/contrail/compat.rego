package contrail.compat

import data.contrail.lib

# Built-in compatibility rules over `input.changes` (contrail check --base): what each change
# means under its event's compatibility mode, and how to migrate without breaking anyone.
#
# Modes are about payloads, as in schema registries: `backward` = every payload valid under
# the base stays valid under head (old app builds keep sending old payloads); `forward` =
# every payload valid under head was valid under the base (old consumers keep working);
# `full` = both; `none` = nothing is breaking. Privacy, consent, residency and identity
# changes, and routing changes that widen what may reach a destination, need a governance
# review in every mode (contrail.governance reports those): no payload breaks, so they are
# `safe` here.

# Per change kind, its verdict for the backward and the forward direction. Kinds whose
# verdict depends on the event's model or on `required` are decided in `direction` below.
# Version 1 of this table; a later contrail that changes a verdict adds a version, so that
# an existing configuration keeps its meaning.
directions := {
	"event.added": ["safe", "safe"],
	"event.removed": ["breaking", "safe"],
	"event.removed_before_sunset": ["breaking", "breaking"],
	"event.retired": ["safe", "safe"],
	"event.renamed": ["breaking", "breaking"],
	"event.lifecycle_changed": ["safe", "safe"],
	"event.deprecated_without_sunset": ["safe", "safe"],
	"event.description_changed": ["safe", "safe"],
	"additional_properties.closed": ["breaking", "safe"],
	"additional_properties.opened": ["safe", "breaking"],
	"property.removed_before_sunset": ["breaking", "breaking"],
	"property.retired": ["safe", "safe"],
	"property.renamed": ["breaking", "breaking"],
	"property.made_required": ["breaking", "safe"],
	"property.made_optional": ["safe", "breaking"],
	"property.lifecycle_changed": ["safe", "safe"],
	"property.deprecated_without_sunset": ["safe", "safe"],
	"property.description_changed": ["safe", "safe"],
	"type.narrowed": ["breaking", "safe"],
	"type.widened": ["safe", "breaking"],
	"type.changed": ["breaking", "breaking"],
	"enum.value_added": ["safe", "breaking"],
	"enum.value_removed": ["breaking", "safe"],
	"constraint.tightened": ["breaking", "safe"],
	"constraint.relaxed": ["safe", "breaking"],
	"pattern.changed": ["breaking", "breaking"],
	"format.added": ["breaking", "safe"],
	"format.removed": ["safe", "breaking"],
	"format.changed": ["breaking", "breaking"],
	"default.changed": ["safe", "safe"],
	"pii.lowered": ["safe", "safe"],
	"pii.raised": ["safe", "safe"],
	"pii.classified": ["safe", "safe"],
	"consent.purpose_added": ["safe", "safe"],
	"consent.purpose_removed": ["safe", "safe"],
	"residency.changed": ["safe", "safe"],
	"destination.new_event": ["safe", "safe"],
	"destination.new_property": ["safe", "safe"],
	"destination.no_longer_receives_event": ["safe", "safe"],
	"destination.no_longer_receives_property": ["safe", "safe"],
	"destination.type_changed": ["safe", "safe"],
	"destination.environment_changed": ["safe", "safe"],
	"destination.region_changed": ["safe", "safe"],
	"destination.pii_cap_raised": ["safe", "safe"],
	"destination.pii_cap_lowered": ["safe", "safe"],
	"destination.retention_lengthened": ["safe", "safe"],
	"destination.retention_shortened": ["safe", "safe"],
	"destination.accepts_direct_plain": ["safe", "safe"],
	"destination.accepts_direct_hashed": ["safe", "safe"],
	"destination.consent_purpose_added": ["safe", "safe"],
	"destination.consent_purpose_removed": ["safe", "safe"],
	"destination.allowlist_added": ["safe", "safe"],
	"destination.allowlist_removed": ["safe", "safe"],
	"destination.events_added": ["safe", "safe"],
	"destination.events_removed": ["safe", "safe"],
	"destination.deny_added": ["safe", "safe"],
	"destination.deny_removed": ["safe", "safe"],
	"source.platform_changed": ["safe", "safe"],
	"source.region_changed": ["safe", "safe"],
	"source.events_added": ["safe", "safe"],
	"source.events_removed": ["safe", "safe"],
	"pipeline.source_changed": ["safe", "safe"],
	"pipeline.events_added": ["safe", "safe"],
	"pipeline.events_removed": ["safe", "safe"],
	"pipeline.destination_added": ["safe", "safe"],
	"pipeline.destination_removed": ["safe", "safe"],
	"pipeline.transformation_added": ["safe", "safe"],
	"pipeline.transformation_removed": ["safe", "safe"],
	"pipeline.transformations_reordered": ["safe", "safe"],
	"transformation.events_added": ["safe", "safe"],
	"transformation.events_removed": ["safe", "safe"],
	"transformation.protection_added": ["safe", "safe"],
	"transformation.protection_removed": ["safe", "safe"],
	"transformation.enrichment_added": ["safe", "safe"],
	"transformation.enrichment_removed": ["safe", "safe"],
	"transformation.steps_changed": ["safe", "safe"],
	"identity.rule_added": ["safe", "safe"],
	"identity.rule_removed": ["safe", "safe"],
	"identity.match_key_added": ["safe", "safe"],
	"identity.match_key_removed": ["safe", "safe"],
	"identity.match_key_changed": ["safe", "safe"],
	"identity.precedence_changed": ["safe", "safe"],
	"identity.merge_changed": ["safe", "safe"],
}

# An optional property added: old payloads lack it (fine); new payloads carry it, which a
# closed base model rejects.
direction(c) := ["safe", closed_base(c)] if c.kind == "property.added_optional"

# A required property added: old payloads lack it.
direction(c) := ["breaking", closed_base(c)] if c.kind == "property.added_required"

# A property removed: a closed head rejects old payloads that still send it; new payloads
# lack it, which breaks old consumers when the base required it.
direction(c) := [closed_head(c), required_before(c)] if c.kind == "property.removed"

direction(c) := directions[c.kind]

closed_base(c) := "breaking" if not object.get(c, ["open", "base"], false)

closed_base(c) := "safe" if object.get(c, ["open", "base"], false)

closed_head(c) := "breaking" if not object.get(c, ["open", "head"], false)

closed_head(c) := "safe" if object.get(c, ["open", "head"], false)

required_before(c) := "breaking" if object.get(c, "required", false)

required_before(c) := "safe" if not object.get(c, "required", false)

# The verdict of a change under its mode: "breaking" or "safe".
verdict(c) := "safe" if c.mode == "none"

verdict(c) := direction(c)[0] if c.mode == "backward"

verdict(c) := direction(c)[1] if c.mode == "forward"

verdict(c) := "breaking" if {
	c.mode == "full"
	"breaking" in direction(c)
}

verdict(c) := "safe" if {
	c.mode == "full"
	not "breaking" in direction(c)
}

# Per change (by its index in `input.changes`): its verdict and, when breaking, the migration
# path. The reviewer diff (`contrail diff`) reads this.
verdicts := {i: v |
	some i, c in input.changes
	v := {"verdict": verdict(c), "migration": migration_if_breaking(c)}
}

migration_if_breaking(c) := migration(c) if verdict(c) == "breaking"

migration_if_breaking(c) := null if verdict(c) != "breaking"

# What a change is about, in words.
subject(c) := sprintf("property `%s` of event `%s`", [c.property, c.event]) if {
	is_string(object.get(c, "property", null))
	is_string(object.get(c, "event", null))
}

subject(c) := sprintf("event `%s`", [c.event]) if {
	not is_string(object.get(c, "property", null))
	is_string(object.get(c, "event", null))
}

subject(c) := sprintf("property `%s`", [c.property]) if {
	is_string(object.get(c, "property", null))
	not is_string(object.get(c, "event", null))
}

what := {
	"event.removed": "was removed",
	"event.removed_before_sunset": "was removed before its sunset date",
	"event.renamed": "was renamed",
	"additional_properties.closed": "now rejects properties it does not declare",
	"additional_properties.opened": "now accepts properties it does not declare",
	"property.added_optional": "was added to a closed event",
	"property.added_required": "was added as required",
	"property.removed": "was removed",
	"property.removed_before_sunset": "was removed before its sunset date",
	"property.renamed": "was renamed",
	"property.made_required": "is now required",
	"property.made_optional": "is now optional",
	"type.narrowed": "accepts fewer types",
	"type.widened": "accepts more types",
	"type.changed": "changed type",
	"enum.value_added": "accepts a new enum value",
	"enum.value_removed": "lost an enum value",
	"constraint.tightened": "has a tighter constraint",
	"constraint.relaxed": "has a looser constraint",
	"pattern.changed": "has a different pattern",
	"format.added": "gained a format",
	"format.removed": "lost its format",
	"format.changed": "changed format",
}

values(c) := sprintf(" (`%s`: %s → %s)", [c.field, value_text(c.from), value_text(c.to)]) if {
	not c.kind in {"property.renamed", "event.renamed"}
	field := object.get(c, "field", "")
	field != ""
}

values(c) := sprintf(" (`%s` → `%s`)", [c.from, c.to]) if c.kind in {"property.renamed", "event.renamed"}

values(c) := "" if {
	not c.kind in {"property.renamed", "event.renamed"}
	object.get(c, "field", "") == ""
}

# A change's `from` or `to` in a message: in backticks (JSON for a non-string), `none` for null.
value_text(v) := "none" if v == null

value_text(v) := sprintf("`%s`", [v]) if is_string(v)

value_text(v) := sprintf("`%s`", [json.marshal(v)]) if {
	v != null
	not is_string(v)
}

# The transformations that join on a property name.
joins(name) := sorted if {
	sorted := sort([t |
		some t, tr in input.transformations
		some step in object.get(tr, "steps", [])
		object.get(step, ["join", "key"], null) == name
	])
}

joining(name) := "" if count(joins(name)) == 0

joining(name) := sprintf(", and update the transformations that join on `%s` (%s) to join on the new name", [name, lib.ticked(joins(name))]) if {
	count(joins(name)) > 0
}

# How to make each breaking change without breaking anyone, or, where no way exists, what
# makes it less painful. Following a help must not lead to another breaking change (tested
# in tests/compat.rs, one case per help): a help that adds a property says so only where
# adding one is safe.
migration(c) := sprintf("keep `%s` on `%s` with `lifecycle: deprecated`, a `sunset:` date and `replaced_by: %s`, add `%s` next to it%s%s; remove `%s` after the sunset", [c.from, c.event, c.to, c.to, optional_first(c), joining(c.from), c.from]) if {
	c.kind == "property.renamed"
	not adding_breaks(c)
}

migration(c) := sprintf("%s, so adding `%s` next to `%s` breaks them too: tell them first, then release the rename in a new `version` of the event%s", [closed_text(c), c.to, c.from, joining(c.from)]) if {
	c.kind == "property.renamed"
	adding_breaks(c)
}

# A required property added under its new name would itself break senders.
optional_first(c) := " as optional (making it required later breaks app builds that do not send it)" if object.get(c, "required", false) == true

optional_first(c) := "" if object.get(c, "required", false) != true

# Under `forward` (or `full`), adding any property to an event the base has closed breaks its
# consumers, so a help must not offer "add it next to the old one" as the way out.
adding_breaks(c) if {
	c.mode in {"forward", "full"}
	closed_base(c) == "breaking"
}

closed_text(c) := sprintf("under `%s`, consumers of the closed event (`additional_properties: false` in the base) reject any property it does not declare", [c.mode])

migration(c) := sprintf("keep event `%s` with `lifecycle: deprecated`, a `sunset:` date and `replaced_by: %s`, and add `%s` next to it; remove `%s` after the sunset", [c.from, c.to, c.to, c.from]) if c.kind == "event.renamed"

migration(c) := "mark it `lifecycle: deprecated` with a `sunset:` date first, and remove it once the sunset has passed" if c.kind in {"event.removed", "property.removed"}

migration(c) := "keep it until its `sunset:` date, or move the sunset (and tell its consumers) before removing it" if c.kind in {"event.removed_before_sunset", "property.removed_before_sunset"}

migration(c) := "add it as optional: app builds already in use do not send it (making it required later breaks them too)" if {
	c.kind == "property.added_required"
	not adding_breaks(c)
}

migration(c) := "keep it optional while app builds that do not send it are in use: making it required breaks them whatever the event's `version`" if c.kind == "property.made_required"

migration(c) := sprintf("%s, and opening it (`additional_properties: true`) breaks them too: tell them first, then release the property in a new `version` of the event", [closed_text(c)]) if {
	c.kind in {"property.added_optional", "property.added_required"}
	adding_breaks(c)
}

migration(c) := "add a new property with the new type next to the old one, deprecate the old one with a `sunset:`, and move senders and consumers over" if {
	c.kind in {"type.narrowed", "type.widened", "type.changed"}
	not adding_breaks(c)
}

migration(c) := sprintf("%s, so a new property next to the old one breaks them too: tell them first, then release the new type in a new `version` of the event", [closed_text(c)]) if {
	c.kind in {"type.narrowed", "type.widened", "type.changed"}
	adding_breaks(c)
}

migration(c) := "deprecate the value in the description first; remove it after every sender stopped sending it, in a new `version` of the event" if c.kind == "enum.value_removed"

migration(c) := "tell the consumers first (they must accept the new values), then release it in a new `version` of the event" if c.kind in {"enum.value_added", "constraint.relaxed", "format.removed", "additional_properties.opened", "property.made_optional"}

migration(c) := "check that every sender already meets the new rule (validate real payloads), then release it in a new `version` of the event" if c.kind in {"constraint.tightened", "pattern.changed", "format.added", "format.changed", "additional_properties.closed"}

# A breaking change lands where the new state is in head; else on the event that lost
# something (when it still exists); else at the repository level. Its base place is related.
place(c) := {"at": c.head} if c.head != null

place(c) := {"at": {"kind": "Event", "name": c.event, "field": ""}} if {
	c.head == null
	is_string(object.get(c, "event", null))
	object.get(input.events, c.event, null) != null
}

place(c) := {} if {
	c.head == null
	not event_in_head(c)
}

event_in_head(c) if object.get(input.events, object.get(c, "event", ""), null) != null

related(c) := [{"at": object.union(c.base, {"side": "base"}), "msg": "was here in the base"}] if c.base != null

related(c) := [] if c.base == null

# METADATA
# title: Breaking change under the event's compatibility mode
# description: |
#   ## What it does
#   Flags a change against the base (`--base`) that breaks payloads under the event's
#   compatibility mode (`compatibility:` on the event, else in contrail.yaml; `backward` by
#   default): a renamed or removed property or event, a new required property, a narrower
#   type, a tighter constraint, a removed enum value. The finding lands on the changed line
#   in head (for a removal, on the event that lost it) with the base line as related
#   location, and its help gives the migration path.
#
#   ## Why is this bad?
#   Under `backward`, app builds already in customers' hands keep sending the old payloads,
#   and the pipeline would reject or drop them; under `forward`, consumers of the old
#   contract would reject the new payloads. A rename breaks both: a join on the old name
#   silently stops matching.
#
#   ## Example
#   Base:
#   ```yaml
#   kind: Property
#   name: cart_id
#   type: string
#   pii: none
#   ---
#   kind: Event
#   name: checkout_started
#   properties: [{ref: cart_id, required: true}]
#   ```
#
#   Head:
#   ```yaml
#   kind: Property
#   name: basket_id
#   type: string
#   pii: none
#   ---
#   kind: Event
#   name: checkout_started
#   properties: [{ref: basket_id, required: true}]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: cart_id
#   type: string
#   pii: none
#   ---
#   kind: Property
#   name: basket_id
#   type: string
#   pii: none
#   ---
#   kind: Event
#   name: checkout_started
#   properties:
#     - {ref: cart_id, required: true, lifecycle: deprecated, sunset: 2027-06-30, replaced_by: basket_id}
#     - {ref: basket_id}
#   ```
# custom:
#   id: CT402
#   name: breaking-change
#   severity: error
#   category: compatibility
deny contains f if {
	some c in input.changes
	verdict(c) == "breaking"
	f := object.union(place(c), {
		"rule": "breaking-change",
		"msg": sprintf("%s %s%s: breaking under `%s` compatibility", [subject(c), what[c.kind], values(c), c.mode]),
		"help": migration(c),
		"related": related(c),
	})
}

# METADATA
# title: Breaking change without a new event version
# description: |
#   ## What it does
#   Flags an event with a breaking change (see `breaking-change`) whose `version` did not
#   increase against the base. The finding lands on the event's `version` (its name when it
#   has none).
#
#   ## Why is this bad?
#   Consumers and the runtime tell contract generations apart by `version`. A breaking change
#   under an unchanged version means two incompatible payload shapes under one name.
#
#   ## Example
#   Base:
#   ```yaml
#   kind: Property
#   name: sku
#   type: string
#   max_length: 40
#   pii: none
#   ---
#   kind: Event
#   name: product_viewed
#   version: 1
#   properties: [{ref: sku, required: true}]
#   ```
#
#   Head:
#   ```yaml
#   kind: Property
#   name: sku
#   type: string
#   max_length: 20
#   pii: none
#   ---
#   kind: Event
#   name: product_viewed
#   version: 1
#   properties: [{ref: sku, required: true}]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: sku
#   type: string
#   max_length: 20
#   pii: none
#   ---
#   kind: Event
#   name: product_viewed
#   version: 2
#   properties: [{ref: sku, required: true}]
#   ```
# custom:
#   id: CT403
#   name: version-not-increased
#   severity: warning
#   category: compatibility
warn contains f if {
	some c in input.changes
	v := object.get(c, "version", null)
	v != null
	name := c.event
	verdict(c) == "breaking"
	object.get(input.events, name, null) != null
	before := version_number(v.base)
	version_number(v.head) <= before
	f := {
		"rule": "version-not-increased",
		"msg": sprintf("event `%s` has breaking changes but its `version` was not raised", [name]),
		"at": {"kind": "Event", "name": name, "field": "version"},
		"help": sprintf("set `version: %d`, or make the changes compatible", [before + 1]),
	}
}

# An absent version counts as 0.
version_number(v) := 0 if v == null

version_number(v) := v if is_number(v)
