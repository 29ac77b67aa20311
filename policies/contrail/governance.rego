package contrail.governance

import data.contrail.lib

# Built-in ownership rules over the catalog's resource maps: every live event and property
# has a team answering for it and says what it means.

# The kinds checked, with their key in the catalog.
checked := {"Event": "events", "Property": "properties"}

# A removed event or property is kept only as a tombstone: nobody needs to own or explain it.
live(resource) if object.get(resource, "lifecycle", "active") != "removed"

# METADATA
# title: Event or property without an owner
# description: |
#   ## What it does
#   Flags an event or property without `owner`, the Team that answers for it. The finding
#   lands on its name. Removed events and properties are not checked.
#
#   ## Why is this bad?
#   Without an owner, nobody is asked to review a change, to answer a privacy question, or
#   to fix broken payloads: the reviewer diff cannot name who must approve, and the data
#   outlives the people who knew what it meant.
#
#   ## Example
#   ```yaml
#   kind: Team
#   name: checkout
#   ---
#   kind: Property
#   name: coupon_code
#   type: string
#   pii: none
#   owner: checkout
#   description: Code typed into the coupon field.
#   ---
#   kind: Event
#   name: coupon_applied
#   description: A coupon was accepted for the cart.
#   properties: [{ ref: coupon_code, required: true }]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Team
#   name: checkout
#   ---
#   kind: Property
#   name: coupon_code
#   type: string
#   pii: none
#   owner: checkout
#   description: Code typed into the coupon field.
#   ---
#   kind: Event
#   name: coupon_applied
#   owner: checkout
#   description: A coupon was accepted for the cart.
#   properties: [{ ref: coupon_code, required: true }]
#   ```
# custom:
#   id: CT502
#   name: owner-missing
#   severity: warning
#   category: governance
warn contains f if {
	some kind, key in checked
	some name, resource in input[key]
	object.get(resource, "owner", null) == null
	live(resource)
	word := lower(kind)
	f := {
		"rule": "owner-missing",
		"msg": sprintf("%s `%s` has no owner", [word, name]),
		"at": {"kind": kind, "name": name, "field": "owner"},
		"help": sprintf("add `owner:` naming the Team that answers for this %s", [word]),
	}
}

# METADATA
# title: Event or property without a description
# description: |
#   ## What it does
#   Flags an event or property without `description`, or whose description is blank. The
#   finding lands on its name (on the blank value, when there is one). Removed events and
#   properties are not checked.
#
#   ## Why is this bad?
#   The description is what analysts, developers and reviewers read to know when an event
#   fires and what a value means. It is exported to the JSON Schemas; without it, the same
#   name gets read three ways in three dashboards.
#
#   ## Example
#   ```yaml
#   kind: Team
#   name: checkout
#   ---
#   kind: Property
#   name: coupon_code
#   type: string
#   pii: none
#   owner: checkout
#   ---
#   kind: Event
#   name: coupon_applied
#   owner: checkout
#   description: A coupon was accepted for the cart.
#   properties: [{ ref: coupon_code, required: true }]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Team
#   name: checkout
#   ---
#   kind: Property
#   name: coupon_code
#   type: string
#   pii: none
#   owner: checkout
#   description: Code typed into the coupon field, as entered (not normalised).
#   ---
#   kind: Event
#   name: coupon_applied
#   owner: checkout
#   description: A coupon was accepted for the cart.
#   properties: [{ ref: coupon_code, required: true }]
#   ```
# custom:
#   id: CT503
#   name: description-missing
#   severity: warning
#   category: governance
warn contains f if {
	some kind, key in checked
	some name, resource in input[key]
	object.get(resource, "description", null) == null
	f := description_finding(kind, name, resource, "has no description")
}

warn contains f if {
	some kind, key in checked
	some name, resource in input[key]
	d := object.get(resource, "description", null)
	is_string(d)
	trim_space(d) == ""
	f := description_finding(kind, name, resource, "has a blank description")
}

description_finding(kind, name, resource, why) := f if {
	live(resource)
	word := lower(kind)
	f := {
		"rule": "description-missing",
		"msg": sprintf("%s `%s` %s", [word, name, why]),
		"at": {"kind": kind, "name": name, "field": "description"},
		"help": description_help[word],
	}
}

