"""Running the service: logging (one line per request, no personal data) and uvicorn."""

from __future__ import annotations

import logging
import socket
import sys

import uvicorn

from .._i18n import N_
from ..errors import InputError
from ..errors import Problem
from ..errors import os_reason
from ._app import Settings
from ._app import make_app

__all__ = ["run"]


def run(settings: Settings, host: str, port: int) -> None:
    """Serve on ``host:port`` until interrupted (SIGINT, SIGTERM: the workers are stopped).

    :raises InputError: ``host:port`` cannot be listened on (taken by another process, not an address of this
        machine), before any worker starts (uvicorn would log it and exit, an internal error to the command line).
    """
    _check_address(host, port)
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


def _check_address(host: str, port: int) -> None:
    """Refuse ``host:port`` if a socket cannot be bound to it now, as uvicorn binds it (``SO_REUSEADDR``)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        raise InputError([Problem.of("--host/--port", _CANNOT_LISTEN, address=f"{host}:{port}",
                                     reason=os_reason(exc))]) from None


_CANNOT_LISTEN = N_("cannot listen on {address}: {reason}")
