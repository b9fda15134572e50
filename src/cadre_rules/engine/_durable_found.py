"""Whether durable-rules' engine is installed, found without loading it: ``cadre-rules --version`` says which
backend ``--backend auto`` chooses without paying for the engine and the modules that drive it (0.06 s CPU).

Found is not loaded: the first evaluation loads the engine (:mod:`._durable`, the only module that imports
durable-rules), which falls back to the reference backend and says why if it does not load; ``cadre-rules
doctor`` loads it and says whether it does. Once :mod:`._durable` is loaded, its verdict is the answer.
"""

from __future__ import annotations

import sys
from importlib import metadata
from importlib.util import find_spec

__all__ = ["durable_unavailable", "installed_version"]


def durable_unavailable() -> str | None:
    """Why durable-rules' engine cannot be used (``None``: it is installed, or loaded)."""
    loaded = sys.modules.get(f"{__package__}._durable")
    if loaded is not None:
        reason: str | None = loaded.UNAVAILABLE_REASON
        return reason
    if sys.version_info >= (3, 13) and find_spec(f"{__package__}._pyeval_compat") is None:
        return (f"the shim {__package__}._pyeval_compat that durable-rules needs on Python 3.13+ is not installed; "
                "reinstall cadre-rules on this Python with a C compiler")
    if find_spec("durable_rules_engine") is None:
        return "durable-rules' engine is not installed"
    return None


def installed_version() -> str | None:
    """The installed version of durable-rules (``None``: not installed)."""
    try:
        return metadata.version("durable-rules")
    except metadata.PackageNotFoundError:
        return None
