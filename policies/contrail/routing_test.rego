package contrail.routing_test

import data.contrail.routing

flow(allowed_by, denied_by, allowed) := {
	"pipeline": "server_to_email", "event": "order_refunded", "destination": "email",
	"selected_by": "order_*", "allowed_by": allowed_by, "denied_by": denied_by, "allowed": allowed,
}

refused(fl) := {f | some f in routing.deny with input as {"flows": [fl]}}

test_denied_event_is_refused_at_the_pipeline_glob if {
	fs := refused(flow("order_*", "order_refunded", false))
	count(fs) == 1
	some f in fs
	f.rule == "event-not-allowed"
	f.at == {"kind": "Pipeline", "name": "server_to_email", "field": "events.order_*"}
	f.msg == "pipeline `server_to_email` routes `order_refunded` to `email`, which denies it (`deny: order_refunded`)"
	f.related[0].at == {"kind": "Destination", "name": "email", "field": "deny.order_refunded"}
}

test_event_outside_the_allowlist_is_refused if {
	fs := refused(flow(null, null, false))
	count(fs) == 1
	some f in fs
	f.msg == "pipeline `server_to_email` routes `order_refunded` to `email`, which does not list it in its `events`"
	f.related[0].at == {"kind": "Destination", "name": "email", "field": "events"}
}

test_allowed_event_passes if count(refused(flow("order_*", null, true))) == 0

# --- pipeline-selects-nothing ---

selections_input(selections) := {
	"events": {"order_completed": {"lifecycle": "active"}, "basket_viewed": {"lifecycle": "removed"}, "cart_viewed": {"lifecycle": "active"}},
	"sources": {"server": {"events": ["order_*"]}},
	"pipelines": {"server_to_wh": {"source": "server", "events": [s.glob | some s in selections]}},
	"selections": [object.union({"pipeline": "server_to_wh"}, s) | some s in selections],
}

selects_nothing(selections) := {f | some f in routing.warn with input as selections_input(selections); f.rule == "pipeline-selects-nothing"}

test_glob_naming_no_event_selects_nothing if {
	fs := selects_nothing([{"glob": "order_completed", "events": ["order_completed"]}, {"glob": "order_complete", "events": []}])
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Pipeline", "name": "server_to_wh", "field": "events.order_complete"}
	f.msg == "`order_complete` in the `events` of pipeline `server_to_wh` selects nothing: no event is named `order_complete`"
	f.related == [{"at": {"kind": "Source", "name": "server", "field": "events"}, "msg": "what the source emits"}]
}

test_each_dead_glob_is_its_own_finding if {
	fs := selects_nothing([{"glob": "basket_viewed", "events": []}, {"glob": "cart_viewed", "events": []}, {"glob": "refund_*", "events": []}])
	count(fs) == 3
	msgs := {f.msg | some f in fs}
	msgs == {
		"`basket_viewed` in the `events` of pipeline `server_to_wh` selects nothing: event `basket_viewed` is removed",
		"`cart_viewed` in the `events` of pipeline `server_to_wh` selects nothing: source `server` does not emit event `cart_viewed`",
		"`refund_*` in the `events` of pipeline `server_to_wh` selects nothing: it matches no event that source `server` emits",
	}
}

# `order_*` claims order_completed first (flows say `selected_by: order_*`), but the second
# glob still matches it: it is not dead.
test_glob_shadowed_by_an_earlier_one_still_selects if {
	count(selects_nothing([{"glob": "order_*", "events": ["order_completed"]}, {"glob": "order_completed", "events": ["order_completed"]}])) == 0
}

test_question_mark_glob_is_not_literal if {
	fs := selects_nothing([{"glob": "order_?", "events": []}])
	some f in fs
	f.msg == "`order_?` in the `events` of pipeline `server_to_wh` selects nothing: it matches no event that source `server` emits"
}

# --- destination-unused ---

unused_input(pipelines, selections) := {
	"sources": {"server": {"events": ["*"]}},
	"destinations": {"warehouse": {}, "email": {}},
	"pipelines": pipelines,
	"selections": selections,
}

