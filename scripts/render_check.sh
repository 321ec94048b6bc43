#!/usr/bin/env bash
# Render check: build the province's consolidated report for the demo period, convert it
# with LibreOffice and render page 1 to PNG, then print the PNG's path. Look at it.
#
#   scripts/render_check.sh [OUT_DIR]
#
# Uses a throwaway SQLite database with the demo loaded (so it never touches the
# database you work in) unless RENDER_CHECK_USE_DB=1, which uses DATABASE_URL as set.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-$(mktemp -d /tmp/planwatch-render-XXXXXX)}"
mkdir -p "$OUT"
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "thiếu $tool: apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation" >&2; exit 1; }
done
if [ "${RENDER_CHECK_USE_DB:-0}" != "1" ]; then
  export DATABASE_URL="sqlite:///$OUT/demo.sqlite3"
  uv run python manage.py migrate -v0
  uv run python manage.py load_demo >/dev/null
fi
DOCX=$(uv run python manage.py render_report --out "$OUT" --format docx)
PROFILE="$OUT/lo-profile"
timeout 180 soffice "-env:UserInstallation=file://$PROFILE" --headless --norestore \
  --convert-to pdf --outdir "$OUT" "$DOCX" >/dev/null 2>&1
PDF="${DOCX%.docx}.pdf"
[ -f "$PDF" ] || { echo "LibreOffice không tạo được PDF từ $DOCX" >&2; exit 1; }
pdftoppm -r 110 -png -f 1 -l 1 "$PDF" "$OUT/page"
PNG=$(ls "$OUT"/page-*1.png | head -1)
echo "DOCX: $DOCX"
echo "PDF:  $PDF ($(pdfinfo "$PDF" 2>/dev/null | awk '/^Pages/ {print $2}') trang)"
echo "$PNG"
