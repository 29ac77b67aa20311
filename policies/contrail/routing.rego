package contrail.routing

import data.contrail.lib

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
	fl.allowed == false
	f := {
		"rule": "event-not-allowed",
		"msg": sprintf("pipeline `%s` routes `%s` to `%s`, which %s", [fl.pipeline, fl.event, fl.destination, refusal(fl)]),
		"at": {"kind": "Pipeline", "name": fl.pipeline, "field": sprintf("events.%s", [fl.selected_by])},
		"help": sprintf("narrow the pipeline's `events`, or allow `%s` in destination `%s`", [fl.event, fl.destination]),
		"related": [{"at": {"kind": "Destination", "name": fl.destination, "field": refusing_field(fl)}, "msg": "the destination's rule"}],
	}
}

refusing_field(fl) := sprintf("deny.%s", [fl.denied_by]) if fl.denied_by != null

refusing_field(fl) := "events" if fl.denied_by == null

refusal(fl) := sprintf("denies it (`deny: %s`)", [fl.denied_by]) if fl.denied_by != null

refusal(fl) := "does not list it in its `events`" if fl.denied_by == null

# METADATA
# title: Pipeline `events` entry that selects nothing
# description: |
#   ## What it does
#   Flags an entry of a pipeline's `events` that matches no event its source emits: no
#   event has that name or matches that glob, every event it matches is `removed`, or the
#   source does not emit them. Each entry is judged on its own: an entry whose events are
#   all selected by an earlier entry still selects them. The finding lands on the entry.
#   Reads `selections` from the catalog (what each entry matches, computed in contrail).
#
#   ## Why is this bad?
#   An entry that selects nothing is usually a typo or a leftover: the events someone meant
#   to route are not routed, and nothing else says so.
#
#   ## Example
#   ```yaml
#   kind: Event
#   name: order_completed
#   ---
#   kind: Source
#   name: server
#   platform: server
#   events: ["order_*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   ---
#   kind: Pipeline
#   name: server_to_warehouse
#   source: server
#   destinations: [warehouse]
#   events: [order_completed, order_complete]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Event
#   name: order_completed
#   ---
#   kind: Source
#   name: server
#   platform: server
#   events: ["order_*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   ---
#   kind: Pipeline
#   name: server_to_warehouse
#   source: server
#   destinations: [warehouse]
#   events: [order_completed]
#   ```
# custom:
#   id: CT302
#   name: pipeline-selects-nothing
#   severity: warning
#   category: routing
#   absence: true
warn contains f if {
	some s in input.selections
	count(s.events) == 0
	source := input.pipelines[s.pipeline].source
	f := {
		"rule": "pipeline-selects-nothing",
		"msg": sprintf("`%s` in the `events` of pipeline `%s` selects nothing: %s", [s.glob, s.pipeline, why_nothing(s.glob, source)]),
		"at": {"kind": "Pipeline", "name": s.pipeline, "field": sprintf("events.%s", [s.glob])},
		"help": sprintf("fix or remove the entry, or add the events to the `events` of source `%s`", [source]),
		"related": [{"at": {"kind": "Source", "name": source, "field": "events"}, "msg": "what the source emits"}],
	}
}

# A glob with neither `*` nor `?` names one event: say what is wrong with it.
literal(glob) if {
	not contains(glob, "*")
	not contains(glob, "?")
}

why_nothing(glob, _) := sprintf("no event is named `%s`", [glob]) if {
	literal(glob)
	not input.events[glob]
}

why_nothing(glob, _) := sprintf("event `%s` is removed", [glob]) if {
	literal(glob)
	input.events[glob].lifecycle == "removed"
}

why_nothing(glob, source) := sprintf("source `%s` does not emit event `%s`", [source, glob]) if {
	literal(glob)
	input.events[glob].lifecycle != "removed"
}

why_nothing(glob, source) := sprintf("it matches no event that source `%s` emits", [source]) if not literal(glob)

# Destinations and events that at least one flow reaches. A pipeline with a resolved
# destination makes a flow for each event its `selections` hold, so the few selection rows
# answer what walking every flow would.
routed_destinations := {d |
	some s in input.selections
	count(s.events) > 0
	some d in input.pipelines[s.pipeline].destinations
	input.destinations[d]
}