unused(pipelines, selections) := {f | some f in routing.warn with input as unused_input(pipelines, selections); f.rule == "destination-unused"}

selection(pipeline, events) := {"pipeline": pipeline, "glob": "*", "events": events}

to_wh := {"server_to_wh": {"source": "server", "destinations": ["warehouse"]}}

test_destination_no_pipeline_lists_is_unused if {
	fs := unused(to_wh, [selection("server_to_wh", ["order_completed"])])
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Destination", "name": "email"}
	f.msg == "destination `email` receives no events: no pipeline lists it"
	f.related == []
}

test_destination_listed_by_pipelines_routing_nothing_is_unused if {
	fs := unused(
		object.union(to_wh, {
			"app_to_email": {"source": "server", "destinations": ["warehouse", "email"]},
			"server_to_email": {"source": "server", "destinations": ["email"]},
		}),
		[
			selection("server_to_wh", ["order_completed"]),
			selection("app_to_email", []),
			selection("server_to_email", []),
		],
	)
	count(fs) == 1
	some f in fs
	f.msg == "destination `email` receives no events: listed only by pipelines `app_to_email`, `server_to_email`, which route no event to it"
	f.related == [
		{"at": {"kind": "Pipeline", "name": "app_to_email", "field": "destinations.email"}, "msg": "listed here; the pipeline routes no event"},
		{"at": {"kind": "Pipeline", "name": "server_to_email", "field": "destinations.email"}, "msg": "listed here; the pipeline routes no event"},
	]
}

test_destination_of_a_pipeline_selecting_events_is_used if {
	pipelines := {"server_to_wh": {"source": "server", "destinations": ["warehouse", "email"]}}
	count(unused(pipelines, [selection("server_to_wh", ["order_completed"])])) == 0
}

# The pipeline's undefined source is a dangling reference already: no second finding.
test_destination_of_a_pipeline_with_undefined_source_is_left_alone if {
	pipelines := object.union(to_wh, {"ghost_to_email": {"source": "ghost", "destinations": ["email"]}})
	count(unused(pipelines, [selection("server_to_wh", ["order_completed"])])) == 0
}

# --- event-unrouted ---

unrouted(events, pipelines, selections) := {f |
	some f in routing.info with input as {"events": events, "destinations": {"warehouse": {}}, "pipelines": pipelines, "selections": selections}
	f.rule == "event-unrouted"
}

active := {"order_completed": {"lifecycle": "active"}, "cart_viewed": {"lifecycle": "active"}}

test_event_no_pipeline_selects_is_unrouted if {
	fs := unrouted(active, to_wh, [selection("server_to_wh", ["order_completed"])])
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Event", "name": "cart_viewed"}
	f.msg == "event `cart_viewed` reaches no destination: no pipeline routes it from a source that emits it"
}

test_event_selected_by_a_pipeline_without_destinations_is_unrouted if {
	pipelines := {"server_to_wh": {"source": "server", "destinations": ["ghost"]}}
	fs := unrouted(active, pipelines, [selection("server_to_wh", ["order_completed", "cart_viewed"])])
	count(fs) == 2
}

test_deprecated_event_is_checked_too if {
	count(unrouted({"order_placed": {"lifecycle": "deprecated"}}, to_wh, [])) == 1
}

# A tracking plan without pipelines does not model routing: nothing to report.
test_contract_without_pipelines_is_not_checked if {
	fs := routing.info with input as {"events": {"cart_viewed": {"lifecycle": "active"}}, "pipelines": {}, "selections": []}
	count(fs) == 0
}

test_draft_and_removed_events_may_be_unrouted if {
	count(unrouted({"cart_viewed": {"lifecycle": "draft"}, "basket_viewed": {"lifecycle": "removed"}}, to_wh, [])) == 0
}

# --- join-key-missing ---

