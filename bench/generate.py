#!/usr/bin/env python3
"""Writes a synthetic contract repo for benchmarks. Deterministic for a given size.

Default shape: EVENTS events spread over files, each with 12 property refs out of a shared
pool, 4 sources, 8 destinations and one pipeline per (source, destination) with a hash/drop
transformation.

`--shape issue`: the shape of issue 15 (see `issue_shape`); `--changed` writes the head of a
`--base` comparison (5 % of the events changed), `--seeded` adds resources that break rules.

usage: bench/generate.py [--shape issue [--changed] [--seeded]] OUT_DIR EVENTS
"""
import os
import sys


DOMAINS = 20
COMMON = [  # (name, pii): context every event carries
    ("anonymous_id", "indirect"), ("session_id", "none"), ("platform", "none"),
    ("locale", "none"), ("user_id", "indirect"), ("app_version", "none"),
]


# One fault per built-in package: personal data to a non-production destination without a
# scrub (pii), a purpose the destination does not cover (consent), a region outside the
# property's residency (residency), an event the destination does not allow and a destination
# nothing reaches (routing), a direct property without a legal basis (pii), a property
# without an owner and one without a description (governance), a camel-case name (quality),
# a pipeline entry that selects nothing, a match key on personal data without a basis (identity).
SEEDED = """kind: Property
name: seeded_email
type: string
pii: direct
consent: [advertising]
residency: [us]
description: Seeded email address.
---
kind: Property
name: seeded_phone
type: string
pii: direct
owner: privacy
description: Seeded phone number.
---
kind: Property
name: seededCamel
type: string
pii: none
owner: privacy
---
kind: ConsentPurpose
name: advertising
description: Ads.
---
kind: Destination
name: seeded_sandbox
type: sandbox
environment: nonprod
region: eu
pii: none
events: [seeded_allowed]
owner: privacy
description: Seeded sandbox.
---
kind: Destination
name: seeded_unused
type: warehouse
environment: prod
region: eu
pii: direct
owner: privacy
description: Nothing reaches it.
---
kind: Pipeline
name: seeded_pipe
source: web
destinations: [seeded_sandbox, dest_00]
events: [seeded_*, nothing_*]
owner: privacy
description: Seeded pipeline.
---
kind: IdentityRule
name: seeded_identity
match_keys:
  - {property: seeded_phone, precedence: 1}
owner: privacy
description: Seeded identity rule.
---
"""
SEEDED_BASE = """kind: Event
name: seeded_signup
owner: privacy
version: 1
description: Seeded sign-up.
properties:
  - {ref: seeded_email, required: true}
  - {ref: seeded_phone}
  - {ref: seededCamel}
  - {ref: anonymous_id}
"""
# The head: a new required property without a version bump, and a lowered PII class.
SEEDED_CHANGED = SEEDED_BASE.replace("  - {ref: anonymous_id}\n", "  - {ref: anonymous_id, required: true}\n") + """---
kind: Property
name: seeded_lowered
type: string
pii: none
owner: privacy
description: Was indirect in the base.
"""
SEEDED_BASE += """---
kind: Property
name: seeded_lowered
type: string
pii: indirect
owner: privacy
description: Was indirect in the base.
"""


