#!/usr/bin/env bash
# make backup: one archive with the PostgreSQL dump (pg_dump -Fc) and the uploaded files.
# make restore FILE=backups/dvk-....tar: restores both (the database is emptied first).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
url=${DATABASE_URL:-}
if [ -z "$url" ] || [[ "$url" != postgres* ]]; then
  echo "Sao lưu cần PostgreSQL: đặt DATABASE_URL=postgres://… (backup needs a PostgreSQL DATABASE_URL)" >&2
  exit 2
fi
# pg_dump understands postgres:// URLs but not the postgresql+… or ?options Django may use.
pg_url=${url/postgresql:\/\//postgres://}
media=$($PY -c 'import django,os;os.environ.setdefault("DJANGO_SETTINGS_MODULE","portal.settings.base");django.setup();from django.conf import settings;print(settings.MEDIA_ROOT)')
private=$($PY -c 'import django,os;os.environ.setdefault("DJANGO_SETTINGS_MODULE","portal.settings.base");django.setup();from django.conf import settings;print(settings.PRIVATE_MEDIA_ROOT)')

case "${1:-}" in
  backup)
    mkdir -p backups
    stamp=$(date +%Y%m%d-%H%M%S)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    pg_dump --format=custom --no-owner --no-privileges --dbname="$pg_url" --file="$work/database.dump"
    mkdir -p "$work/media" "$work/private_media"
    [ -d "$media" ] && cp -a "$media/." "$work/media/"
    [ -d "$private" ] && cp -a "$private/." "$work/private_media/"
    (cd "$work" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
    out="backups/dvk-$stamp.tar"
    tar -C "$work" -cf "$out" .
    echo "$out"
    ;;
  restore)
    file=${2:-}
    [ -n "$file" ] && [ -f "$file" ] || { echo "Cách dùng: make restore FILE=backups/dvk-….tar" >&2; exit 2; }
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    tar -C "$work" -xf "$file" 2>/dev/null || {
      echo "Tệp sao lưu không đọc được (không phải tệp tar hợp lệ): $file" >&2; exit 1; }
    [ -f "$work/SHA256SUMS" ] || { echo "Tệp sao lưu thiếu SHA256SUMS (checksum sai)." >&2; exit 1; }
    # Nothing is restored unless every file matches its SHA-256; the damaged files are named.
    (cd "$work" && sha256sum --quiet -c SHA256SUMS >&2) || { echo "Tệp sao lưu bị hỏng (checksum sai)." >&2; exit 1; }
    pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
      --dbname="$pg_url" "$work/database.dump"
    mkdir -p "$media" "$private"
    cp -a "$work/media/." "$media/"
    cp -a "$work/private_media/." "$private/"
    echo "Đã khôi phục từ $file"
    ;;
  *) echo "usage: $0 backup | restore FILE" >&2; exit 2 ;;
esac
