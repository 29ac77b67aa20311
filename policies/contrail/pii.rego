package contrail.pii

import data.contrail.lib

# Built-in privacy rules over the catalog's exposures: one row per (destination, declared
# property, treatment), computed by contrail from the flows.

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
	personal_in_nonprod(p, e.treatment)
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
			{"at": {"kind": "Property", "name": e.property, "field": "pii"}, "msg": lib.class_label(p)},
			{"at": {"kind": "Destination", "name": e.destination, "field": "environment"}, "msg": "non-production"},
		],
	}
}

# An unclassified property is refused whatever the treatment, personal data unless masked.
personal_in_nonprod(p, _) if p.pii == null

personal_in_nonprod(p, treatment) if {
	lib.personal_data(p)
	treatment != "masked"
}

class_text(class) := "unclassified" if class == null

class_text(class) := sprintf("pii %s", [class]) if class != null

treatment_text(t) := "unmasked" if t == "plain"

treatment_text(t) := "hashed (still personal data)" if t == "hashed"

treatment_text(t) := "masked" if t == "masked"

# METADATA
# title: Personal data above a destination's PII class
# description: |
#   ## What it does
#   Flags a property that a pipeline delivers to a production destination whose `pii` (the
#   highest class it may receive; absent = `none`) is below the property's class. A hashed
#   property counts as at most `indirect` (pseudonymised data is still personal data); a
#   masked one carries nothing. One finding per (property, destination), on the property's
#   `pii`, naming the events and pipelines involved. Unclassified properties are left to
#   `pii-unclassified`, and non-production destinations to `pii-in-nonprod`.
#
#   ## Why is this bad?
#   A destination's `pii` is its owner's word on the most personal data it may hold: its
#   contract, access controls and deletion process were set up for that class and no higher.
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
#   name: product_analytics
#   type: product_analytics
#   environment: prod
#   pii: indirect
#   ---
#   kind: Pipeline
#   name: web_to_analytics
#   source: web
#   destinations: [product_analytics]
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
#   name: product_analytics
#   type: product_analytics
#   environment: prod
#   pii: indirect
#   ---
#   kind: Transformation
#   name: hash_email
#   events: ["*"]
#   steps: [{ hash: email }]
#   ---
#   kind: Pipeline
#   name: web_to_analytics
#   source: web
#   destinations: [product_analytics]
#   events: ["*"]
#   transformations: [hash_email]
#   ```
# custom:
#   id: CT203
#   name: pii-above-destination-class
#   severity: error
#   category: privacy
deny contains f if {
	some rows in lib.pair_groups(above_class_rows)
	e := rows[0]
	class := input.properties[e.property].pii
	limit := destination_class(input.destinations[e.destination])
	treatments := {r.treatment | some r in rows}
	pipelines := sort({pl | some r in rows; some pl in r.pipelines})
	events := sort({ev | some r in rows; some ev in r.events})
	f := {
		"rule": "pii-above-destination-class",
		"msg": sprintf(
			"property `%s` (pii %s) reaches destination `%s` %s, in %s via %s%s; the destination accepts at most pii %s",
			[e.property, class, e.destination, capped_treatments_text(treatments), concat(", ", events), concat(", ", pipelines), lib.renamed_text(rows), limit],
		),
		"at": {"kind": "Property", "name": e.property, "field": "pii"},
		"help": above_class_help(e.property, e.destination, class, limit),
		"related": [
			{"at": {"kind": "Destination", "name": e.destination, "field": "pii"}, "msg": sprintf("accepts at most pii %s", [limit])},
			{"at": {"kind": "Pipeline", "name": pipelines[0], "field": sprintf("destinations.%s", [e.destination])}, "msg": "routed here"},
		],
	}
}

