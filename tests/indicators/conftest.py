import pytest

from minsheng.indicators import registry


@pytest.fixture(autouse=True)
def core_sources_only(monkeypatch):
    """Domain modules register sources for employment.* etc.; these tests enter such
    values by hand, as a district without those modules would."""
    monkeypatch.setattr(registry, "SOURCES",
                        {k: v for k, v in registry.SOURCES.items() if k.startswith("core.")})
