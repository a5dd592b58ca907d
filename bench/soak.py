"""Soak: Lede under load, rebuilds, kills and hostile input, on loopback only.

    python bench/soak.py            # the full run: 32 clients × 60 s, 20 kills, 2,000 fuzz inputs (~15–25 min)
    python bench/soak.py --quick    # a few-minute smoke of the same drills

Four drills, each bounded in count and time, against the real parts: the
``python -m index`` CLI in subprocesses and gunicorn started from the
Procfile (tests/conftest.py's ``Server``, 4 workers) on 127.0.0.1 only.

load      N clients query gunicorn for S seconds (after a short warm-up);
          every answer must be 2xx, and no connection may fail.
switch    a full rebuild, then a rollback, while 16 clients query; no request
          may fail, and every /healthz answer sent SETTLE_S after a switch
          must name the new generation (workers follow without a restart).
kills     the rebuild is SIGKILLed (its whole process group) at random moments
          of a measured rebuild and just after its progress says it is
          reading, committing or switching; after each kill the live index
          must answer exactly as before (or as the finished new one, if the
          kill came after the switch), the next rebuild must succeed, and no
          dead build may be left on disk.
fuzz      hypothesis-generated hostile requests (see the payload lists below)
          through gunicorn: no 5xx, no dropped connection, no unescaped markup.

At the end it prints one table: requests sent, failures, p50/p99, kills
survived, inputs tried; the exit status is 1 if anything failed.

The tests in tests/test_reliability_*.py run the same drills with CI-sized
budgets; this module is the one place the drills and their rules live.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402  (after the path is set, so `python bench/soak.py` works)
from search import request  # noqa: E402

SEEDS = ROOT / "seeds"

# -- rules (data) --------------------------------------------------------------------------
CI_ARTICLES = 150         # the tests' feed: a rebuild of it lasts a few seconds
SETTLE_S = 5.0            # every worker must answer from a new generation this long after the switch
WARMUP_S = 3.0            # load before the measured run: every worker opens the index first
SETTLED_ANSWERS = 40      # …judged by this many /healthz answers to requests sent after that
SETTLE_WAIT_S = 30.0      # (waiting at most this long for them)
CLI_TIMEOUT_S = 600       # no single rebuild may take longer than this
# When to kill: a fraction of a measured rebuild, or (phrase, delay s) after its progress shows the phrase.
PHASES = (("reading", 0.2), ("committing", 0.0), ("committing", 0.15), ("switching", 0.0), ("switching", 0.5))
KILL_MOMENTS_CI = (0.1, 0.5, 0.9) + PHASES
# The queries whose answers must not change when a rebuild dies: words, a phrase, OR, filters, sorts.
FIXED_QUERIES = (
    "q=embassy", "q=Iran&sort=newest", "q=Trump+blame&match=any", "q=%22tear+gas%22",
    "q=militia+OR+protesters", "q=embassy&outlet=BBC+News", "q=", "q=Baghdad&per_page=50&page=2",
)
# The load mix: every path here must answer 2xx.
LOAD_PATHS = (
    "/api/search?q=embassy", "/api/search?q=Iran&sort=newest", "/api/search?q=Trump+blame&match=any",
    "/api/search?q=%22tear+gas%22", "/api/search?q=militia&outlet=BBC+News&outlet=CNBC",
    "/api/search?q=Baghdad&per_page=50&page=2", "/api/search?q=protest*", "/healthz",
    "/?q=embassy", "/?q=Iran+militia&sort=oldest", "/api/articles/soak-00001", "/articles/soak-00002",
)


# -- the CLI -------------------------------------------------------------------------------
def index_cli(*args: str, timeout: float = CLI_TIMEOUT_S) -> subprocess.CompletedProcess:
    """``python -m index ARGS`` exactly as a user runs it, from the checkout."""
    return subprocess.run([sys.executable, "-m", "index", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


_HELP: dict[str, str] = {}


def cli_has(command: str, flag: str) -> bool:
    """Whether ``python -m index [COMMAND] --help`` mentions ``flag`` (features land during the round)."""
    if command not in _HELP:
        _HELP[command] = index_cli(*filter(None, [command]), "--help", timeout=60).stdout
    return flag in _HELP[command]


def rebuild_args(sources: list[Path], index_dir: Path, full: bool = False) -> list[str]:
    args = ["rebuild", "--index-dir", str(index_dir)]
    for source in sources:
        args += ["--source", str(source)]
    if full and cli_has("rebuild", "--full"):
        args.append("--full")
    if cli_has("rebuild", "--allow-removal"):  # the drills replace the serving index's sources on purpose
        args.append("--allow-removal")
    return args


def live_pointer(index_dir: Path, name: str = "CURRENT") -> str | None:
    """What CURRENT (or another pointer file) names right now; None when absent."""
    try:
        return (Path(index_dir) / name).read_text(encoding="utf-8", errors="replace").strip() or None
    except OSError:
        return None


@dataclass
class Watched:
    exit_status: int | None  # None when the watchdog killed it
    stdout: str
    stderr: str
    peak_rss: int            # bytes: the most the rebuild's process group held at once (sampled)
    seconds: float
    killed: str = ""         # why the watchdog killed it, if it did


def watched_rebuild(args: list[str], limit_s: float, limit_rss: int, out_dir: Path) -> Watched:
    """``python -m index ARGS`` in its own process group, killed if it outgrows ``limit_rss`` bytes
    (summed over the group, sampled every 0.2 s) or runs past ``limit_s`` seconds."""
    out, err = out_dir / "rebuild.stdout", out_dir / "rebuild.stderr"
    started, peak, killed = time.monotonic(), 0, ""
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "index", *args], cwd=ROOT, stdout=o, stderr=e,
                                start_new_session=True)
        while proc.poll() is None:
            peak = max(peak, group_rss(proc.pid))
            if peak > limit_rss or time.monotonic() - started > limit_s:
                killed = (f"over {limit_rss / 2**20:.0f} MiB" if peak > limit_rss
                          else f"still running after {limit_s:g} s")
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            time.sleep(0.2)
    return Watched(None if killed else proc.returncode, out.read_text(errors="replace"),
                   err.read_text(errors="replace"), peak, time.monotonic() - started, killed)


def group_rss(pgid: int) -> int:
    """Resident bytes of every process in process group ``pgid`` (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


# -- a corpus big enough for a rebuild to have moments -------------------------------------
def synthetic_feed(path: Path, count: int, seed: int = 0) -> Path:
    """A JSON Lines feed of ``count`` articles recombined from the seeds' real paragraphs (seeded).

    Each article has a unique word ``soakNNNNN`` in its body and id ``soak-NNNNN``, so a test can
    find any one of them; outlets, sections and dates come from the seeds' manifest.
    """
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    paragraphs, metas = [], []
    for name, meta in sorted(manifest.items()):
        if name.startswith("_"):
            continue
        text = (SEEDS / name).read_text(encoding="utf-8")
        paragraphs += [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if len(p.split()) > 5]
        metas.append(meta)
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            meta = metas[i % len(metas)]
            body = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(3, 8)))
            title_words = rng.choice(paragraphs).split()[:rng.randint(5, 10)]
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            out.write(json.dumps({
                "id": f"soak-{i:05d}", "url": f"https://example.org/soak/{i}",
                "outlet": meta["outlet"], "section": meta["section"],
                "title": " ".join(title_words), "published": f"{2019 + i % 2}-{month:02d}-{day:02d}",
                "byline": "Soak Desk", "text": "\n\n".join(body + [f"Reference soak{i:05d}."]),
            }, ensure_ascii=False) + "\n")
    return path


