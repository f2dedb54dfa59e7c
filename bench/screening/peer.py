"""The Python peer of Vigil's exit screening, for bench/screening/run.sh.

The same decision as `vigil-screening`: parse and check the traveller's JSON,
evaluate every indicator of the policy TOML (documents, purpose, guarantor, cash,
return ticket, who paid, documents held, companion, job-offer lure signs,
watchlist), and match the job offer's contact, employer and text against a
watchlist of normalised keys in a dict. Phone numbers are found and normalised
with `phonenumbers` (PhoneNumberMatcher, region KH, E.164); Telegram and
Facebook handles, wa.me numbers, URLs and domains with regular expressions;
names are folded and stripped of legal forms as Vigil does, and runs of words of
a text are looked up from the first words of listed names.

Not done (Vigil does): the other identifier kinds (LINE, WeChat, Zalo, TikTok,
Instagram, e-mail, wallets, cards, IBANs, places), the Public Suffix List (a
domain is its last two labels), and the organisation-name reader for texts in
scripts written without spaces. The generated inputs need none of them.

usage: peer.py DIR  -> one JSON summary line; outcomes in DIR/python_*.tsv
"""

import json
import re
import sys
import time
import tomllib
import unicodedata

import phonenumbers

# ---------------------------------------------------------------- policy

INDICATORS = {
    "no_clear_documents", "purpose_mismatch", "no_authentic_guarantor",
    "funds_below_minimum", "no_return_ticket", "ticket_paid_by_third_party",
    "documents_held_by_other", "companion_answers", "job_offer_red_flags",
    "watchlist_match",
}


def load_policy(path):
    with open(path, "rb") as f:
        p = tomllib.load(f)
    for ind in p["indicators"]:
        if ind["code"] not in INDICATORS:
            raise ValueError(f"unknown indicator {ind['code']}")
    jo = p.get("job_offer", {})
    jo["no_experience_phrases"] = [x.lower() for x in jo.get("no_experience_phrases", [])]
    jo["travel_paid_phrases"] = [x.lower() for x in jo.get("travel_paid_phrases", [])]
    jo["messaging_kinds"] = set(jo.get("messaging_kinds", []))
    jo["hotspot_destinations"] = {x.upper() for x in jo.get("hotspot_destinations", [])}
    p["job_offer"] = jo
    p["id"] = f"{p['name']}@{p['version']}"
    return p

# ---------------------------------------------------------------- input

COUNTRIES = set("""AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY
CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN
GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH
KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL
PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN
VU WF WS XK YE YT ZA ZM ZW""".split())
ENUMS = {
    "sex": {"female", "male", "other", "unspecified"},
    "purpose": {"tourism", "work", "study", "family", "business", "other"},
    "guarantor": {"none", "unverified", "verified"},
    "ticket_paid_by": {"self", "family", "employer", "recruiter", "unknown"},
}
REQUIRED = {"ref", "sex", "age", "nationality", "destination", "purpose", "documents",
            "guarantor", "cash_usd", "ticket_paid_by", "documents_held_by_other",
            "companion_answers", "job_offer"}
OPTIONAL = {"officer_notes", "ethnicity", "religion"}
DOCS = {"passport": bool, "visa": str, "work_permit": bool, "employment_contract": bool,
        "return_ticket": bool}
VISAS = {"tourist", "work", "student", "none", "other"}


class InputError(ValueError):
    pass