routed_events := {e |
	some s in input.selections
	delivers(input.pipelines[s.pipeline])
	some e in s.events
}

delivers(pipeline) if {
	some d in pipeline.destinations
	input.destinations[d]
}

# METADATA
# title: Destination that receives no events
# description: |
#   ## What it does
#   Flags a destination that no pipeline routes any event to: no pipeline lists it, or the
#   pipelines that list it select no event their source emits. The finding lands on the
#   destination's name. A destination listed by a pipeline whose source is undefined is
#   left to `dangling-reference`.
#
#   ## Why is this bad?
#   A destination nobody sends data to is dead configuration, or a route someone forgot:
#   its allowlists, consent and retention are reviewed for nothing, and the data its owner
#   expects never arrives.
#
#   ## Example
#   ```yaml
#   kind: Event
#   name: order_completed
#   ---
#   kind: Source
#   name: server
#   platform: server
#   events: ["order_*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   ---
#   kind: Destination
#   name: email_platform
#   type: email
#   environment: prod
#   ---
#   kind: Pipeline
#   name: server_to_warehouse
#   source: server
#   destinations: [warehouse]
#   events: ["*"]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Event
#   name: order_completed
#   ---
#   kind: Source
#   name: server
#   platform: server
#   events: ["order_*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   ---
#   kind: Destination
#   name: email_platform
#   type: email
#   environment: prod
#   ---
#   kind: Pipeline
#   name: server_to_warehouse
#   source: server
#   destinations: [warehouse, email_platform]
#   events: ["*"]
#   ```
# custom:
#   id: CT303
#   name: destination-unused
#   severity: warning
#   category: routing
#   absence: true
warn contains f if {
	some name, _ in input.destinations
	not routed_destinations[name]
	not listed_by_unresolved_pipeline(name)
	listing := sort({p | some p, pl in input.pipelines; name in pl.destinations})
	f := {
		"rule": "destination-unused",
		"msg": sprintf("destination `%s` receives no events: %s", [name, why_unused(listing)]),
		"at": {"kind": "Destination", "name": name},
		"help": "route events to it from a pipeline, or remove it",
		"related": [r |
			some p in listing
			r := {"at": {"kind": "Pipeline", "name": p, "field": sprintf("destinations.%s", [name])}, "msg": "listed here; the pipeline routes no event"}
		],
	}
}

listed_by_unresolved_pipeline(destination) if {
	some pl in input.pipelines
	destination in pl.destinations
	not source_defined(pl)
}

source_defined(pl) if input.sources[pl.source]

why_unused(listing) := "no pipeline lists it" if count(listing) == 0

why_unused(listing) := sprintf("listed only by %s %s, which route%s no event to it", [pipeline_word(listing), lib.ticked(listing), verb_s]) if {
	count(listing) > 0
	verb_s := {true: "", false: "s"}[count(listing) > 1]
}

pipeline_word(names) := {true: "pipelines", false: "pipeline"}[count(names) > 1]
# METADATA
# title: Event that reaches no destination
# description: |
#   ## What it does
#   Flags an event that no flow carries: no source emits it, or no pipeline selects it, or
#   the pipelines that select it have no destination. `draft` events (being instrumented)
#   and `removed` ones are not checked, nor is a contract without any Pipeline (a tracking
#   plan that does not model routing). The finding lands on the event's name.
#
#   ## Why is this bad?
#   An event in the tracking plan that goes nowhere is either not collected yet or dead:
#   the plan promises data that nobody receives.
#
#   ## Example
#   ```yaml
#   kind: Event
#   name: order_completed
#   ---
#   kind: Event
#   name: cart_viewed
#   ---
#   kind: Source
#   name: server
#   platform: server
#   events: ["order_*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   ---
#   kind: Pipeline
#   name: server_to_warehouse
#   source: server
#   destinations: [warehouse]
#   events: ["*"]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Event
#   name: order_completed
#   ---
#   kind: Event
#   name: cart_viewed
#   lifecycle: draft
#   ---
#   kind: Source
#   name: server
#   platform: server
#   events: ["order_*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   ---
#   kind: Pipeline
#   name: server_to_warehouse
#   source: server
#   destinations: [warehouse]
#   events: ["*"]
#   ```
# custom:
#   id: CT304
#   name: event-unrouted
#   severity: info
#   category: routing
#   absence: true
info contains f if {
	count(input.pipelines) > 0
	some name, e in input.events
	lifecycle := e.lifecycle
	not lifecycle in {"draft", "removed"}
	not routed_events[name]
	f := {
		"rule": "event-unrouted",
		"msg": sprintf("event `%s` reaches no destination: no pipeline routes it from a source that emits it", [name]),
		"at": {"kind": "Event", "name": name},
		"help": "add it to the `events` of a source and of a pipeline, or mark it `lifecycle: draft` until it is collected",
	}
}

