"""A bounded HTTP load generator for loopback benchmarks (stdlib only).

    python bench/load.py http://127.0.0.1:8000 /api/search?q=iran /api/search?q=oil \\
        --clients 8 --duration 20          # 8 clients for 20 s, cycling through the paths
    python bench/load.py http://127.0.0.1:8000 --paths-file paths.txt --requests 500

Every request opens its own connection (gunicorn's sync workers close it after
each response anyway, so both servers of a comparison pay the same), reads the
whole body, and is recorded as one ``Sample``: latency, status, bytes, error.
Every loop is bounded twice, by a request count and by a wall-clock budget, and
each request has a socket timeout, so a hung server cannot hang the run.
Only loopback addresses are accepted: this tool is for measuring, not for
pointing at other people's servers.

The library entry points are ``run_sequential``, ``run_concurrent`` and
``summarize``; bench/serve.py uses them, and so can anyone else.
"""
from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Callable, Sequence

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
REQUEST_TIMEOUT_S = 30.0        # per request: a stuck request counts as an error, not a hang
DEFAULT_MAX_SECONDS = 600.0     # any run stops after this, whatever its request count


class NotLoopback(ValueError):
    """The base URL names a host other than 127.0.0.1 / localhost / ::1."""


@dataclass(frozen=True)
class Sample:
    path: str
    started: float       # seconds since the run began
    latency_ms: float
    status: int          # 0 when no response arrived
    nbytes: int
    error: str | None    # transport error, or what ``check`` said was wrong with the body


