#!/bin/sh
# Update the message catalogs after changing what sitegen says (README, "Translating sitegen"):
# extract every tr()/ntr() message (and N_(), marked for a language chosen later), merge them into each language's .po (then translate the
# new, empty entries there) and compile the .mo files that the wheel ships.
set -e
cd "$(dirname "$0")/.."
pybabel extract -k tr -k ntr:1,2 -k N_ --no-default-keywords --sort-by-file --no-wrap \
    --project sitegen -o sitegen/locale/sitegen.pot sitegen
pybabel update -i sitegen/locale/sitegen.pot -d sitegen/locale -D sitegen --no-wrap \
    --ignore-obsolete --no-fuzzy-matching
pybabel compile -d sitegen/locale -D sitegen --statistics
