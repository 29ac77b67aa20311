package contrail.quality_test

import data.contrail.quality

names_input := {
	"events": {
		"order_completed": {"lifecycle": "active"},
		"orderCompleted": {"lifecycle": "active"},
		"Order Completed": {"lifecycle": "draft"},
	},
	"properties": {
		"cart_id": {"lifecycle": "active"},
		"cartId": {"lifecycle": "active"},
		"Cart Id": {"lifecycle": "active"},
	},
}

# The names flagged, as "Kind/name", under the given options.
flagged(opts) := {sprintf("%s/%s", [f.at.kind, f.at.name]) |
	some f in quality.deny with input as names_input with data.contrail.config.options as opts
	f.rule == "naming-convention"
}

finding(opts, inp, kind, name) := f if {
	some f in quality.deny with input as inp with data.contrail.config.options as opts
	f.at == {"kind": kind, "name": name, "field": "name"}
}

test_snake_case_is_the_default if {
	flagged({}) == {"Event/orderCompleted", "Event/Order Completed", "Property/cartId", "Property/Cart Id"}
}

test_snake_case_without_any_config_data if {
	fs := {f | some f in quality.deny with input as names_input}
	count(fs) == 4
}

test_snake_case_when_other_rules_have_options if {
	flagged({"unknown-format": {"formats": ["iban"]}}) == {"Event/orderCompleted", "Event/Order Completed", "Property/cartId", "Property/Cart Id"}
}

test_snake_case_explicit if {
	flagged({"naming-convention": {"style": "snake_case"}}) == {"Event/orderCompleted", "Event/Order Completed", "Property/cartId", "Property/Cart Id"}
}

test_camel_case if {
	flagged({"naming-convention": {"style": "camelCase"}}) == {"Event/order_completed", "Event/Order Completed", "Property/cart_id", "Property/Cart Id"}
}

test_single_lowercase_word_fits_snake_and_camel if {
	inp := {"events": {"login": {"lifecycle": "active"}}, "properties": {}}
	snake := quality.deny with input as inp
	count(snake) == 0
	camel := quality.deny with input as inp with data.contrail.config.options as {"naming-convention": {"style": "camelCase"}}
	count(camel) == 0
}

test_object_action if {
	flagged({"naming-convention": {"style": "Object Action"}}) == {"Event/order_completed", "Event/orderCompleted", "Property/cart_id", "Property/cartId"}
}

test_object_action_refuses_double_spaces_and_lowercase_words if {
	inp := {"events": {"Order  Completed": {}, "Order completed": {}, "Order Completed ": {}, "Order Completed": {}}, "properties": {}}
	fs := {f.at.name | some f in quality.deny with input as inp with data.contrail.config.options as {"naming-convention": {"style": "Object Action"}}}
	fs == {"Order  Completed", "Order completed", "Order Completed "}
}

test_snake_case_refuses_leading_digits_double_underscores_and_capitals if {
	inp := {"events": {}, "properties": {"3d_view": {}, "cart__id": {}, "cart_id_": {}, "_cart_id": {}, "Cart_id": {}, "cart_id2": {}, "step_2": {}}}
	{f.at.name | some f in quality.deny with input as inp} == {"3d_view", "cart__id", "cart_id_", "_cart_id", "Cart_id"}
}

test_message_names_the_style_and_a_suggestion if {
	f := finding({}, names_input, "Event", "orderCompleted")
	f.msg == "event name `orderCompleted` is not snake_case: expected `order_completed`"
	f.help == "rename it to `order_completed`; if `orderCompleted` is already sent, keep it with `lifecycle: deprecated`, `sunset:` and `replaced_by: order_completed` beside the new event"
}

test_suggestions_in_each_style if {
	inp := {"events": {"HTMLPageViewed": {}, "checkout-step.completed": {}}, "properties": {"userID": {}}}
	snake := {n: f.msg | some f in quality.deny with input as inp; n := f.at.name}
	endswith(snake.HTMLPageViewed, "expected `html_page_viewed`")
	endswith(snake["checkout-step.completed"], "expected `checkout_step_completed`")
	endswith(snake.userID, "expected `user_id`")
	camel := finding({"naming-convention": {"style": "camelCase"}}, inp, "Event", "checkout-step.completed")
	camel.msg == "event name `checkout-step.completed` is not camelCase: expected `checkoutStepCompleted`"
	oa := finding({"naming-convention": {"style": "Object Action"}}, inp, "Event", "HTMLPageViewed")
	oa.msg == "event name `HTMLPageViewed` is not Object Action: expected `Html Page Viewed`"
}

test_no_suggestion_when_none_fits if {
	inp := {"events": {"3DViewed": {}}, "properties": {"prénom": {}}}
	fs := {f.at.name: f | some f in quality.deny with input as inp}
	fs["3DViewed"].msg == "event name `3DViewed` is not snake_case (lowercase words joined by `_`)"
	fs["prénom"].help == "rename it in snake_case (lowercase words joined by `_`), like `order_completed`"
}

test_deprecated_and_removed_names_are_kept_for_migration if {
	inp := {
		"events": {"orderCompleted": {"lifecycle": "deprecated"}, "orderPlaced": {"lifecycle": "removed"}},
		"properties": {"cartToken": {"lifecycle": "deprecated"}, "cartId": {}},
	}
	{f.at.name | some f in quality.deny with input as inp} == {"cartId"}
}

test_unknown_style_is_reported_once_without_location if {
	fs := quality.deny with input as names_input with data.contrail.config.options as {"naming-convention": {"style": "kebab-case"}}
	count(fs) == 1
	some f in fs
	f.rule == "naming-convention"
	not f.at
	contains(f.msg, "`kebab-case`")
}

test_empty_catalog_passes if {
	fs := quality.deny with input as {"events": {}, "properties": {}}
	count(fs) == 0
}