description_help := {
	"event": "add `description:` saying what happened when the event is sent",
	"property": "add `description:` saying what the value means (unit, format, when it is absent)",
}

# ---- Changes against the base (`--base`): who must review, and what needs an acknowledgement.

# Changes to privacy facts, identity stitching, or a destination newly receiving personal or
# unclassified data: the governance teams review them in every compatibility mode.
governed_kinds := {
	"pii.lowered", "pii.raised", "pii.classified",
	"consent.purpose_added", "consent.purpose_removed", "residency.changed",
	"identity.rule_added", "identity.rule_removed", "identity.match_key_added",
	"identity.match_key_removed", "identity.match_key_changed",
	"identity.precedence_changed", "identity.merge_changed",
}

governed(c) if c.kind in governed_kinds

# Personal or unclassified data newly at a destination. A masked property carries nothing,
# unless nobody knows what it is (unclassified data is an error at non-production even masked).
governed(c) if {
	c.kind == "destination.new_property"
	pii := object.get(c.to, "pii", null)
	pii != "none"
	not masked_classified(pii, object.get(c.to, "treatment", null))
}

masked_classified(pii, treatment) if {
	pii != null
	treatment == "masked"
}

# Routing changes that widen the privacy envelope: what may reach a destination, where it is
# kept and for how long, which events flow where. Their narrowing counterparts (a lowered
# PII cap, a shorter retention, direct identifiers taken only hashed, a removed consent
# purpose, a glob removed from `events`, an added `deny`, a stronger protection) go to the
# owners only, and so do a changed `type` (what it changes, the default of `accepts_direct`,
# is a change of its own) and a source's `platform` (a label no rule reads).
widening_kinds := {
	"destination.region_changed", "destination.pii_cap_raised", "destination.accepts_direct_plain",
	"destination.retention_lengthened", "destination.consent_purpose_added",
	"destination.allowlist_removed", "destination.events_added", "destination.deny_removed",
	"source.region_changed", "source.events_added",
	"pipeline.source_changed", "pipeline.events_added", "pipeline.destination_added",
	"transformation.protection_removed", "transformation.enrichment_added",
}

governed(c) if c.kind in widening_kinds

# Production may receive personal data; non-production none.
governed(c) if {
	c.kind == "destination.environment_changed"
	c.to != "nonprod"
}

# A transformation that adds data (`join`, `set`) now applied to more pipelines or events.
governed(c) if {
	c.kind in {"pipeline.transformation_added", "transformation.events_added"}
	some step in transformation_steps(changed_transformation(c))
	enriching(step)
}

# A transformation that protects data (`hash`, `mask`, `drop`) now applied to fewer.
governed(c) if {
	c.kind in {"pipeline.transformation_removed", "transformation.events_removed"}
	some step in transformation_steps(changed_transformation(c))
	protecting(step)
}

changed_transformation(c) := c.to if c.kind == "pipeline.transformation_added"

changed_transformation(c) := c.from if c.kind == "pipeline.transformation_removed"

changed_transformation(c) := side_name(c) if startswith(c.kind, "transformation.")

# The steps of a transformation, as head and as the base have it.
transformation_steps(name) := [step |
	some side in [input, base_catalog]
	some step in object.get(object.get(object.get(side, "transformations", {}), name, {}), "steps", [])
]

base_catalog := b if {
	b := input.base
	is_object(b)
} else := {}

enriching(step) if {
	some action in ["join", "set"]
	object.get(step, action, null) != null
}

protecting(step) if {
	some action in ["hash", "mask", "drop"]
	object.get(step, action, null) != null
}

# A resource as head has it, else as the base had it.
resource_of(key, name) := r if r := input[key][name]

resource_of(key, name) := r if {
	not input[key][name]
	r := input.base[key][name]
}

# The teams that own what a change touches: the event's owner, the property's, the owner of
# the resource it is at (destination, source, pipeline, transformation, identity rule), and
# of the destination or transformation a pipeline gained or lost.
owning_teams(c) := {t |
	some pair in touched(c)
	t := resource_of(pair[0], pair[1]).owner
}

touched(c) := {pair |
	some pair in [
		["events", object.get(c, "event", null)],
		["properties", object.get(c, "property", null)],
		[side_key(c), side_name(c)],
		[object.get(named_kinds, c.kind, ""), entry(c)],
	]
	is_string(pair[1])
	pair[0] != ""
}

