package contrail.lib_test

import data.contrail.lib

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