def loopback_target(base_url: str) -> tuple[str, int]:
    """(host, port) of ``base_url``; raises NotLoopback for any other host."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
        raise NotLoopback(f"base URL {base_url!r} must be http:// on 127.0.0.1, localhost or ::1")
    return parts.hostname, parts.port or 80


def fetch(host: str, port: int, path: str, t0: float,
          check: Callable[[bytes], str | None] | None = None) -> Sample:
    """One GET on a fresh connection, body read to the end."""
    started = time.perf_counter()
    status, nbytes, error = 0, 0, None
    conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_S)
    try:
        conn.request("GET", path, headers={"Connection": "close", "Accept": "application/json"})
        resp = conn.getresponse()
        body = resp.read()
        status, nbytes = resp.status, len(body)
        if status >= 400:
            error = f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
        elif check is not None:
            error = check(body)
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    ended = time.perf_counter()
    return Sample(path, started - t0, (ended - started) * 1000, status, nbytes, error)


def run_sequential(base_url: str, paths: Sequence[str], *, max_seconds: float = DEFAULT_MAX_SECONDS,
                   check: Callable[[bytes], str | None] | None = None) -> tuple[list[Sample], float]:
    """Each path once, one at a time, in order. Returns (samples, elapsed seconds)."""
    host, port = loopback_target(base_url)
    t0 = time.perf_counter()
    samples = []
    for path in paths:
        if time.perf_counter() - t0 > max_seconds:
            break
        samples.append(fetch(host, port, path, t0, check))
    return samples, time.perf_counter() - t0


def run_interleaved(targets: Sequence[tuple[str, Sequence[str], Callable[[bytes], str | None] | None]], *,
                    max_seconds: float = DEFAULT_MAX_SECONDS, burst: int = 1) -> list[tuple[list[Sample], float]]:
    """One client, taking turns: request i goes to every target (base_url, paths, check) in a row,
    first target rotating with i, so that a busy moment on a shared machine hits all of them alike.

    ``burst`` > 1 makes each turn that many requests in a row to one target (paths i..i+burst-1),
    so a target's requests follow each other back to back instead of each one following a
    request to another server. Each target's elapsed time is the sum of its own latencies
    (its 1-client throughput).
    """
    if len({len(paths) for _, paths, _ in targets}) > 1:
        raise ValueError("every target needs the same number of paths")
    if burst < 1:
        raise ValueError(f"burst must be at least 1, got {burst}")
    hosts = [loopback_target(url) for url, _, _ in targets]
    t0 = time.perf_counter()
    samples: list[list[Sample]] = [[] for _ in targets]
    for turn, i in enumerate(range(0, len(targets[0][1]), burst)):
        if time.perf_counter() - t0 > max_seconds:
            break
        for j in range(len(targets)):
            k = (turn + j) % len(targets)
            host, port = hosts[k]
            for path in targets[k][1][i:i + burst]:
                samples[k].append(fetch(host, port, path, t0, targets[k][2]))
    return [(s, sum(x.latency_ms for x in s) / 1000) for s in samples]


def run_concurrent(base_url: str, paths: Sequence[str], *, clients: int = 8, duration: float | None = 20.0,
                   requests: int | None = None, max_seconds: float = DEFAULT_MAX_SECONDS,
                   check: Callable[[bytes], str | None] | None = None) -> tuple[list[Sample], float]:
    """``clients`` threads cycling through ``paths`` (client i starts at offset i·len/clients)
    until ``duration`` seconds pass or ``requests`` in total have been sent, whichever first.

    Requests still in flight when the time is up are finished and recorded; the
    throughput denominator is the time until the last one ended.
    """
    if not paths:
        raise ValueError("paths must not be empty")
    if duration is None and requests is None:
        raise ValueError("give duration or requests (or both): the run must be bounded")
    host, port = loopback_target(base_url)
    budget = min(duration if duration is not None else max_seconds, max_seconds)
    limit = requests if requests is not None else sys.maxsize
    lock = threading.Lock()
    issued = 0
    samples: list[Sample] = []
    t0 = time.perf_counter()

    def client(i: int) -> None:
        nonlocal issued
        k = (i * len(paths)) // clients
        while True:
            with lock:
                if issued >= limit or time.perf_counter() - t0 >= budget:
                    return
                issued += 1
            sample = fetch(host, port, paths[k % len(paths)], t0, check)
            k += 1
            with lock:
                samples.append(sample)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(budget + REQUEST_TIMEOUT_S + 5)
    return sorted(samples, key=lambda s: s.started), time.perf_counter() - t0


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolated percentile (p in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    lo = int(rank)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (rank - lo)


def summarize(samples: Sequence[Sample], elapsed: float) -> dict:
    """Latency percentiles over successful requests, throughput, and error counts."""
    ok = [s.latency_ms for s in samples if s.error is None]
    errors = [s for s in samples if s.error is not None]
    return {
        "requests": len(samples),
        "ok": len(ok),
        "errors": len(errors),
        "http_5xx": sum(1 for s in samples if s.status >= 500),
        "first_errors": sorted({s.error for s in errors})[:5],
        "elapsed_s": round(elapsed, 3),
        "rps": round(len(ok) / elapsed, 2) if elapsed > 0 else None,
        "p50_ms": _round(percentile(ok, 50)),
        "p95_ms": _round(percentile(ok, 95)),
        "p99_ms": _round(percentile(ok, 99)),
        "max_ms": _round(max(ok) if ok else None),
        "mean_bytes": round(sum(s.nbytes for s in samples) / len(samples)) if samples else 0,
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("base_url", help="http://127.0.0.1:PORT (loopback only)")
    p.add_argument("paths", nargs="*", help="request paths, e.g. /api/search?q=oil")
    p.add_argument("--paths-file", type=argparse.FileType(), help="one request path per line")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients; 1 = sequential, in order")
    p.add_argument("--duration", type=float, default=None, help="seconds to run (concurrent mode)")
    p.add_argument("--requests", type=int, default=None, help="total requests to send")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = p.parse_args(argv)
    paths = list(args.paths) + ([ln.strip() for ln in args.paths_file if ln.strip()] if args.paths_file else [])
    if not paths:
        p.error("give at least one path (arguments or --paths-file)")
    try:
        if args.clients == 1 and args.duration is None:
            n = args.requests or len(paths)
            samples, elapsed = run_sequential(args.base_url, (paths * (n // len(paths) + 1))[:n])
        else:
            duration = args.duration if args.duration is not None or args.requests else 20.0
            samples, elapsed = run_concurrent(args.base_url, paths, clients=args.clients,
                                              duration=duration, requests=args.requests)
    except NotLoopback as exc:
        p.error(str(exc))
    summary = summarize(samples, elapsed)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key:>12}: {value}")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