def parse_traveller(line):
    t = json.loads(line)
    if not isinstance(t, dict):
        raise InputError(".: not an object")
    missing = REQUIRED - t.keys()
    unknown = t.keys() - REQUIRED - OPTIONAL
    if missing or unknown:
        raise InputError(f"fields: missing {missing}, unknown {unknown}")
    for f, allowed in ENUMS.items():
        if t[f] not in allowed:
            raise InputError(f"{f}: unknown value")
    if not isinstance(t["ref"], str) or not t["ref"].strip():
        raise InputError("ref: must not be empty")
    age = t["age"]
    if not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= 120:
        raise InputError("age: outside 0-120")
    cash = t["cash_usd"]
    if not isinstance(cash, (int, float)) or isinstance(cash, bool) or cash < 0:
        raise InputError("cash_usd: must be 0 or more")
    for f in ("nationality", "destination"):
        if not isinstance(t[f], str) or t[f].upper() not in COUNTRIES:
            raise InputError(f"{f}: not a country code")
        t[f] = t[f].upper()
    d = t["documents"]
    if not isinstance(d, dict) or d.keys() != DOCS.keys():
        raise InputError("documents: fields")
    for k, ty in DOCS.items():
        if not isinstance(d[k], ty):
            raise InputError(f"documents.{k}: type")
    if d["visa"] not in VISAS:
        raise InputError("documents.visa: unknown value")
    for f in ("documents_held_by_other", "companion_answers"):
        if not isinstance(t[f], bool):
            raise InputError(f"{f}: type")
    o = t["job_offer"]
    if o is not None:
        if not isinstance(o, dict) or o.keys() - {"text", "contact", "employer"}:
            raise InputError("job_offer: fields")
        for k in ("text", "contact", "employer"):
            o.setdefault(k, "")
            if not isinstance(o[k], str):
                raise InputError(f"job_offer.{k}: type")
    return t

# ---------------------------------------------------------------- identifiers

TLDS = "com|net|org|asia|info|biz|io|me|co|kh|th|vn|cn|la|mm|ph|my|sg|jp|kr"
URL = re.compile(
    r"(?i)(?<![\w@.-])((?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + TLDS
    + r"))\b(/[^\s]*)?)")
ACCOUNT = re.compile(
    r"(?i)^(?:www\.)?(t\.me|telegram\.me|wa\.me|facebook\.com|fb\.com)/(@?[A-Za-z0-9_.]+)")
HANDLE = re.compile(r"(?<![A-Za-z0-9_.@])@([A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_])")


def identifiers(text):
    """(kind, value, start, end) for the kinds the generated inputs hold."""
    out = []
    for m in URL.finditer(text):
        whole, host, path = m.group(1), m.group(2), m.group(3) or ""
        scheme = "https" if whole.lower().startswith("https://") else "http"
        if "://" in whole or path or host.lower().startswith("www."):
            # A bare domain is a domain, not a link (as in Vigil).
            out.append(("url", f"{scheme}://{host.lower()}{path}", m.start(1), m.end(1)))
        bare = whole.split("://", 1)[-1]
        hs = m.start(1) + whole.lower().find(host.lower())
        labels = host.lower().split(".")
        reg = ".".join(labels[-2:])
        out.append(("domain", reg, hs + len(host) - len(reg), hs + len(host)))
        a = ACCOUNT.match(bare)
        if a:
            site, name = a.group(1).lower(), a.group(2).lstrip("@")
            if site in ("t.me", "telegram.me"):
                out.append(("telegram", name.lower(), m.start(1), m.end(1)))
            elif site == "wa.me" and name.isdigit():
                out.append(("whatsapp", "+" + name, m.start(1), m.end(1)))
            elif site in ("facebook.com", "fb.com"):
                out.append(("facebook", name.lower(), m.start(1), m.end(1)))
    for m in HANDLE.finditer(text):
        out.append(("telegram", m.group(1).lower(), m.start(), m.end()))
    for m in phonenumbers.PhoneNumberMatcher(text, "KH"):
        e164 = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
        inside_link = any(k == "url" and s <= m.start and m.end <= e for k, _, s, e in out)
        if not inside_link:
            out.append(("phone", e164, m.start, m.end))
    return out


ACCOUNTS = {"telegram", "whatsapp", "facebook", "phone"}


