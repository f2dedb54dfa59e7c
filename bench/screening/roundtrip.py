"""Times one-at-a-time requests on a keep-alive connection: the screening
round trip against a read-only peer request through the same server.
Usage: roundtrip.py BASE_URL TOKEN N CONTACT LOAD_BEFORE (see roundtrip.sh)."""
import http.client
import json
import statistics
import sys
import time
from urllib.parse import urlparse

base, token, n, contact, load_before = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
u = urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port)
auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def traveller(i):
    offer = None
    if i % 3 == 0:
        offer = {"text": "Salary 3000 USD, no experience, ticket paid", "contact": contact, "employer": ""}
    elif i % 3 == 1:
        offer = {"text": "hotel work", "contact": f"@hr_{i}", "employer": "Golden Fortune Co., Ltd"}
    return {
        "ref": f"RT-{i}", "sex": ["female", "male"][i % 2], "age": 18 + i % 40,
        "nationality": "KH", "destination": ["TH", "MY", "AE", "JP"][i % 4],
        "purpose": ["tourism", "work", "family"][i % 3],
        "documents": {"passport": True, "visa": "tourist", "work_permit": False,
                      "employment_contract": i % 2 == 0, "return_ticket": i % 5 != 0},
        "guarantor": "unverified", "cash_usd": (i * 37) % 400, "ticket_paid_by": "self",
        "documents_held_by_other": False, "companion_answers": False,
        "job_offer": offer, "officer_notes": "",
    }


def timed(method, path, body=None, headers=None):
    t = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    payload = r.read()
    ms = (time.perf_counter() - t) * 1000
    return r.status, payload, ms


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


screen, peer, outcomes = [], [], {}
for i in range(n):
    status, payload, ms = timed("POST", "/api/v1/screenings?post=POIPET", json.dumps(traveller(i)), auth)
    if status != 201:
        sys.exit(f"screening {i}: HTTP {status}: {payload[:300]!r}")
    outcomes[json.loads(payload)["outcome"]] = outcomes.get(json.loads(payload)["outcome"], 0) + 1
    screen.append(ms)
    status, payload, ms = timed("GET", "/api/v1/places/provinces")
    if status != 200:
        sys.exit(f"peer {i}: HTTP {status}")
    peer.append(ms)

print(f"| request ({n} each, alternating) | p50 ms | p99 ms | max ms |")
print("|---|---:|---:|---:|")
for name, xs in [("POST /api/v1/screenings (screen + store)", screen), ("peer: GET /api/v1/places/provinces", peer)]:
    print(f"| {name} | {statistics.median(xs):.2f} | {pct(xs, 99):.2f} | {max(xs):.2f} |")
print()
print(f"Screening ÷ peer: p50 {statistics.median(screen) / statistics.median(peer):.1f}×, "
      f"p99 {pct(screen, 99) / pct(peer, 99):.1f}×. Outcomes: {outcomes}. "
      f"Load average before {load_before}.")
