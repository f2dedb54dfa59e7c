#!/usr/bin/env python3
"""Sends N parallel maximum-size bodies to a running `vigil serve` and
samples the server's peak RSS (VmHWM in /proc/PID/status).

Half the requests are multipart reports with the most photos at their
largest (`POST /en/report`), half JSON tips with the same photos in base64
(`POST /api/v1/tips`), each near the per-request limit. The photos are the
test JPEG padded to size after its end marker. The bodies are built once and
shared by every thread, so the client itself stays small.

    client.py --url http://127.0.0.1:PORT --pid PID --n 100 \
        --photo-bytes 10485760 --photos 5 --jpeg photo.jpg

Prints one JSON line: answers by status, the peak RSS before and after, and
the wall time.
"""
import argparse
import base64
import http.client
import json
import threading
import time
import urllib.parse


def vm(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])  # kB
    return 0


def photo(jpeg, size):
    with open(jpeg, "rb") as f:
        data = f.read()
    return data + b"\0" * max(0, size - len(data))


def multipart_body(photos, boundary):
    parts = []
    parts.append(
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n"
        "Peak memory probe: a report with the most photos at their largest.\r\n".encode()
    )
    for i, p in enumerate(photos):
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; "
            f"filename=\"p{i}.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".encode()
        )
        parts.append(p)
        parts.append(b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def json_body(photos):
    return json.dumps({
        "text": "Peak memory probe: a JSON tip with the most photos at their largest.",
        "photos": [{"content_type": "image/jpeg",
                    "data_base64": base64.b64encode(p).decode()} for p in photos],
    }).encode()


def send(url, path, ctype, body, out, i):
    u = urllib.parse.urlparse(url)
    try:
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
        c.putrequest("POST", path)
        c.putheader("Content-Type", ctype)
        c.putheader("Content-Length", str(len(body)))
        c.endheaders()
        view = memoryview(body)
        step = 256 * 1024
        try:
            for off in range(0, len(body), step):
                c.send(view[off:off + step])
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused early: the answer is still there to read
        r = c.getresponse()
        r.read()
        out[i] = r.status
        c.close()
    except Exception as e:  # noqa: BLE001 - every failure is counted
        out[i] = f"error: {type(e).__name__}"


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--url", required=True)
    a.add_argument("--pid", type=int, required=True)
    a.add_argument("--n", type=int, default=100)
    a.add_argument("--photos", type=int, default=5)
    a.add_argument("--photo-bytes", type=int, default=10 * 1024 * 1024)
    a.add_argument("--jpeg", required=True)
    args = a.parse_args()

    # Just under the photo limit, so the bodies are the largest accepted.
    photos = [photo(args.jpeg, args.photo_bytes - 1024) for _ in range(args.photos)]
    boundary = "vigil-bench-limits"
    mp = multipart_body(photos, boundary)
    js = json_body(photos)
    before = vm(args.pid, "VmHWM")
    out = [None] * args.n
    threads = []
    t0 = time.time()
    for i in range(args.n):
        if i % 2 == 0:
            t = threading.Thread(target=send, args=(args.url, "/en/report",
                                 f"multipart/form-data; boundary={boundary}", mp, out, i))
        else:
            t = threading.Thread(target=send, args=(args.url, "/api/v1/tips",
                                 "application/json", js, out, i))
        threads.append(t)
        t.start()
    for t in threads:
        t.join()
    wall = time.time() - t0
    statuses = {}
    for s in out:
        statuses[str(s)] = statuses.get(str(s), 0) + 1
    print(json.dumps({
        "requests": args.n,
        "multipart_body_bytes": len(mp),
        "json_body_bytes": len(js),
        "statuses": statuses,
        "peak_rss_kib_before": before,
        "peak_rss_kib_after": vm(args.pid, "VmHWM"),
        "wall_secs": round(wall, 1),
    }))


if __name__ == "__main__":
    main()