# Exposures whose class, after hashing, exceeds a production destination's `pii`, in catalog
# order. Masked carries nothing; unclassified is CT201's, non-production CT202's.
above_class_rows := [e |
	some e in input.exposures
	e.treatment != "masked"
	d := input.destinations[e.destination]
	d.environment != "nonprod"
	class := input.properties[e.property].pii
	class != null
	lib.pii_rank[delivered_class(class, e.treatment)] > lib.pii_rank[destination_class(d)]
]

destination_class(d) := object.get(d, "pii", "none")

# A hashed property counts as at most indirect.
delivered_class(class, treatment) := "indirect" if {
	treatment == "hashed"
	lib.pii_rank[class] > lib.pii_rank.indirect
}

delivered_class(class, treatment) := class if treatment != "hashed"

delivered_class(class, treatment) := class if {
	treatment == "hashed"
	lib.pii_rank[class] <= lib.pii_rank.indirect
}

capped_treatments_text(ts) := concat(" and ", [capped_treatment_text(t) | some t in ["plain", "hashed"]; t in ts])

capped_treatment_text("plain") := "unmasked"

capped_treatment_text("hashed") := "hashed (counts as pii indirect)"

# Hashing is a fix only when the destination accepts indirect data.
above_class_help(property, destination, class, limit) := msg if {
	lib.pii_rank[limit] >= lib.pii_rank.indirect
	msg := sprintf(
		"hash, mask or drop `%s` in a transformation of the pipeline, or raise `pii` of destination `%s` if it may hold pii %s data",
		[property, destination, class],
	)
}

above_class_help(property, destination, class, limit) := msg if {
	lib.pii_rank[limit] < lib.pii_rank.indirect
	msg := sprintf(
		"mask or drop `%s` in a transformation of the pipeline (hashing is not enough), or raise `pii` of destination `%s` if it may hold pii %s data",
		[property, destination, class],
	)
}

# METADATA
# title: Direct or sensitive property without a legal basis
# description: |
#   ## What it does
#   Flags a property of class `direct` or `sensitive` that declares neither `consent`
#   purposes nor a `lawful_basis`. The finding lands on an empty `consent: []`, where the
#   purposes go, else on the property's name; its `pii` is the related location.
#
#   ## Why is this bad?
#   Personal data that identifies someone may only be processed on a legal basis (GDPR art.
#   6): the consent purposes it is collected for, or a basis such as `contract`. Without one,
#   no destination can tell whether it may receive the property, and nobody can answer an
#   auditor's first question.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: phone
#   type: string
#   pii: direct
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
#   id: CT204
#   name: pii-without-legal-basis
#   severity: error
#   category: privacy
deny contains f if {
	some name, p in input.properties
	lib.needs_legal_basis(p)
	not lib.has_legal_basis(p)
	f := {
		"rule": "pii-without-legal-basis",
		"msg": sprintf("property `%s` (pii %s) has neither `consent` purposes nor a `lawful_basis`", [name, p.pii]),
		"at": {"kind": "Property", "name": name, "field": "consent"},
		"help": "add `consent:` with the purposes it is collected for, or `lawful_basis:` (contract, legal_obligation, legitimate_interest, vital_interests or public_task)",
		"related": [{"at": {"kind": "Property", "name": name, "field": "pii"}, "msg": lib.class_label(p)}],
	}
}

# METADATA
# title: Sensitive property without retention
# description: |
#   ## What it does
#   Flags a property of class `sensitive` without `retention`. The finding lands on the
#   property's name, where `retention:` belongs.
#
#   ## Why is this bad?
#   Special-category data (health, religion, biometrics, ...) must not be kept longer than
#   its purpose needs. Without a `retention`, no destination's retention can be checked
#   against it, and it is kept forever by default.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: health_notes
#   type: string
#   pii: sensitive
#   lawful_basis: vital_interests
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: health_notes
#   type: string
#   pii: sensitive
#   lawful_basis: vital_interests
#   retention: 30d
#   ```
# custom:
#   id: CT205
#   name: sensitive-without-retention
#   severity: error
#   category: privacy
deny contains f if {
	some name, p in input.properties
	p.pii == "sensitive"
	object.get(p, "retention", null) == null
	f := {
		"rule": "sensitive-without-retention",
		"msg": sprintf("sensitive property `%s` has no `retention`", [name]),
		"at": {"kind": "Property", "name": name, "field": "retention"},
		"help": "add `retention:` with how long it may be kept, for example `30d`",
		"related": [{"at": {"kind": "Property", "name": name, "field": "pii"}, "msg": lib.class_label(p)}],
	}
}

