"""Lede vs Datasette + SQLite FTS5 on the same articles, side by side, in one command.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/serve.py                         # real corpus (~22.9k articles)
    .venv/bin/python bench/serve.py --corpus synthetic-100000
    .venv/bin/python bench/serve.py --corpus both --duration 30

One run, per corpus:
 1. builds the feed with bench/corpus.py if bench/out/<corpus>.jsonl is missing;
 2. builds Lede's index with ``python -m index rebuild`` (timed);
 3. builds the Datasette side from the same feed with the sqlite-utils CLI
    (``insert … --nl --pk id --alter``: --alter because fields such as byline are
    absent from the first articles; ``enable-fts … title text --tokenize porter``), timed;
 4. serves Lede with the Procfile's web: line (gunicorn, web/gunicorn.conf.py; the
    bind address is narrowed from 0.0.0.0 to 127.0.0.1, nothing else changes) and
    Datasette with ``datasette serve`` on 127.0.0.1, each on a free port;
 5. sends the same seeded queries (bench/queries.py: 1–3 title words, as plain,
    phrase and outlet/section-filtered requests) to both: one at a time, then with
    8 concurrent clients for a fixed time, then a repeated-query (cache) pass:
    each query's repeats back to back per server, then again interleaved.
    Both servers run at once and take turns (request by request with 1 client,
    in alternating slices with 8), so a busy moment on a shared machine hits both;
 6. reads worker memory from /proc, stops every server (also on Ctrl-C or error),
    prints one table with ratios and the issue's targets, and writes it as JSON
    to bench/out/serve-<corpus>.json.

The concurrent phase draws further queries from the same seeded generator
instead of repeating the sequential ones, so a result cache cannot turn it into
a cache benchmark; the cache has its own row. Datasette runs with its default
settings (page size 100 rows, facet size 30, facet time limit 200 ms, SQL time
limit 1 s) unless --datasette-setting says otherwise; responses missing a facet
(Datasette drops one that overran its time limit) are counted in the table.
All traffic is to 127.0.0.1. --lede-root DIR builds and serves another checkout
(e.g. `git archive <commit> | tar -x -C DIR`) for before/after tables.

``--backend xapian`` measures Lede on its Xapian backend instead (README, "Scaling out"): the
build is ``rebuild --backend xapian --shards 3``, three ``xapian-tcpsrv`` serve the shards on
127.0.0.1 (each in its own session, stopped with the rest), and gunicorn runs with
``LEDE_BACKEND=xapian``; the record is bench/out/serve-<corpus>-xapian.json. The shard servers'
memory is not in the RSS row (it counts gunicorn's workers), and all of it shares the 2 cores.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (bench/ is scripts, not a package)
import queries as query_set  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
CORPORA = ("real", "synthetic-100000")

# The targets (issue 7, item 2). ratio = Lede / Datasette.
TARGETS = {
    "p50_ratio": 0.8,          # sequential p50 latency, at most 0.8× Datasette's
    "p95_ratio": 0.6,          # sequential p95 latency, at most 0.6× Datasette's
    "rps_ratio": 1.5,          # 8-client throughput, at least 1.5× Datasette's
    "cached_p50_ms": 2.0,      # a repeated query, p50 at most 2 ms
    "p95_ms_100k": 150.0,      # on 100k articles, Lede's p95 at most 150 ms
    "rss_per_index": 2.5,      # each worker's RSS at most 2.5× the index size on disk
}
SERVER_START_TIMEOUT_S = 120   # an index of 100k articles takes a while to open
PHASE_MAX_SECONDS = 600        # no phase runs longer than this, whatever its request count
WARMUP_REQUESTS = 12           # per server, from a separate seed, not measured
CACHE_QUERIES, CACHE_REPEATS = 20, 10
PHASES = ("sequential", "concurrent", "cached", "cached_interleaved")


class BenchError(RuntimeError):
    """A step of the benchmark failed; the message names the step and its log."""


# -- building ---------------------------------------------------------------------

def ensure_feed(corpus: str) -> Path:
    feed = OUT / f"{corpus}.jsonl"
    if not feed.exists():
        size = corpus.split("-", 1)[1] if corpus.startswith("synthetic-") else ""
        if corpus != "real" and not size.isdigit():
            raise BenchError(f"--corpus {corpus}: no {feed}; use real, synthetic-N or an existing feed's name")
        args = ["--synthetic", size] if size else []
        run_step("corpus", [sys.executable, str(ROOT / "bench" / "corpus.py"), *args], OUT / f"{corpus}-corpus.log")
    return feed


def run_step(name: str, argv: list[str], log_path: Path, timeout: float = 3600, cwd: Path = ROOT) -> float:
    """Run one build command to completion, output to ``log_path``; returns its wall time in seconds."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with open(log_path, "ab") as log:
        log.write(f"$ {' '.join(argv)}\n".encode())
        log.flush()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = proc.wait(timeout)
        except BaseException:
            _killpg(proc)
            raise
    if code != 0:
        raise BenchError(f"{name} failed with exit code {code}; see {log_path}")
    return time.perf_counter() - started


