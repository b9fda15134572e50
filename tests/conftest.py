from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=20, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=6000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TESTS = Path(__file__).parent
EVERY_CONSTRUCT = TESTS / "packs" / "every-construct.toml"


@pytest.fixture(autouse=True, scope="session")
def _no_installed_plugins() -> Iterator[None]:
    """Keep plugins installed in the environment (entry points) out of every test, subprocesses included.

    Plugin tests see them again with ``monkeypatch.delenv("CADRE_RULES_DISABLE_PLUGINS")``.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CADRE_RULES_DISABLE_PLUGINS", "1")
        yield

# Installed district plugins must not change the results of tests that are not about plugins:
# entry-point plugins are off unless a test turns them on (tests/test_plugins.py does).
os.environ["CADRE_RULES_DISABLE_PLUGINS"] = "1"
