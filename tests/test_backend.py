"""search/backend.py: LEDE_BACKEND picks the engine; a setting that cannot work stops the app at start."""
import pytest

from search import Engine
from search.backend import open_engine


def test_whoosh_is_the_default(tmp_path):
    assert isinstance(open_engine(tmp_path, {}), Engine)
    assert isinstance(open_engine(tmp_path, {"LEDE_BACKEND": "Whoosh"}), Engine)


def test_an_unknown_backend_is_named(tmp_path):
    with pytest.raises(ValueError, match="LEDE_BACKEND must be one of whoosh, xapian, not 'solr'"):
        open_engine(tmp_path, {"LEDE_BACKEND": "solr"})


@pytest.mark.parametrize(("environ", "message"), [
    ({"LEDE_BACKEND": "xapian"}, "LEDE_XAPIAN_SHARDS must list host:port pairs"),
    ({"LEDE_BACKEND": "xapian", "LEDE_XAPIAN_SHARDS": "127.0.0.1:7001,nowhere"}, "not '127.0.0.1:7001,nowhere'"),
])
def test_unusable_settings_are_named(tmp_path, environ, message):
    pytest.importorskip("xapian")
    with pytest.raises(ValueError, match=message):
        open_engine(tmp_path, environ)


def test_xapian_shards_are_read_from_the_setting(tmp_path):
    pytest.importorskip("xapian")
    engine = open_engine(tmp_path, {"LEDE_BACKEND": "xapian", "LEDE_XAPIAN_SHARDS": "10.0.0.1:7001, h2:7002",
                                    "LEDE_XAPIAN_PARTIAL": "yes", "LEDE_XAPIAN_TIMEOUT_MS": "250"})
    assert [s.name for s in engine.shards.shards] == ["10.0.0.1:7001", "h2:7002"]
    assert (engine.shards.partial, engine.shards.timeout_ms) == (True, 250)
