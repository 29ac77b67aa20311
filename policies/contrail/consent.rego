package contrail.consent

import data.contrail.lib

# Built-in consent rules over the catalog's exposures: one row per (destination, declared
# property, treatment), computed by contrail from the flows.

# METADATA
# title: Consent purpose not covered by a destination
# description: |
#   ## What it does
#   Flags a property that a pipeline delivers to a destination whose `consent` does not cover
#   every purpose the property requires (a destination without `consent` covers none).
#   Hashing does not help: pseudonymised data is still personal data; a masked property
#   carries nothing and passes. One finding per (property, destination), on the property's
#   `consent`, listing the missing purposes and naming the events and pipelines involved.
#
#   ## Why is this bad?
#   A customer who consented to marketing did not consent to advertising. Forwarding a
#   property to a processor whose use is not covered by the consent it was collected under
#   is processing without a legal basis, whatever the tool's contract says.
#
#   ## Example
#   ```yaml
#   kind: ConsentPurpose
#   name: marketing
#   ---
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   consent: [marketing]
#   ---
#   kind: Event
#   name: signed_up
#   properties: [{ ref: email }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["*"]
#   ---
#   kind: Destination
#   name: crm
#   type: crm
#   environment: prod
#   pii: direct
#   ---
#   kind: Pipeline
#   name: web_to_crm
#   source: web
#   destinations: [crm]
#   events: ["*"]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: ConsentPurpose
#   name: marketing
#   ---
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   consent: [marketing]
#   ---
#   kind: Event
#   name: signed_up
#   properties: [{ ref: email }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["*"]
#   ---
#   kind: Destination
#   name: crm
#   type: crm
#   environment: prod
#   pii: direct
#   consent: [marketing]
#   ---
#   kind: Pipeline
#   name: web_to_crm
#   source: web
#   destinations: [crm]
#   events: ["*"]
#   ```
# custom:
#   id: CT206
#   name: consent-not-covered
#   severity: error
#   category: privacy
deny contains f if {
	some rows in lib.pair_groups(uncovered_rows)
	e := rows[0]
	missing := sort(missing_purposes(input.properties[e.property], input.destinations[e.destination]))
	covered := object.get(input.destinations[e.destination], "consent", [])
	pipelines := sort({pl | some r in rows; some pl in r.pipelines})
	events := sort({ev | some r in rows; some ev in r.events})
	f := {
		"rule": "consent-not-covered",
		"msg": sprintf(
			"property `%s` requires %s, which destination `%s` does not cover, in %s via %s%s",
			[e.property, purposes_text(missing), e.destination, concat(", ", events), concat(", ", pipelines), lib.renamed_text(rows)],
		),
		"at": {"kind": "Property", "name": e.property, "field": "consent"},
		"help": sprintf(
			"add %s to `consent` of destination `%s` if its processing is covered, or drop or mask `%s` in a transformation of the pipeline (hashing is not enough)",
			[lib.ticked(missing), e.destination, e.property],
		),
		"related": [
			{"at": {"kind": "Destination", "name": e.destination, "field": "consent"}, "msg": covers_text(covered)},
			{"at": {"kind": "Pipeline", "name": pipelines[0], "field": sprintf("destinations.%s", [e.destination])}, "msg": "routed here"},
		],
	}
}

# Delivered exposures (hashed included, masked not) whose property requires a purpose the
# destination does not cover, in catalog order.
uncovered_rows := [e |
	some e in input.exposures
	e.treatment != "masked"
	p := input.properties[e.property]
	count(object.get(p, "consent", [])) > 0
	count(missing_purposes(p, input.destinations[e.destination])) > 0
]

missing_purposes(p, d) := {c | some c in object.get(p, "consent", [])} - {c | some c in object.get(d, "consent", [])}

purposes_text(names) := sprintf("consent purpose %s", [lib.ticked(names)]) if count(names) == 1

purposes_text(names) := sprintf("consent purposes %s", [lib.ticked(names)]) if count(names) > 1

covers_text(covered) := "covers no consent purpose" if count(covered) == 0

covers_text(covered) := sprintf("covers %s", [lib.ticked(sort(covered))]) if count(covered) > 0
