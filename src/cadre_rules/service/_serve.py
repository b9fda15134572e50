"""Running the service: logging (one line per request, no personal data) and uvicorn."""

from __future__ import annotations

import logging
import sys

import uvicorn

from ._app import Settings
from ._app import make_app

__all__ = ["run"]


def run(settings: Settings, host: str, port: int) -> None:
    """Serve on ``host:port`` until interrupted (SIGINT, SIGTERM: the workers are stopped)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("cadre_rules.serve")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    log.info("listening on http://%s:%d (%d workers, timeout %g s, max body %d bytes, token %s)", host, port,
             settings.workers, settings.timeout, settings.max_body, "required" if settings.token else "off")
    uvicorn.run(make_app(settings), host=host, port=port, log_level="warning", access_log=False, lifespan="on",
                timeout_graceful_shutdown=10, server_header=False)