XAPIAN_SHARDS = 3


def build_lede(feed: Path, work: Path, lede_root: Path, backend: str = "whoosh") -> dict:
    index_dir = work / ("lede-index" if backend == "whoosh" else "lede-xapian")
    shutil.rmtree(index_dir, ignore_errors=True)
    shards = ("--backend", "xapian", "--shards", str(XAPIAN_SHARDS)) if backend == "xapian" else ()
    seconds = run_step("lede rebuild", [sys.executable, "-m", "index", "rebuild", "--source", str(feed),
                                        "--index-dir", str(index_dir), *shards], work / "lede-build.log",
                       cwd=lede_root)
    return {"index_dir": str(index_dir), "build_s": round(seconds, 2), "size_bytes": lede_index_size(index_dir)}


def lede_index_size(index_dir: Path) -> int:
    """Bytes of the live generation only (older generations kept for rollback are not served)."""
    shards = index_dir / "xapian" / "live"
    if shards.is_symlink():  # the Xapian backend's live shard generation
        return dir_size(shards.resolve())
    pointer = index_dir / "CURRENT"
    live = index_dir / pointer.read_text().strip() if pointer.exists() else index_dir
    return dir_size(live)


def build_datasette(feed: Path, work: Path) -> dict:
    db = work / "datasette" / "db.db"
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    log = work / "datasette-build.log"
    su = str(BIN / "sqlite-utils")
    seconds = run_step("sqlite-utils insert", [su, "insert", str(db), "articles", str(feed), "--nl", "--pk", "id",
                                               "--alter"], log)
    seconds += run_step("sqlite-utils enable-fts", [su, "enable-fts", str(db), "articles", "title", "text",
                                                    "--tokenize", "porter"], log)
    return {"db": str(db), "build_s": round(seconds, 2), "size_bytes": dir_size(db.parent)}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# -- serving ----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile_web_line(lede_root: Path) -> str:
    match = re.search(r"^web:\s*(.+)$", (lede_root / "Procfile").read_text(), re.M)
    if not match:
        raise BenchError("Procfile has no web: line")
    return match.group(1).replace("0.0.0.0:", "127.0.0.1:")