# METADATA
# title: Direct identifier reaching a hashed-only destination unhashed
# description: |
#   ## What it does
#   Flags a `direct` or `sensitive` property delivered as it is (not hashed, not masked) to
#   a destination that takes direct identifiers only hashed: `accepts_direct: hashed`, the
#   default for `type: ads`.
#
#   ## Why is this bad?
#   Ad platforms match customers on hashed identifiers; their conversion APIs expect SHA-256
#   of the normalised value. A plain email sent there is personal data handed to a third
#   party in the clear, and usually rejected or mismatched as well.
#
#   ## Example
#   ```yaml
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   consent: [advertising]
#   ---
#   kind: ConsentPurpose
#   name: advertising
#   ---
#   kind: Event
#   name: order_completed
#   properties: [{ ref: email }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["*"]
#   ---
#   kind: Destination
#   name: ads
#   type: ads
#   environment: prod
#   pii: direct
#   consent: [advertising]
#   ---
#   kind: Pipeline
#   name: web_to_ads
#   source: web
#   destinations: [ads]
#   events: ["*"]
#   ```
#
#   Use instead:
#   ```yaml
#   kind: Property
#   name: email
#   type: string
#   pii: direct
#   consent: [advertising]
#   ---
#   kind: ConsentPurpose
#   name: advertising
#   ---
#   kind: Event
#   name: order_completed
#   properties: [{ ref: email }]
#   ---
#   kind: Source
#   name: web
#   platform: web
#   events: ["*"]
#   ---
#   kind: Destination
#   name: ads
#   type: ads
#   environment: prod
#   pii: direct
#   consent: [advertising]
#   ---
#   kind: Transformation
#   name: hash_email
#   events: ["*"]
#   steps: [{ hash: email }]
#   ---
#   kind: Pipeline
#   name: web_to_ads
#   source: web
#   destinations: [ads]
#   events: ["*"]
#   transformations: [hash_email]
#   ```
# custom:
#   id: CT209
#   name: direct-pii-unhashed
#   severity: error
#   category: privacy
deny contains f if {
	some rows in lib.pair_groups(unhashed_rows)
	e := rows[0]
	class := input.properties[e.property].pii
	pipelines := sort({pl | some r in rows; some pl in r.pipelines})
	events := sort({ev | some r in rows; some ev in r.events})
	f := {
		"rule": "direct-pii-unhashed",
		"msg": sprintf(
			"property `%s` (pii %s) reaches destination `%s` unhashed, in %s via %s%s; the destination takes direct identifiers only hashed",
			[e.property, class, e.destination, concat(", ", events), concat(", ", pipelines), lib.renamed_text(rows)],
		),
		"at": {"kind": "Property", "name": e.property, "field": "pii"},
		"help": sprintf("hash `%s` on the way (a Transformation with `steps: [{hash: %s}]` in the pipeline), or drop it for this destination", [e.property, e.property]),
		"related": [
			{"at": {"kind": "Destination", "name": e.destination, "field": "accepts_direct"}, "msg": "takes direct identifiers only hashed"},
			{"at": {"kind": "Pipeline", "name": pipelines[0], "field": sprintf("destinations.%s", [e.destination])}, "msg": "routed here"},
		],
	}
}

# Plain exposures of direct and sensitive properties at destinations that take them only
# hashed, in catalog order.
unhashed_rows := [e |
	some e in input.exposures
	e.treatment == "plain"
	input.destinations[e.destination].accepts_direct == "hashed"
	lib.direct_or_sensitive(input.properties[e.property])
]
