#!/usr/bin/env bash
# Restores a Medplum logical backup (pg_dump custom format) into the recovered PostgreSQL, then applies the settings
# Medplum requires. The restore Job runs exactly this file (mounted from a ConfigMap); the real-PostgreSQL test in
# test/kubernetes/restore-script.test.ts runs it too.
#
# Usage: restore-medplum-db.sh <dump file>
#        restore-medplum-db.sh --manifest <latest.json>
#          the newest dump named by the manifest dump-medplum-db.sh writes (the dump beside it in the same folder),
#          checked against the SHA-256 the manifest recorded at dump time
#
# Connection: the standard libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD (a role allowed to create databases and
# roles, e.g. the postgres superuser). Options, all from the environment:
#   MEDPLUM_DB_NAME        database to restore into                                  default: medplum
#   MEDPLUM_DB_USER        role Medplum connects as; created if missing, owns the restored objects
#                                                                                    default: the connecting role
#   MEDPLUM_DB_PASSWORD    that role's password (set on every run, never printed)    default: leave the password alone
#   DUMP_SHA256            expected SHA-256 of the dump (e.g. from a .sha256 file beside it); checked when set
#   RESTORE_JOBS           parallel pg_restore jobs                                  default: 2
#   MAINTENANCE_DB         database to connect to for CREATE/ALTER/DROP DATABASE     default: postgres
#
# Safe to run again: the restore goes into a staging database that is renamed to MEDPLUM_DB_NAME only when complete,
# with a comment recording the dump's SHA-256. A database that already carries such a comment is never touched again;
# one that holds tables without it is refused. A missing, empty, corrupt or truncated dump is refused before the
# database is touched.
#
# Exit codes: 0 restored, or nothing to do; 1 usage; 2 unusable dump; 3 target database in a state we will not
# overwrite; 4 restore failed (the target database is untouched).

set -euo pipefail

readonly PROGRAM="restore-medplum-db"
readonly MARKER_PREFIX="medplum-dr restore sha256:"

log() { printf '%s: %s\n' "$PROGRAM" "$*"; }
# The last lines of a tool's error output, on one line, for a message that says what failed.
last_errors() { tail -n "${2:-3}" "$1" | tr '\n' ' ' | sed -e 's/ *$//'; }
fail() {
  local code="$1"
  shift
  printf '%s: ERROR: %s\n' "$PROGRAM" "$*" >&2
  exit "$code"
}

# --- inputs ----------------------------------------------------------------------------------------------------------