def identifier_keys(text):
    found = identifiers(text)
    keys = []
    for kind, value, s, e in found:
        # A platform inside an account's link is not a lead.
        platform = kind == "domain" and any(
            k in ACCOUNTS and s2 <= s and e <= e2 for k, _, s2, e2 in found)
        if not platform and value not in keys:
            keys.append(value)
    return keys

# ---------------------------------------------------------------- names

LEGAL_SUFFIXES = [s.split() for s in (
    "co ltd", "co limited", "company limited", "company ltd", "pte ltd", "sdn bhd",
    "จำกัด มหาชน", "ltd", "limited", "co", "company", "inc", "llc", "corp", "corporation",
    "plc", "jsc", "จำกัด")]
LEGAL_PREFIXES = [s.split() for s in (
    "công ty tnhh mtv", "công ty tnhh", "công ty cổ phần", "công ty cp", "cong ty tnhh",
    "công ty", "cong ty", "cty tnhh", "cty")]
JOINED_PREFIXES = ["ក្រុមហ៊ុនជ្រើសរើសពលករ", "ក្រុមហ៊ុនជ្រើសរើសកម្មករ", "ភ្នាក់ងារជ្រើសរើសពលករ",
                   "ភ្នាក់ងារជ្រើសរើសកម្មករ", "ភ្នាក់ងារជ្រើសរើសបុគ្គលិក", "ភ្នាក់ងារជ្រើសរើស",
                   "ក្រុមហ៊ុន", "บริษัทจัดหางาน", "บริษัท"]
JOINED_SUFFIXES = ["有限责任公司", "有限責任公司", "股份有限公司", "有限公司", "公司", "จำกัด"]
WORD = re.compile(r"[\w\u0300-\u036f\u0e31-\u0e4e\u17b4-\u17d3\u17dd]+")


def name_key(value):
    folded = " ".join(WORD.findall(value.strip().lstrip("@").lower()))
    if folded.isascii() and " " not in folded:
        return folded
    words = folded.split(" ")
    while True:
        before = list(words)
        for p in LEGAL_PREFIXES:
            if len(p) < len(words) and words[:len(p)] == p:
                words = words[len(p):]
                break
        for s in LEGAL_SUFFIXES:
            if len(s) < len(words) and words[-len(s):] == s:
                words = words[:-len(s)]
                break
        if words:
            for p in JOINED_PREFIXES:
                if words[0].startswith(p):
                    if len(words[0]) > len(p):
                        words[0] = words[0][len(p):]
                    elif len(words) > 1:
                        words = words[1:]
                    break
        if words:
            for s in JOINED_SUFFIXES:
                if len(words[-1]) > len(s) and words[-1].endswith(s):
                    words[-1] = words[-1][:-len(s)]
                    break
        if words == before:
            return " ".join(words)

# ---------------------------------------------------------------- watchlist


class Watchlist:
    def __init__(self):
        self.entries = {}
        self.names = set()
        self.first_words = set()
        self.name_words = 0

    def add(self, value, label):
        keys = identifier_keys(value)
        is_name = not keys
        if is_name:
            k = name_key(value)
            keys = [k] if k else []
        for key in keys:
            if is_name:
                n = len(key.split(" "))
                self.name_words = max(self.name_words, min(n, 8))
                self.first_words.add(key.split(" ", 1)[0])
                self.names.add(key)
            labels = self.entries.setdefault(key, [])
            if label not in labels:
                labels.append(label)

    def find(self, text):
        out = {}
        found = identifier_keys(text)
        folded = name_key(text)
        if not found and folded in self.entries:
            out[folded] = self.entries[folded]
        for k in found:
            if k in self.entries and k not in out:
                out[k] = self.entries[k]
        if self.names:
            words = [w for w in folded.split(" ") if w]
            runs = []
            for i, first in enumerate(words):
                if first not in self.first_words:
                    continue
                for n in range(1, min(self.name_words, len(words) - i) + 1):
                    key = " ".join(words[i:i + n])
                    if key in self.names:
                        runs.append(key)
            runs.sort(key=lambda k: -len(k.split(" ")))
            for k in runs:
                if k not in out:
                    out[k] = self.entries[k]
        return list(out.items())

