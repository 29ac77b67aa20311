package contrail.routing_test

import data.contrail.routing

flow(allowed_by, denied_by) := {
	"pipeline": "server_to_email", "event": "order_refunded", "destination": "email",
	"selected_by": "order_*", "allowed_by": allowed_by, "denied_by": denied_by,
}

refused(destination, fl) := {f | some f in routing.deny with input as {"destinations": {"email": destination}, "flows": [fl]}}

test_denied_event_is_refused_at_the_pipeline_glob if {
	fs := refused({"events": ["order_*"], "deny": ["order_refunded"]}, flow("order_*", "order_refunded"))
	count(fs) == 1
	some f in fs
	f.rule == "event-not-allowed"
	f.at == {"kind": "Pipeline", "name": "server_to_email", "field": "events.order_*"}
}

test_event_outside_the_allowlist_is_refused if {
	count(refused({"events": ["checkout_*"], "deny": []}, flow(null, null))) == 1
}

test_allowed_event_passes if count(refused({"events": ["order_*"], "deny": []}, flow("order_*", null))) == 0

test_destination_without_allowlist_allows_everything if {
	count(refused({"events": null, "deny": []}, flow(null, null))) == 0
}