# Changes whose value names another resource, by the catalog key of its kind.
named_kinds := {
	"pipeline.destination_added": "destinations",
	"pipeline.destination_removed": "destinations",
	"pipeline.transformation_added": "transformations",
	"pipeline.transformation_removed": "transformations",
}

# The entry a change adds, else the one it removes.
entry(c) := c.to if c.to != null

entry(c) := c.from if c.to == null

side_key(c) := key if {
	at := object.get(c, "head", null)
	at != null
	key := kind_keys[at.kind]
} else := key if {
	at := object.get(c, "base", null)
	at != null
	key := kind_keys[at.kind]
} else := ""

side_name(c) := c.head.name if c.head != null

side_name(c) := c.base.name if {
	c.head == null
	c.base != null
}

kind_keys := {
	"Event": "events", "Property": "properties", "Source": "sources",
	"Destination": "destinations", "Pipeline": "pipelines", "Transformation": "transformations",
	"IdentityRule": "identity",
}

governance_teams := {name | some name, team in input.teams; object.get(team, "governance", false) == true}

# The teams that must review a change: its owners, and the governance teams for governed ones.
review_teams(c) := owning_teams(c) | governance_teams if governed(c)

review_teams(c) := owning_teams(c) if not governed(c)

# Teams as `name (@org/reviewer, …)`.
team_list(teams) := "a governance team (no owner is set and no Team has `governance: true`)" if count(teams) == 0

team_list(teams) := concat(", ", [label |
	some t in sort([x | some x in teams])
	label := team_label(t)
]) if count(teams) > 0

team_label(t) := sprintf("`%s` (%s)", [t, concat(", ", input.teams[t].reviewers)]) if count(object.get(object.get(input.teams, t, {}), "reviewers", [])) > 0

team_label(t) := sprintf("`%s`", [t]) if count(object.get(object.get(input.teams, t, {}), "reviewers", [])) == 0

# Per change (by its index in `input.changes`): the teams that must review it, whether it
# needs the governance review, and whether it is a governance error (`pii-lowered`,
# `consent-purpose-removed` without an acknowledgement). The reviewer diff reads this.
reviews := {i: r |
	some i, c in input.changes
	r := {
		"teams": sort([t | some t in review_teams(c)]),
		"governance": governed_flag(c),
		"blocking": blocking_flag(c),
	}
}

governed_flag(c) := true if governed(c)

governed_flag(c) := false if not governed(c)

blocking(c) if {
	rule := guarded[c.kind]
	not acknowledgement(c, rule)
}

blocking_flag(c) := true if blocking(c)

blocking_flag(c) := false if not blocking(c)

# The acknowledgement of `rule` on the resource a change is at, if any.
acknowledgement(c, rule) := a if {
	some a in object.get(resource_of(side_key(c), side_name(c)), "acknowledge", [])
	a.rule == rule
}

# Governance errors a change can trip, by kind.
guarded := {"pii.lowered": "pii-lowered", "consent.purpose_removed": "consent-purpose-removed"}

change_text(c) := sprintf("%s of property `%s` changed from `%v` to `%v`", [c.field, c.property, value_or_unclassified(c.from), value_or_unclassified(c.to)]) if c.kind in {"pii.lowered", "pii.raised", "pii.classified", "residency.changed"}

change_text(c) := sprintf("consent purpose `%s` removed from property `%s`", [c.from, c.property]) if c.kind == "consent.purpose_removed"

change_text(c) := sprintf("consent purpose `%s` added to property `%s`", [c.to, c.property]) if c.kind == "consent.purpose_added"

# A changed PII class or residency, `unclassified` for null; the message adds the backticks.
value_or_unclassified(v) := "unclassified" if v == null

value_or_unclassified(v) := v if v != null

change_text(c) := sprintf("destination `%s` now receives property `%s` (%s)", [c.head.name, c.property, pii_text(c.to.pii)]) if c.kind == "destination.new_property"

change_text(c) := sprintf("identity rule `%s`: %s", [side_name(c), identity_words[c.kind]]) if startswith(c.kind, "identity.")