# -- what the live index answers -----------------------------------------------------------
def answers(index_dir: Path) -> dict:
    """The live index's answers to FIXED_QUERIES plus /healthz, from a fresh process (a new worker).

    ``took_ms`` is dropped: it is the only field allowed to differ between two identical answers.
    """
    script = ("import json,sys; from bench.soak import _answers_here; "
              "print(json.dumps(_answers_here(sys.argv[1])))")
    done = subprocess.run([sys.executable, "-c", script, str(index_dir)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"answering from {index_dir} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def _answers_here(index_dir: str) -> dict:
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": index_dir}).test_client()
    out = {}
    health = client.get("/healthz")
    out["/healthz"] = {"status": health.status_code, "documents": (health.get_json() or {}).get("documents")}
    for query in FIXED_QUERIES:
        response = client.get("/api/search?" + query)
        body = response.get_json(silent=True) or {}
        body.pop("took_ms", None)
        out[query] = {"status": response.status_code, "body": body}
    return out


def same_documents(a: dict, b: dict) -> bool:
    """Whether two answer sets come from indexes of the same documents (totals and facets agree)."""
    def key(ans):
        return {q: (v["status"], v["body"].get("total"), json.dumps(v["body"].get("facets"), sort_keys=True))
                for q, v in ans.items() if q != "/healthz"}
    return key(a) == key(b)


# -- drill: load ---------------------------------------------------------------------------
def load_drill(base_url: str, clients: int, seconds: float, paths=LOAD_PATHS) -> dict:
    """``clients`` threads for ``seconds`` after a WARMUP_S warm-up (each worker opens the index on its
    first request; that is measured in the warm-up's own errors, not in the percentiles).

    Returns bench/load.py's summary (requests, errors, p50/p99…) plus the paths that failed."""
    warm, _ = load.run_concurrent(base_url, list(paths), clients=clients, duration=WARMUP_S)
    samples, elapsed = load.run_concurrent(base_url, list(paths), clients=clients, duration=seconds)
    samples = warm + samples  # failures count from the first request; percentiles only after the warm-up
    summary = load.summarize(samples[len(warm):], elapsed)
    whole = load.summarize(samples, elapsed)
    summary.update({k: whole[k] for k in ("requests", "errors", "http_5xx", "first_errors")})
    return {**summary, "failed_paths": sorted({x.path for x in samples if x.error})}


# -- drill: rebuild and rollback under load ------------------------------------------------
@dataclass
class Switch:
    action: str            # "rebuild" or "rollback"
    generation: str        # what CURRENT named after it
    at: float              # perf_counter when CURRENT changed
    exit_status: int
    output: str
    late_stale: int = 0    # /healthz answers sent ≥ SETTLE_S after the switch naming another generation
    settled_answers: int = 0  # /healthz answers sent ≥ SETTLE_S after the switch, before the next one
    lag_s: float = 0.0     # the latest stale answer's send time after the switch


@dataclass
class SwitchReport:
    load: dict
    switches: list[Switch] = field(default_factory=list)


def switch_drill(base_url: str, index_dir: Path, sources: list[Path], clients: int = 16) -> SwitchReport:
    """A full rebuild, then a rollback, while ``clients`` threads query; see the module docstring."""
    host, port = load.loopback_target(base_url)
    seen: list[tuple[float, float, str | None]] = []   # (sent, answered, generation) of every /healthz answer
    lock = threading.Lock()
    stop = threading.Event()
    samples: list[load.Sample] = []
    in_flight: dict[int, float] = {}  # client → when its current request was sent
    t0 = time.perf_counter()

    def client(i: int) -> None:
        k = i
        while not stop.is_set():
            path = LOAD_PATHS[k % len(LOAD_PATHS)] if k % 2 else "/healthz"
            k += 1
            sent = in_flight[i] = time.perf_counter()
            gen = []
            sample = load.fetch(host, port, path, t0,
                                check=(lambda body: gen.append(json.loads(body).get("generation")))
                                if path == "/healthz" else None)
            with lock:
                in_flight.pop(i, None)
                samples.append(sample)
                if gen:
                    seen.append((sent, time.perf_counter(), gen[0]))

    def drain(until: float) -> None:
        """Wait until every request sent before ``until`` is answered, so none straddles the next switch."""
        deadline = time.monotonic() + load.REQUEST_TIMEOUT_S
        while any(v <= until for v in list(in_flight.values())) and time.monotonic() < deadline:
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    switches = []
    try:
        time.sleep(2)  # traffic first, so the switch lands on busy workers
        for action, args in (("rebuild", rebuild_args(sources, index_dir, full=True)),
                             ("rollback", ["rollback", "--index-dir", str(index_dir)])):
            switches.append(_switch(action, args, index_dir))
            settled = switches[-1].at + SETTLE_S
            time.sleep(max(0.0, settled - time.perf_counter()))
            deadline = time.perf_counter() + SETTLE_WAIT_S  # a slow machine: wait for enough answers to judge
            while (sum(1 for sent, _, _ in list(seen) if sent >= settled) < SETTLED_ANSWERS
                   and time.perf_counter() < deadline):
                time.sleep(0.1)
            drain(time.perf_counter())
    finally:
        stop.set()
        for t in threads:
            t.join(load.REQUEST_TIMEOUT_S + 5)
    for sw in switches:
        later = [s for s in switches if s.at > sw.at]
        end = later[0].at if later else float("inf")
        # Answers to requests sent after this switch and answered before the next one.
        between = [(sent, gen) for sent, answered, gen in seen if sent >= sw.at and answered < end]
        stale = [sent - sw.at for sent, gen in between if gen != sw.generation]
        sw.lag_s = max(stale, default=0.0)
        sw.late_stale = sum(1 for lag in stale if lag >= SETTLE_S)
        sw.settled_answers = sum(1 for sent, _ in between if sent >= sw.at + SETTLE_S)
    summary = load.summarize(samples, time.perf_counter() - t0)
    return SwitchReport({**summary, "failed_paths": sorted({s.path for s in samples if s.error})}, switches)


def _switch(action: str, args: list[str], index_dir: Path) -> Switch:
    """Run one CLI command that switches CURRENT, noting when the switch happened (polled every 2 ms)."""
    before = live_pointer(index_dir)
    proc = subprocess.Popen([sys.executable, "-m", "index", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    at = None
    deadline = time.monotonic() + CLI_TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        if at is None and live_pointer(index_dir) != before:
            at = time.perf_counter()
        time.sleep(0.002)
    if proc.poll() is None:
        proc.kill()
    output = proc.communicate()[0]
    if at is None:
        at = time.perf_counter()
    return Switch(action, live_pointer(index_dir) or "", at, proc.returncode, output)


# -- drill: kill -9 the rebuild ------------------------------------------------------------
@dataclass
class Kill:
    moment: object         # fraction of the measured rebuild time, or (phrase, delay s)
    after_s: float         # seconds after the start
    switched: bool         # CURRENT changed before the kill (the kill came after the switch)
    answers_kept: bool     # live answers exactly as before (or the finished new index's, if switched)
    next_rebuild_ok: bool
    detail: str = ""

    @property
    def survived(self) -> bool:
        return self.answers_kept and self.next_rebuild_ok


@dataclass
class KillReport:
    rebuild_s: float
    kills: list[Kill] = field(default_factory=list)
    final_rebuild_ok: bool = False
    detail: str = ""
    leftovers: list[str] = field(default_factory=list)

    @property
    def survived(self) -> int:
        return sum(k.survived for k in self.kills)


def kill_drill(work: Path, big: Path, small: Path, moments) -> KillReport:
    """Kill ``rebuild --full --source big`` at each moment (a fraction of its measured time).

    Between kills the index is rebuilt from ``small`` with a plain rebuild: that is "the next
    rebuild", and it resets the live index so every kill starts from the same state.
    """
    reference = work / "reference"
    started = time.perf_counter()
    done = index_cli(*rebuild_args([big], reference, full=True))
    rebuild_s = time.perf_counter() - started
    if done.returncode != 0:
        return KillReport(rebuild_s, detail=f"reference rebuild failed: {done.stderr[-2000:]}")
    big_answers = answers(reference)
    shutil.rmtree(reference, ignore_errors=True)

    index_dir = work / "index"
    report = KillReport(rebuild_s)
    first = index_cli(*rebuild_args([small], index_dir))
    if first.returncode != 0:
        return KillReport(rebuild_s, detail=f"first rebuild failed: {first.stderr[-2000:]}")
    before = answers(index_dir)
    for moment in moments:
        pointer = live_pointer(index_dir)
        after_s = _kill_rebuild(rebuild_args([big], index_dir, full=True), moment, rebuild_s)
        switched = live_pointer(index_dir) != pointer
        now = answers(index_dir)
        kept = same_documents(now, big_answers) if switched else now == before
        detail = "" if kept else _diff(big_answers if switched else before, now)
        again = index_cli(*rebuild_args([small], index_dir))
        before = answers(index_dir) if again.returncode == 0 else {}
        ok = again.returncode == 0 and before["/healthz"]["status"] == 200
        if not ok:
            detail += f" next rebuild: exit {again.returncode}: {again.stderr[-1500:]}"
        report.kills.append(Kill(moment, after_s, switched, kept, ok, detail.strip()))
        if not ok:
            break
    final = index_cli(*rebuild_args([big], index_dir, full=True))
    report.final_rebuild_ok = final.returncode == 0 and same_documents(answers(index_dir), big_answers)
    if not report.final_rebuild_ok:
        report.detail = f"final rebuild: exit {final.returncode}: {final.stderr[-1500:]}"
    report.leftovers = leftovers(index_dir)
    return report


def leftovers(index_dir: Path) -> list[str]:
    """Directories in ``index_dir`` that neither CURRENT nor PREVIOUS names: what dead builds left."""
    named = {live_pointer(index_dir), live_pointer(index_dir, "PREVIOUS")}
    return sorted(p.name for p in Path(index_dir).iterdir() if p.is_dir() and p.name not in named)


def _kill_rebuild(args: list[str], moment, rebuild_s: float) -> float:
    """Start a rebuild and SIGKILL its process group at ``moment``; returns seconds from start to kill.

    ``moment`` is a fraction of ``rebuild_s``, or (phrase, delay_s): that many seconds after the
    rebuild's progress output (stderr) shows a line containing the phrase, e.g. ("committing", 0).
    A rebuild that ends first is killed after its end, which must leave the new index live.
    """
    by_phase = not isinstance(moment, (int, float))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "index", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE if by_phase else subprocess.DEVNULL, text=True,
                            start_new_session=True)
    if by_phase:
        phrase, delay = moment
        for line in proc.stderr:
            if phrase in line:
                break
        time.sleep(delay)
    else:
        time.sleep(moment * rebuild_s)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    killed_at = time.perf_counter() - started
    proc.communicate()
    return killed_at


def describe(moment) -> str:
    return f"{moment:.2f}" if isinstance(moment, (int, float)) else f"'{moment[0]}'+{moment[1]:.2f}s"


def _diff(want: dict, got: dict) -> str:
    for key in want:
        if want[key] != got.get(key):
            return f"{key}: want {json.dumps(want[key])[:300]} got {json.dumps(got.get(key))[:300]}"
    return "answers differ"


# -- hostile requests ----------------------------------------------------------------------
SEARCH_PARAMS = request.PARAMETERS  # the tests take the list from /api/openapi.json (the same names)
MARKER = "ledeinj"  # every markup payload calls ledeinj(), so its escape is checked by name
MARKUP_PAYLOADS = (
    f"<script>{MARKER}()</script>", f"<img src=x onerror={MARKER}()>", f'"><{MARKER}-tag x=1>',
    f"'><svg onload={MARKER}()>", f"javascript:{MARKER}()", f"</title><script>{MARKER}()</script>",
    f"<a href=\"javascript:{MARKER}()\">x</a>", f"{{{{7*7}}}}<{MARKER}-tag>", f"<!--<{MARKER}-tag>-->",
)
NUMBER_PAYLOADS = (
    "0", "-1", "-99999999999999999999", "1" + "0" * 400, "1e9", "NaN", "inf", "-0", "0x10", "٣",
    "9" * 20, "1.5", " 2", "2 ", "+3", "1_000", "\u00b2",
)
DATE_PAYLOADS = ("0001-01-01", "9999-12-31", "2020-02-30", "2020-13-01", "20200101", "2020-W01-1",
                 "-2020-01-01", "2020-01-01T25:00", "9999-12-31T23:59:59.999999+14:00")
QUERY_PAYLOADS = (
    "*", "?", "a*", "*a", "\"", "\"unclosed", "(", ")", "((((", "title:", ":", "outlet:", "published:[",
    "published:[2020 TO", "published:[a TO b]", "field:value", "~", "a~9999", "a^", "a^1e400", "^",
    "NOT", "AND OR NOT", "\\", "'", "[TO]", "{a TO}", "a" * 500, "a " * 250, "x" * 501,
    "%", "%%", "\u0000", "\r\n", "\u202e", "\ufeff", "\U0001f4a3", "\u0301" * 50, "<", "&amp;", "&#0;",
)
PATH_TRICKS = (
    "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc/passwd",
    "..\\..\\windows\\win.ini", "%00", "soak-00001%00", "soak-00001/../../etc/passwd", "/etc/passwd",
    "%2Fetc%2Fpasswd", "..", ".", "~root", "soak-00001%2F..%2F..", "%252e%252e%252f", "CON", "a%0d%0aX:1",
    "..%c0%af..%c0%afetc", "\u2025/\u2025/etc",
)
LONE_SURROGATES = (b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xed\xa0\xbd\xed\xb2\xa9")  # CESU-8 style
BAD_BYTES = (b"\xff", b"\xc0\xaf", b"\xe2\x82", b"\x80", b"\xf4\x90\x80\x80", b"\x00", b"\x1b[31m")


def encode(value: str | bytes) -> str:
    """Percent-encode every byte of ``value`` that is not unreserved (str via UTF-8, surrogates kept)."""
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogatepass")
    return urllib.parse.quote_from_bytes(value, safe="")


def hostile_strategies(param_names=SEARCH_PARAMS):
    """hypothesis strategies: ``values`` (hostile parameter values, as bytes) and ``requests`` (paths to GET)."""
    from hypothesis import strategies as st

    text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
    raw = st.binary(max_size=24)
    fixed = st.sampled_from(MARKUP_PAYLOADS + NUMBER_PAYLOADS + DATE_PAYLOADS + QUERY_PAYLOADS + PATH_TRICKS)
    control = st.text(st.characters(min_codepoint=0, max_codepoint=0x1f), min_size=1, max_size=5)
    surrogate = st.sampled_from(LONE_SURROGATES + BAD_BYTES)
    atom = st.one_of(text, raw, fixed, control, surrogate, st.integers().map(str))
    values = st.lists(atom, min_size=1, max_size=3).map(
        lambda parts: b"".join(p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass") for p in parts))
    names = st.one_of(st.sampled_from(tuple(param_names)), st.sampled_from(tuple(param_names)), text)
    params = st.lists(st.tuples(names, values), max_size=8)
    query = params.map(lambda ps: "&".join(f"{encode(n)}={encode(v)}" for n, v in ps))
    search = st.tuples(st.sampled_from(("/api/search", "/")), query).map(lambda t: f"{t[0]}?{t[1]}")
    article = st.tuples(st.sampled_from(("/api/articles/", "/articles/")), values).map(
        lambda t: t[0] + encode(t[1]))
    return values, st.one_of(search, search, article)


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if MARKER in tag:
            self.bad.append(f"injected element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"event-handler attribute {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"javascript: URL in {name} of <{tag}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and MARKER in data:
            self.bad.append(f"injected script {data[:80]!r}")


def markup_problems(html: str) -> list[str]:
    """Markup in ``html`` that could only have come from unescaped input (empty when clean)."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.bad


def response_problems(path: str, status: int, content_type: str, body: bytes) -> list[str]:
    """What is wrong with one answer to a hostile request: 5xx, broken JSON, unescaped markup."""
    problems = []
    if status >= 500:
        problems.append(f"HTTP {status}: {body[:300].decode('utf-8', 'replace')}")
    if content_type.startswith("application/json"):
        try:
            json.loads(body)
        except ValueError as exc:
            problems.append(f"invalid JSON body: {exc}")
    elif content_type.startswith("text/html"):
        problems += markup_problems(body.decode("utf-8", "replace"))
    return [f"GET {path}: {p}" for p in problems]


# Requests no HTTP client library would send: raw bytes, oversized lines and headers, odd methods.
RAW_REQUESTS = (
    b"GET /?q=\xff\xfe\x00ledeinj HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /api/search?q=<script>ledeinj()</script> HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /?q=\"><img src=x onerror=ledeinj()> HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /api/articles/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /articles/..%2f..%2fetc%2fpasswd HTTP/1.0\r\n\r\n",
    b"GET /api/search?q=" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /api/search?q=x HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100_000 + b"\r\n\r\n",
    b"GET /api/search?" + b"&".join([b"outlet=x"] * 2000) + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    b"DELETE /api/articles/000_1c53ba83fc47eed3 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /api/search?q=%ED%A0%80 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/9.9\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(32) + b"\r\n\r\n",  # a TLS hello on the plain port
)


def raw_request(base_url: str, data: bytes) -> tuple[int, str, bytes]:
    """Send ``data`` as-is on a fresh connection; (status, content type, body), status 0 if no answer."""
    import socket

    host, port = load.loopback_target(base_url)
    with socket.create_connection((host, port), timeout=load.REQUEST_TIMEOUT_S) as sock:
        try:
            sock.sendall(data)
        except OSError:
            pass  # the server may answer and close before reading an oversized request
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status = re.match(rb"HTTP/\d\.\d (\d{3})", head)
    content_type = re.search(rb"(?im)^content-type:\s*([^\r\n]*)", head)
    return (int(status.group(1)) if status else 0,
            content_type.group(1).decode("latin-1") if content_type else "", body)


# -- drill: fuzz through gunicorn ----------------------------------------------------------
def fuzz_drill(base_url: str, examples: int, seconds: float) -> dict:
    """``examples`` hypothesis-generated hostile requests over HTTP; returns counts and problems."""
    from hypothesis import HealthCheck, Phase, given, settings

    host, port = load.loopback_target(base_url)
    tried, problems = [], []
    _, requests = hostile_strategies()
    deadline = time.monotonic() + seconds

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(requests)
    def one(path):
        if time.monotonic() > deadline:
            return
        import http.client

        conn = http.client.HTTPConnection(host, port, timeout=load.REQUEST_TIMEOUT_S)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            found = response_problems(path, resp.status, resp.getheader("Content-Type", ""), resp.read())
        except (OSError, http.client.HTTPException) as exc:
            found = [f"GET {path}: {type(exc).__name__}: {exc}"]
        finally:
            conn.close()
        tried.append(path)
        problems.extend(found)

    one()
    return {"inputs": len(tried), "failures": len(problems), "first_problems": problems[:5]}


# -- the soak ------------------------------------------------------------------------------
Row = tuple  # (drill, requests sent, failures, p50 ms, p99 ms, kills survived, inputs tried)
HEADER = ("drill", "requests sent", "failures", "p50 ms", "p99 ms", "kills survived", "inputs tried")


def served_drills(args, work: Path, feed: Path) -> list[tuple[Row, bool]]:
    """load, switch and fuzz against one gunicorn serving ``feed``; each (table row, failed)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import Server  # gunicorn from the Procfile, exactly as the tests start it

    index_dir = work / "served"
    built = index_cli(*rebuild_args([feed], index_dir, full=True))
    if built.returncode != 0:
        return [(("build the served index", 1, 1, "", "", "", ""), True)]
    server = Server(index_dir, work / "gunicorn.log", {"WEB_CONCURRENCY": "4"})
    out = []
    try:
        print(f"load: {args.clients} clients × {args.seconds:g} s …", flush=True)
        ld = load_drill(server.url, args.clients, args.seconds)
        _details(ld["first_errors"])
        out.append(((f"load {args.clients}×{args.seconds:g}s", ld["requests"], ld["errors"], ld["p50_ms"],
                     ld["p99_ms"], "", ""), ld["errors"] > 0 or ld["requests"] == 0))
        print("switch: full rebuild then rollback under 16 clients …", flush=True)
        sw = switch_drill(server.url, index_dir, [feed], clients=16)
        late = sum(x.late_stale for x in sw.switches)
        for x in sw.switches:
            print(f"  {x.action}: exit {x.exit_status}, generation {x.generation}, last stale answer "
                  f"{x.lag_s:.3f} s after the switch, {x.settled_answers} answers after {SETTLE_S:g} s")
        _details(sw.load["first_errors"])
        bad = bool(sw.load["errors"] or late or any(x.exit_status for x in sw.switches))
        out.append((("rebuild+rollback under 16", sw.load["requests"], sw.load["errors"] + late,
                     sw.load["p50_ms"], sw.load["p99_ms"], "", ""), bad))
        print(f"fuzz: {args.inputs} hostile requests …", flush=True)
        fz = fuzz_drill(server.url, args.inputs, seconds=600)
        _details(fz["first_problems"])
        out.append((("fuzz via gunicorn", fz["inputs"], fz["failures"], "", "", "", fz["inputs"]),
                    fz["failures"] > 0))
    finally:
        server.stop()
    return out


def kills_drill(args, work: Path, feed: Path) -> tuple[Row, bool]:
    """``args.kills`` kill -9s: random fractions of a rebuild, plus, per ten, one at each of PHASES
    (with a random delay of up to twice the phase's own)."""
    rng = random.Random(args.seed)
    phases = [(phrase, rng.uniform(0, 2 * delay + 0.1)) for phrase, delay in PHASES] * (args.kills // 10)
    moments = sorted(rng.uniform(0.02, 1.05) for _ in range(args.kills - len(phases))) + phases
    print(f"kills: {args.kills} × kill -9 of the rebuild …", flush=True)
    kr = kill_drill(work / "kills", feed, SEEDS, moments)
    for k in kr.kills:
        print(f"  kill at {describe(k.moment)} ({k.after_s:.2f} s; a whole rebuild {kr.rebuild_s:.2f} s): "
              f"{'after' if k.switched else 'before'} the switch, "
              f"{'survived' if k.survived else 'FAILED ' + k.detail}")
    _details([kr.detail] + ([f"killed builds left behind: {kr.leftovers}"] if kr.leftovers else []))
    failures = len(kr.kills) - kr.survived + (not kr.final_rebuild_ok) + bool(kr.leftovers)
    return ("kill -9 rebuild", len(kr.kills), failures, "", "", kr.survived, ""), failures > 0


def _details(lines) -> None:
    for line in filter(None, lines):
        print("  " + str(line)[:500])


def print_table(rows: list[Row]) -> None:
    widths = [max(len(str(r[i])) for r in rows + [HEADER]) for i in range(len(HEADER))]
    for row in [HEADER] + rows:
        print("  ".join(str(v).rjust(w) for v, w in zip(row, widths)))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=32, help="concurrent clients in the load drill")
    p.add_argument("--seconds", type=float, default=60.0, help="length of the load drill")
    p.add_argument("--kills", type=int, default=20, help="kill -9s of the rebuild")
    p.add_argument("--inputs", type=int, default=2000, help="hostile requests in the fuzz drill")
    p.add_argument("--articles", type=int, default=1000, help="articles in the synthetic feed")
    p.add_argument("--seed", type=int, default=8, help="seeds the feed and the kill moments")
    p.add_argument("--quick", action="store_true", help="8 clients × 10 s, 4 kills, 300 inputs, 300 articles")
    args = p.parse_args(argv)
    if args.quick:
        args.clients, args.seconds, args.kills, args.inputs, args.articles = 8, 10.0, 4, 300, 300
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so gunicorn and the temp dir are cleaned up
    with tempfile.TemporaryDirectory(prefix="lede-soak-") as tmp:
        work = Path(tmp)
        feed = synthetic_feed(work / "feed.jsonl", args.articles, args.seed)
        results = served_drills(args, work, feed) + [kills_drill(args, work, feed)]
    print_table([row for row, _ in results])
    return 1 if any(failed for _, failed in results) else 0


if __name__ == "__main__":
    sys.exit(main())
