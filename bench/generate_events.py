#!/usr/bin/env python3
"""Writes LINES tracking calls (JSON Lines, ~1 KB each) for `contrail validate-events`, from a
compiled contract (`contrail compile --out COMPILED`): payloads of its events, from a source
that routes them, with values generated from each event's JSON Schema, and an SDK-like
`context` block to bring them to about 1 KB. About 10 % are invalid, in a mix: a missing
required property, a wrong type, a value outside an enum or pattern, an unknown event, a line
that is not JSON. Deterministic for a given seed.

usage: bench/generate_events.py COMPILED LINES [SEED] > events.jsonl
"""
import json
import os
import random
import sys


def sample_pattern(pattern, rnd):
    """A string matching the simple anchored patterns contracts use: literals, escapes,
    [classes] with ranges, and the quantifiers ?, *, +, {n}, {n,m}."""
    p = pattern.strip("^$")
    out, i = [], 0
    while i < len(p):
        if p[i] == "[":
            j = p.index("]", i + 1)
            body, chars, k = p[i + 1:j], [], 0
            while k < len(body):
                if k + 2 < len(body) and body[k + 1] == "-":
                    chars += [chr(c) for c in range(ord(body[k]), ord(body[k + 2]) + 1)]
                    k += 3
                else:
                    chars.append(body[k])
                    k += 1
            atom, i = chars, j + 1
        elif p[i] == "\\":
            atom, i = [p[i + 1]], i + 2
        else:
            atom, i = [p[i]], i + 1
        lo = hi = 1
        if i < len(p) and p[i] in "?*+":
            lo, hi = {"?": (0, 1), "*": (0, 4), "+": (1, 5)}[p[i]]
            i += 1
        elif i < len(p) and p[i] == "{":
            j = p.index("}", i)
            parts = p[i + 1:j].split(",")
            lo = int(parts[0])
            hi = int(parts[1]) if len(parts) > 1 and parts[1] else lo
            i = j + 1
        out += [rnd.choice(atom) for _ in range(rnd.randint(lo, hi))]
    return "".join(out)


def value(schema, rnd):
    if "enum" in schema:
        return rnd.choice([v for v in schema["enum"] if v is not None] or [None])
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "string":
        fmt = schema.get("format")
        if "pattern" in schema:
            return sample_pattern(schema["pattern"], rnd)
        if fmt == "email":
            return f"user{rnd.randint(1, 10**6)}@example.com"
        if fmt == "uuid":
            return "%08x-%04x-4%03x-8%03x-%012x" % (
                rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(12),
                rnd.getrandbits(12), rnd.getrandbits(48))
        if fmt == "date-time":
            return f"2026-11-{rnd.randint(10, 28)}T{rnd.randint(10, 23)}:15:00Z"
        if fmt == "date":
            return f"19{rnd.randint(50, 99)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"
        if fmt == "uri":
            return f"https://shop.example.com/p/{rnd.randint(1, 10**6)}"
        if fmt in ("ipv4",):
            return f"203.0.113.{rnd.randint(1, 254)}"
        n = min(schema.get("maxLength", 24), 24)
        m = max(schema.get("minLength", 1), 1)
        return "".join(rnd.choice("abcdefghij") for _ in range(rnd.randint(min(m, n), n)))
    if kind in ("integer", "number"):
        lo = schema.get("minimum", 0)
        hi = schema.get("maximum", lo + 1000)
        v = rnd.uniform(lo, hi)
        return int(v) if kind == "integer" else round(v, 2)
    if kind == "boolean":
        return rnd.random() < 0.5
    if kind == "array":
        items = schema.get("items", {})
        n = min(schema.get("maxItems", 3), 3)
        return [value(items, rnd) for _ in range(max(schema.get("minItems", 1), min(1, n)))]
    if kind == "object":
        return {}
    return None


def main():
    compiled, lines = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    routing = json.load(open(os.path.join(compiled, "routing.json")))
    sources = {}
    for plan in routing["destinations"].values():
        for route in plan["routes"]:
            sources.setdefault(route["event"], set()).add(route["source"])
    schemas = {}
    folder = os.path.join(compiled, "schemas")
    for name in sorted(os.listdir(folder)):
        event = name[:-len(".json")]
        if event in sources:
            schemas[event] = json.load(open(os.path.join(folder, name)))
    events = sorted(schemas)
    context = {
        "library": {"name": "analytics.js", "version": "4.1.0"},
        "page": {"path": "/checkout", "referrer": "https://www.example.org/search?q=shoes",
                 "title": "Checkout - Example Shop", "url": "https://shop.example.com/checkout"},
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/131.0.0.0 Safari/537.36",
        "locale": "de-DE",
        "screen": {"width": 1920, "height": 1080, "density": 1},
        "campaign": {"name": "winter_sale", "source": "newsletter", "medium": "email"},
    }
    out = sys.stdout
    for n in range(lines):
        event = rnd.choice(events)
        schema = schemas[event]
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        properties = {k: value(s, rnd) for k, s in props.items()
                      if k in required or rnd.random() < 0.7}
        payload = {"event": event, "source": rnd.choice(sorted(sources[event])),
                   "properties": properties, "messageId": f"m-{n:09}",
                   "timestamp": "2026-12-01T10:00:00.000Z", "context": context}
        kind = n % 10 == 9 and rnd.randrange(5)
        if kind is False:
            pass
        elif kind == 0 and required:
            properties.pop(sorted(required)[0])
        elif kind == 1 and props:
            properties[sorted(props)[0]] = {"not": "a scalar"}
        elif kind == 2:
            payload["event"] = event + "_typo"
        elif kind == 3:
            out.write(json.dumps(payload, separators=(",", ":"))[:300] + "\n")
            continue
        else:
            properties["unplanned_" + str(n % 50)] = "x"
        out.write(json.dumps(payload, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