identity_words := {
	"identity.rule_added": "added",
	"identity.rule_removed": "removed",
	"identity.match_key_added": "match key added",
	"identity.match_key_removed": "match key removed",
	"identity.match_key_changed": "match key normalization changed",
	"identity.precedence_changed": "match key precedence changed",
	"identity.merge_changed": "merge strategy changed",
}

# The widening routing changes (`widening_kinds` and the conditional ones above).
change_text(c) := sprintf("destination `%s` changed region from %s to %s", [side_name(c), shown(c.from), shown(c.to)]) if c.kind == "destination.region_changed"

change_text(c) := sprintf("destination `%s` may now receive PII up to `%s` (was `%s`)", [side_name(c), c.to, c.from]) if c.kind == "destination.pii_cap_raised"

change_text(c) := sprintf("destination `%s` now takes direct identifiers plain (it took them only hashed)", [side_name(c)]) if c.kind == "destination.accepts_direct_plain"

change_text(c) := sprintf("destination `%s` now keeps data for `%s` (was %s)", [side_name(c), c.to, shown(c.from)]) if {
	c.kind == "destination.retention_lengthened"
	c.to != null
}

change_text(c) := sprintf("destination `%s` no longer states its `retention` (was `%s`), so how long it keeps data is not checked", [side_name(c), c.from]) if {
	c.kind == "destination.retention_lengthened"
	c.to == null
}

change_text(c) := sprintf("destination `%s` is now covered for consent purpose `%s`", [side_name(c), c.to]) if c.kind == "destination.consent_purpose_added"

change_text(c) := sprintf("destination `%s` changed environment from %s to %s", [side_name(c), shown(c.from), shown(c.to)]) if c.kind == "destination.environment_changed"

change_text(c) := sprintf("destination `%s` no longer has an `events` allowlist (it allowed %s), so it allows every event", [side_name(c), allowed_text(c.from)]) if c.kind == "destination.allowlist_removed"

allowed_text(globs) := "no event" if count(globs) == 0

allowed_text(globs) := lib.ticked(globs) if count(globs) > 0

change_text(c) := sprintf("destination `%s` now allows events matching `%s`", [side_name(c), c.to]) if c.kind == "destination.events_added"

change_text(c) := sprintf("destination `%s` no longer denies events matching `%s`", [side_name(c), c.from]) if c.kind == "destination.deny_removed"

change_text(c) := sprintf("source `%s` changed region from %s to %s", [side_name(c), shown(c.from), shown(c.to)]) if c.kind == "source.region_changed"

change_text(c) := sprintf("source `%s` now emits events matching `%s`", [side_name(c), c.to]) if c.kind == "source.events_added"

change_text(c) := sprintf("pipeline `%s` now takes events from source %s (was %s)", [side_name(c), shown(c.to), shown(c.from)]) if c.kind == "pipeline.source_changed"

change_text(c) := sprintf("pipeline `%s` now routes events matching `%s`", [side_name(c), c.to]) if c.kind == "pipeline.events_added"

change_text(c) := sprintf("pipeline `%s` now delivers to destination `%s`", [side_name(c), c.to]) if c.kind == "pipeline.destination_added"

change_text(c) := sprintf("pipeline `%s` now applies transformation `%s`, which adds data (`join` or `set`)", [side_name(c), c.to]) if c.kind == "pipeline.transformation_added"

change_text(c) := sprintf("pipeline `%s` no longer applies transformation `%s`, which protects data (`hash`, `mask` or `drop`)", [side_name(c), c.from]) if c.kind == "pipeline.transformation_removed"

change_text(c) := sprintf("transformation `%s` now also applies to events matching `%s`, and adds data to them (`join` or `set`)", [side_name(c), c.to]) if c.kind == "transformation.events_added"

change_text(c) := sprintf("transformation `%s` no longer applies to events matching `%s`, which it protected (`hash`, `mask` or `drop`)", [side_name(c), c.from]) if c.kind == "transformation.events_removed"

change_text(c) := sprintf("transformation `%s` no longer protects property `%s` with `%s` (now %s)", [side_name(c), c.property, c.from, shown(c.to)]) if c.kind == "transformation.protection_removed"

change_text(c) := sprintf("transformation `%s` now %s", [side_name(c), enrichment_text(c.to)]) if c.kind == "transformation.enrichment_added"

enrichment_text(step) := sprintf("joins dataset `%s` on `%s`", [step.join.dataset, step.join.key]) if step.join

