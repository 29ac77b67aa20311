package contrail.pii

# Built-in privacy rules over the catalog's exposures: one row per (destination, declared
# property, treatment), computed by contrail from the flows.

# PII classes in order; a hashed property counts as at most indirect.
rank := {"none": 0, "indirect": 1, "direct": 2, "sensitive": 3}

# METADATA
# title: Property without a PII classification
# description: |
#   ## What it does
#   Flags a property with no `pii` class.
#
#   ## Why is this bad?
#   Routing, consent and residency rules cannot tell where an unclassified property may
#   go, so every destination it reaches is a guess.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: phone
#   type: string
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: phone
#   type: string
#   pii: direct
#   lawful_basis: contract
#   ```
# custom:
#   id: CT201
#   name: pii-unclassified
#   severity: error
#   category: privacy
deny contains f if {
	some name, p in input.properties
	p.pii == null
	f := {
		"rule": "pii-unclassified",
		"msg": sprintf("property `%s` has no PII classification", [name]),
		"at": {"kind": "Property", "name": name, "field": "pii"},
		"help": "add `pii:` with none, indirect, direct or sensitive",
	}
}

# METADATA
# title: Personal data reaching a non-production destination
# description: |
#   ## What it does
#   Flags a property of class `indirect` or above, or an unclassified one, that a pipeline
#   delivers to a destination with `environment: nonprod` without dropping or masking it.
#   Hashing is not enough: pseudonymised data is still personal data. The finding lands on
#   the pipeline's `destinations` entry and names the events involved.
#
#   ## Why is this bad?
#   Sandboxes and staging accounts are not covered by the controls, contracts and consent
#   that production destinations are; personal data has no place there.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   lawful_basis: contract
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
#   name: sandbox
#   type: sandbox
#   environment: nonprod
#   ---
#   kind: Pipeline
#   name: web_to_sandbox
#   source: web
#   destinations: [sandbox]
#   events: ["*"]
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
#   name: sandbox
#   type: sandbox
#   environment: nonprod
#   ---
#   kind: Transformation
#   name: drop_email
#   events: ["*"]
#   steps: [{ drop: email }]
#   ---
#   kind: Pipeline
#   name: web_to_sandbox
#   source: web
#   destinations: [sandbox]
#   events: ["*"]
#   transformations: [drop_email]
#   ```
# custom:
#   id: CT202
#   name: pii-in-nonprod
#   severity: error
#   category: privacy
deny contains f if {
	some e in input.exposures
	input.destinations[e.destination].environment == "nonprod"
	p := input.properties[e.property]
	personal_in_nonprod(p.pii, e.treatment)
	pipelines := sort(e.pipelines)
	class := class_text(p.pii)
	f := {
		"rule": "pii-in-nonprod",
		"msg": sprintf(
			"property `%s` (%s) reaches non-production destination `%s` %s, in %s via %s",
			[e.property, class, e.destination, treatment_text(e.treatment), concat(", ", sort(e.events)), concat(", ", pipelines)],
		),
		"at": {"kind": "Pipeline", "name": pipelines[0], "field": sprintf("destinations.%s", [e.destination])},
		"help": sprintf("drop or mask `%s` in a transformation of the pipeline, or stop routing these events to `%s`", [e.property, e.destination]),
		"related": [
			{"at": {"kind": "Property", "name": e.property, "field": "pii"}, "msg": "classified here"},
			{"at": {"kind": "Destination", "name": e.destination, "field": "environment"}, "msg": "non-production"},
		],
	}
}

# An unclassified property is refused whatever the treatment.
personal_in_nonprod(class, _) if class == null

personal_in_nonprod(class, treatment) if {
	rank[class] >= 1
	treatment != "masked"
}

class_text(class) := "unclassified" if class == null

class_text(class) := sprintf("pii %s", [class]) if class != null

treatment_text(t) := "unmasked" if t == "plain"

treatment_text(t) := "hashed (still personal data)" if t == "hashed"

treatment_text(t) := "masked" if t == "masked"
