package contrail.governance

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
