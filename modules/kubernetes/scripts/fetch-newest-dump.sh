#!/usr/bin/env bash
# Fetches the newest peacetime dump for the recovery: reads the manifest (latest.json) that dump-medplum-db.sh keeps in
# the dump folder, downloads the dump it names, and checks the download's SHA-256 against the one the manifest recorded
# at dump time. The restore Job's init container runs exactly this file (mounted from a ConfigMap); then the restore
# container runs `restore-medplum-db.sh --manifest <folder>/latest.json`, which checks the SHA-256 once more before it
# touches the database. test/kubernetes/standby-round-trip.test.ts runs both against the dump job's own output.
#
# Usage: fetch-newest-dump.sh <local folder>
#
#   DUMP_DESTINATION   the folder the dump job writes to, as this cluster reaches it (see dump-store.sh): a mounted
#                      path, s3://bucket/prefix, gs://bucket/prefix or https://<account>.blob.core.windows.net/<container>/prefix
#   S3_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, GOOGLE_APPLICATION_CREDENTIALS,
#   AZURE_SAS_TOKEN_FILE: see dump-store.sh.
#
# Writes <local folder>/<dump> and then <local folder>/latest.json: the manifest appears only beside a complete dump
# whose checksum matched, so the restore never starts on a partial or wrong download.
#
# Exit codes: 0 fetched; 1 usage or configuration; 2 no manifest, or one that names no usable dump; 3 the download
# failed; 4 SHA-256 MISMATCH (the dump in the store is not the one the manifest recorded).

set -euo pipefail

readonly PROGRAM="fetch-newest-dump"
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

[[ $# -eq 1 && "$1" != --* ]] || fail 1 "usage: $PROGRAM <local folder> (the dump folder comes from DUMP_DESTINATION)"
readonly TARGET="${1%/}"
[[ -n "${DUMP_DESTINATION:-}" ]] || fail 1 "DUMP_DESTINATION is not set; give the folder the dump job writes to"
[[ -d "$TARGET" && -w "$TARGET" ]] || fail 1 "$TARGET is not a writable folder"

store_init "$DUMP_DESTINATION"
if [[ "$STORE_KIND" != local ]] && ! command -v "$(store_tool)" >/dev/null; then
  fail 1 "this image has neither the ${STORE_KIND} CLI nor curl; cannot read $STORE_DESCRIPTION"
fi
scratch="$(mktemp -d "$TARGET/.fetch.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# --- the manifest ----------------------------------------------------------------------------------------------------

manifest="$scratch/$MANIFEST_NAME"
store_get "$MANIFEST_NAME" "$manifest" 2>"$scratch/err" ||
  fail 2 "no manifest $MANIFEST_NAME in $STORE_DESCRIPTION: $(last_errors "$scratch/err"). Has the standby's dump job ever completed there?"
[[ "$(manifest_field "$manifest" format)" == "$MANIFEST_FORMAT" ]] ||
  fail 2 "$MANIFEST_NAME in $STORE_DESCRIPTION is not a $MANIFEST_FORMAT manifest"
name="$(manifest_field "$manifest" dump)"
recorded="$(manifest_field "$manifest" sha256)"
[[ "$name" =~ $DUMP_NAME_PATTERN ]] || fail 2 "$MANIFEST_NAME in $STORE_DESCRIPTION names the dump \"$name\", not a medplum-<time>.dump"
[[ "$recorded" =~ ^[0-9a-f]{64}$ ]] || fail 2 "$MANIFEST_NAME in $STORE_DESCRIPTION records no SHA-256 for $name"
# A number's line ends in a comma that manifest_field (made for strings) keeps.
bytes="$(manifest_field "$manifest" bytes)"
log "newest dump in $STORE_DESCRIPTION: $name (sha256 $recorded, started $(manifest_field "$manifest" startedAt), ${bytes%,} bytes)"

# --- the dump it names -----------------------------------------------------------------------------------------------

log "downloading $name via $(store_tool)"
store_get "$name" "$scratch/$name" 2>"$scratch/err" ||
  fail 3 "cannot download $name from $STORE_DESCRIPTION: $(last_errors "$scratch/err")"
actual="$(sha256sum "$scratch/$name" | cut -d ' ' -f 1)"
[[ "$actual" == "$recorded" ]] ||
  fail 4 "SHA-256 MISMATCH: $name from $STORE_DESCRIPTION has sha256 $actual, but $MANIFEST_NAME recorded $recorded at dump time; the dump is corrupt or was replaced. Nothing was restored."
log "checksum matches the manifest"

# The dump first, the manifest last: a folder holding latest.json holds its dump whole.
mv -f "$scratch/$name" "$TARGET/$name"
mv -f "$manifest" "$TARGET/$MANIFEST_NAME"
log "fetched $name ($(wc -c <"$TARGET/$name" | tr -d ' ') bytes) and its manifest into $TARGET"
