#!/usr/bin/env bash
# Maintain the gettext catalogues of cadre-rules (Babel is a test/dev dependency, not a runtime one).
#
#   scripts/i18n.sh            extract the strings into the template, merge them into vi, compile the .mo
#   scripts/i18n.sh check      fail if the template, the vi catalogue or its .mo is out of date
#
# Workflow: mark a new UI string in the code (English, the source language), run scripts/i18n.sh,
# translate the new entries of src/cadre_rules/locale/vi/LC_MESSAGES/cadre_rules.po (no "fuzzy"
# flag left, every msgstr filled), run scripts/i18n.sh again to compile, and commit the .pot, .po
# and .mo files. The runtime reads the .mo with the standard library's gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
LOCALE=src/cadre_rules/locale
POT=$LOCALE/cadre_rules.pot
PO=$LOCALE/vi/LC_MESSAGES/cadre_rules.po

extract() {
  pybabel extract -F babel.cfg --sort-output --no-location --no-wrap --omit-header \
    --add-comments=TRANSLATORS: --project=cadre-rules -o "$1" src/cadre_rules
}

if [ "${1:-}" = "check" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  extract "$tmp/cadre_rules.pot"
  diff -u "$POT" "$tmp/cadre_rules.pot" || { echo "the template is out of date: run scripts/i18n.sh"; exit 1; }
  exec python -m pytest -q tests/test_i18n.py
fi

extract "$POT"
if [ ! -f "$PO" ]; then
  pybabel init -D cadre_rules -i "$POT" -d "$LOCALE" -l vi --no-wrap
fi
pybabel update -D cadre_rules -i "$POT" -d "$LOCALE" -l vi --no-wrap --ignore-obsolete --no-fuzzy-matching
pybabel compile -D cadre_rules -d "$LOCALE" -l vi --statistics
