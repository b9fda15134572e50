"""``cadre-rules serve``: the HTTP service around the same API (DESIGN.md §2), one engine per worker process.

Needs the ``serve`` extra (Starlette, uvicorn, python-multipart): ``pip install 'cadre-rules[serve]'``.
"""

from __future__ import annotations

from ._app import Settings
from ._app import make_app

__all__ = ["Settings", "make_app"]
