#!/usr/bin/env python3
"""Issue 14's reproductions replayed against a running `headroom serve` (standard library only).

    hostile.py BASE_URL ADMIN_KEY [--response-limit 1.0] [--health-limit 0.1]

Each reproduction that used to kill or hang the server is sent as a viewer would send it and must be answered 4xx or
503 within --response-limit seconds. Meanwhile a prober asks GET /healthz every 50 ms; its p99 must stay under
--health-limit seconds. Then: 1,000 requests with a wrong key (answered 401/429 and aggregated in the audit log, not
one row each), 200 connections dripping their headers (closed at the server's request-read deadline), and long plans
whose clients disconnect (their slots freed at once). Prints one line per case and a summary; exits 1 on a failure.
"""
import argparse
import http.client
import json
import socket
import statistics
import sys
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("base")
parser.add_argument("admin_key")
parser.add_argument("--response-limit", type=float, default=1.0)
parser.add_argument("--health-limit", type=float, default=0.1)
parser.add_argument("--read-timeout", type=float, default=30.0, help="the server's --request-read-timeout")
args = parser.parse_args()
url = urllib.parse.urlparse(args.base)
HOST, PORT = url.hostname, url.port

failures = []


def request(method, path, body=None, key=None, timeout=60):
    """One request on a fresh connection: (status, body text, seconds)."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    started = time.monotonic()
    try:
        connection.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        return response.status, text, time.monotonic() - started
    finally:
        connection.close()


# A viewer key, as the attacker has.
status, text, _ = request("POST", "/v1/keys", json.dumps({"name": "hostile-viewer", "role": "viewer"}), args.admin_key)
if status != 201 and status != 200:
    sys.exit(f"hostile.py: POST /v1/keys answered {status}: {text[:200]}")
viewer = json.loads(text)["secret"]

# The health prober.
health = []
health_errors = []
stop = threading.Event()


def probe():
    while not stop.is_set():
        try:
            status, _, seconds = request("GET", "/healthz", timeout=10)
            health.append(seconds if status == 200 else 10.0)
            if status != 200:
                health_errors.append(f"status {status}")
        except Exception as error:
            health.append(10.0)
            health_errors.append(str(error))
        stop.wait(0.05)


prober = threading.Thread(target=probe, daemon=True)
prober.start()


def workload(**patch):
    sections = {
        "traffic": {"peak_rps": 4, "requests": 300},
        "lengths": {"input": {"dist": "fixed", "value": 500}, "output": {"dist": "fixed", "value": 200}},
        "slo": {"ttft_ms": 2000, "tpot_ms": 100},
        "constraints": {"accelerators": ["h100-sxm"], "stacks": ["vllm"]},
    }
    for section, values in patch.items():
        sections.setdefault(section, {}).update(values)
    return {"model": "llama-3.1-8b", **sections}


def raw(text):
    """A body whose numbers JSON cannot spell in Python (1e308 stays 1e308, 1e-320 stays subnormal)."""
    return text


small_estimate = {"model": "llama-3.1-8b", "accelerator": "h100-sxm", "count": 1, "input_tokens": 100,
                  "output_tokens": 20}
cases = [
    ("train: params as a huge suffixed string", "/v1/train",
     json.dumps({"params": "99999999999999999999999T", "tokens": "1T", "accelerator": "h100-sxm", "count": 64})),
    ("train: tokens 1e40", "/v1/train",
     json.dumps({"params": "8B", "tokens": "1e40", "accelerator": "h100-sxm", "count": 64})),
    ("plan: peak_rps 1e12", "/v1/plan", json.dumps({"workload": workload(traffic={"peak_rps": 1e12})})),
    ("plan: peak_rps 1e308", "/v1/plan",
     json.dumps({"workload": workload(traffic={"peak_rps": "PEAK"})}).replace('"PEAK"', "1e308")),
    ("plan: peak_rps 1e-320", "/v1/plan",
     json.dumps({"workload": workload(traffic={"peak_rps": "PEAK"})}).replace('"PEAK"', "1e-320")),
    ("plan: min_replicas 1e9", "/v1/plan",
     json.dumps({"workload": workload(constraints={"min_replicas": 1000000000})})),
    ("plan: min_replicas 100000", "/v1/plan", json.dumps({"workload": workload(constraints={"min_replicas": 100000})})),
    ("plan: integration.bytes_per_token 1e300", "/v1/plan",
     json.dumps({"workload": workload(integration={"bytes_per_token": 1e300})})),
    ("plan: pricing override per_hour 1e308", "/v1/plan",
     json.dumps({"workload": workload(pricing={"overrides": [{"accelerator": "h100-sxm", "per_hour": "X"}]})})
     .replace('"X"', "1e308")),
    ("plan: traffic.requests 1e9", "/v1/plan", json.dumps({"workload": workload(traffic={"requests": 1000000000})})),
    ("plan: growth 5/month over 120 months", "/v1/plan",
     json.dumps({"workload": workload(traffic={"growth_per_month": 5, "horizon_months": 120})})),
    ("estimate: rate 1e-320 (first)", "/v1/estimate",
     json.dumps({**small_estimate, "rate": "R"}).replace('"R"', "1e-320")),
    ("estimate: rate 1e-320 (second)", "/v1/estimate",
     json.dumps({**small_estimate, "rate": "R"}).replace('"R"', "1e-320")),
    ("simulate: rate 1e-320", "/v1/simulate",
     json.dumps({**small_estimate, "rate": "R", "requests": 100}).replace('"R"', "1e-320")),
    # Found by schemathesis: thousands of one-GPU replicas stepping once per output token (8 million steps).
    ("estimate: 1966 B200 replicas, 8000/4000 tokens, concurrency 49181", "/v1/estimate",
     json.dumps({"model": "Qwen/Qwen3-32B", "accelerator": "b200", "count": 1966, "input_tokens": 8000,
                 "output_tokens": 4000, "concurrency": 49181})),
    ("simulate: 1966 B200 replicas, 8000/4000 tokens", "/v1/simulate",
     json.dumps({"model": "Qwen/Qwen3-32B", "accelerator": "b200", "count": 1966, "input_tokens": 8000,
                 "output_tokens": 4000, "rate": 100, "requests": 4000})),
]
nested = '{"workload": {"model": ' + "[" * 500 + "]" * 500 + "}}"
cases += [(f"plan: 500 nested [ (#{i + 1} of 20)", "/v1/plan", nested) for i in range(20)]

worst = 0.0
for name, path, body in cases:
    try:
        status, text, seconds = request("POST", path, body, viewer, timeout=30)
    except Exception as error:  # a dropped connection is a failure
        failures.append(f"{name}: {error}")
        print(f"  FAIL {name}: {error}")
        continue
    worst = max(worst, seconds)
    ok = (400 <= status < 500 or status == 503) and seconds <= args.response_limit
    if not ok:
        failures.append(f"{name}: {status} in {seconds:.3f} s")
    field = ""
    try:
        field = json.loads(text)["error"].get("field") or ""
    except Exception:
        pass
    print(f"  {'ok  ' if ok else 'FAIL'} {name}: {status} {field} in {seconds * 1000:.0f} ms")

# Wrong keys: answered 401 then 429, and aggregated in the audit log.
def newest_audit_sequence():
    events = json.loads(request("GET", "/v1/audit?limit=1", key=args.admin_key)[1])
    return events[0]["sequence"] if events else 0


sequence_before = newest_audit_sequence()
statuses = {}
started = time.monotonic()
for i in range(1000):
    status, _, _ = request("POST", "/v1/keys", json.dumps({"name": f"x{i}", "role": "admin"}), "hr_wrong_key_0000000000000000000000")
    statuses[status] = statuses.get(status, 0) + 1
wrong_seconds = time.monotonic() - started
added = newest_audit_sequence() - sequence_before
ok = set(statuses) <= {401, 429} and added < 50
if not ok:
    failures.append(f"1,000 wrong keys: statuses {statuses}, {added} audit rows")
print(f"  {'ok  ' if ok else 'FAIL'} 1,000 requests with a wrong key in {wrong_seconds:.1f} s: {statuses}, "
      f"{added} audit rows added")

# Slow clients: 200 connections dripping header bytes; all closed by the read deadline.
drippers = []
for _ in range(200):
    s = socket.create_connection((HOST, PORT), timeout=5)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    s.setblocking(False)
    drippers.append(s)
started = time.monotonic()
open_sockets = set(range(len(drippers)))
while open_sockets and time.monotonic() - started < args.read_timeout + 15:
    for i in list(open_sockets):
        try:
            if drippers[i].recv(4096) == b"":
                open_sockets.discard(i)
                continue
        except BlockingIOError:
            pass
        except OSError:
            open_sockets.discard(i)
            continue
        try:
            drippers[i].send(b"x")
        except OSError:
            open_sockets.discard(i)
    time.sleep(0.5)
drip_seconds = time.monotonic() - started
for s in drippers:
    s.close()
ok = not open_sockets
if not ok:
    failures.append(f"{len(open_sockets)} of 200 dripping connections still open after {drip_seconds:.0f} s")
print(f"  {'ok  ' if ok else 'FAIL'} 200 connections dripping their headers: all closed after {drip_seconds:.1f} s "
      f"(read deadline {args.read_timeout:g} s)")

# Disconnects: long plans whose clients leave; their computations stop and a small estimate is answered at once.
long_plan = json.dumps({"workload": {"model": "llama-3.1-8b", "traffic": {"peak_rps": 4}, "lengths": {"preset": "chat"},
                                     "slo": {"ttft_ms": 2000, "tpot_ms": 100}}, "requests": 100000})
leavers = []
for _ in range(4):
    s = socket.create_connection((HOST, PORT), timeout=5)
    body = long_plan.encode()
    s.sendall(f"POST /v1/plan HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {viewer}\r\nContent-Type: application/json"
              f"\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    leavers.append(s)
time.sleep(2)
for s in leavers:
    s.close()
time.sleep(0.5)
status, text, seconds = request("POST", "/v1/estimate", json.dumps({**small_estimate, "concurrency": 1, "analytic": True}),
                                viewer, timeout=120)
ok = status == 200 and seconds <= 5
if not ok:
    failures.append(f"estimate after 4 abandoned plans: {status} in {seconds:.1f} s")
print(f"  {'ok  ' if ok else 'FAIL'} 4 long plans abandoned by their clients: the next estimate answered {status} "
      f"in {seconds * 1000:.0f} ms (uncancelled, they would hold every slot for the 60 s deadline)")

stop.set()
prober.join()
ordered = sorted(health)
p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("inf")
ok = p99 < args.health_limit
if not ok:
    failures.append(f"/healthz p99 {p99 * 1000:.0f} ms; errors: {sorted(set(health_errors))[:5]}")
print(f"  {'ok  ' if ok else 'FAIL'} /healthz throughout: {len(health)} probes, median "
      f"{statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms")
print(f"hostile round: {len(cases)} reproductions, slowest answer {worst * 1000:.0f} ms; "
      f"{'no failures' if not failures else str(len(failures)) + ' failure(s)'}")
sys.exit(1 if failures else 0)
