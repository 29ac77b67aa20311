package contrail.identity_test

import data.contrail.identity

# --- match-key-without-legal-basis ---

basis_input(property) := {
	"properties": {"email": property, "store_code": {"pii": "none", "consent": []}},
	"identity": {"customer_identity": {"match_keys": [
		{"property": "email", "precedence": 1, "normalize": []},
		{"property": "store_code", "precedence": 2, "normalize": []},
		{"property": "ghost", "precedence": 3, "normalize": []},
	]}},
}

without_basis(property) := {f |
	some f in identity.deny with input as basis_input(property)
	f.rule == "match-key-without-legal-basis"
}

test_personal_match_key_without_basis_is_denied if {
	fs := without_basis({"pii": "direct", "consent": []})
	count(fs) == 1
	some f in fs
	f.at == {"kind": "IdentityRule", "name": "customer_identity", "field": "match_keys.email.property"}
	f.msg == "identity rule `customer_identity` stitches profiles on `email` (pii direct), which has neither consent purposes nor a lawful basis"
	f.related == [{"at": {"kind": "Property", "name": "email", "field": "pii"}, "msg": "classified `pii: direct` here"}]
}

# Unlike routing, where `indirect` needs no basis, a match key on indirect data does.
test_indirect_match_key_needs_a_basis_too if count(without_basis({"pii": "indirect", "consent": []})) == 1

test_sensitive_match_key_needs_a_basis if count(without_basis({"pii": "sensitive", "consent": []})) == 1

test_consent_purposes_are_a_basis if count(without_basis({"pii": "direct", "consent": ["marketing"]})) == 0

test_lawful_basis_is_a_basis if count(without_basis({"pii": "direct", "consent": [], "lawful_basis": "contract"})) == 0

test_non_personal_match_key_needs_no_basis if count(without_basis({"pii": "none", "consent": []})) == 0

# An unclassified property is `pii-unclassified` already.
test_unclassified_match_key_is_left_to_pii_unclassified if count(without_basis({"pii": null, "consent": []})) == 0

# --- duplicate-precedence ---

precedence_input(ranks) := {
	"properties": {},
	"identity": {"customer_identity": {"match_keys": [{"property": p, "precedence": rank, "normalize": []} |
		some i, rank in ranks
		p := ["user_id", "email", "phone", "anonymous_id"][i]
	]}},
}

duplicates(ranks) := {f |
	some f in identity.deny with input as precedence_input(ranks)
	f.rule == "duplicate-precedence"
}

test_same_precedence_is_denied_at_the_later_key if {
	fs := duplicates([1, 2, 1])
	count(fs) == 1
	some f in fs
	f.at == {"kind": "IdentityRule", "name": "customer_identity", "field": "match_keys.phone.precedence"}
	f.msg == "match keys `user_id` and `phone` of identity rule `customer_identity` both have precedence 1"
	f.related == [{"at": {"kind": "IdentityRule", "name": "customer_identity", "field": "match_keys.user_id.precedence"}, "msg": "precedence 1 first given here"}]
}

# Every later key points at the first one, not at its neighbour.
test_three_keys_with_one_precedence_are_two_findings_at_the_first if {
	fs := duplicates([2, 2, 1, 2])
	count(fs) == 2
	{f.at.field | some f in fs} == {"match_keys.email.precedence", "match_keys.anonymous_id.precedence"}
	{f.related[0].at.field | some f in fs} == {"match_keys.user_id.precedence"}
}

test_distinct_precedences_pass if count(duplicates([1, 2, 3, 4])) == 0

test_keys_without_precedence_are_not_compared if count(duplicates([null, null, 1])) == 0

test_rules_are_compared_separately if {
	fs := identity.deny with input as {"properties": {}, "identity": {
		"web_identity": {"match_keys": [{"property": "user_id", "precedence": 1, "normalize": []}]},
		"store_identity": {"match_keys": [{"property": "email", "precedence": 1, "normalize": []}]},
	}}
	count(fs) == 0
}
