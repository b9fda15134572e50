"""Build hook: on Python 3.13+, compile the C shim that lets durable-rules' engine load there.

CPython 3.13 removed ``PyEval_CallObject`` from its C API and durable-rules (unmaintained since 2020)
still calls it; ``src/cadre_rules/engine/_pyeval_compat.c`` defines it again, and ``cadre_rules.engine._durable``
loads it before durable-rules' engine. On 3.11 and 3.12 nothing is compiled: the wheel stays pure Python.

The extension is compiled by setuptools' ``build_ext`` (the compiler, flags and file name of the
running Python, as durable-rules' own build uses them); an editable install compiles it in place,
next to the package's sources.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "cadre_rules.engine._pyeval_compat"
SOURCE = Path("src", "cadre_rules", "engine", "_pyeval_compat.c")


class PyEvalCompatHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or sys.version_info < (3, 13):
            return
        from setuptools import Distribution  # noqa: PLC0415 - a build requirement on 3.13+ only
        from setuptools import Extension  # noqa: PLC0415

        self._temp = tempfile.mkdtemp(prefix="cadre-rules-build-")
        editable = version == "editable"
        dist = Distribution({"name": "cadre-rules",
                             "ext_modules": [Extension(MODULE, [str(Path(self.root, SOURCE))])]})
        command = dist.get_command_obj("build_ext")
        command.build_lib = str(Path(self.root, "src")) if editable else self._temp
        command.build_temp = str(Path(self._temp, "objects"))
        command.ensure_finalized()
        command.run()
        built = Path(command.get_ext_fullpath(MODULE))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if not editable:
            build_data["force_include"][str(built)] = f"cadre_rules/engine/{built.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        temp = getattr(self, "_temp", None)
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
