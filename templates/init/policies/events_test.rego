# Unit tests of events.rego, run by `contrail test`: every `test_*` rule must hold.
package org.events_test

import data.org.events

test_active_event_without_domain_is_flagged if {
	fs := events.warn with input as {"events": {"checkout_started": {"lifecycle": "active"}}}
	some f in fs
	f.rule == "event-without-domain"
	f.at == {"kind": "Event", "name": "checkout_started", "field": "domain"}
}

test_event_with_domain_passes if {
	count(events.warn) == 0 with input as {"events": {"checkout_started": {"lifecycle": "active", "domain": "checkout"}}}
}

test_deprecated_event_without_domain_passes if {
	count(events.warn) == 0 with input as {"events": {"old_event": {"lifecycle": "deprecated"}}}
}
