#!/usr/bin/env bash
# Makes the lobby card's fonts: DejaVu Sans cut to the characters the card draws (Latin, Latin-1 and Extended-A,
# Cyrillic, dashes, quotes, arrows, minus). resvg loads a text's font file once per <text> element, so a 75 KB file
# instead of the 757 KB original halves the card's render time; src/charts keeps the full DejaVu files after these as
# the fallback for any other character. Re-run only when the card starts drawing new characters, then commit
# assets/fonts/. Needs Python 3 (fonttools is installed here from PyPI, pinned).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q 'fonttools==4.69.1'
src=node_modules/dejavu-fonts-ttf/ttf
ranges='U+0020-007E,U+00A0-017F,U+0400-045F,U+0490-0491,U+2010-2027,U+2030-203A,U+2190-2193,U+2212,U+2116'
for face in DejaVuSans DejaVuSans-Bold; do
  python3 -m fontTools.subset "$src/$face.ttf" --unicodes="$ranges" --layout-features='kern,liga' \
    --output-file="assets/fonts/$face-card.ttf"
done
ls -l assets/fonts