enrichment_text(step) := sprintf("sets property `%s`", [concat("`, `", sort([k | some k, _ in step.set]))]) if step.set

# A routing value in a message: in backticks, `none` when absent.
shown(v) := "none" if v == null

shown(v) := sprintf("`%v`", [v]) if v != null

pii_text(p) := "unclassified" if p == null

pii_text(p) := sprintf("PII class %s", [p]) if p != null

place(c) := {"at": c.head} if c.head != null

place(c) := {"related": [{"at": object.union(c.base, {"side": "base"}), "msg": "was here in the base"}]} if {
	c.head == null
	c.base != null
}

acknowledged_text(c) := sprintf("; acknowledged: %s", [a.reason]) if {
	rule := guarded[c.kind]
	a := acknowledgement(c, rule)
}

acknowledged_text(c) := "" if {
	rule := guarded[c.kind]
	not acknowledgement(c, rule)
}

acknowledged_text(c) := "" if not guarded[c.kind]

# METADATA
# title: Change that needs a governance review
# description: |
#   ## What it does
#   With `--base`, flags each change to a PII class, consent purposes, residency or an
#   identity rule, each destination that newly receives a personal or unclassified
#   property, and each routing change that widens what may reach a destination (a raised
#   PII cap, a longer retention, another region, a consent purpose added to a destination,
#   more events allowed or routed, a protection removed from a transformation). The message
#   names the teams that must review it: the owners of what changed and every Team with
#   `governance: true`.
#
#   ## Why is this bad?
#   It is not wrong, but it changes what the company does with personal data. The privacy
#   or governance team answers for that and must see it before it ships; the reviewer diff
#   (`contrail diff`) lists the same reviewers.
#
#   ## Example
#   Base:
#   ```yaml
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   lawful_basis: contract
#   ---
#   kind: Event
#   name: signed_up
#   properties: [{ref: email}]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: [signed_up]
#   ---
#   kind: Destination
#   name: crm
#   type: crm
#   environment: prod
#   pii: direct
#   ```
#
#   Head:
#   ```yaml
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   lawful_basis: contract
#   ---
#   kind: Event
#   name: signed_up
#   properties: [{ref: email}]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: [signed_up]
#   ---
#   kind: Destination
#   name: crm
#   type: crm
#   environment: prod
#   pii: direct
#   ---
#   kind: Pipeline
#   name: web_crm
#   source: web
#   destinations: [crm]
#   events: [signed_up]
#   ```
#
#   The fix is not always another YAML: usually it is the review itself. Here the destination
#   does not need the address, so the pipeline drops it.
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   lawful_basis: contract
#   ---
#   kind: Event
#   name: signed_up
#   properties: [{ref: email}]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: [signed_up]
#   ---
#   kind: Destination
#   name: crm
#   type: crm
#   environment: prod
#   pii: direct
#   ---
#   kind: Transformation
#   name: drop_email
#   events: ["*"]
#   steps: [{drop: email}]
#   ---
#   kind: Pipeline
#   name: web_crm
#   source: web
#   destinations: [crm]
#   events: [signed_up]
#   transformations: [drop_email]
#   ```
# custom:
#   id: CT504
#   name: review-required
#   severity: warning
#   category: governance
warn contains f if {
	some c in input.changes
	governed(c)
	f := object.union(place(c), {
		"rule": "review-required",
		"msg": sprintf("%s: needs review by %s%s", [change_text(c), team_list(review_teams(c)), acknowledged_text(c)]),
		"help": "ask the listed teams to review the pull request",
	})
}