def issue_shape(out, events, changed=False, seeded=False):
    """The shape of issue 15's contract at EVENTS events (5,000: 20,000 properties, 50
    destinations of which 12 non-production, 100 pipelines, 83 transformations). Events
    fall into 20 domains; each carries the 6 context properties, 4 of its own and 2 shared
    with its domain. Checks clean. `changed` rewords the description of every 20th event
    and adds an optional property to it (the head of a `--base` comparison). `seeded` adds
    `seeded.yaml`, resources that break one rule of each built-in package, and, with
    `changed`, a breaking change and a lowered PII class, so that findings can be compared."""
    props = 4 * events
    per_domain = max(events // DOMAINS, 1)
    domain_of = lambda i: min(i // per_domain, DOMAINS - 1)
    pii_of = lambda j: "direct" if j % 50 == 7 else "indirect" if j % 10 == 3 else "none"
    files = 0

    def write(rel, text):
        nonlocal files
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        files += 1

    write("contrail.yaml", "version: 1\n")
    teams = "".join(
        f"kind: Team\nname: team_{d:02}\nreviewers: ['@acme/team-{d:02}']\n"
        f"description: Owns domain {d:02}.\n---\n" for d in range(DOMAINS))
    teams += "kind: Team\nname: privacy\nreviewers: ['@acme/privacy']\ngovernance: true\n"
    teams += "description: Data protection office.\n"
    write("teams.yaml", teams)
    write("purposes.yaml", "kind: ConsentPurpose\nname: analytics\ndescription: Measuring use.\n"
          "---\nkind: ConsentPurpose\nname: marketing\ndescription: Offers by email.\n")

    def prop(name, pii, owner, description):
        text = f"kind: Property\nname: {name}\ntype: string\nmax_length: 256\npii: {pii}\n"
        if pii == "direct":
            text += "consent: [marketing]\n"
        return text + f"owner: {owner}\ndescription: {description}\n---\n"

    write("properties/context.yaml", "".join(
        prop(n, pii, "privacy", f"Context property {n}.") for n, pii in COMMON))
    chunk = 20
    for start in range(0, props, chunk):
        write(f"properties/p{start // chunk:05}.yaml", "".join(
            prop(f"d{domain_of(j // 4):02}_prop_{j:06}", pii_of(j), f"team_{domain_of(j // 4):02}",
                 f"Property {j} of domain {domain_of(j // 4):02}.")
            for j in range(start, min(start + chunk, props))))
    chunk = 10
    for start in range(0, events, chunk):
        text = ""
        for i in range(start, min(start + chunk, events)):
            d = domain_of(i)
            edited = changed and i % 20 == 0
            text += f"kind: Event\nname: d{d:02}_event_{i:05}\nowner: team_{d:02}\nversion: 1\n"
            words = "really happened" if edited else "happened"
            text += f"description: Event {i} of domain {d:02} {words}.\nproperties:\n"
            refs = [n for n, _ in COMMON] + [f"d{d:02}_prop_{4 * i + k:06}" for k in range(4)]
            first = d * per_domain
            refs += [f"d{d:02}_prop_{4 * (first + (i * 7 + k) % per_domain) + k:06}"
                     for k in range(2) if first + (i * 7 + k) % per_domain != i]
            if edited:
                refs.append(f"d{d:02}_prop_{4 * (first + (i + 1) % per_domain) + 1:06}")
            for k, r in enumerate(dict.fromkeys(refs)):
                text += f"  - {{ ref: {r}, required: {str(k < 3).lower()} }}\n"
            text += "---\n"
        write(f"events/e{start // chunk:05}.yaml", text)

    pii_props = lambda d, cls: [f"d{d:02}_prop_{j:06}" for j in range(4 * d * per_domain,
                                4 * min((d + 1) * per_domain, events) if d < DOMAINS - 1 else props)
                                if pii_of(j) in cls]
    routing = ""
    sources = ["web", "ios", "android", "server", "backend"]
    for s in sources:
        platform = "server" if s == "backend" else s
        routing += f"kind: Source\nname: {s}\nplatform: {platform}\nevents: ['*']\nowner: privacy\n"
        routing += f"description: The {s} collector.\n---\n"
    for k in range(50):
        nonprod = k >= 38
        routing += f"kind: Destination\nname: dest_{k:02}\ntype: warehouse\n"
        routing += f"environment: {'nonprod' if nonprod else 'prod'}\nregion: eu\n"
        routing += "pii: none\n" if nonprod else "pii: direct\nconsent: [analytics, marketing]\n"
        routing += f"owner: privacy\ndescription: Destination {k}.\n---\n"
    for d in range(DOMAINS):
        drops = "".join(f"  - drop: {p}\n" for p in pii_props(d, {"indirect", "direct"}))
        routing += f"kind: Transformation\nname: scrub_d{d:02}\nevents: ['d{d:02}_*']\nsteps:\n"
        routing += "  - drop: anonymous_id\n  - drop: user_id\n" + drops
        routing += f"owner: privacy\ndescription: Drops personal data of domain {d:02}.\n---\n"
        hashes = "".join(f"  - hash: {p}\n" for p in pii_props(d, {"direct"})) or "  - hash: user_id\n"
        routing += f"kind: Transformation\nname: hash_d{d:02}\nevents: ['d{d:02}_*']\nsteps:\n"
        routing += hashes + f"owner: privacy\ndescription: Hashes direct identifiers of {d:02}.\n---\n"
    for t in range(43):
        routing += f"kind: Transformation\nname: rename_{t:02}\nevents: ['d{t % DOMAINS:02}_event_*{t % 10}']\n"
        routing += f"steps:\n  - rename: {{from: app_version, to: app_version_{t:02}}}\n"
        routing += f"owner: privacy\ndescription: Renames the app version for consumer {t}.\n---\n"
    for p in range(100):
        s = sources[p % len(sources)]
        doms = sorted({(p * 3) % DOMAINS, (p * 3 + 1) % DOMAINS})
        globs = ", ".join(f"'d{d:02}_*'" for d in doms)
        if p < 88:
            dests = [f"dest_{p % 38:02}"] + ([f"dest_{(p * 7 + 5) % 38:02}"] if p % 2 == 0 else [])
            dests = sorted(set(dests))
            ts = [f"hash_d{d:02}" for d in doms] + [f"rename_{p % 43:02}"]
        else:
            dests = [f"dest_{p - 50:02}"]
            ts = [f"scrub_d{d:02}" for d in doms]
        routing += f"kind: Pipeline\nname: pipe_{p:03}\nsource: {s}\ndestinations: [{', '.join(dests)}]\n"
        routing += f"events: [{globs}]\ntransformations: [{', '.join(ts)}]\nowner: privacy\n"
        routing += f"description: Pipeline {p}.\n---\n"
    write("routing.yaml", routing)
    if seeded:
        write("seeded.yaml", SEEDED + (SEEDED_CHANGED if changed else SEEDED_BASE))
    return files


def main():
    args = sys.argv[1:]
    changed, seeded = "--changed" in args, "--seeded" in args
    args = [a for a in args if a not in ("--changed", "--seeded")]
    if args[:2] == ["--shape", "issue"]:
        issue_shape(args[2], int(args[3]), changed, seeded)
        return
    out, events = args[0], int(args[1])
    properties = max(events // 2, 50)
    os.makedirs(os.path.join(out, "events"), exist_ok=True)
    os.makedirs(os.path.join(out, "properties"), exist_ok=True)
    with open(os.path.join(out, "contrail.yaml"), "w") as f:
        f.write("version: 1\n")
    with open(os.path.join(out, "base.yaml"), "w") as f:
        f.write("kind: Team\nname: data\ngovernance: true\n---\n")
        f.write("kind: ConsentPurpose\nname: analytics\n---\n")
        f.write("kind: ConsentPurpose\nname: marketing\n")
    classes = ["none", "none", "none", "indirect", "direct"]
    per_file = 500
    for start in range(0, properties, per_file):
        with open(os.path.join(out, "properties", f"p{start // per_file:05}.yaml"), "w") as f:
            for i in range(start, min(start + per_file, properties)):
                pii = classes[i % len(classes)]
                f.write(f"kind: Property\nname: prop_{i:06}\ntype: string\nmax_length: 256\n")
                f.write(f"pii: {pii}\nowner: data\ndescription: Property {i}\n")
                if pii == "direct":
                    f.write("consent: [marketing]\n")
                f.write("---\n")
    for start in range(0, events, per_file):
        with open(os.path.join(out, "events", f"e{start // per_file:05}.yaml"), "w") as f:
            for i in range(start, min(start + per_file, events)):
                f.write(f"kind: Event\nname: event_{i:06}\nowner: data\ndescription: Event {i}\n")
                f.write("properties:\n")
                for k in range(12):
                    f.write(f"  - {{ ref: prop_{(i * 7 + k * 13) % properties:06}, required: {str(k < 3).lower()} }}\n")
                f.write("---\n")
    with open(os.path.join(out, "routing.yaml"), "w") as f:
        sources = ["web", "ios", "android", "server"]
        for s in sources:
            f.write(f"kind: Source\nname: {s}\nplatform: {s}\nevents: ['*']\n---\n")
        for d in range(8):
            env = "prod"
            f.write(f"kind: Destination\nname: dest_{d}\ntype: warehouse\nenvironment: {env}\n")
            f.write("pii: direct\nconsent: [analytics, marketing]\n---\n")
        f.write("kind: Transformation\nname: scrub\nevents: ['*']\n")
        f.write(f"steps: [{{hash: prop_{4:06}}}, {{drop: prop_{3:06}}}]\n---\n")
        for s in sources:
            for d in range(8):
                f.write(f"kind: Pipeline\nname: {s}_to_{d}\nsource: {s}\ndestinations: [dest_{d}]\n")
                f.write(f"events: ['event_0*']\ntransformations: [scrub]\n---\n")


if __name__ == "__main__":
    main()
