"""Known, reported bugs of the package that the properties step around until they are fixed.

How to use: when a property finds a bug, pin its minimal counterexample in ``test_regressions.py`` as a
strict xfail, add a flag here naming that test, and make the strategies or the property avoid the
construct while the flag is True (e.g. a ``PackOptions`` field switched off in ``DURABLE_SAFE``). When a
fix makes the regression test XPASS (which fails the suite), remove its xfail marker and the flag.

No bug is open today: every bug the properties found is fixed and kept fixed by test_regressions.py.
"""

from __future__ import annotations

from strategies import EVERYTHING
from strategies import PackOptions

#: Random packs the differential properties may use against the durable backend today.
DURABLE_SAFE: PackOptions = EVERYTHING
