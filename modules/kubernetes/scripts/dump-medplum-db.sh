#!/usr/bin/env bash
# Takes a peacetime logical backup of Medplum's database: `pg_dump -Fc`, its SHA-256, and a manifest of the newest
# dump, to a mounted folder or an object store; then prunes old dumps. The dump CronJob runs exactly this file (mounted
# from a ConfigMap); test/kubernetes/standby-round-trip.test.ts runs it against a real PostgreSQL.
#
# Usage: dump-medplum-db.sh    (everything from the environment)
#
# Connection: the standard libpq variables PGHOST, PGPORT, PGUSER, and the password either in PGPASSWORD (from a Secret
# through secretKeyRef) or in the file named by PGPASSWORD_FILE (a mounted Secret). Never on a command line.
#   MEDPLUM_DB_NAME        the database to dump                                                default: medplum
#   DUMP_DESTINATION       where the dumps live (see dump-store.sh): /path, s3://, gs://, https://<account>.blob...
#   DUMP_SCRATCH_DIR       where an object store's dump is written before the upload             default: $TMPDIR or /tmp
#   DUMP_RETENTION_COUNT   keep the newest N dumps (0: no count rule)                           default: 7
#   DUMP_RETENTION_DAYS    keep every dump younger than N days (0: no age rule)                 default: 0
#                          A dump is kept when any rule keeps it; the newest is always kept.
#   S3_ENDPOINT, AWS_REGION, GOOGLE_APPLICATION_CREDENTIALS, AZURE_SAS_TOKEN_FILE: see dump-store.sh.
#
# Order, so that a reader never sees a manifest for a partial or unreadable dump: the dump is written under a temporary
# name, read back completely (pg_restore, which also counts each table's rows from the dump's own data), checksummed,
# published under its final name with its .sha256, and only then is latest.json replaced (a rename on a volume, one PUT
# on an object store). Pruning comes last and never touches the dump latest.json names.
#
# Exit codes: 0 done; 1 usage or configuration; 2 the dump failed or is unreadable (the manifest is unchanged);
# 3 the upload failed (the manifest is unchanged, or names the new dump only if it was fully uploaded); 4 pruning failed
# (the new dump is published).

set -euo pipefail

readonly PROGRAM="dump-medplum-db"
log() { printf '%s: %s\n' "$PROGRAM" "$*"; }
fail() {
  local code="$1"
  shift
  printf '%s: ERROR: %s\n' "$PROGRAM" "$*" >&2
  exit "$code"
}
last_errors() { tail -n "${2:-3}" "$1" | tr '\n' ' ' | sed -e 's/ *$//'; }

# shellcheck source-path=SCRIPTDIR source=dump-store.sh
source "$(dirname "${BASH_SOURCE[0]}")/dump-store.sh"

# --- inputs ----------------------------------------------------------------------------------------------------------

