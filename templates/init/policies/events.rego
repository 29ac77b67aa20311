# Your own policy, next to the built-in ones: adapt it or add more packages beside it.
# How to write and test policies: https://github.com/{REPOSITORY}/blob/{TAG}/docs/policies.md
package org.events

# METADATA
# title: Active event without a domain
# description: |
#   ## What it does
#   Flags an active event without `domain`.
#
#   ## Why is this bad?
#   Dashboards, ownership reviews and data products are organised by domain.
#
#   ## Example
#   ```yaml
#   kind: Event
#   name: checkout_started
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Event
#   name: checkout_started
#   domain: checkout
#   ```
# custom:
#   id: ORG101
#   name: event-without-domain
#   severity: warning
#   category: quality
warn contains f if {
	some name, e in input.events
	e.lifecycle == "active"
	object.get(e, "domain", null) == null
	f := {
		"rule": "event-without-domain",
		"msg": sprintf("event `%s` has no domain", [name]),
		"at": {"kind": "Event", "name": name, "field": "domain"},
		"help": "add `domain:`, for example `checkout`",
	}
}
