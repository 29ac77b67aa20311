package contrail.identity

import data.contrail.lib

# Built-in identity rules over the catalog's identity rules (`input.identity`): which
# properties stitch customer profiles, and in which order.

# METADATA
# title: Match key on personal data without a legal basis
# description: |
#   ## What it does
#   Flags a match key whose property has a PII class other than `none` (`indirect`
#   included) but neither `consent` purposes nor a `lawful_basis`. The finding lands on the
#   match key's `property`. Unclassified properties are left to `pii-unclassified`.
#
#   ## Why is this bad?
#   Stitching profiles is processing of personal data in its own right: linking a device,
#   an email and an account builds a profile the customer never gave in one place. It
#   needs a purpose the customer agreed to, or a lawful basis that covers it.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   ---
#   kind: IdentityRule
#   name: customer_identity
#   match_keys:
#     - { property: email, precedence: 1, normalize: [trim, lowercase] }
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   lawful_basis: contract
#   ---
#   kind: IdentityRule
#   name: customer_identity
#   match_keys:
#     - { property: email, precedence: 1, normalize: [trim, lowercase] }
#   ```
# custom:
#   id: CT601
#   name: match-key-without-legal-basis
#   severity: error
#   category: identity
deny contains f if {
	some rule, r in input.identity
	some k in r.match_keys
	p := input.properties[k.property]
	lib.personal_data(p)
	not lib.has_legal_basis(p)
	class := p.pii
	f := {
		"rule": "match-key-without-legal-basis",
		"msg": sprintf(
			"identity rule `%s` stitches profiles on `%s` (pii %s), which has neither consent purposes nor a lawful basis",
			[rule, k.property, class],
		),
		"at": {"kind": "IdentityRule", "name": rule, "field": sprintf("match_keys.%s.property", [k.property])},
		"help": sprintf("add `consent:` purposes or a `lawful_basis:` to property `%s`", [k.property]),
		"related": [{"at": {"kind": "Property", "name": k.property, "field": "pii"}, "msg": lib.class_label(p)}],
	}
}

# METADATA
# title: Match keys with the same precedence
# description: |
#   ## What it does
#   Flags a match key whose `precedence` an earlier key of the same identity rule already
#   has. The finding lands on the later key's `precedence`, with the first one as related.
#   Keys without `precedence` are not compared.
#
#   ## Why is this bad?
#   Precedence decides which identifier wins when two profiles disagree (1 = highest). Two
#   keys with the same rank leave that choice to the stitching engine's internals, so the
#   same data can merge differently from one run to the next.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: user_id
#   type: string
#   pii: indirect
#   lawful_basis: contract
#   ---
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   lawful_basis: contract
#   ---
#   kind: IdentityRule
#   name: customer_identity
#   match_keys:
#     - { property: user_id, precedence: 1 }
#     - { property: email, precedence: 1 }
#   merge: highest_precedence
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: user_id
#   type: string
#   pii: indirect
#   lawful_basis: contract
#   ---
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   lawful_basis: contract
#   ---
#   kind: IdentityRule
#   name: customer_identity
#   match_keys:
#     - { property: user_id, precedence: 1 }
#     - { property: email, precedence: 2 }
#   merge: highest_precedence
#   ```
# custom:
#   id: CT602
#   name: duplicate-precedence
#   severity: error
#   category: identity
deny contains f if {
	some rule, r in input.identity
	some j, k in r.match_keys
	rank := k.precedence
	rank != null
	i := min({x | some x, m in r.match_keys; m.precedence == rank})
	i < j
	first := r.match_keys[i].property
	f := {
		"rule": "duplicate-precedence",
		"msg": sprintf(
			"match keys `%s` and `%s` of identity rule `%s` both have precedence %v",
			[first, k.property, rule, rank],
		),
		"at": {"kind": "IdentityRule", "name": rule, "field": sprintf("match_keys.%s.precedence", [k.property])},
		"help": "give each match key its own precedence (1 = highest)",
		"related": [{"at": {"kind": "IdentityRule", "name": rule, "field": sprintf("match_keys.%s.precedence", [first])}, "msg": sprintf("precedence %v first given here", [rank])}],
	}
}
