"""Known, reported bugs of the package that the properties step around until they are fixed.

Each flag names the strict-xfail regression test in ``test_regressions.py`` that pins the bug with its
minimal counterexample. When a fix makes that test XPASS (which fails the suite), remove its xfail marker
**and set the flag here to False**, so that the properties cover the construct again.
"""

from __future__ import annotations

import traceback

from strategies import PackOptions

#: durable-rules aborts or segfaults the process in ``delete_state`` after a session in which no fact
#: matched any rule. Workaround: random packs get a unit rule that matches every unit.
#: test_regressions.py::test_durable_session_without_any_match_does_not_crash
DURABLE_SESSION_WITHOUT_MATCH_CRASHES = True

#: The durable backend fails (AssertionError) on a non-integral number literal compared with an integer
#: field (``age < 35.5``), which the type checker accepts and the reference backend evaluates.
#: test_regressions.py::test_durable_non_integral_literal_against_int_field
DURABLE_REJECTS_FRACTION_LITERALS_ON_INT_FIELDS = True

#: The durable backend compares numbers (shares, metric values, targets) as floats, the reference
#: exactly (SEMANTICS 15): values that round to the same float disagree.
#: test_regressions.py::test_durable_number_field_is_compared_exactly,
#: test_regressions.py::test_durable_quota_target_is_compared_exactly
DURABLE_COMPARES_NUMBERS_AS_FLOATS = True

#: load_officials/load_units on a damaged .xlsx raise the libraries' errors (xml ParseError, zlib.error,
#: NotImplementedError…) instead of InputError. test_regressions.py::test_damaged_xlsx_is_an_input_error
XLSX_READER_LEAKS_LIBRARY_ERRORS = True

#: load_pack: ``nan``/``inf`` parameters raise ValueError; a TOML date-time in ``pack.effective`` raises
#: TypeError, instead of PackError. test_regressions.py::test_non_finite_param_is_a_pack_error,
#: test_regressions.py::test_datetime_effective_date_is_a_pack_error
PACK_LOADER_LEAKS_ON_ODD_TOML_VALUES = True

#: A TOML date-time parameter is accepted as a date and then breaks the reference evaluation (TypeError).
#: test_regressions.py::test_datetime_param_is_rejected_or_evaluated
DATETIME_PARAM_BREAKS_EVALUATION = True

#: Packs the differential properties may use against the durable backend today.
DURABLE_SAFE = PackOptions(
    canary=DURABLE_SESSION_WITHOUT_MATCH_CRASHES,
    int_fraction_literals=not DURABLE_REJECTS_FRACTION_LITERALS_ON_INT_FIELDS,
    float_neighbours=not DURABLE_COMPARES_NUMBERS_AS_FLOATS,
)

_LIBRARY_FILES = ("/openpyxl/", "/zipfile", "/xml/", "/et_xmlfile/", "zlib")


def is_known_xlsx_leak(exc: BaseException) -> bool:
    """Whether ``exc`` escaped from openpyxl/zipfile/xml while the package read an .xlsx file."""
    if not XLSX_READER_LEAKS_LIBRARY_ERRORS:
        return False
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and any(part in frames[-1].filename for part in _LIBRARY_FILES)
