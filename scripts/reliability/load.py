#!/usr/bin/env python3
"""Report load for Vigil's reliability checks (standard library only).

  load.py run ADDR_FILE LOG STOP_FILE [--workers N] [--prefix P] [--pace S]
      Posts tips to the server whose `host:port` is in ADDR_FILE (re-read on
      every attempt, so the server may move), each with its own client_ref.
      A tip not acknowledged (refused connection, 503, timeout) is posted again
      with the same client_ref until it is: a retry never stores twice. Every
      answer is one JSON line in LOG: ref, t0, t1 (unix seconds), status,
      receipt, replayed. Stops taking new tips when STOP_FILE exists; finishes
      the tips it holds, then exits.

  load.py check ADDR LOG [--fault-on T --fault-off T]
      Posts every acknowledged client_ref again: each must answer 201,
      replayed, with the receipt first given (the acknowledged tip is stored).
      Prints one JSON object: refs, acknowledged, distinct receipts, answers
      by status, acks inside the fault window (request sent after the fault
      began plus a second, answered before it ended) and the recovery time
      (fault end to the first acknowledgement of a request sent after it).
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time


def post(addr, ref, timeout=10.0):
    host, port = addr.rsplit(":", 1)
    body = json.dumps({
        "text": f"reliability tip {ref}: held in a compound, building C, phone 012 345 678",
        "client_ref": ref,
    })
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("POST", "/api/v1/tips", body=body,
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        out = {"status": r.status}
        if r.status == 503:
            out["retry_after"] = r.getheader("Retry-After")
        if r.status == 201:
            j = json.loads(data)
            out["receipt"] = j.get("receipt")
            out["replayed"] = j.get("replayed")
        return out
    except (OSError, http.client.HTTPException) as e:
        return {"status": 0, "error": type(e).__name__}
    finally:
        conn.close()


def read_addr(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def run(args):
    lock = threading.Lock()
    log = open(args.log, "a", buffering=1)
    counter = [0]

    def next_ref():
        with lock:
            counter[0] += 1
            return f"{args.prefix}-{counter[0]}"

    def worker():
        while not os.path.exists(args.stop):
            ref = next_ref()
            while True:
                addr = read_addr(args.addr_file)
                t0 = time.time()
                out = post(addr, ref) if addr else {"status": 0, "error": "no-server"}
                out.update({"ref": ref, "t0": t0, "t1": time.time()})
                with lock:
                    log.write(json.dumps(out) + "\n")
                if out["status"] == 201:
                    time.sleep(args.pace)
                    break
                if out["status"] not in (0, 503):
                    print(f"unexpected answer {out}", file=sys.stderr)
                time.sleep(0.05)

    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def check(args):
    lines = [json.loads(l) for l in open(args.log) if l.strip()]
    first_receipt = {}
    statuses = {}
    for l in lines:
        statuses[str(l["status"])] = statuses.get(str(l["status"]), 0) + 1
        if l["status"] == 201 and l["ref"] not in first_receipt:
            first_receipt[l["ref"]] = l["receipt"]
    refs = {l["ref"] for l in lines}
    # Every ref sent was in the end acknowledged (the load finishes what it holds).
    unacked = sorted(refs - set(first_receipt))
    # Receipts given twice for different refs, or a ref answered with two receipts.
    receipts = {}
    changed = []
    for l in lines:
        if l["status"] == 201:
            if l["receipt"] != first_receipt[l["ref"]]:
                changed.append(l["ref"])
            receipts.setdefault(l["receipt"], set()).add(l["ref"])
    shared = [r for r, s in receipts.items() if len(s) > 1]
    lost = []
    for ref, receipt in first_receipt.items():
        out = post(args.addr, ref)
        if out["status"] != 201 or not out.get("replayed") or out.get("receipt") != receipt:
            lost.append({"ref": ref, "answer": out})
    report = {
        "refs": len(refs),
        "acknowledged": len(first_receipt),
        "never_acknowledged": len(unacked),
        "distinct_receipts": len(receipts),
        "answers": statuses,
        "lost_on_replay": len(lost),
        "receipt_changed": len(changed),
        "receipt_shared": len(shared),
        "replayed_in_run": sum(1 for l in lines if l["status"] == 201 and l.get("replayed")),
        "503_without_retry_after": sum(1 for l in lines if l["status"] == 503 and not l.get("retry_after")),
    }
    if lost:
        report["lost_examples"] = lost[:5]
    if args.fault_on is not None and args.fault_off is not None:
        window = [l for l in lines
                  if l["status"] == 201 and l["t0"] > args.fault_on + 1.0 and l["t1"] < args.fault_off]
        sent = [l for l in lines if args.fault_on + 1.0 < l["t0"] < args.fault_off]
        after = sorted(l["t1"] for l in lines if l["status"] == 201 and l["t0"] >= args.fault_off)
        report["fault_seconds"] = round(args.fault_off - args.fault_on, 2)
        report["posts_during_fault"] = len(sent)
        report["acked_during_fault"] = len(window)
        report["503_during_fault"] = sum(1 for l in sent if l["status"] == 503)
        report["recovery_seconds"] = round(after[0] - args.fault_off, 3) if after else None
    print(json.dumps(report))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("addr_file")
    r.add_argument("log")
    r.add_argument("stop")
    r.add_argument("--workers", type=int, default=8)
    r.add_argument("--prefix", default="rel")
    r.add_argument("--pace", type=float, default=0.0, help="seconds each worker waits after an acknowledgement")
    c = sub.add_parser("check")
    c.add_argument("addr")
    c.add_argument("log")
    c.add_argument("--fault-on", type=float)
    c.add_argument("--fault-off", type=float)
    a = p.parse_args()
    run(a) if a.cmd == "run" else check(a)


if __name__ == "__main__":
    main()