class Server:
    """A server process in its own process group, stopped with the whole group."""

    def __init__(self, name: str, argv: list[str], env: dict, url: str, health_path: str, log_path: Path,
                 cwd: Path = ROOT):
        self.name, self.url, self.log_path = name, url, log_path
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        try:
            self._wait(health_path)
        except BaseException:
            self.stop()
            raise

    def _wait(self, health_path: str) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"{self.name} exited with code {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + health_path, timeout=5) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise BenchError(f"{self.name} did not answer {health_path} within {SERVER_START_TIMEOUT_S} s; "
                         f"see {self.log_path}")

    def processes(self) -> list[dict]:
        """Every live process of this server's session, with its memory figures from /proc."""
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                stat = (status.parent / "stat").read_text()
                sid = int(stat.rsplit(")", 1)[1].split()[3])
                if sid != self.proc.pid:
                    continue
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
                cmd = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, ValueError, IndexError):
                continue  # the process ended while we looked
            kb = {k: int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM", "RssAnon", "RssFile") if k in fields}
            found.append({"pid": int(status.parent.name), "ppid": int(fields["PPid"]), "cmd": cmd.strip()[:160],
                          **{k.lower() + "_mb": round(v / 1024, 1) for k, v in kb.items()}})
        return found

    def stop(self) -> None:
        _killpg(self.proc)
        self._log.close()


def _killpg(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
    except ProcessLookupError:
        pass


def start_lede(index_dir: str, work: Path, gunicorn_args: str | None, workers: int | None,
               lede_root: Path, shards=None) -> Server:
    port = free_port()
    env = {**os.environ, "PORT": str(port), "LEDE_INDEX_DIR": index_dir,
           "PATH": str(BIN) + os.pathsep + os.environ.get("PATH", "")}
    if shards:
        env.update(LEDE_BACKEND="xapian", LEDE_XAPIAN_SHARDS=shards.env)
    env.pop("GUNICORN_CMD_ARGS", None)
    if gunicorn_args:
        env["GUNICORN_CMD_ARGS"] = gunicorn_args  # gunicorn: these override web/gunicorn.conf.py
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    return Server("lede (gunicorn)", ["sh", "-c", procfile_web_line(lede_root)], env, f"http://127.0.0.1:{port}",
                  "/healthz", work / "lede-server.log", cwd=lede_root)


def start_shards(index_dir: str):
    """One xapian-tcpsrv per shard of the live generation on 127.0.0.1 (bench/shard_servers.py)."""
    from shard_servers import NoShardServer, ShardServers

    paths = [Path(index_dir) / "xapian" / "live" / f"shard-{k:02d}" for k in range(XAPIAN_SHARDS)]
    try:
        return ShardServers(paths)
    except NoShardServer as exc:
        raise BenchError(str(exc)) from None


def start_datasette(db: str, work: Path, settings: list[tuple[str, str]]) -> Server:
    port = free_port()
    argv = [str(BIN / "datasette"), "serve", db, "-h", "127.0.0.1", "-p", str(port)]
    for name, value in settings:
        argv += ["--setting", name, value]
    return Server("datasette", argv, {**os.environ}, f"http://127.0.0.1:{port}", "/-/versions.json",
                  work / "datasette-server.log")


def workers_of(server: Server, kind: str) -> list[dict]:
    """The processes that answer requests: gunicorn's workers (children of the master), or datasette itself."""
    procs = server.processes()
    if kind == "lede":  # the session also holds the `sh -c` of the Procfile line, whose text names gunicorn
        gunicorns = {p["pid"] for p in procs if "gunicorn" in p["cmd"] and not p["cmd"].startswith("sh ")}
        return [p for p in procs if p["pid"] in gunicorns and p["ppid"] in gunicorns]
    return [p for p in procs if "datasette" in p["cmd"]]


# -- response checks --------------------------------------------------------------

class Checker:
    """Validates each body and remembers totals (for the sanity row) and Datasette's facet timeouts."""

    def __init__(self, kind: str):
        self.kind = kind
        self.totals: dict[str, int] = {}
        self.facet_timeouts = 0

    def __call__(self, body: bytes) -> str | None:
        try:
            data = json.loads(body)
        except ValueError:
            return "response is not JSON"
        if self.kind == "lede":
            if not {"hits", "total", "facets"} <= data.keys():
                return "Lede response lacks hits/total/facets"
            return None
        if "rows" not in data:
            return "Datasette response lacks rows"
        # Datasette 0.65 drops a facet that overran facet_time_limit_ms from facet_results
        if not {"outlet", "section"} <= set(data.get("facet_results") or {}):
            self.facet_timeouts += 1
        return None

    def total(self, body: bytes) -> int | None:
        data = json.loads(body)
        return data.get("total") if self.kind == "lede" else data.get("filtered_table_rows_count")


# -- one corpus -------------------------------------------------------------------

def measure(servers: dict, paths: dict, args) -> dict:
    """Every phase on both servers, interleaved so that both see the same machine load.

    1 client: request i goes to both servers in a row (who goes first alternates).
    N clients: ``args.slices`` turns each of duration/slices seconds, alternating servers,
    each turn continuing the request list where that server's previous turn stopped.
    """
    kinds = list(servers)
    checks = {k: Checker(k) for k in kinds}
    out = {k: {} for k in kinds}
    for k in kinds:
        load.run_sequential(servers[k].url, paths[k]["warmup"], max_seconds=PHASE_MAX_SECONDS)

    def one_client(phase: str, source: str | None = None, burst: int = 1) -> None:
        runs = load.run_interleaved([(servers[k].url, paths[k][source or phase], checks[k]) for k in kinds],
                                    max_seconds=PHASE_MAX_SECONDS, burst=burst)
        for k, (samples, elapsed) in zip(kinds, runs):
            out[k][phase] = load.summarize(samples, elapsed)
            if phase == "sequential":
                out[k]["sequential_by_kind"] = {
                    kind: load.summarize([s for s in samples if s.path in paths[k]["kind"][kind]], elapsed)
                    for kind in query_set.KINDS}

    one_client("sequential")
    conc = {k: ([], 0.0, 0) for k in kinds}  # samples, elapsed, requests sent so far
    for turn in range(args.slices):
        for k in (kinds if turn % 2 == 0 else kinds[::-1]):
            samples, elapsed, sent = conc[k]
            rest = paths[k]["concurrent"][sent:] + paths[k]["concurrent"][:sent]
            s, e = load.run_concurrent(servers[k].url, rest, clients=args.clients,
                                       duration=args.duration / args.slices, max_seconds=PHASE_MAX_SECONDS,
                                       check=checks[k])
            conc[k] = (samples + s, elapsed + e, sent + len(s))
    for k in kinds:
        samples, elapsed, sent = conc[k]
        out[k]["concurrent"] = {**load.summarize(samples, elapsed), "clients": args.clients,
                                "repeated_requests": max(0, sent - len(paths[k]["concurrent"]))}
        out[k]["workers"] = workers_of(servers[k], k)  # after the load: what a busy worker holds
    # a repeated query: each server gets the CACHE_REPEATS copies back to back (servers taking turns
    # per query), then once more with every request right after one to the other server
    one_client("cached", burst=CACHE_REPEATS)
    one_client("cached_interleaved", source="cached")
    for k in kinds:
        out[k]["facet_timeouts"] = checks[k].facet_timeouts
    return out


def request_paths(feed: Path, kind: str, args) -> dict:
    seq_groups = args.query_groups[: args.queries]
    conc_groups = args.query_groups[args.queries:]
    warm = query_set.make_queries(feed, WARMUP_REQUESTS, seed=args.seed + 1000)
    as_path = (lambda q: q.lede_path()) if kind == "lede" else (lambda q: q.datasette_path(size=args.datasette_size))
    sequential = [as_path(q) for g in seq_groups for q in g]
    plain = [as_path(g[0]) for g in seq_groups[:CACHE_QUERIES]]
    return {
        "warmup": [as_path(g[0]) for g in warm],
        "sequential": sequential,
        "kind": {k: {as_path(g[i]) for g in seq_groups} for i, k in enumerate(query_set.KINDS)},
        "concurrent": [as_path(q) for g in conc_groups for q in g],
        # each query sent CACHE_REPEATS times in a row, all after the sequential pass already sent it once
        "cached": [p for p in plain for _ in range(CACHE_REPEATS)],
    }


def run_corpus(corpus: str, args) -> dict:
    work = (args.work or OUT / corpus).resolve()  # the builds run in --lede-root
    work.mkdir(parents=True, exist_ok=True)
    feed = ensure_feed(corpus)
    args.query_groups = query_set.make_queries(feed, args.queries + args.concurrent_queries, seed=args.seed)
    record_path = record_of(corpus, args)
    previous = json.loads(record_path.read_text()) if record_path.exists() else {}
    result = {"corpus": corpus, "articles": sum(1 for _ in open(feed, "rb")), "command": " ".join(sys.argv),
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpus": os.cpu_count(),
              "load_avg_before": os.getloadavg(), "gunicorn_args": args.gunicorn_args,
              "web_concurrency": args.workers, "lede_root": str(args.lede_root),
              "datasette_settings": args.datasette_setting, "datasette_size": args.datasette_size,
              "clients": args.clients, "duration_s": args.duration, "slices": args.slices,
              "backend": args.backend}
    sides = {}
    builds = reused_builds(corpus, record_path, previous) if args.reuse else {}
    for kind in ("lede", "datasette"):
        if kind in builds:
            build = builds[kind]
            print(f"[{corpus}] {kind}: reusing the build in {build['index_dir'] if kind == 'lede' else build['db']} "
                  f"({build['build_s']} s)", flush=True)
        else:
            print(f"[{corpus}] {kind}: building …", flush=True)
            build = (build_lede(feed, work, args.lede_root, args.backend) if kind == "lede"
                     else build_datasette(feed, work))
            print(f"[{corpus}] {kind}: built in {build['build_s']} s, {build['size_bytes'] / 1e6:.1f} MB",
                  flush=True)
        sides[kind] = {"build": build}
    # recorded now, so that a later --reuse can skip the builds even if measuring fails
    record_path.write_text(json.dumps({**previous, **result, **sides}, indent=2))
    if args.build_only:
        return None
    servers, shards = {}, None
    try:
        print(f"[{corpus}] serving both and measuring …", flush=True)
        if args.backend == "xapian":
            shards = start_shards(sides["lede"]["build"]["index_dir"])
        servers["lede"] = start_lede(sides["lede"]["build"]["index_dir"], work, args.gunicorn_args, args.workers,
                                     args.lede_root, shards)
        servers["datasette"] = start_datasette(sides["datasette"]["build"]["db"], work, args.datasette_setting)
        measured = measure(servers, {k: request_paths(feed, k, args) for k in servers}, args)
    finally:
        for server in servers.values():
            server.stop()
        if shards is not None:
            shards.stop()
    for kind in sides:
        sides[kind].update(measured[kind])
    result.update(sides)
    result["load_avg_after"] = os.getloadavg()
    result["table"] = table_rows(result)
    record_path.write_text(json.dumps(result, indent=2))
    return result


def record_of(corpus: str, args) -> Path:
    """Where a run's record goes: --out, else bench/out/serve-<corpus>[-xapian].json."""
    return args.out or OUT / f"serve-{corpus}{'' if args.backend == 'whoosh' else '-' + args.backend}.json"


def reused_builds(corpus: str, record_path: Path, previous: dict) -> dict:
    """The builds --reuse measures: from ``--out``'s record, else the default record of ``corpus``.

    Never builds: a Lede build starts by deleting its index directory, so --reuse with a new
    --out must not fall back to building over an index someone meant to keep.
    """
    for path, record in ((record_path, previous), (OUT / f"serve-{corpus}.json", None)):
        if record is None:
            record = json.loads(path.read_text()) if path.exists() else {}
        builds = {kind: record[kind]["build"] for kind in ("lede", "datasette") if record.get(kind, {}).get("build")}
        if len(builds) == 2 and Path(builds["lede"]["index_dir"]).exists() and Path(builds["datasette"]["db"]).exists():
            return builds
    raise SystemExit(f"--reuse: no earlier build of {corpus} on disk (looked in {record_path} and "
                     f"{OUT / f'serve-{corpus}.json'}) — run once without --reuse, or with --build-only")


# -- the table --------------------------------------------------------------------

def table_rows(r: dict) -> list[dict]:
    lede, ds = r["lede"], r["datasette"]
    rows = []

    def row(name, a, b, target=None, met=None, unit=""):
        ratio = round(a / b, 2) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None
        rows.append({"metric": name, "lede": a, "datasette": b, "ratio": ratio, "unit": unit,
                     "target": target, "met": met})
        return ratio

    for phase, label in (("sequential", "1 client"), ("concurrent", f"{lede['concurrent']['clients']} clients")):
        for p in ("p50", "p95", "p99"):
            a, b = lede[phase][f"{p}_ms"], ds[phase][f"{p}_ms"]
            target = met = None
            if phase == "sequential" and p in ("p50", "p95"):
                limit = TARGETS[f"{p}_ratio"]
                target, met = f"<= {limit}x", (a is not None and b is not None and a <= limit * b)
            row(f"{p} latency, {label}", a, b, target, met, "ms")
        a, b = lede[phase]["rps"], ds[phase]["rps"]
        if phase == "concurrent":
            limit = TARGETS["rps_ratio"]
            row(f"throughput, {label}", a, b, f">= {limit}x", a is not None and b is not None and a >= limit * b,
                "req/s")
        else:
            row(f"throughput, {label}", a, b, unit="req/s")
    for kind in query_set.KINDS:
        row(f"p50 / p95, {kind} (1 client)",
            f"{lede['sequential_by_kind'][kind]['p50_ms']} / {lede['sequential_by_kind'][kind]['p95_ms']}",
            f"{ds['sequential_by_kind'][kind]['p50_ms']} / {ds['sequential_by_kind'][kind]['p95_ms']}", unit="ms")
    a, b = lede["cached"]["p50_ms"], ds["cached"]["p50_ms"]
    row("p50 latency, repeated query", a, b, f"<= {TARGETS['cached_p50_ms']} ms",
        a is not None and a <= TARGETS["cached_p50_ms"], "ms")
    if "cached_interleaved" in lede:  # records from before this phase existed lack it
        row("  same, each after the other server's", lede["cached_interleaved"]["p50_ms"],
            ds["cached_interleaved"]["p50_ms"], unit="ms")
    if r["articles"] >= 100_000:
        a, b = lede["sequential"]["p95_ms"], ds["sequential"]["p95_ms"]
        row("p95 latency, 1 client (100k target)", a, b, f"<= {TARGETS['p95_ms_100k']} ms",
            a is not None and a <= TARGETS["p95_ms_100k"], "ms")
    row("build time", lede["build"]["build_s"], ds["build"]["build_s"], unit="s")
    la, lb = lede["build"]["size_bytes"] / 1e6, ds["build"]["size_bytes"] / 1e6
    row("index size on disk", round(la, 1), round(lb, 1), unit="MB")
    wa = max((w.get("vmrss_mb", 0) for w in lede["workers"]), default=None)
    wb = max((w.get("vmrss_mb", 0) for w in ds["workers"]), default=None)
    limit = TARGETS["rss_per_index"]
    row(f"RSS per worker (max of {len(lede['workers'])} / {len(ds['workers'])})", wa, wb,
        f"<= {limit}x index ({limit * la:.0f} MB)", wa is not None and wa <= limit * la, "MB")
    row("errors + 5xx (all phases)",
        sum(lede[p]["errors"] for p in PHASES if p in lede),
        sum(ds[p]["errors"] for p in PHASES if p in ds))
    row("response size, mean", lede["sequential"]["mean_bytes"], ds["sequential"]["mean_bytes"], unit="bytes")
    rows.append({"metric": "datasette facet timeouts", "lede": "-", "datasette": ds["facet_timeouts"],
                 "ratio": None, "unit": "", "target": None, "met": None})
    return rows


def print_table(r: dict) -> None:
    print()
    print(f"== {r['corpus']}{' (Lede on ' + str(XAPIAN_SHARDS) + ' Xapian shards)' if r.get('backend') == 'xapian' else ''}: "
          f"{r['articles']} articles · {r['cpus']} CPUs · load avg before "
          f"{r['load_avg_before'][0]:.2f}, after {r['load_avg_after'][0]:.2f} · "
          f"gunicorn args: {r['gunicorn_args'] or '(Procfile defaults)'}")
    header = f"{'metric':<40} {'Lede':>14} {'Datasette':>14} {'Lede/DS':>8}  {'target':<24} result"
    print(header)
    print("-" * len(header))
    for row in r["table"]:
        unit = f" {row['unit']}" if row["unit"] else ""
        met = "" if row["met"] is None else ("met" if row["met"] else "MISSED")
        print(f"{row['metric'] + unit:<40} {fmt(row['lede']):>14} {fmt(row['datasette']):>14} "
              f"{fmt(row['ratio']):>8}  {row['target'] or '':<24} {met}")


def fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Benchmark Lede against Datasette + SQLite FTS5 on the same articles.")
    p.add_argument("--backend", choices=("whoosh", "xapian"), default="whoosh",
                   help="Lede's backend: its embedded Whoosh index (default) or 3 Xapian shards on 127.0.0.1")
    p.add_argument("--corpus", default="real",
                   help="real, synthetic-N (made with bench/corpus.py --synthetic N), both (= real and "
                        "synthetic-100000), or NAME for an existing bench/out/NAME.jsonl")
    p.add_argument("--queries", type=int, default=200, help="query groups for the sequential pass (x3 kinds)")
    p.add_argument("--concurrent-queries", type=int, default=1500,
                   help="further query groups (x3) for the concurrent pass, so it repeats nothing")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--duration", type=float, default=30.0, help="seconds of the concurrent phase, per server")
    p.add_argument("--slices", type=int, default=3,
                   help="turns the concurrent phase is cut into, alternating servers (evens out machine load)")
    p.add_argument("--gunicorn-args", default=None,
                   help="passed to Lede's gunicorn as GUNICORN_CMD_ARGS, e.g. '--workers 3 --threads 2'")
    p.add_argument("--workers", type=int, default=None, help="WEB_CONCURRENCY for Lede's gunicorn")
    p.add_argument("--datasette-setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="passed to datasette serve --setting (repeatable)")
    p.add_argument("--datasette-size", type=int, default=None,
                   help="_size for Datasette (default: its own default, 100 rows; Lede returns 10)")
    p.add_argument("--lede-root", type=Path, default=ROOT,
                   help="a Lede checkout to build and serve (default: this one); e.g. an export of an "
                        "older commit (`git archive HEAD | tar -x -C DIR`), for before/after tables")
    p.add_argument("--out", type=Path, default=None,
                   help="where to write the JSON record (default: bench/out/serve-<corpus>.json)")
    p.add_argument("--work", type=Path, default=None,
                   help="where the index, database and logs go (default: bench/out/<corpus>/)")
    p.add_argument("--build-only", action="store_true",
                   help="build both sides and record them, measure nothing (then measure with --reuse)")
    p.add_argument("--reuse", action="store_true",
                   help="measure the index and database of an earlier run for this corpus (from --out's "
                        "record, else the default one); never builds")
    return p.parse_args(argv)


def _interrupted(signum, frame):
    raise KeyboardInterrupt  # so the finally blocks stop every server on SIGTERM too


def main(argv=None) -> int:
    args = parse_args(argv)
    for tool in ("sqlite-utils", "datasette"):
        if not (BIN / tool).exists():
            print(f"error: {BIN / tool} not found — run `.venv/bin/pip install -e '.[bench]'`", file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, _interrupted)
    corpora = CORPORA if args.corpus == "both" else (args.corpus,)
    try:
        for corpus in corpora:
            result = run_corpus(corpus, args)
            if result is not None:
                print_table(result)
            print(f"(written to {record_of(corpus, args)})")
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
