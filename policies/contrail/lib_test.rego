package contrail.lib_test

import data.contrail.lib

# ---- What a property's PII class means.

classes := ["none", "indirect", "direct", "sensitive"]

# A property of class `c` without consent purposes or a lawful basis.
bare(c) := {"pii": c, "consent": [], "lawful_basis": null}

personal := {c | some c in classes; lib.personal_data(bare(c))}

needing := {c | some c in classes; lib.needs_legal_basis(bare(c))}

test_personal_data_is_indirect_and_above if {
	personal == {"indirect", "direct", "sensitive"}
	not lib.personal_data(bare(null))
}

test_needs_legal_basis_is_direct_and_above if {
	needing == {"direct", "sensitive"}
	not lib.needs_legal_basis(bare(null))
}

# Whatever needs a legal basis of its own is personal data.
test_needs_legal_basis_implies_personal_data if needing - personal == set()

test_has_legal_basis_is_consent_purposes_or_a_lawful_basis if {
	lib.has_legal_basis({"pii": "direct", "consent": ["marketing"], "lawful_basis": null})
	lib.has_legal_basis({"pii": "direct", "consent": [], "lawful_basis": "contract"})
	lib.has_legal_basis({"pii": "direct", "consent": ["marketing"], "lawful_basis": "contract"})
	not lib.has_legal_basis({"pii": "direct", "consent": [], "lawful_basis": null})
	not lib.has_legal_basis({"pii": "direct"})
}

# ---- Text.

test_ticked_quotes_names_in_their_order if {
	lib.ticked(["web_b", "web_a"]) == "`web_b`, `web_a`"
	lib.ticked({"web_b", "web_a"}) == "`web_a`, `web_b`"
	lib.ticked(["crm"]) == "`crm`"
	lib.ticked([]) == ""
}

# ---- Exposure rows.

row(destination, property) := {"destination": destination, "property": property, "treatment": "plain"}

renamed(destination, property, name) := object.union(row(destination, property), {"delivered_as": name})

test_renamed_text_names_each_delivered_name_once_sorted if {
	lib.renamed_text([row("crm", "email")]) == ""
	lib.renamed_text([]) == ""
	rows := [renamed("crm", "email", "mail"), row("crm", "email"), renamed("crm", "email", "e_mail"), renamed("crm", "email", "mail")]
	lib.renamed_text(rows) == " (delivered as `e_mail`, `mail`)"
}

test_pair_groups_cut_adjacent_rows if {
	rows := [
		{"destination": "a", "property": "x", "n": 1},
		{"destination": "a", "property": "x", "n": 2},
		{"destination": "a", "property": "y", "n": 3},
		{"destination": "b", "property": "x", "n": 4},
	]
	[[r.n | some r in g] | some g in lib.pair_groups(rows)] == [[1, 2], [3], [4]]
}

test_pair_groups_of_nothing_is_empty if lib.pair_groups([]) == []

test_pair_groups_keeps_a_pair_whole if {
	a := row("crm", "email")
	b := object.union(a, {"treatment": "hashed"})
	lib.pair_groups([a, b]) == [[a, b]]
}

# The same pair apart is two groups: rows must come sorted, as `input.exposures` does.
test_pair_groups_relies_on_sorted_rows if {
	a := row("crm", "email")
	c := row("crm", "phone")
	lib.pair_groups([a, c, a]) == [[a], [c], [a]]
}
