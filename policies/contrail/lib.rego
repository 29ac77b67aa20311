package contrail.lib

# Helpers shared by the built-in packages (`import data.contrail.lib`): what a property's
# PII class means, and the text and grouping the privacy rules share. No rules: nothing
# here is a finding, so this package declares no METADATA.

# ---- What a property's PII class means. `contrail stats` (src/model/coverage.rs) counts with
# the same definitions.

# PII classes in order; absent (unclassified) has no rank.
pii_rank := {"none": 0, "indirect": 1, "direct": 2, "sensitive": 3}

# The property is personal data: PII class `indirect` or above. Hashing does not change that
# (pseudonymised data is still personal data); an unclassified property is not known to be.
# It must not reach non-production (CT202), and needs a legal basis to stitch profiles on
# (CT601).
personal_data(p) if pii_rank[p.pii] >= pii_rank.indirect

# The property needs a legal basis of its own, whatever it is used for: PII class `direct`
# or `sensitive` (CT204). `indirect` data needs one only for what it is used for, such as a
# match key (`personal_data`, CT601).
needs_legal_basis(p) if pii_rank[p.pii] >= pii_rank.direct

# The property is a direct identifier or special-category data (`direct` or `sensitive`): a
# destination that takes such data only hashed (`accepts_direct: hashed`) must not get it
# plain (CT209).
direct_or_sensitive(p) if pii_rank[p.pii] >= pii_rank.direct

# The property declares a legal basis: consent purposes, or a `lawful_basis`.
has_legal_basis(p) if count(object.get(p, "consent", [])) > 0

has_legal_basis(p) if object.get(p, "lawful_basis", null) != null

# ---- Text.

# The label of a related location at a property's `pii`: what is there. An absent `pii`
# lands on the property's name, which is where the class is missing.
class_label(p) := sprintf("classified `pii: %s` here", [p.pii]) if object.get(p, "pii", null) != null

class_label(p) := "declared here without a `pii` class" if object.get(p, "pii", null) == null

# Names in backticks, comma-separated, in iteration order (sorted for a set).
ticked(names) := concat(", ", [sprintf("`%s`", [n]) | some n in names])

# ---- Exposure rows.

# " (delivered as `x`)" when a transformation renamed the property on the way.
renamed_text(rows) := renamed_suffix(sort({r.delivered_as | some r in rows; r.delivered_as}))

renamed_suffix(names) := "" if count(names) == 0

renamed_suffix(names) := sprintf(" (delivered as %s)", [ticked(names)]) if count(names) > 0

# Exposures are sorted by (destination, property, treatment, delivered name), so the rows of
# one (destination, property) pair are adjacent in `input.exposures` and in any filtered copy
# of it. This cuts `rows` into one array per pair, in one pass: one finding per pair without
# scanning every exposure for every pair.
pair_groups(rows) := [array.slice(rows, s, group_end(starts, k, count(rows))) | some k, s in starts] if {
	starts := [i | some i, _ in rows; starts_pair(rows, i)]
}

starts_pair(_, i) if i == 0

starts_pair(rows, i) if {
	i > 0
	a := rows[i - 1]
	b := rows[i]
	[a.destination, a.property] != [b.destination, b.property]
}

group_end(starts, k, _) := starts[k + 1] if k + 1 < count(starts)

group_end(starts, k, n) := n if k + 1 == count(starts)