join_input(event_properties, property_lifecycle, applications) := {
	"events": {
		"checkout_started": {"lifecycle": "active", "properties": event_properties},
		"checkout_completed": {"lifecycle": "active", "properties": {}},
	},
	"properties": {"cart_id": {"lifecycle": property_lifecycle}, "ip_address": {"lifecycle": "active"}},
	"transformations": {
		"enrich_cart": {"events": ["checkout_*"], "steps": [{"drop": "ip_address"}, {"join": {"key": "cart_id", "dataset": "carts"}}]},
		"drop_ip": {"events": ["*"], "steps": [{"drop": "ip_address"}]},
		"join_ghost": {"events": ["*"], "steps": [{"join": {"key": "ghost_id", "dataset": "ghosts"}}]},
	},
	"applications": applications,
}

applied(transformation, event, pipelines) := {"transformation": transformation, "event": event, "pipelines": pipelines}

join_missing(event_properties, property_lifecycle, applications) := {f |
	some f in routing.deny with input as join_input(event_properties, property_lifecycle, applications)
	f.rule == "join-key-missing"
}

carried := {"cart_id": {"lifecycle": "active"}}

test_join_key_missing_is_one_finding_per_event_naming_the_pipelines if {
	fs := join_missing(carried, "active", [
		applied("enrich_cart", "checkout_completed", ["app_to_wh", "web_to_wh"]),
		applied("enrich_cart", "checkout_started", ["web_to_wh"]),
	])
	count(fs) == 1
	some f in fs
	f.at == {"kind": "Transformation", "name": "enrich_cart", "field": "steps.1.join.key"}
	f.msg == "transformation `enrich_cart` joins on `cart_id`, but event `checkout_completed` does not carry `cart_id` (pipelines `app_to_wh`, `web_to_wh`)"
	f.related == [{"at": {"kind": "Event", "name": "checkout_completed"}, "msg": "does not carry `cart_id`"}]
}

test_join_key_carried_passes if {
	count(join_missing(carried, "active", [applied("enrich_cart", "checkout_started", ["web_to_wh"])])) == 0
}

test_join_key_removed_on_the_event_is_missing if {
	fs := join_missing({"cart_id": {"lifecycle": "removed"}}, "active", [applied("enrich_cart", "checkout_started", ["web_to_wh"])])
	count(fs) == 1
	some f in fs
	f.msg == "transformation `enrich_cart` joins on `cart_id`, but event `checkout_started` lists `cart_id` as removed (pipeline `web_to_wh`)"
}

test_join_key_whose_property_is_removed_is_missing if {
	fs := join_missing(carried, "removed", [applied("enrich_cart", "checkout_started", ["web_to_wh"])])
	count(fs) == 1
	some f in fs
	f.msg == "transformation `enrich_cart` joins on `cart_id`, but event `checkout_started` carries `cart_id` only as a removed property (pipeline `web_to_wh`)"
}

# Only the (transformation, event) pairs some pipeline applies count: contrail matches the
# transformation's globs, and a transformation without a join step is never checked.
test_transformation_not_applied_to_the_event_is_not_checked if {
	count(join_missing(carried, "active", [applied("drop_ip", "checkout_completed", ["web_to_wh"])])) == 0
}

test_each_event_lacking_the_key_is_its_own_finding if {
	fs := join_missing({}, "active", [
		applied("enrich_cart", "checkout_completed", ["web_to_wh"]),
		applied("enrich_cart", "checkout_started", ["app_to_wh"]),
	])
	count(fs) == 2
	{f.msg | some f in fs} == {
		"transformation `enrich_cart` joins on `cart_id`, but event `checkout_completed` does not carry `cart_id` (pipeline `web_to_wh`)",
		"transformation `enrich_cart` joins on `cart_id`, but event `checkout_started` does not carry `cart_id` (pipeline `app_to_wh`)",
	}
}

# A key naming no Property is a dangling reference already.
test_join_key_naming_no_property_is_left_alone if {
	count(join_missing(carried, "active", [applied("join_ghost", "checkout_started", ["web_to_wh"])])) == 0
}