[[ $# -eq 0 ]] || fail 1 "usage: $PROGRAM (no arguments; configuration comes from the environment)"
readonly DB_NAME="${MEDPLUM_DB_NAME:-medplum}"
readonly KEEP_COUNT="${DUMP_RETENTION_COUNT:-7}"
readonly KEEP_DAYS="${DUMP_RETENTION_DAYS:-0}"
[[ -n "${DUMP_DESTINATION:-}" ]] || fail 1 "DUMP_DESTINATION is not set; give a folder path, s3://bucket/prefix, gs://bucket/prefix or an Azure Blob container URL"
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || fail 1 "MEDPLUM_DB_NAME \"$DB_NAME\" is not a plain lower-case identifier"
[[ "$KEEP_COUNT" =~ ^[0-9]{1,4}$ ]] || fail 1 "DUMP_RETENTION_COUNT \"$KEEP_COUNT\" is not a whole number (0 to 9999)"
[[ "$KEEP_DAYS" =~ ^[0-9]{1,5}$ ]] || fail 1 "DUMP_RETENTION_DAYS \"$KEEP_DAYS\" is not a whole number of days"
((KEEP_COUNT > 0 || KEEP_DAYS > 0)) || fail 1 "DUMP_RETENTION_COUNT and DUMP_RETENTION_DAYS are both 0; set at least one, or old dumps are never pruned"

if [[ -n "${PGPASSWORD_FILE:-}" ]]; then
  [[ -r "$PGPASSWORD_FILE" ]] || fail 1 "PGPASSWORD_FILE $PGPASSWORD_FILE is not readable"
  # Into the environment of pg_dump and psql only (libpq reads it there), never into an argument.
  PGPASSWORD="$(tr -d '\r\n' <"$PGPASSWORD_FILE")"
  export PGPASSWORD
fi

store_init "$DUMP_DESTINATION"
if [[ "$STORE_KIND" == local ]]; then
  # A folder inside the mounted volume is created on the first run; the volume itself must be there.
  [[ -d "$STORE_PATH" || ! -d "$(dirname "$STORE_PATH")" ]] || mkdir -p "$STORE_PATH" 2>/dev/null || true
  [[ -d "$STORE_PATH" && -w "$STORE_PATH" ]] || fail 1 "DUMP_DESTINATION $STORE_PATH is not a writable folder (is the volume mounted?)"
  # Written in place under a dot name: no second copy of the dump on the scratch volume.
  scratch_parent="$STORE_PATH"
else
  scratch_parent="${DUMP_SCRATCH_DIR:-${TMPDIR:-/tmp}}"
fi
scratch="$(mktemp -d "$scratch_parent/.medplum-dump.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=terse -d "$DB_NAME" "$@"; }

# --- dump ------------------------------------------------------------------------------------------------------------

started_epoch="$(date -u +%s)"
stamp="$(date -u -d "@$started_epoch" +%Y%m%dT%H%M%SZ)"
started_at="$(date -u -d "@$started_epoch" +%Y-%m-%dT%H:%M:%SZ)"
name="medplum-$stamp.dump"

server_version="$(sql -c 'SHOW server_version' 2>"$scratch/err")" ||
  fail 2 "cannot connect to PostgreSQL at ${PGHOST:-local socket}:${PGPORT:-5432} as ${PGUSER:-$(id -un)} (database $DB_NAME): $(last_errors "$scratch/err")"
log "dumping database $DB_NAME (PostgreSQL $server_version) to $STORE_DESCRIPTION as $name"

file="$scratch/$name"
# Medplum's statement_timeout (60 s) is a database setting; pg_dump lifts it for its own session itself.
if ! pg_dump --format=custom --dbname="$DB_NAME" --file="$file" 2>"$scratch/err"; then
  fail 2 "pg_dump failed: $(last_errors "$scratch/err" 5). The manifest is unchanged."
fi
pg_dump_version="$(pg_dump --version | sed 's/^pg_dump (PostgreSQL) //')"

# Read back what was written: a dump that cannot be read whole is never published. The same read counts each table's
# rows from the dump's own data, which the verify job compares a restore against.
if ! dump_row_counts "$file" >"$scratch/rowcounts" 2>"$scratch/err"; then
  fail 2 "the new dump cannot be read back: $(last_errors "$scratch/err"). The manifest is unchanged."
fi
tables="$(wc -l <"$scratch/rowcounts" | tr -d ' ')"
[[ "$tables" -gt 0 ]] || fail 2 "the new dump holds no table data; is $DB_NAME Medplum's database? The manifest is unchanged."
rows="$(awk -F '\t' '{ total += $2 } END { print total + 0 }' "$scratch/rowcounts")"
sha256="$(sha256sum "$file" | cut -d ' ' -f 1)"
bytes="$(wc -c <"$file" | tr -d ' ')"
finished_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "dump complete: $bytes bytes, $tables tables, $rows rows, sha256 $sha256"

# --- publish: the dump, its checksum, then the manifest ---------------------------------------------------------------

printf '%s  %s\n' "$sha256" "$name" >"$scratch/$name.sha256"
{
  printf '{\n'
  printf '  "format": "%s",\n' "$MANIFEST_FORMAT"
  printf '  "dump": "%s",\n' "$name"
  printf '  "sha256": "%s",\n' "$sha256"
  printf '  "bytes": %s,\n' "$bytes"
  printf '  "database": "%s",\n' "$DB_NAME"
  printf '  "startedAt": "%s",\n' "$started_at"
  printf '  "finishedAt": "%s",\n' "$finished_at"
  printf '  "serverVersion": "%s",\n' "$(json_escape "$server_version")"
  printf '  "pgDumpVersion": "%s",\n' "$(json_escape "$pg_dump_version")"
  printf '  "tables": %s,\n' "$tables"
  printf '  "rows": %s,\n' "$rows"
  printf '  "rowCountsSource": "COPY rows per table in the dump, counted after pg_dump finished",\n'
  printf '  "rowCounts": {\n'
  LC_ALL=C sort "$scratch/rowcounts" | while IFS=$'\t' read -r table count; do
    printf '    "%s": %s,\n' "$(json_escape "$table")" "$count"
  done | sed '$ s/,$//'
  printf '  }\n'
  printf '}\n'
} >"$scratch/$MANIFEST_NAME"

if [[ "$STORE_KIND" != local ]] && ! command -v "$(store_tool)" >/dev/null; then
  fail 3 "this image has neither the ${STORE_KIND} CLI nor curl; cannot upload to $STORE_DESCRIPTION. The manifest is unchanged."
fi
log "publishing $name via $(store_tool)"
store_put "$file" "$name" 2>"$scratch/err" || fail 3 "upload of $name to $STORE_DESCRIPTION failed: $(last_errors "$scratch/err"). The manifest is unchanged."
store_put "$scratch/$name.sha256" "$name.sha256" 2>"$scratch/err" || fail 3 "upload of $name.sha256 failed: $(last_errors "$scratch/err"). The manifest is unchanged."
store_put "$scratch/$MANIFEST_NAME" "$MANIFEST_NAME" 2>"$scratch/err" || fail 3 "upload of $MANIFEST_NAME failed: $(last_errors "$scratch/err"). It still names the previous dump."
log "published $name; $MANIFEST_NAME names it"

# --- prune -----------------------------------------------------------------------------------------------------------

listing="$(store_list 2>"$scratch/err")" || fail 4 "cannot list $STORE_DESCRIPTION to prune old dumps: $(last_errors "$scratch/err"). The new dump is published."
now="$(date -u +%s)"
kept=0
pruned=0
# Newest first: the names sort by their UTC timestamps.
while read -r candidate; do
  [[ "$candidate" =~ $DUMP_NAME_PATTERN ]] || continue
  kept_by=""
  [[ "$candidate" == "$name" ]] && kept_by="newest"
  if ((KEEP_COUNT > 0 && kept < KEEP_COUNT)); then kept_by="${kept_by:-count}"; fi
  if ((KEEP_DAYS > 0)); then
    s="${BASH_REMATCH[1]}"
    taken="$(date -u -d "${s:0:4}-${s:4:2}-${s:6:2} ${s:9:2}:${s:11:2}:${s:13:2} UTC" +%s)"
    if ((now - taken < KEEP_DAYS * 86400)); then kept_by="${kept_by:-age}"; fi
  fi
  if [[ -n "$kept_by" ]]; then
    kept=$((kept + 1))
    continue
  fi
  store_delete "$candidate" 2>"$scratch/err" || fail 4 "could not delete old dump $candidate: $(last_errors "$scratch/err"). The new dump is published."
  store_delete "$candidate.sha256" 2>/dev/null || true
  log "pruned $candidate"
  pruned=$((pruned + 1))
done < <(printf '%s\n' "$listing" | LC_ALL=C sort -r)

if [[ "$STORE_KIND" == local ]]; then
  # Leftovers of a run that died mid-dump (the CronJob forbids concurrent runs, so none is in progress).
  find "$STORE_PATH" -mindepth 1 -maxdepth 1 -name '.medplum-dump.*' ! -path "$scratch" -exec rm -rf {} + 2>/dev/null || true
  find "$STORE_PATH" -mindepth 1 -maxdepth 1 -name '.*.partial' -type f -delete 2>/dev/null || true
fi
rule_list=()
((KEEP_COUNT == 0)) || rule_list+=("the newest $KEEP_COUNT")
((KEEP_DAYS == 0)) || rule_list+=("those younger than $KEEP_DAYS days")
rules="$(printf '%s and ' "${rule_list[@]}")"
rules="${rules% and }"
log "retention: kept $kept dumps ($rules), pruned $pruned"