# ---------------------------------------------------------------- evaluation


DIGITS = {c: str(unicodedata.digit(chr(c))) for c in (
    *range(0x17E0, 0x17EA), *range(0x0E50, 0x0E5A), *range(0x0ED0, 0x0EDA),
    *range(0x1040, 0x104A), *range(0xFF10, 0xFF1A))}
AMOUNT = re.compile(r"(?<![0-9a-z])([0-9](?:[0-9]|,(?=[0-9]))*)(k(?![0-9a-z]))?")


def highest_usd(text):
    best = None
    for m in AMOUNT.finditer(text):
        value = int(m.group(1).replace(",", ""))
        if m.group(2):
            value *= 1000
        before = text[:m.start()].rstrip()
        after = text[m.end():].lstrip()
        if (before.endswith("$") or before.endswith("usd") or after.startswith("$")
                or after.startswith("usd") or after.startswith("dollar")
                or after.startswith("ដុល្លារ")):
            best = value if best is None else max(best, value)
    return best


def only_messaging(rules, offer):
    found = identifiers(offer["contact"] + "\n" + offer["text"])
    apps = []
    kinds = rules["messaging_kinds"]
    for kind, _, s, e in found:
        if kind in kinds:
            if kind not in apps:
                apps.append(kind)
        elif kind in ("phone", "email", "domain", "url") and not any(
                s2 <= s and e <= e2 and k2 in kinds for k2, _, s2, e2 in found):
            return None
    return ", ".join(apps) if apps else None


def red_flags(rules, offer, destination):
    out = []
    text = offer["text"].translate(DIGITS).lower()
    limit = rules.get("unrealistic_pay_usd")
    pay = highest_usd(text)
    if limit is not None and pay is not None and pay > limit:
        out.append(f"offers {pay} USD, above the {limit} USD the policy finds realistic")
    for key, what in (("no_experience_phrases", "no experience needed"),
                      ("travel_paid_phrases", "travel paid")):
        p = next((p for p in rules[key] if p and p in text), None)
        if p:
            out.append(f'{what} ("{p}")')
    apps = only_messaging(rules, offer)
    if apps:
        out.append(f"contact only by messaging app ({apps})")
    if destination in rules["hotspot_destinations"]:
        out.append(f"job in {destination}, a known destination of scam compounds")
    return out


def check(code, policy, t, wl):
    d = t["documents"]
    offer = t["job_offer"]
    purpose = t["purpose"]
    if code == "no_clear_documents":
        parts = []
        if not d["passport"]:
            parts.append("no valid passport")
        if d["visa"] == "other":
            parts.append("visa of an unclear kind")
        return "; ".join(parts) or None
    if code == "purpose_mismatch":
        if purpose != "work" and offer is not None:
            return f"says {purpose} but has a job offer"
        parts = []
        if purpose == "work":
            if d["visa"] != "work" and not d["work_permit"]:
                parts.append("travels for work without a work visa or permit")
            if not d["employment_contract"]:
                parts.append("travels for work without an employment contract")
        return "; ".join(parts) or None
    if code == "no_authentic_guarantor":
        return {"none": "no guarantor", "unverified": "guarantor not verified"}.get(
            t["guarantor"])
    if code == "funds_below_minimum":
        cash = t["cash_usd"]
        if cash < policy["minimum_cash_usd"]:
            return f"carries {cash:g} USD, minimum {policy['minimum_cash_usd']}"
        return None
    if code == "no_return_ticket":
        if purpose in ("tourism", "family", "business", "other") and not d["return_ticket"]:
            return f"no return ticket for a {purpose} trip"
        return None
    if code == "ticket_paid_by_third_party":
        payer = t["ticket_paid_by"]
        if payer in ("employer", "recruiter"):
            return f"ticket paid by the {payer}"
        return "does not know who paid the ticket" if payer == "unknown" else None
    if code == "documents_held_by_other":
        return "someone else holds the traveller's documents" if t[code] else None
    if code == "companion_answers":
        return "a companion answers for the traveller" if t[code] else None
    if code == "job_offer_red_flags":
        if offer is None:
            return None
        return "; ".join(red_flags(policy["job_offer"], offer, t["destination"])) or None
    if code == "watchlist_match":
        if offer is None:
            return None
        parts, seen = [], set()
        for what in ("contact", "employer", "text"):
            for value, labels in wl.find(offer[what]):
                if value not in seen:
                    seen.add(value)
                    parts.append(f"{what} {value} is tied to {', '.join(labels)}")
        return "; ".join(parts) or None
    raise ValueError(code)