expected_sha256="${DUMP_SHA256:-}"
if [[ $# -eq 2 && "$1" == "--manifest" ]]; then
  manifest="$2"
  [[ -f "$manifest" && -r "$manifest" ]] || fail 2 "manifest $manifest is not a readable file; has the dump job ever completed? Nothing was changed."
  # The manifest's own layout (dump-medplum-db.sh): one key a line; this image has no JSON tool.
  field() { sed -n "s/^  \"$1\": \"\([^\"]*\)\",\{0,1\}\$/\1/p" "$manifest" | head -n 1; }
  [[ "$(field format)" == "medplum-dr-dump-manifest/1" ]] || fail 2 "$manifest is not a medplum-dr-dump-manifest/1 manifest. Nothing was changed."
  newest="$(field dump)"
  recorded="$(field sha256)"
  [[ "$newest" =~ ^medplum-[0-9]{8}T[0-9]{6}Z\.dump$ ]] || fail 2 "$manifest names the dump \"$newest\", not a medplum-<time>.dump. Nothing was changed."
  [[ "$recorded" =~ ^[0-9a-f]{64}$ ]] || fail 2 "$manifest records no SHA-256 for $newest. Nothing was changed."
  if [[ -n "$expected_sha256" && "${expected_sha256,,}" != "$recorded" ]]; then
    fail 2 "DUMP_SHA256 $expected_sha256 differs from the SHA-256 $recorded that $manifest records for $newest; which dump is meant? Nothing was changed."
  fi
  expected_sha256="$recorded"
  DUMP="$(dirname "$manifest")/$newest"
  log "manifest $manifest names the newest dump $newest (sha256 $recorded)"
else
  [[ $# -eq 1 && "$1" != --* ]] || fail 1 "usage: $PROGRAM <dump file> (pg_dump custom format), or $PROGRAM --manifest <latest.json>"
  DUMP="$1"
fi
readonly DUMP
readonly DB_NAME="${MEDPLUM_DB_NAME:-medplum}"
readonly APP_USER="${MEDPLUM_DB_USER:-}"
readonly JOBS="${RESTORE_JOBS:-2}"
readonly MAINTENANCE="${MAINTENANCE_DB:-postgres}"
readonly STAGING="${DB_NAME}_restoring"

# Names go into SQL as identifiers: accept only plain lower-case ones so quoting can never be subverted.
identifier='^[a-z_][a-z0-9_]{0,50}$'
[[ "$DB_NAME" =~ $identifier ]] || fail 1 "MEDPLUM_DB_NAME \"$DB_NAME\" is not a plain lower-case identifier (letters, digits, _; at most 51 characters)"
[[ -z "$APP_USER" || "$APP_USER" =~ $identifier ]] || fail 1 "MEDPLUM_DB_USER \"$APP_USER\" is not a plain lower-case identifier"
[[ "$JOBS" =~ ^[1-9][0-9]?$ ]] || fail 1 "RESTORE_JOBS \"$JOBS\" is not a number between 1 and 99"

# --- check the dump before touching the database ---------------------------------------------------------------------

[[ -e "$DUMP" ]] || fail 2 "dump file $DUMP does not exist; did the download init container fail? Nothing was changed."
[[ -f "$DUMP" && -r "$DUMP" ]] || fail 2 "dump file $DUMP is not a readable file. Nothing was changed."
[[ -s "$DUMP" ]] || fail 2 "dump file $DUMP is empty (0 bytes); the backup or its download failed. Nothing was changed."

log "checking dump $DUMP ($(wc -c <"$DUMP" | tr -d ' ') bytes)"
checksum="$(sha256sum "$DUMP" | cut -d ' ' -f 1)"
if [[ -n "$expected_sha256" && "${expected_sha256,,}" != "$checksum" ]]; then
  fail 2 "dump file $DUMP has SHA-256 $checksum, expected $expected_sha256; the download is incomplete or the wrong file. Nothing was changed."
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# --list reads the table of contents only; reading the whole archive to /dev/null also catches truncated data.
if ! pg_restore --list "$DUMP" >"$scratch/toc" 2>"$scratch/err"; then
  fail 2 "dump file $DUMP is not a readable pg_dump archive (custom, tar or directory format): $(last_errors "$scratch/err"). Nothing was changed."
fi
if ! pg_restore --file=/dev/null "$DUMP" 2>"$scratch/err"; then
  fail 2 "dump file $DUMP is corrupt or truncated: $(last_errors "$scratch/err"). Nothing was changed."
fi
tables="$(grep -c ' TABLE DATA ' "$scratch/toc" || true)"
[[ "$tables" -gt 0 ]] || fail 2 "dump file $DUMP holds no table data; it is not a Medplum backup. Nothing was changed."
log "dump is readable: $tables tables with data, sha256 $checksum"

# --- decide what to do from the target database's state ---------------------------------------------------------------

# Notices (e.g. "does not exist, skipping") are noise in a Job log. The recovered server may run with Medplum's
# statement_timeout of 60 s as a server setting; index builds during a restore take longer, so the restore's own
# sessions have none.
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning -c statement_timeout=0"

sql() {
  # -X: no ~/.psqlrc; terse errors never quote statements back (they may carry a password variable).
  psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=terse "$@"
}

exists="$(sql -d "$MAINTENANCE" -c "SELECT count(*) FROM pg_database WHERE datname = '$DB_NAME'")" ||
  fail 4 "cannot connect to PostgreSQL at ${PGHOST:-local socket}:${PGPORT:-5432} as ${PGUSER:-$(id -un)} (database $MAINTENANCE)"

replace_empty=false
if [[ "$exists" == "1" ]]; then
  marker="$(sql -d "$MAINTENANCE" -c "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$DB_NAME'")"
  if [[ "$marker" == "$MARKER_PREFIX"* ]]; then
    restored_from="${marker#"$MARKER_PREFIX"}"
    restored_from="${restored_from%% *}"
    if [[ "$restored_from" == "$checksum" ]]; then
      log "nothing to do: database $DB_NAME was already restored from this dump (sha256 $checksum); left untouched"
    else
      log "nothing to do: database $DB_NAME was already restored from another dump (sha256 $restored_from, this one is $checksum)."
      log "a re-run never replaces a recovered database; drop $DB_NAME by hand first if you really mean to restore again"
    fi
    exit 0
  fi
  user_tables="$(sql -d "$DB_NAME" -c "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
  if [[ "$user_tables" != "0" ]]; then
    fail 3 "database $DB_NAME already holds $user_tables tables but no restore marker (it was not restored by this script, or Medplum started on it first); refusing to restore over it. Nothing was changed."
  fi
  replace_empty=true
  log "database $DB_NAME exists but holds no tables; it will be replaced by the restored one"
fi

# --- restore into a staging database, then swap it in ------------------------------------------------------------------

if [[ -n "$APP_USER" ]]; then
  log "ensuring role $APP_USER exists"
  # The password travels as a psql variable on stdin, never on a command line; logging is off for this session so the
  # server log does not record it either.
  sql -d "$MAINTENANCE" -v user="$APP_USER" -v password="${MEDPLUM_DB_PASSWORD:-}" <<'SQL' || fail 4 "could not create or update role $APP_USER"
\o /dev/null
SELECT set_config('log_statement', 'none', false) WHERE (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
\o
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'user', :'password') WHERE :'password' <> '' \gexec
SQL
fi
owner="${APP_USER:-}"

log "restoring into staging database $STAGING"
sql -d "$MAINTENANCE" -c "DROP DATABASE IF EXISTS \"$STAGING\"" || fail 4 "could not drop the leftover staging database $STAGING"
sql -d "$MAINTENANCE" -c "CREATE DATABASE \"$STAGING\" TEMPLATE template0 ENCODING 'UTF8'${owner:+ OWNER \"$owner\"}" ||
  fail 4 "could not create the staging database $STAGING"

restore_args=(--dbname="$STAGING" --exit-on-error --no-owner --no-privileges --jobs="$JOBS")
if [[ -n "$owner" ]]; then
  # Objects are created as the application role so it owns them. Extensions may need a superuser (some are untrusted),
  # so they are created first as the connecting role, and their entries are left out of the role's part.
  while read -r extension; do
    [[ "$extension" =~ $identifier ]] || fail 2 "dump file $DUMP names an unexpected extension \"$extension\". Nothing was changed."
    sql -d "$STAGING" -c "CREATE EXTENSION IF NOT EXISTS \"$extension\"" || fail 4 "could not create extension $extension in $STAGING"
  done < <(awk '$4 == "EXTENSION" && $5 == "-" { print $6 }' "$scratch/toc")
  grep -v -E '^[0-9]+; [0-9]+ [0-9]+ (EXTENSION - |COMMENT - EXTENSION )' "$scratch/toc" >"$scratch/toc.owned" || true
  restore_args+=(--role="$owner" --use-list="$scratch/toc.owned")
fi
if ! pg_restore "${restore_args[@]}" "$DUMP" 2>"$scratch/err"; then
  sql -d "$MAINTENANCE" -c "DROP DATABASE IF EXISTS \"$STAGING\"" || true
  fail 4 "pg_restore failed: $(last_errors "$scratch/err" 5). The target database $DB_NAME is untouched."
fi

log "applying Medplum's required settings and collecting planner statistics"
sql -d "$STAGING" -v marker="$MARKER_PREFIX$checksum file $(basename "$DUMP")" <<SQL || fail 4 "could not apply the settings to $STAGING; the target database $DB_NAME is untouched"
ALTER DATABASE "$STAGING" SET statement_timeout = 60000;
ALTER DATABASE "$STAGING" SET default_transaction_isolation = 'repeatable read';
COMMENT ON DATABASE "$STAGING" IS :'marker';
ANALYZE;
SQL

if [[ "$replace_empty" == true ]]; then
  sql -d "$MAINTENANCE" -c "DROP DATABASE \"$DB_NAME\"" || fail 4 "could not drop the empty database $DB_NAME (is something connected to it?)"
fi
# The rename is the commit point: until here, $DB_NAME never holds a partial restore.
sql -d "$MAINTENANCE" -c "ALTER DATABASE \"$STAGING\" RENAME TO \"$DB_NAME\"" || fail 4 "could not rename $STAGING to $DB_NAME"

log "restored database $DB_NAME from $DUMP (sha256 $checksum, $tables tables)"
