package contrail.routing

# Built-in routing rules over the catalog's flows: which events each pipeline sends where.

# METADATA
# title: Event routed to a destination that does not allow it
# description: |
#   ## What it does
#   Flags a pipeline that sends an event to a destination whose `events` allowlist does
#   not include it, or whose `deny` list matches it. The finding lands on the pipeline's
#   `events` entry that selects the event.
#
#   ## Why is this bad?
#   A destination's allowlist is its owner's word on what it may receive. contrail never
#   filters silently: the pipeline must stop selecting the event, or the destination's
#   owner must allow it.
#
#   ## Example
#   ```yaml
#   kind: Event
#   name: order_refunded
#   ---
#   kind: Source
#   name: server
#   platform: server
#   events: ["order_*"]
#   ---
#   kind: Destination
#   name: email_platform
#   type: email
#   environment: prod
#   events: ["order_*"]
#   deny: ["order_refunded"]
#   ---
#   kind: Pipeline
#   name: server_to_email
#   source: server
#   destinations: [email_platform]
#   events: ["order_*"]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Event
#   name: order_refunded
#   ---
#   kind: Event
#   name: order_completed
#   ---
#   kind: Source
#   name: server
#   platform: server
#   events: ["order_*"]
#   ---
#   kind: Destination
#   name: email_platform
#   type: email
#   environment: prod
#   events: ["order_*"]
#   deny: ["order_refunded"]
#   ---
#   kind: Pipeline
#   name: server_to_email
#   source: server
#   destinations: [email_platform]
#   events: ["order_completed"]
#   ```
# custom:
#   id: CT301
#   name: event-not-allowed
#   severity: error
#   category: routing
deny contains f if {
	some fl in input.flows
	d := input.destinations[fl.destination]
	why := refusal(d, fl)
	f := {
		"rule": "event-not-allowed",
		"msg": sprintf("pipeline `%s` routes `%s` to `%s`, which %s", [fl.pipeline, fl.event, fl.destination, why]),
		"at": {"kind": "Pipeline", "name": fl.pipeline, "field": sprintf("events.%s", [fl.selected_by])},
		"help": sprintf("narrow the pipeline's `events`, or allow `%s` in destination `%s`", [fl.event, fl.destination]),
		"related": [{"at": {"kind": "Destination", "name": fl.destination, "field": refusing_field(fl)}, "msg": "the destination's rule"}],
	}
}

refusing_field(fl) := sprintf("deny.%s", [fl.denied_by]) if fl.denied_by != null

refusing_field(fl) := "events" if fl.denied_by == null

refusal(d, fl) := sprintf("denies it (`deny: %s`)", [fl.denied_by]) if fl.denied_by != null

refusal(d, fl) := "does not list it in its `events`" if {
	fl.denied_by == null
	d.events != null
	fl.allowed_by == null
}