def evaluate(policy, t, wl):
    reasons = []
    for ind in policy["indicators"]:
        evidence = check(ind["code"], policy, t, wl)
        if evidence:
            reasons.append((ind["code"], ind["weight"], evidence, ind["refers_alone"]))
    for a in policy.get("attribute_weights", []):
        v = t.get(a["attribute"])
        if a["weight"] > 0 and isinstance(v, str) and v.lower() == a["value"].lower():
            reasons.append((f"attribute_{a['attribute']}", a["weight"], v, False))
    score = sum(r[1] for r in reasons)
    bands = policy["bands"]
    if any(r[3] for r in reasons) or score >= bands["refer"]:
        outcome = "refer"
    elif score >= bands["interview"]:
        outcome = "interview"
    else:
        outcome = "clear"
    return outcome, score, reasons

# ---------------------------------------------------------------- timing


def main():
    d = sys.argv[1]
    policy = load_policy(f"{d}/policy.toml")
    with open(f"{d}/watchlist.jsonl", encoding="utf-8") as f:
        wl_lines = [line for line in f if line.strip()]
    t0 = time.perf_counter()
    wl = Watchlist()
    for line in wl_lines:
        e = json.loads(line)
        wl.add(e["value"], e["label"])
    build_s = time.perf_counter() - t0
    with open(f"{d}/decide.jsonl", encoding="utf-8") as f:
        decide = f.read().splitlines()
    with open(f"{d}/batch.jsonl", encoding="utf-8") as f:
        batch = f.read().splitlines()
    for line in decide[:1000]:
        evaluate(policy, parse_traveller(line), wl)
    nanos, rows = [], []
    for line in decide:
        t0 = time.perf_counter_ns()
        t = parse_traveller(line)
        outcome, score, _ = evaluate(policy, t, wl)
        nanos.append(time.perf_counter_ns() - t0)
        rows.append(f"{t['ref']}\t{outcome}\t{score}\n")
    with open(f"{d}/python_decide.tsv", "w", encoding="utf-8") as f:
        f.writelines(rows)
    nanos.sort()

    def q(p):
        return nanos[min(int(len(nanos) * p), len(nanos) - 1)] / 1e6

    cpu0, t0 = time.process_time(), time.perf_counter()
    results = []
    for line in batch:
        t = parse_traveller(line)
        outcome, score, _ = evaluate(policy, t, wl)
        results.append((t["ref"], outcome, score))
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    with open(f"{d}/python_batch.tsv", "w", encoding="utf-8") as f:
        f.writelines(f"{r}\t{o}\t{s}\n" for r, o, s in results)
    print(json.dumps({
        "impl": "python", "watchlist_entries": len(wl_lines), "watchlist_keys": len(wl.entries),
        "build_s": build_s, "decisions": len(nanos), "p50_ms": q(0.5), "p90_ms": q(0.9),
        "p99_ms": q(0.99), "p999_ms": q(0.999), "max_ms": q(1.0), "batch": len(results),
        "batch_wall_s": wall, "batch_cpu_s": cpu, "batch_per_s": len(results) / wall,
        "batch_per_cpu_s": len(results) / cpu if cpu else 0.0,
    }))


if __name__ == "__main__":
    main()
