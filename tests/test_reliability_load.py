"""Under load: concurrent clients against gunicorn from the Procfile, and a rebuild and a rollback
while they query. The drills are bench/soak.py's; here they run with CI-sized budgets
(the soak runs 32 clients × 60 s)."""
from pathlib import Path

import pytest

from bench import soak
from conftest import Server

pytestmark = [pytest.mark.reliability, pytest.mark.server]

LOAD_CLIENTS = 16
LOAD_SECONDS = 10.0
SWITCH_CLIENTS = 16
WORKERS = "4"  # more workers than cores, so "every worker follows the switch" means something


@pytest.fixture(scope="module")
def reliability_feed(tmp_path_factory) -> Path:
    """A feed big enough that a rebuild lasts seconds (so kills land mid-build), from the seeds' text."""
    return soak.synthetic_feed(tmp_path_factory.mktemp("feed") / "feed.jsonl", soak.CI_ARTICLES)


@pytest.fixture(scope="module")
def served(reliability_feed, tmp_path_factory):
    """A live index of the reliability feed served by real gunicorn with WORKERS workers."""
    work = tmp_path_factory.mktemp("served")
    index_dir = work / "index"
    built = soak.index_cli(*soak.rebuild_args([reliability_feed], index_dir, full=True))
    assert built.returncode == 0, built.stderr
    server = Server(index_dir, work / "gunicorn.log", {"WEB_CONCURRENCY": WORKERS})
    yield server, index_dir
    server.stop()


def test_concurrent_clients_get_no_errors(served):
    server, _ = served
    summary = soak.load_drill(server.url, LOAD_CLIENTS, LOAD_SECONDS)
    print(f"\nload {LOAD_CLIENTS} clients × {LOAD_SECONDS:g} s: {summary}")
    assert summary["requests"] > LOAD_CLIENTS * 5, summary
    assert summary["http_5xx"] == 0 and summary["errors"] == 0, (summary["failed_paths"], summary["first_errors"])
    assert "Traceback" not in server.log()


def test_rebuild_then_rollback_under_load_fails_no_request_and_every_worker_follows(served, reliability_feed):
    server, index_dir = served
    if not soak.cli_has("", "rollback"):
        pytest.fail("`python -m index rollback` does not exist yet (index/cli.py)")
    before = soak.live_pointer(index_dir)
    report = soak.switch_drill(server.url, index_dir, [reliability_feed], clients=SWITCH_CLIENTS)
    for sw in report.switches:
        print(f"\n{sw.action}: exit {sw.exit_status} → {sw.generation}; last stale /healthz "
              f"{sw.lag_s:.3f} s after the switch; {sw.settled_answers} answers after {soak.SETTLE_S:g} s")
    print(f"load during the switches: {report.load}")
    rebuild, rollback = report.switches
    assert rebuild.exit_status == 0, rebuild.output
    assert rebuild.generation != before
    assert rollback.exit_status == 0, rollback.output
    assert rollback.generation == before, "rollback must make the generation before the rebuild live again"
    assert report.load["errors"] == 0, (report.load["failed_paths"], report.load["first_errors"])
    for sw in report.switches:
        assert sw.settled_answers >= soak.SETTLED_ANSWERS // 2, f"too few answers after the {sw.action} to judge"
        assert sw.late_stale == 0, f"{sw.late_stale} answers from an old generation ≥ 5 s after the {sw.action}"
    assert "Traceback" not in server.log()
