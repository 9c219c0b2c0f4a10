#!/usr/bin/env bash
# Proves the newest peacetime dump restores: reads the manifest dump-medplum-db.sh wrote, checks the dump's SHA-256,
# restores it into a throwaway database with the project's own restore script (restore-medplum-db.sh, the one the
# recovery runs), and compares every table's row count with the counts recorded at dump time. A backup never restored
# is not a backup. The verify CronJob runs exactly this file; test/kubernetes/standby-round-trip.test.ts runs it too.
#
# Usage: verify-medplum-dump.sh    (everything from the environment)
#
#   DUMP_DESTINATION         the folder the dump job writes to (see dump-store.sh)
#   VERIFY_SERVER            local: start a throwaway PostgreSQL in the scratch folder (initdb; needs the server
#                            binaries, as in the postgres image) and restore there; nothing touches a real server.
#                            connect: restore into VERIFY_DB_NAME on the server named by PGHOST/PGPORT/PGUSER and
#                            PGPASSWORD or PGPASSWORD_FILE, then drop it.                   default: local
#   VERIFY_DB_NAME           the throwaway database; its name must contain "verify", because it is dropped
#                                                                                           default: medplum_verify
#   VERIFY_SCRATCH_DIR       room for the downloaded dump and, with VERIFY_SERVER=local, the restored database
#                                                                                           default: $TMPDIR or /tmp
#   VERIFY_MAX_AGE_HOURS     fail when the newest dump started longer ago than this (a dump job that stopped running)
#                                                                                           default: no limit
#   VERIFY_WEBHOOK_URL_FILE  a file (a mounted Secret) holding a URL to POST the result to as JSON; never printed
#   RESTORE_SCRIPT           the restore script                 default: restore-medplum-db.sh beside this file
#
# Exit codes: 0 verified; 1 configuration; 2 no manifest, no dump, or its SHA-256 differs; 3 the restore failed;
# 4 row counts differ; 5 verified, but the webhook could not be told; 6 the newest dump is older than allowed.

set -euo pipefail

readonly PROGRAM="verify-medplum-dump"
log() { printf '%s: %s\n' "$PROGRAM" "$*"; }
failure=""
fail() {
  local code="$1"
  shift
  failure="$*"
  printf '%s: ERROR: %s\n' "$PROGRAM" "$*" >&2
  exit "$code"
}
last_errors() { tail -n "${2:-3}" "$1" | tr '\n' ' ' | sed -e 's/ *$//'; }

here="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source-path=SCRIPTDIR source=dump-store.sh
source "$here/dump-store.sh"

# --- inputs ----------------------------------------------------------------------------------------------------------

