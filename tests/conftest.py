"""Shared fixtures: a real index of the seeds in a temp dir, the real app, real gunicorn, real Chromium."""
from __future__ import annotations

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

import pytest

from index.store import build
from web import create_app

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"
OUTPUT = ROOT / "test-output"
PHONE = (390, 844)  # CSS pixels of a common phone
DESKTOP = (1280, 900)


def needs_shared(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when the data is not beside the checkout."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("seed-index")
    build.rebuild([SEEDS], index_dir)
    return index_dir


@pytest.fixture(scope="session")
def newsroom_index(tmp_path_factory) -> Path:
    """A real index of tests/articles.newsroom(): 620 articles, 3 outlets, ~3 months, two segments."""
    from articles import build_index, newsroom

    index_dir = tmp_path_factory.mktemp("newsroom")
    build_index(index_dir, newsroom(), segments=2)
    return index_dir


@pytest.fixture
def newsroom_client(newsroom_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(newsroom_index)})
    yield app.test_client()
    app.extensions["lede_engine"].close()


@pytest.fixture
def app(seed_index):
    """The app over the seed index; its searcher is closed after the test (a dropped app left Whoosh's
    column files to the garbage collector, which reported them as unclosed at the end of a run)."""
    app = create_app({"TESTING": True, "INDEX_DIR": str(seed_index)})
    yield app
    app.extensions["lede_engine"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile_command() -> str:
    text = (ROOT / "Procfile").read_text()
    match = re.search(r"^web:\s*(.+)$", text, re.M)
    assert match, "Procfile has no web: line"
    return match.group(1)


class Server:
    """gunicorn started from the Procfile's web: line, exactly as a platform would."""

    def __init__(self, index_dir: Path, log_path: Path, extra_env: dict | None = None):
        self.port = free_port()
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PORT": str(self.port), "LEDE_INDEX_DIR": str(index_dir), **(extra_env or {})}
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(
                ["sh", "-c", procfile_command()], cwd=ROOT, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self._wait()

    def _wait(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited: " + self.log())
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()
                return
            except OSError as exc:
                if getattr(exc, "code", None) == 503:
                    return
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 30 s")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture(scope="session")
def server(seed_index, tmp_path_factory):
    srv = Server(seed_index, tmp_path_factory.mktemp("server") / "gunicorn.log")
    yield srv
    srv.stop()


def chrome(*, javascript: bool = True):
    """Real headless Chromium through chromedriver (Debian's packages; `make test` installs them)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail("chromium and chromedriver are required (make test installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,900"):
        options.add_argument(flag)
    if not javascript:
        options.add_argument("--blink-settings=scriptEnabled=false")
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    drv = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    drv.set_page_load_timeout(30)
    return drv


@pytest.fixture(scope="session")
def browser():
    drv = chrome()
    yield drv
    drv.quit()


@pytest.fixture(scope="session")
def browser_without_js():
    """A second Chromium with JavaScript switched off: the page must work without it."""
    drv = chrome(javascript=False)
    yield drv
    drv.quit()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    """A real index of the seeds plus a ../shared/data sample (read by bench/corpus.py): BBC politics and
    business (undated, with near-duplicates), all of BuzzFeed-Webis (9 outlets, dated or not) and one
    Reuters file (1987). About 3,500 articles; skipped when ../shared/data is absent."""
    data = needs_shared()
    sys.path.insert(0, str(ROOT / "bench"))
    import corpus
    articles = [a for a in corpus.bbc(data) if a["section"] in ("Politics", "Business")]
    articles += [*corpus.buzzfeed(data)]
    articles += [a for a in corpus.reuters(data) if int(a["id"].split("-")[1]) <= 1000]
    feed = tmp_path_factory.mktemp("sample-feed") / "sample.jsonl"
    corpus.write_feed(feed, articles)
    index_dir = tmp_path_factory.mktemp("sample-index")
    build.rebuild([SEEDS, feed], index_dir)
    return index_dir


def screenshots(driver, name: str) -> None:
    """Save the page at desktop and at phone width (test-output/NAME.png, NAME-phone.png), failing
    if it scrolls sideways on the phone; the window is left at desktop width."""
    OUTPUT.mkdir(exist_ok=True)
    driver.save_screenshot(str(OUTPUT / f"{name}.png"))
    driver.set_window_size(*PHONE)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"{name}: the page scrolls sideways at phone width"
    driver.save_screenshot(str(OUTPUT / f"{name}-phone.png"))
    driver.set_window_size(*DESKTOP)
