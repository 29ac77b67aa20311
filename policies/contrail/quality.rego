package contrail.quality

# Built-in quality rules over the catalog's resource maps (events, properties).

# The naming styles `rules.options.naming-convention.style` may choose, as regular expressions.
styles := {
	"snake_case": "^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
	"camelCase": "^[a-z][a-zA-Z0-9]*$",
	"Object Action": "^[A-Z][a-z0-9]*( [A-Z][a-z0-9]*)*$",
}

style_text := {
	"snake_case": "snake_case (lowercase words joined by `_`)",
	"camelCase": "camelCase (a lowercase word, then capitalised words, no separators)",
	"Object Action": "Object Action (capitalised words separated by single spaces)",
}

style_example := {"snake_case": "order_completed", "camelCase": "orderCompleted", "Object Action": "Order Completed"}

# `data.contrail.config.options` is `rules.options` of contrail.yaml; absent, every option
# takes its default.
default options := {}

options := data.contrail.config.options

style := object.get(options, ["naming-convention", "style"], "snake_case")

# The kinds whose names are checked, with their key in the catalog.
checked := {"Event": "events", "Property": "properties"}

# Deprecated and removed names are kept for old payloads (the migration for a rename): only
# live names must follow the convention.
kept_for_migration := {"deprecated", "removed"}

# METADATA
# title: Event or property name not in the naming style
# description: |
#   ## What it does
#   Flags an event or property whose name does not follow the configured naming style,
#   `snake_case` unless `rules.options.naming-convention.style` in contrail.yaml says
#   `camelCase` or `Object Action`. The finding lands on the name and suggests one in the
#   expected style. Deprecated and removed names are not checked: they are kept for old
#   payloads while the new name replaces them.
#
#   ## Why is this bad?
#   Names are the contract's API: mixed styles (`orderCompleted`, `Order Completed`,
#   `order_completed`) create near-duplicate columns in the warehouse, break queries that
#   guess the spelling, and make the same event look like three.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: orderId
#   type: string
#   pii: none
#   ---
#   kind: Event
#   name: Order Completed
#   properties: [{ ref: orderId, required: true }]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: order_id
#   type: string
#   pii: none
#   ---
#   kind: Event
#   name: order_completed
#   properties: [{ ref: order_id, required: true }]
#   ```
# custom:
#   id: CT102
#   name: naming-convention
#   severity: error
#   category: quality
deny contains f if {
	s := style
	pattern := styles[s]
	some kind, key in checked
	some name, resource in input[key]
	not regex.match(pattern, name)
	lifecycle := object.get(resource, "lifecycle", "active")
	not lifecycle in kept_for_migration
	word := lower(kind)
	f := {
		"rule": "naming-convention",
		"msg": sprintf("%s name `%s` is not %s", [word, name, expected_text(s, name)]),
		"at": {"kind": kind, "name": name, "field": "name"},
		"help": rename_help(s, word, name),
	}
}

# An unknown style would silently check nothing: say so once.
deny contains f if {
	s := style
	not styles[s]
	f := {
		"rule": "naming-convention",
		"msg": sprintf("unknown naming style `%v` in `rules.options.naming-convention.style`: names are not checked", [s]),
		"help": "set `style:` to snake_case, camelCase or \"Object Action\"",
	}
}

expected_text(s, name) := sprintf("%s: expected `%s`", [s, suggested]) if suggested := suggestion(s, name)

expected_text(s, name) := style_text[s] if not suggestion(s, name)

rename_help(s, word, name) := sprintf(
	"rename it to `%s`; if `%s` is already sent, keep it with `lifecycle: deprecated`, `sunset:` and `replaced_by: %s` beside the new %s",
	[suggested, name, suggested, word],
) if suggested := suggestion(s, name)

rename_help(s, word, name) := sprintf("rename it in %s, like `%s`", [style_text[s], style_example[s]]) if not suggestion(s, name)

# The name in the expected style, when its words can be told apart (ASCII letters and
# digits, split at case changes and at spaces, `_`, `-` and `.`) and the result fits.
suggestion(s, name) := suggested if {
	regex.match(`^[A-Za-z0-9 _.-]+$`, name)
	ws := words(name)
	count(ws) > 0
	suggested := joined(s, ws)
	regex.match(styles[s], suggested)
}

words(name) := [lower(w) | some w in split(spaced, " "); w != ""] if {
	acronyms := regex.replace(name, `([A-Z]+)([A-Z][a-z])`, "${1} ${2}")
	humps := regex.replace(acronyms, `([a-z0-9])([A-Z])`, "${1} ${2}")
	spaced := regex.replace(humps, `[^A-Za-z0-9]+`, " ")
}

joined("snake_case", ws) := concat("_", ws)

joined("camelCase", ws) := concat("", array.concat([ws[0]], [capitalised(w) | some i, w in ws; i > 0]))

joined("Object Action", ws) := concat(" ", [capitalised(w) | some w in ws])

capitalised(w) := concat("", [upper(substring(w, 0, 1)), substring(w, 1, -1)])
