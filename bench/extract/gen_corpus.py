#!/usr/bin/env python3
"""Generates a corpus of realistic multilingual tips with known identifiers.

Each output line: {"id", "text", "truth": [{"kind", "value", "tag"?}]}.
Phone numbers are checked with the `phonenumbers` package (libphonenumber) so the
ground truth only holds valid numbers. Deterministic for a given --seed.

Usage: gen_corpus.py --n 20000 --seed 7 --eth ETH_ACCOUNTS_JSON > corpus.jsonl
"""
import argparse
import hashlib
import json
import random

import phonenumbers

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def b58check(payload: bytes) -> str:
    chk = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    data = payload + chk
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ v
        for i in range(5):
            if (top >> i) & 1:
                chk ^= gen[i]
    return chk


def bech32_p2wpkh(prog: bytes) -> str:
    hrp = "bc"
    acc, bits, data = 0, 0, [0]
    for b in prog:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    exp = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]
    pm = _polymod(exp + data + [0] * 6) ^ 1
    data += [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH[d] for d in data)


def luhn_complete(prefix: str, length: int, rng) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, c in enumerate(reversed(body)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return body + str((10 - total % 10) % 10)


def broken(addr: str) -> str:
    """The address with its last character changed (so the checksum fails)."""
    return addr[:-1] + ("2" if addr[-1] != "2" else "3")


def iban(country: str, bban: str) -> str:
    s = bban + country + "00"
    num = "".join(str(int(c, 36)) for c in s)
    check = 98 - int(num) % 97
    return f"{country}{check:02d}{bban}"


class Gen:
    def __init__(self, rng, eth):
        self.rng = rng
        self.eth = eth

    def digits(self, n):
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def valid(self, region, make):
        for _ in range(200):
            national = make()
            try:
                p = phonenumbers.parse(national, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(p):
                return p
        raise RuntimeError(region)

    # ---- phones -------------------------------------------------------------
    def kh_phone(self):
        r = self.rng
        pre = r.choice(["12", "11", "17", "61", "76", "77", "78", "85", "89", "92", "95", "99",
                        "10", "15", "16", "69", "70", "81", "86", "87", "93", "98", "96", "97",
                        "88", "31", "60", "66", "67", "68", "71", "90", "38"])
        p = self.valid("KH", lambda: "0" + pre + self.digits(r.choice([6, 7])))
        nsn = str(p.national_number)
        e164 = f"+855{nsn}"
        a, rest = nsn[:2], nsn[2:]
        spaced = rest[:3] + " " + rest[3:]
        style = r.randrange(11)
        if style == 0:
            s = f"0{a} {spaced}"
        elif style == 1:
            s = f"+855 {a} {spaced}"
        elif style == 2:
            s = f"855-{a}-{rest}"
        elif style == 3:
            s = f"(+855) {nsn}"
        elif style == 4:
            s = f"+855 (0){a} {spaced}"
        elif style == 5:
            s = "".join(KHMER_DIGITS[int(c)] if c.isdigit() else c for c in f"0{a} {spaced}")
        elif style == 6:
            s = f"0{nsn}"
        elif style == 7:
            s = f"00855 {a} {spaced}"
        elif style == 8:
            s = f"0{a}.{rest[:3]}.{rest[3:]}"
        elif style == 9:
            s = f"+855{nsn}"
        else:
            s = f"0{a}-{rest[:3]}-{rest[3:]}"
        return s, e164, None

    def cn_phone(self, local):
        r = self.rng
        p = self.valid("CN", lambda: "1" + r.choice("3456789") + self.digits(9))
        nsn = str(p.national_number)
        e164 = f"+86{nsn}"
        if local:
            style = r.randrange(3)
            s = [nsn, f"{nsn[:3]} {nsn[3:7]} {nsn[7:]}", f"{nsn[:3]}-{nsn[3:7]}-{nsn[7:]}"][style]
            return s, e164, "cn_local"
        return r.choice([f"+86 {nsn[:3]} {nsn[3:7]} {nsn[7:]}", f"+86{nsn}", f"0086 {nsn}"]), e164, None

    def foreign_phone(self):
        r = self.rng
        region, cc, make = r.choice([
            ("VN", 84, lambda: "0" + r.choice(["9", "3", "7", "8"]) + self.digits(8)),
            ("TH", 66, lambda: "0" + r.choice(["8", "9", "6"]) + self.digits(8)),
            ("MM", 95, lambda: "09" + self.digits(r.choice([7, 8, 9]))),
            ("LA", 856, lambda: "020" + self.digits(8)),
            ("MY", 60, lambda: "01" + r.choice("2346789") + self.digits(7)),
            ("ID", 62, lambda: "08" + r.choice("1258") + self.digits(r.choice([8, 9]))),
            ("PH", 63, lambda: "09" + r.choice(["05", "17", "27", "77", "98"]) + self.digits(7)),
            ("KR", 82, lambda: "010" + self.digits(8)),
        ])
        p = self.valid(region, make)
        nsn = str(p.national_number)
        e164 = f"+{cc}{nsn}"
        intl = phonenumbers.format_number(p, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        s = r.choice([intl, f"+{cc}{nsn}", intl.replace(" ", "-", 1)])
        if region == "TH" and r.random() < 0.3:
            s = "".join(THAI_DIGITS[int(c)] if c.isdigit() else c for c in s)
        return s, e164, None

    # ---- other kinds --------------------------------------------------------
    def name(self, lo=5, hi=12):
        r = self.rng
        syl = ["ka", "li", "mo", "chen", "wang", "dao", "nong", "boss", "vip", "tian", "hr", "job",
               "asia", "kh", "ming", "hao", "sok", "dara", "jun", "lucky"]
        s = ""
        while len(s) < lo:
            s += r.choice(syl)
        s = s[:hi]
        if r.random() < 0.6:
            s += r.choice(["_", ""]) + str(r.randrange(1, 999))
        return s

    def domain(self):
        r = self.rng
        return self.name(4, 10).replace("_", "-") + "-" + r.choice(["jobs", "work", "career", "asia", "hr"]) \
            + r.choice([".com", ".net", ".com.kh", ".asia", ".xyz", ".top", ".vip", ".cc", ".org"])

    def item(self):
        """One identifier: (surface, [(kind, value, tag)])."""
        r = self.rng
        k = r.choices(
            ["kh", "cn_local", "cn", "foreign", "email", "url", "bare", "telegram", "tme", "wechat",
             "line", "whatsapp", "wame", "facebook", "tiktok", "instagram", "zalo", "tron", "btc",
             "bech32", "eth", "card", "iban", "coords", "dms", "maplink", "place"],
            weights=[18, 8, 3, 6, 5, 5, 3, 5, 3, 4, 2, 3, 2, 2, 1, 1, 1, 4, 1, 1, 2, 2, 1, 1, 1, 1, 6])[0]
        if k == "kh":
            s, e, t = self.kh_phone()
            return s, [("phone", e, t)]
        if k == "cn_local":
            s, e, t = self.cn_phone(True)
            return s, [("phone", e, t)]
        if k == "cn":
            s, e, t = self.cn_phone(False)
            return s, [("phone", e, t)]
        if k == "foreign":
            s, e, t = self.foreign_phone()
            return s, [("phone", e, t)]
        if k == "email":
            user, dom = self.name(), self.domain()
            reg = dom
            if r.random() < 0.3:
                s = f"{user} [at] {dom.replace('.', ' [dot] ')}"
            elif r.random() < 0.5:
                s = f"{user}@{dom}"
            else:
                s = f"{user}@{r.choice(['gmail.com', 'yahoo.com', 'qq.com', 'outlook.com'])}"
                dom = s.split("@")[1]
                reg = dom
            return s, [("email", s if "@" in s else f"{user}@{dom}", None), ("domain", reg, None)]
        if k in ("url", "bare"):
            dom = self.domain()
            host = ("www." if r.random() < 0.3 else "") + dom
            if k == "bare":
                return dom, [("domain", dom, None)]
            path = r.choice(["", "/apply", "/jobs/123", "/register?ref=" + self.name(), "/index.html"])
            scheme = r.choice(["https://", "http://", "hxxps://", ""]) if host.startswith("www.") else r.choice(["https://", "http://", "hxxps://"])
            shown = host.replace(".", "[.]", 1) if scheme == "hxxps://" else host
            s = f"{scheme}{shown}{path}"
            norm_scheme = {"": "http://", "hxxps://": "https://"}.get(scheme, scheme)
            return s, [("url", f"{norm_scheme}{host}{path}", None), ("domain", dom, None)]
        if k == "telegram":
            n = self.name(5, 14)
            return "@" + n, [("telegram", n.lower(), None)]
        if k == "tme":
            n = self.name(5, 14)
            s = r.choice(["t.me/", "https://t.me/", "telegram.me/"]) + n
            url = s if s.startswith("https") else "http://" + s
            return s, [("url", url, None), ("domain", s.split("//")[-1].split("/")[0], None), ("telegram", n.lower(), None)]
        if k == "wechat":
            n = self.name(6, 12)
            if not n[0].isalpha():
                n = "wx" + n
            return r.choice(["WeChat: ", "微信：", "vx ", "微信号 ", "wechat id: "]) + n, [("wechat", n.lower(), None)]
        if k == "line":
            n = self.name(5, 12)
            return r.choice(["Line ID: ", "LINE: ", "ไลน์: "]) + n, [("line", n.lower(), None)]
        if k == "whatsapp":
            s, e, _ = self.foreign_phone() if r.random() < 0.5 else self.kh_phone()
            return "WhatsApp: " + s, [("whatsapp", e, None), ("phone", e, None)]
        if k == "wame":
            _, e, _ = self.kh_phone()
            s = "wa.me/" + e[1:]
            return s, [("url", "http://" + s, None), ("domain", "wa.me", None), ("whatsapp", e, None)]
        if k == "facebook":
            n = self.name(6, 14).replace("_", ".")
            s = r.choice(["https://www.facebook.com/", "facebook.com/", "fb.com/"]) + n
            url = s if s.startswith("https") else "http://" + s
            dom = "fb.com" if "fb.com" in s else "facebook.com"
            return s, [("url", url, None), ("domain", dom, None), ("facebook", n.lower(), None)]
        if k == "tiktok":
            n = self.name(5, 12).replace("_", ".")
            s = "https://www.tiktok.com/@" + n
            return s, [("url", s, None), ("domain", "tiktok.com", None), ("tiktok", n.lower(), None)]
        if k == "instagram":
            n = self.name(5, 12)
            s = "instagram.com/" + n
            return s, [("url", "http://" + s, None), ("domain", "instagram.com", None), ("instagram", n.lower(), None)]
        if k == "zalo":
            p = self.valid("VN", lambda: "09" + self.digits(8))
            nsn = str(p.national_number)
            return f"Zalo 0{nsn[:3]} {nsn[3:6]} {nsn[6:]}", [("zalo", f"+84{nsn}", None), ("phone", f"+84{nsn}", None)]
        if k == "tron":
            a = b58check(b"\x41" + r.randbytes(20))
            return a, [("crypto_wallet", a, None)]
        if k == "btc":
            a = b58check(r.choice([b"\x00", b"\x05"]) + r.randbytes(20))
            return a, [("crypto_wallet", a, None)]
        if k == "bech32":
            a = bech32_p2wpkh(r.randbytes(20))
            return a, [("crypto_wallet", a, None)]
        if k == "eth":
            acc = r.choice(self.eth)
            return acc["checksumAddress"], [("crypto_wallet", acc["address"].lower(), None)]
        if k == "card":
            num = luhn_complete(r.choice(["4", "51", "55", "62"]), 16, r)
            s = " ".join(num[i:i + 4] for i in range(0, 16, 4)) if r.random() < 0.6 else "card " + num
            return s, [("bank_card", num, None)]
        if k == "iban":
            v = iban("GB", "WEST" + self.digits(14)) if r.random() < 0.5 else iban("DE", self.digits(18))
            s = " ".join(v[i:i + 4] for i in range(0, len(v), 4)) if r.random() < 0.5 else v
            return s, [("iban", v, None)]
        if k in ("coords", "dms", "maplink"):
            lat = round(r.uniform(10.4, 14.5), 6)
            lon = round(r.uniform(102.4, 107.5), 6)
            if k == "coords":
                return f"{lat:.6f}, {lon:.6f}", [("coordinates", f"{lat:.6f},{lon:.6f}", None)]
            if k == "maplink":
                s = f"https://www.google.com/maps/@{lat:.6f},{lon:.6f},17z"
                return s, [("url", s, None), ("domain", "google.com", None), ("coordinates", f"{lat:.6f},{lon:.6f}", None)]
            def dms(v):
                d = int(v)
                m = int((v - d) * 60)
                sec = round(((v - d) * 60 - m) * 60, 1)
                return d, m, sec
            (a, b, c), (d, e, f) = dms(lat), dms(lon)
            vlat = a + b / 60 + c / 3600
            vlon = d + e / 60 + f / 3600
            return f"{a}°{b}'{c}\"N {d}°{e}'{f}\"E", [("coordinates", f"{vlat:.6f},{vlon:.6f}", None)]
        if k == "place":
            s, code = r.choice([
                ("Sihanoukville", "18"), ("Poipet", "0110"), ("Bavet", "2008"), ("O'Smach", "220405"),
                ("Phnom Penh", "12"), ("西港", "18"), ("ព្រះសីហនុ", "18"), ("Kampot", "07"),
                ("Koh Kong", "09"), ("Siem Reap", "17"), ("បាត់ដំបង", "02"), ("金边", "12"),
                ("Svay Rieng", "20"), ("Kampong Som", "18"), ("波贝", "0110"), ("ភ្នំពេញ", "12"),
            ])
            return s, [("place", code, None)]
        raise ValueError(k)

    def trap(self):
        r = self.rng
        return r.choice([
            lambda: f"on {r.randint(1, 28):02d}/{r.randint(1, 12):02d}/2025",
            lambda: f"since 2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
            lambda: f"salary ${r.randint(1, 9)},{r.randint(0, 9)}00",
            lambda: f"paid {r.randint(1, 9)},{r.randint(0, 9)}00 USDT",
            lambda: f"ages {r.randint(16, 20)}-{r.randint(30, 40)}",
            lambda: f"room {r.randint(100, 999)}",
            lambda: f"invoice 855{self.digits(8)}",
            lambda: f"订单号：1{r.choice('3456789')}{self.digits(9)}",
            lambda: f"Order No. 1{r.choice('3456789')}{self.digits(9)}",
            lambda: f"IMEI {luhn_complete('35', 15, r)}",
            lambda: "at " + f"{r.randint(0, 23)}:{r.randint(0, 59):02d}",
            lambda: "wallet " + broken(b58check(b"\x41" + r.randbytes(20))),
            lambda: "ticket #" + self.digits(10),
            lambda: f"{r.randint(2, 12)} people, {r.randint(1000, 5000)} USD each",
        ])()


FILLER = {
    "en": ["I was promised a job with a high salary.", "They took my passport when I arrived.",
           "We work sixteen hours a day and cannot leave.", "My friend is still inside the compound.",
           "Please help us, the guards beat people who refuse.", "The recruiter said it was customer service.",
           "There are many people from other countries here."],
    "km": ["ខ្ញុំត្រូវបានគេសន្យាការងារប្រាក់ខែខ្ពស់។", "ពួកគេយកលិខិតឆ្លងដែនរបស់ខ្ញុំ។", "សូមជួយយើងផង។",
           "មិត្តរបស់ខ្ញុំនៅតែជាប់នៅខាងក្នុង។"],
    "zh": ["他们说是客服工作，工资很高。", "到了以后护照被收走了。", "每天工作十六个小时，不能离开。", "请帮帮我们。",
           "老板很凶，不听话就打人。"],
    "vi": ["Họ hứa công việc lương cao.", "Hộ chiếu của tôi bị giữ.", "Xin hãy giúp chúng tôi.",
           "Chúng tôi làm việc cả ngày không được ra ngoài."],
    "th": ["เขาสัญญาว่าจะได้งานเงินเดือนสูง", "หนังสือเดินทางของฉันถูกยึด", "ช่วยพวกเราด้วย"],
}
INTRO = {
    "en": ["Call ", "recruiter: ", "contact ", "boss is ", "number ", ""],
    "km": ["លេខទូរស័ព្ទ ", "ទាក់ទង ", ""],
    "zh": ["电话", "联系", "老板", "中介："],
    "vi": ["SĐT ", "liên hệ ", ""],
    "th": ["เบอร์ ", "ติดต่อ ", ""],
}


def tip(gen, rng, target=345):
    lang = rng.choices(list(FILLER), weights=[4, 2, 3, 1, 1])[0]
    parts, truth = [], []
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
        s, t = gen.item()
        parts.append(rng.choice(INTRO[lang]) + s)
        truth += t
    for _ in range(rng.choice([0, 1, 1, 2])):
        parts.append(gen.trap())
    fill = FILLER[lang]
    while sum(len(p.encode()) + 1 for p in parts) < target:
        parts.append(rng.choice(fill))
    rng.shuffle(parts)
    sep = "" if lang in ("zh",) and rng.random() < 0.5 else " "
    # Identifiers never touch each other: a space or punctuation between parts.
    text = ""
    for p in parts:
        text += (" " if text and (sep == " " or not text[-1] in "。，") else "") + p
    return text, [{"kind": k, "value": v, **({"tag": t} if t else {})} for k, v, t in truth]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--eth", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    gen = Gen(rng, json.load(open(a.eth)))
    for i in range(a.n):
        text, truth = tip(gen, rng)
        print(json.dumps({"id": i + 1, "text": text, "truth": truth}, ensure_ascii=False))


if __name__ == "__main__":
    main()