# METADATA
# title: Join key that an event does not carry
# description: |
#   ## What it does
#   Flags a transformation `join` step whose `key` is not carried by an event the
#   transformation applies to in a pipeline: the event does not list the property, or lists
#   it as `removed`, or the property itself is `removed`. One finding per (step, event), on
#   the step's `join.key`, naming the pipelines involved. Reads `applications` from the
#   catalog (which pipelines apply which transformation to which event, computed in
#   contrail from the flows).
#
#   ## Why is this bad?
#   The enrichment silently finds nothing for that event: every row it delivers misses the
#   joined columns. This is what happens when a property used as a join key is renamed.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: cart_id
#   type: string
#   pii: none
#   ---
#   kind: Event
#   name: checkout_started
#   properties: [{ ref: cart_id, required: true }]
#   ---
#   kind: Event
#   name: checkout_completed
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["checkout_*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   ---
#   kind: Transformation
#   name: enrich_cart
#   events: ["checkout_*"]
#   steps:
#     - join: { key: cart_id, dataset: carts }
#   ---
#   kind: Pipeline
#   name: web_to_warehouse
#   source: web
#   destinations: [warehouse]
#   events: ["*"]
#   transformations: [enrich_cart]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: cart_id
#   type: string
#   pii: none
#   ---
#   kind: Event
#   name: checkout_started
#   properties: [{ ref: cart_id, required: true }]
#   ---
#   kind: Event
#   name: checkout_completed
#   properties: [{ ref: cart_id, required: true }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["checkout_*"]
#   ---
#   kind: Destination
#   name: warehouse
#   type: warehouse
#   environment: prod
#   ---
#   kind: Transformation
#   name: enrich_cart
#   events: ["checkout_*"]
#   steps:
#     - join: { key: cart_id, dataset: carts }
#   ---
#   kind: Pipeline
#   name: web_to_warehouse
#   source: web
#   destinations: [warehouse]
#   events: ["*"]
#   transformations: [enrich_cart]
#   ```
# custom:
#   id: CT305
#   name: join-key-missing
#   severity: error
#   category: routing
#   absence: true
deny contains f if {
	some a in input.applications
	some [i, key] in join_steps[a.transformation]
	input.properties[key] # a key naming no Property is a `dangling-reference` already
	not carries(a.event, key)
	pipelines := sort(a.pipelines)
	why := lacks(a.event, key)
	f := {
		"rule": "join-key-missing",
		"msg": sprintf(
			"transformation `%s` joins on `%s`, but event `%s` %s (%s %s)",
			[a.transformation, key, a.event, why, pipeline_word(pipelines), lib.ticked(pipelines)],
		),
		"at": {"kind": "Transformation", "name": a.transformation, "field": sprintf("steps.%d.join.key", [i])},
		"help": sprintf("add `%s` to the properties of `%s`, or narrow the `events` of transformation `%s`", [key, a.event, a.transformation]),
		"related": [{"at": {"kind": "Event", "name": a.event}, "msg": why}],
	}
}

# Join steps by transformation: [step index, key] pairs.
join_steps := {t: steps |
	some t, tr in input.transformations
	steps := [[i, s.join.key] | some i, s in tr.steps; s.join.key]
	count(steps) > 0
}

carries(event, key) if {
	input.events[event].properties[key].lifecycle != "removed"
	input.properties[key].lifecycle != "removed"
}

lacks(event, key) := sprintf("does not carry `%s`", [key]) if not input.events[event].properties[key]

lacks(event, key) := sprintf("lists `%s` as removed", [key]) if input.events[event].properties[key].lifecycle == "removed"

lacks(event, key) := sprintf("carries `%s` only as a removed property", [key]) if {
	input.events[event].properties[key].lifecycle != "removed"
	input.properties[key].lifecycle == "removed"
}
