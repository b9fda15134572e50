"""Running a benchmark's child process against one checkout's ``src`` (bench_evaluate.py, bench_records.py).

The child is Python source run with ``python -c``; the checkout's ``src`` is put first on ``PYTHONPATH`` and the
last line the child prints is its JSON result, which names the module it imported (``"module":
cadre_rules.__file__``) so that a package installed elsewhere first on the path is caught, not measured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def run_child(source: Path, child: str, args: Sequence[str], *, plugins: bool = False) -> dict[str, object]:
    """The JSON result of ``child`` run with ``args`` against ``source`` (plugins off unless ``plugins``)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")])))
    if not plugins:
        env["CADRE_RULES_DISABLE_PLUGINS"] = "1"
    out = subprocess.run([sys.executable, "-c", child, *args], env=env, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    if not str(result["module"]).startswith(str(source.resolve())):
        raise SystemExit(f"{source}: imported {result['module']} instead (is the package installed editable "
                         "elsewhere first on the path?)")
    return result