# METADATA
# title: PII class lowered without an acknowledgement
# description: |
#   ## What it does
#   With `--base`, flags a property whose `pii` class went down (or was removed) without an
#   `acknowledge:` entry for `pii-lowered` on the property. With the entry, the change is a
#   `review-required` warning showing its reason.
#
#   ## Why is this bad?
#   A lower class lets the property reach destinations, regions and retention that the old
#   class forbade: one line in a pull request quietly widens where personal data goes. It
#   must be a decision someone wrote down.
#
#   ## Example
#   Base:
#   ```yaml
#   kind: Property
#   name: postcode
#   type: string
#   pii: direct
#   lawful_basis: contract
#   ```
#
#   Head:
#   ```yaml
#   kind: Property
#   name: postcode
#   type: string
#   pii: indirect
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: postcode
#   type: string
#   pii: indirect
#   acknowledge:
#     - rule: pii-lowered
#       reason: Only the first three characters are collected since app 5.2 (DPIA-142).
#   ```
# custom:
#   id: CT505
#   name: pii-lowered
#   severity: error
#   category: governance
deny contains f if {
	some c in input.changes
	c.kind == "pii.lowered"
	not acknowledgement(c, "pii-lowered")
	f := object.union(place(c), {
		"rule": "pii-lowered",
		"msg": sprintf("the PII class of property `%s` was lowered from `%v` to `%v`", [c.property, c.from, c.to]),
		"help": "if this is intended, add to the property `acknowledge: [{rule: pii-lowered, reason: \"...\"}]`; the governance team then reviews it",
	})
}

# METADATA
# title: Consent purpose removed without an acknowledgement
# description: |
#   ## What it does
#   With `--base`, flags a consent purpose removed from a property's `consent` without an
#   `acknowledge:` entry for `consent-purpose-removed` on the property. With the entry, the
#   change is a `review-required` warning showing its reason.
#
#   ## Why is this bad?
#   The property would then reach destinations whose consent does not cover the purpose the
#   users agreed to: processing without consent.
#
#   ## Example
#   Base:
#   ```yaml
#   kind: ConsentPurpose
#   name: analytics
#   ---
#   kind: ConsentPurpose
#   name: marketing
#   ---
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   consent: [analytics, marketing]
#   ```
#
#   Head:
#   ```yaml
#   kind: ConsentPurpose
#   name: analytics
#   ---
#   kind: ConsentPurpose
#   name: marketing
#   ---
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   consent: [analytics]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: ConsentPurpose
#   name: analytics
#   ---
#   kind: ConsentPurpose
#   name: marketing
#   ---
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   consent: [analytics]
#   acknowledge:
#     - rule: consent-purpose-removed
#       reason: Marketing now uses the CRM's own opt-in, not this property (LEGAL-88).
#   ```
# custom:
#   id: CT506
#   name: consent-purpose-removed
#   severity: error
#   category: governance
deny contains f if {
	some c in input.changes
	c.kind == "consent.purpose_removed"
	not acknowledgement(c, "consent-purpose-removed")
	f := object.union(place(c), {
		"rule": "consent-purpose-removed",
		"msg": sprintf("consent purpose `%s` was removed from property `%s`", [c.from, c.property]),
		"help": "if this is intended, add to the property `acknowledge: [{rule: consent-purpose-removed, reason: \"...\"}]`; the governance team then reviews it",
	})
}

# METADATA
# title: Acknowledgement that matches no change
# description: |
#   ## What it does
#   With `--base`, flags an `acknowledge:` entry on a Property, Event, Destination or
#   IdentityRule that matches no change of this comparison: no change on that resource
#   trips the rule it names.
#
#   ## Why is this bad?
#   A leftover acknowledgement would silently accept the next, different change of the same
#   kind. Remove it once the change it was written for has been merged.
#
#   ## Example
#   Base:
#   ```yaml
#   kind: Property
#   name: postcode
#   type: string
#   pii: indirect
#   ```
#
#   Head:
#   ```yaml
#   kind: Property
#   name: postcode
#   type: string
#   pii: indirect
#   acknowledge:
#     - rule: pii-lowered
#       reason: Only the first three characters are collected since app 5.2 (DPIA-142).
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: postcode
#   type: string
#   pii: indirect
#   ```
# custom:
#   id: CT507
#   name: acknowledge-unused
#   severity: warning
#   category: governance
#   absence: true
warn contains f if {
	input.base != null
	some kind, key in kind_keys
	some name, r in input[key]
	some i, a in object.get(r, "acknowledge", [])
	not used(key, name, a.rule)
	f := {
		"rule": "acknowledge-unused",
		"msg": sprintf("the acknowledgement of `%s` on %s `%s` matches no change against the base", [a.rule, lower(kind), name]),
		"at": {"kind": kind, "name": name, "field": sprintf("acknowledge.%d", [i])},
		"help": "remove it: the change it was written for is not in this comparison",
	}
}

used(key, name, rule) if {
	some c in input.changes
	guarded[c.kind] == rule
	side_key(c) == key
	side_name(c) == name
}