[[ $# -eq 0 ]] || fail 1 "usage: $PROGRAM (no arguments; configuration comes from the environment)"
readonly MODE="${VERIFY_SERVER:-local}"
readonly VERIFY_DB="${VERIFY_DB_NAME:-medplum_verify}"
readonly RESTORE="${RESTORE_SCRIPT:-$here/restore-medplum-db.sh}"
readonly MAX_AGE_HOURS="${VERIFY_MAX_AGE_HOURS:-}"
[[ -n "${DUMP_DESTINATION:-}" ]] || fail 1 "DUMP_DESTINATION is not set; give the folder the dump job writes to"
[[ "$MODE" == local || "$MODE" == connect ]] || fail 1 "VERIFY_SERVER \"$MODE\" is not local or connect"
[[ "$VERIFY_DB" =~ ^[a-z_][a-z0-9_]{0,50}$ && "$VERIFY_DB" == *verify* ]] ||
  fail 1 "VERIFY_DB_NAME \"$VERIFY_DB\" is not a plain lower-case identifier containing \"verify\" (it is dropped after each run, so it must never be a real database's name)"
[[ -z "$MAX_AGE_HOURS" || "$MAX_AGE_HOURS" =~ ^[1-9][0-9]{0,4}$ ]] || fail 1 "VERIFY_MAX_AGE_HOURS \"$MAX_AGE_HOURS\" is not a whole number of hours"
[[ -r "$RESTORE" ]] || fail 1 "the restore script $RESTORE is not readable"

webhook=""
if [[ -n "${VERIFY_WEBHOOK_URL_FILE:-}" ]]; then
  [[ -r "$VERIFY_WEBHOOK_URL_FILE" ]] || fail 1 "VERIFY_WEBHOOK_URL_FILE $VERIFY_WEBHOOK_URL_FILE is not readable"
  webhook="$(tr -d '\r\n' <"$VERIFY_WEBHOOK_URL_FILE")"
  # It goes into a curl config between double quotes; the value itself is never printed.
  [[ "$webhook" =~ ^https?://[^[:space:]\"\\]+$ ]] || fail 1 "VERIFY_WEBHOOK_URL_FILE $VERIFY_WEBHOOK_URL_FILE does not hold one http(s) URL (the value is not shown)"
  command -v curl >/dev/null || fail 1 "VERIFY_WEBHOOK_URL_FILE is set but this image has no curl to post with"
fi

if [[ -n "${PGPASSWORD_FILE:-}" && "$MODE" == connect ]]; then
  [[ -r "$PGPASSWORD_FILE" ]] || fail 1 "PGPASSWORD_FILE $PGPASSWORD_FILE is not readable"
  PGPASSWORD="$(tr -d '\r\n' <"$PGPASSWORD_FILE")"
  export PGPASSWORD
fi

scratch=""
server_started=false
dump_name=""
sha256=""
tables=0
rows=0

sql() { psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=terse "$@"; }

# Reports the result through the webhook (when configured), drops the throwaway database, removes the scratch folder.
finish() {
  local status=$?
  set +e
  if [[ "$MODE" == connect && "$status" != 1 ]]; then
    sql -d postgres -c "DROP DATABASE IF EXISTS \"$VERIFY_DB\"" >/dev/null 2>&1
    sql -d postgres -c "DROP DATABASE IF EXISTS \"${VERIFY_DB}_restoring\"" >/dev/null 2>&1
  fi
  if [[ "$server_started" == true ]]; then
    pg_ctl -D "$scratch/pgdata" -m immediate -w stop >/dev/null 2>&1
  fi
  [[ -z "$scratch" ]] || rm -rf "$scratch"
  if [[ -n "$webhook" ]]; then
    local result=passed
    [[ "$status" == 0 ]] || result=failed
    {
      printf '{"source": "medplum-dr verify-medplum-dump", "status": "%s", "exitCode": %s, ' "$result" "$status"
      printf '"destination": "%s", "dump": "%s", "sha256": "%s", "tables": %s, "rows": %s, ' \
        "$(json_escape "${STORE_DESCRIPTION:-$DUMP_DESTINATION}")" "$dump_name" "$sha256" "$tables" "$rows"
      printf '"finishedAt": "%s", "message": "%s"}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(json_escape "${failure:-verified}" | tr '\n\t' '  ')"
    } >"${TMPDIR:-/tmp}/medplum-verify-result.$$.json"
    if printf 'url = "%s"\n' "$webhook" | curl --config - --fail --silent --max-time 30 --retry 3 --request POST \
      --header 'Content-Type: application/json' --data-binary "@${TMPDIR:-/tmp}/medplum-verify-result.$$.json" --output /dev/null 2>/dev/null; then
      log "result ($result) posted to the webhook"
    else
      printf '%s: ERROR: could not post the result (%s) to the webhook (URL not shown)\n' "$PROGRAM" "$result" >&2
      [[ "$status" == 0 ]] && status=5
    fi
    rm -f "${TMPDIR:-/tmp}/medplum-verify-result.$$.json"
  fi
  exit "$status"
}
trap finish EXIT

store_init "$DUMP_DESTINATION"
scratch="$(mktemp -d "${VERIFY_SCRATCH_DIR:-${TMPDIR:-/tmp}}/medplum-verify.XXXXXX")"

# --- the manifest and the dump it names ------------------------------------------------------------------------------

manifest="$scratch/$MANIFEST_NAME"
store_get "$MANIFEST_NAME" "$manifest" 2>"$scratch/err" ||
  fail 2 "no manifest $MANIFEST_NAME in $STORE_DESCRIPTION: $(last_errors "$scratch/err"). Has the dump job ever completed?"
[[ "$(manifest_field "$manifest" format)" == "$MANIFEST_FORMAT" ]] ||
  fail 2 "$MANIFEST_NAME in $STORE_DESCRIPTION is not a $MANIFEST_FORMAT manifest"
dump_name="$(manifest_field "$manifest" dump)"
sha256="$(manifest_field "$manifest" sha256)"
[[ "$dump_name" =~ $DUMP_NAME_PATTERN ]] || fail 2 "$MANIFEST_NAME names the dump \"$dump_name\", not a medplum-<time>.dump"
dump_stamp="${BASH_REMATCH[1]}"
[[ "$sha256" =~ ^[0-9a-f]{64}$ ]] || fail 2 "$MANIFEST_NAME gives no SHA-256 for $dump_name"
log "newest dump: $dump_name (sha256 $sha256, started $(manifest_field "$manifest" startedAt))"

if [[ -n "$MAX_AGE_HOURS" ]]; then
  s="$dump_stamp"
  taken="$(date -u -d "${s:0:4}-${s:4:2}-${s:6:2} ${s:9:2}:${s:11:2}:${s:13:2} UTC" +%s)"
  age_hours=$((($(date -u +%s) - taken) / 3600))
  ((age_hours < MAX_AGE_HOURS)) ||
    fail 6 "the newest dump $dump_name is $age_hours hours old, more than VERIFY_MAX_AGE_HOURS=$MAX_AGE_HOURS; is the dump job still running?"
fi

if [[ "$STORE_KIND" == local ]]; then
  dump="$STORE_PATH/$dump_name"
  [[ -f "$dump" ]] || fail 2 "$MANIFEST_NAME names $dump_name, but $dump does not exist (pruned by hand?)"
else
  dump="$scratch/$dump_name"
  store_get "$dump_name" "$dump" 2>"$scratch/err" || fail 2 "cannot download $dump_name from $STORE_DESCRIPTION: $(last_errors "$scratch/err")"
fi
actual="$(sha256sum "$dump" | cut -d ' ' -f 1)"
[[ "$actual" == "$sha256" ]] ||
  fail 2 "SHA-256 MISMATCH: $dump_name has sha256 $actual, but $MANIFEST_NAME recorded $sha256 at dump time; the dump is corrupt or was replaced. This backup cannot be trusted."
log "checksum matches"

expected="$scratch/expected"
manifest_row_counts "$manifest" | LC_ALL=C sort >"$expected"
if [[ ! -s "$expected" ]]; then
  # A manifest without counts: count the dump's own data instead.
  dump_row_counts "$dump" 2>"$scratch/err" | LC_ALL=C sort >"$expected" || fail 2 "$dump_name cannot be read: $(last_errors "$scratch/err")"
fi
tables="$(wc -l <"$expected" | tr -d ' ')"
rows="$(awk -F '\t' '{ total += $2 } END { print total + 0 }' "$expected")"

# --- restore into a throwaway database ------------------------------------------------------------------------------

if [[ "$MODE" == local ]]; then
  for binary in initdb pg_ctl postgres; do
    command -v "$binary" >/dev/null || fail 1 "VERIFY_SERVER=local needs $binary on PATH (the postgres image has it under /usr/lib/postgresql/<major>/bin)"
  done
  log "starting a throwaway PostgreSQL in $scratch/pgdata"
  initdb -D "$scratch/pgdata" -U postgres --auth=trust --encoding=UTF8 --no-sync >"$scratch/initdb.log" 2>&1 ||
    fail 3 "initdb failed: $(last_errors "$scratch/initdb.log")"
  # A Unix socket in the scratch folder only: no TCP listener, nothing another pod could reach.
  pg_ctl -D "$scratch/pgdata" -l "$scratch/server.log" -w -t 120 -o "-k $scratch -c listen_addresses= -c fsync=off -c full_page_writes=off" start >/dev/null 2>&1 ||
    fail 3 "the throwaway PostgreSQL did not start: $(last_errors "$scratch/server.log")"
  server_started=true
  export PGHOST="$scratch" PGPORT=5432 PGUSER=postgres
  unset PGPASSWORD PGDATABASE
else
  # A leftover of an interrupted run would make the restore script say "nothing to do".
  sql -d postgres -c "DROP DATABASE IF EXISTS \"$VERIFY_DB\"" 2>"$scratch/err" ||
    fail 3 "cannot drop the leftover throwaway database $VERIFY_DB on ${PGHOST:-local socket}: $(last_errors "$scratch/err")"
fi

log "restoring $dump_name into $VERIFY_DB with $(basename "$RESTORE")"
if ! env -u MEDPLUM_DB_USER -u MEDPLUM_DB_PASSWORD MEDPLUM_DB_NAME="$VERIFY_DB" DUMP_SHA256="$sha256" bash "$RESTORE" "$dump" >"$scratch/restore.log" 2>&1; then
  fail 3 "RESTORE FAILED: $(basename "$RESTORE") could not restore $dump_name: $(grep -h 'ERROR' "$scratch/restore.log" | tail -n 1)"
fi
grep -q "restored database $VERIFY_DB from" "$scratch/restore.log" ||
  fail 3 "RESTORE FAILED: $(basename "$RESTORE") did not restore $dump_name into $VERIFY_DB: $(tail -n 1 "$scratch/restore.log")"

# --- compare every table's row count ---------------------------------------------------------------------------------

# One query counts every ordinary table (partitioned parents hold no rows of their own; their partitions are counted).
PGOPTIONS="${PGOPTIONS:-} -c statement_timeout=0" sql -d "$VERIFY_DB" -F $'\t' >"$scratch/restored.unsorted" 2>"$scratch/err" <<'SQL' ||
SELECT n.nspname || '.' || c.relname,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
SQL
  fail 3 "cannot count the rows of the restored database: $(last_errors "$scratch/err")"
LC_ALL=C sort "$scratch/restored.unsorted" >"$scratch/restored"

LC_ALL=C join -t $'\t' -a 1 -a 2 -e MISSING -o 0,1.2,2.2 "$expected" "$scratch/restored" |
  awk -F '\t' '
    $2 == "MISSING" && $3 == "0" { next }
    $2 == "MISSING" { printf "%s: %s rows restored, none recorded at dump time\n", $1, $3; next }
    $3 == "MISSING" { printf "%s: %s rows recorded at dump time, but the restored database has no such table\n", $1, $2; next }
    $2 != $3 { printf "%s: %s rows recorded at dump time, %s restored\n", $1, $2, $3 }
  ' >"$scratch/mismatches"
if [[ -s "$scratch/mismatches" ]]; then
  sed "s/^/$PROGRAM: MISMATCH: /" "$scratch/mismatches" >&2
  fail 4 "ROW COUNTS DIFFER in $(wc -l <"$scratch/mismatches" | tr -d ' ') tables after restoring $dump_name (first: $(head -n 1 "$scratch/mismatches")). This backup does not restore what was dumped."
fi

log "verified $dump_name: restored with $(basename "$RESTORE"), $tables tables and $rows rows, every table's row count as recorded at dump time"
