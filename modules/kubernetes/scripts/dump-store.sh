# shellcheck shell=bash
# Where peacetime dumps live, for dump-medplum-db.sh and verify-medplum-dump.sh (sourced by both; not run on its own).
#
# DUMP_DESTINATION names a folder of dumps:
#   /backups/medplum                                   a mounted volume (on-premises NFS, a PVC): plain files
#   s3://bucket/prefix                                 AWS S3, or S3-compatible storage with S3_ENDPOINT
#   gs://bucket/prefix                                 Google Cloud Storage
#   https://<account>.blob.core.windows.net/<container>/prefix   Azure Blob Storage, with a SAS token
#
# Object stores go through the vendor CLI when the image has it (aws, gcloud), else through curl and the documented
# REST calls. No secret is ever put on a command line (visible in /proc to every process of the pod) or printed: curl
# reads its credentials from a config on stdin.
#   s3     aws CLI: its usual credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity token, ...).
#          curl: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN, AWS_REGION; SigV4 signed by curl
#          (--aws-sigv4, curl >= 7.75). One PUT per object, so at most 5 GiB per dump.
#   gs     gcloud: GOOGLE_APPLICATION_CREDENTIALS (a service account key file) or the pod's workload identity.
#          curl: an OAuth token from the GKE metadata server (workload identity), the JSON API.
#   azure  curl only: the SAS token from AZURE_SAS_TOKEN_FILE (a mounted Secret) or AZURE_STORAGE_SAS_TOKEN; Put Blob
#          for small files, Put Block + Put Block List above AZURE_BLOCK_MIB (default 256) MiB.
#
# DUMP_STORE_TOOL=curl uses curl even where the CLI is installed. Other endpoints (emulators, sovereign clouds):
# S3_ENDPOINT; STORAGE_EMULATOR_HOST (a URL replacing https://storage.googleapis.com) and GCE_METADATA_HOST for GCS
# through curl; AZURE_BLOB_ENDPOINT (replacing https://<account>.blob.core.windows.net).
#
# Object names: medplum-<UTC start, YYYYMMDDTHHMMSSZ>.dump, its .sha256 beside it, and latest.json, the manifest of the
# newest complete dump, written last.

# Used by the scripts that source this file.
# shellcheck disable=SC2034
readonly MANIFEST_NAME="latest.json"
# shellcheck disable=SC2034
readonly MANIFEST_FORMAT="medplum-dr-dump-manifest/1"
# medplum-20261201T235000Z.dump
# shellcheck disable=SC2034
readonly DUMP_NAME_PATTERN='^medplum-([0-9]{8}T[0-9]{6}Z)\.dump$'

store_init() {
  local destination="${1%/}"
  case "$destination" in
    s3://*)
      STORE_KIND=s3
      STORE_BUCKET="${destination#s3://}"
      STORE_PREFIX="${STORE_BUCKET#*/}"
      STORE_BUCKET="${STORE_BUCKET%%/*}"
      ;;
    gs://*)
      STORE_KIND=gcs
      STORE_BUCKET="${destination#gs://}"
      STORE_PREFIX="${STORE_BUCKET#*/}"
      STORE_BUCKET="${STORE_BUCKET%%/*}"
      ;;
    https://*.blob.core.windows.net/*)
      STORE_KIND=azure
      STORE_BUCKET="${destination#https://}"
      STORE_ACCOUNT="${STORE_BUCKET%%.*}"
      STORE_BUCKET="${STORE_BUCKET#*/}"
      STORE_PREFIX="${STORE_BUCKET#*/}"
      STORE_BUCKET="${STORE_BUCKET%%/*}"
      ;;
    file:///*) STORE_KIND=local STORE_PATH="${destination#file://}" ;;
    /*) STORE_KIND=local STORE_PATH="$destination" ;;
    *) fail 1 "DUMP_DESTINATION \"$destination\" is not a folder path (/backups/medplum), s3://bucket/prefix, gs://bucket/prefix or https://<account>.blob.core.windows.net/<container>/prefix" ;;
  esac
  if [[ "$STORE_KIND" != local ]]; then
    # No prefix (s3://bucket): the objects sit at the bucket's root.
    [[ "$STORE_PREFIX" == "$STORE_BUCKET" ]] && STORE_PREFIX=""
    [[ -n "$STORE_BUCKET" ]] || fail 1 "DUMP_DESTINATION \"$destination\" names no bucket or container"
    [[ "$STORE_PREFIX$STORE_BUCKET" =~ ^[A-Za-z0-9._/-]*$ ]] || fail 1 "DUMP_DESTINATION \"$destination\": bucket and prefix may hold only letters, digits, . _ / -"
    STORE_PREFIX="${STORE_PREFIX:+$STORE_PREFIX/}"
  fi
  STORE_DESCRIPTION="$destination"
  if [[ "$STORE_KIND" == gcs && -n "${GOOGLE_APPLICATION_CREDENTIALS:-}" ]]; then
    # gcloud's own override: no `gcloud auth login`, so no credential state written to a (read-only) home.
    export CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE="$GOOGLE_APPLICATION_CREDENTIALS"
  fi
  if [[ "$STORE_KIND" == azure ]]; then
    if [[ -n "${AZURE_SAS_TOKEN_FILE:-}" ]]; then
      [[ -r "$AZURE_SAS_TOKEN_FILE" ]] || fail 1 "AZURE_SAS_TOKEN_FILE $AZURE_SAS_TOKEN_FILE is not readable"
      AZURE_STORAGE_SAS_TOKEN="$(tr -d '\r\n' <"$AZURE_SAS_TOKEN_FILE")"
    fi
    [[ -n "${AZURE_STORAGE_SAS_TOKEN:-}" ]] || fail 1 "Azure Blob destination without a SAS token: set AZURE_SAS_TOKEN_FILE (a mounted Secret) or AZURE_STORAGE_SAS_TOKEN"
    AZURE_STORAGE_SAS_TOKEN="${AZURE_STORAGE_SAS_TOKEN#\?}"
    # A block holds at most 4000 MiB.
    [[ "${AZURE_BLOCK_MIB:-256}" =~ ^[1-9][0-9]{0,3}$ && "${AZURE_BLOCK_MIB:-256}" -le 4000 ]] || fail 1 "AZURE_BLOCK_MIB \"${AZURE_BLOCK_MIB:-}\" is not a whole number of MiB from 1 to 4000"
    AZURE_BLOCK_BYTES=$((${AZURE_BLOCK_MIB:-256} * 1024 * 1024))
  fi
}

# How the object store is reached: the CLI when present, else curl.
store_tool() {
  if [[ "$STORE_KIND" != local && "${DUMP_STORE_TOOL:-}" == curl ]]; then
    echo curl
    return
  fi
  case "$STORE_KIND" in
    local) echo files ;;
    s3) if command -v aws >/dev/null; then echo aws; else echo curl; fi ;;
    gcs) if command -v gcloud >/dev/null; then echo gcloud; else echo curl; fi ;;
    azure) echo curl ;;
  esac
}

# curl with a config read from stdin (credentials and URLs with tokens stay out of argv), failing on HTTP errors, its
# own error text kept out of the log (it can quote the URL).
curl_with_config() {
  command -v curl >/dev/null || fail 1 "neither the $STORE_KIND CLI nor curl is in this image; use an image that has one"
  local status=0
  curl --config - --fail --silent --retry 3 --retry-delay 2 --connect-timeout 20 "$@" 2>/dev/null || status=$?
  return "$status"
}

s3_url() {
  local endpoint="${S3_ENDPOINT:-https://s3.${AWS_REGION:-us-east-1}.amazonaws.com}"
  printf '%s/%s/%s' "${endpoint%/}" "$STORE_BUCKET" "$1"
}
s3_curl_config() {
  printf 'user = "%s:%s"\n' "${AWS_ACCESS_KEY_ID:?AWS_ACCESS_KEY_ID is not set}" "${AWS_SECRET_ACCESS_KEY:?AWS_SECRET_ACCESS_KEY is not set}"
  printf 'aws-sigv4 = "aws:amz:%s:s3"\n' "${AWS_REGION:-us-east-1}"
  [[ -z "${AWS_SESSION_TOKEN:-}" ]] || printf 'header = "x-amz-security-token: %s"\n' "$AWS_SESSION_TOKEN"
  printf 'url = "%s"\n' "$1"
}
aws_cli() { aws ${S3_ENDPOINT:+--endpoint-url "$S3_ENDPOINT"} "$@"; }

gcs_token() {
  curl --fail --silent -H 'Metadata-Flavor: Google' "http://${GCE_METADATA_HOST:-metadata.google.internal}/computeMetadata/v1/instance/service-accounts/default/token" |
    sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'
}
gcs_curl_config() {
  local token
  token="$(gcs_token)" || true
  [[ -n "$token" ]] || fail 1 "no gcloud in this image and no token from the GKE metadata server (workload identity); cannot reach $STORE_DESCRIPTION"
  printf 'header = "Authorization: Bearer %s"\nurl = "%s"\n' "$token" "$1"
}
gcs_api() { printf '%s' "${STORAGE_EMULATOR_HOST:-https://storage.googleapis.com}"; }
gcs_object() { local name="$STORE_PREFIX$1"; printf '%s' "${name//\//%2F}"; }

azure_endpoint() { printf '%s' "${AZURE_BLOB_ENDPOINT:-https://$STORE_ACCOUNT.blob.core.windows.net}"; }
azure_url() { printf '%s/%s/%s?%s%s' "$(azure_endpoint)" "$STORE_BUCKET" "$1" "${2:+$2&}" "$AZURE_STORAGE_SAS_TOKEN"; }
azure_config() { printf 'url = "%s"\nheader = "x-ms-version: 2021-08-06"\n' "$1"; }

# store_put <local file> <name>: upload (or, on a volume, move into place). A reader never sees a partial object: an
# object store PUT replaces the object whole, and a file is written under a dot name and renamed.
store_put() {
  local file="$1" name="$2"
  case "$STORE_KIND:$(store_tool)" in
    local:*)
      # A file from elsewhere is copied in under a dot name first: only a rename within the folder is atomic.
      if [[ "$file" != "$STORE_PATH"/* ]]; then
        cp "$file" "$STORE_PATH/.$name.partial"
        file="$STORE_PATH/.$name.partial"
      fi
      # On disk before it is named: a crash must not leave a final name pointing at unwritten blocks.
      sync "$file" 2>/dev/null || true
      mv -f "$file" "$STORE_PATH/$name"
      ;;
    s3:aws) aws_cli s3 cp --only-show-errors "$file" "s3://$STORE_BUCKET/$STORE_PREFIX$name" ;;
    s3:curl) s3_curl_config "$(s3_url "$STORE_PREFIX$name")" | curl_with_config --upload-file "$file" --output /dev/null ;;
    gcs:gcloud) gcloud storage cp --quiet "$file" "gs://$STORE_BUCKET/$STORE_PREFIX$name" ;;
    gcs:curl)
      gcs_curl_config "$(gcs_api)/upload/storage/v1/b/$STORE_BUCKET/o?uploadType=media&name=$(gcs_object "$name")" |
        curl_with_config --request POST --header 'Content-Type: application/octet-stream' --data-binary "@$file" --output /dev/null
      ;;
    azure:curl) azure_put "$file" "$STORE_PREFIX$name" ;;
  esac
}

# Put Blob takes at most 5000 MiB in one request (x-ms-version 2019-12-12 and later); bigger files go in blocks of at
# most 4000 MiB each (Put Block, then Put Block List).
azure_put() {
  local file="$1" blob="$2" size
  size="$(wc -c <"$file" | tr -d ' ')"
  if ((size <= AZURE_BLOCK_BYTES)); then
    azure_config "$(azure_url "$blob")" | curl_with_config --request PUT --header 'x-ms-blob-type: BlockBlob' --upload-file "$file" --output /dev/null
    return
  fi
  local parts list index=0 id
  parts="$(mktemp -d "${TMPDIR:-/tmp}/azure-blocks.XXXXXX")"
  split --bytes="$AZURE_BLOCK_BYTES" --suffix-length=6 --numeric-suffixes "$file" "$parts/block-"
  list='<?xml version="1.0" encoding="utf-8"?><BlockList>'
  for part in "$parts"/block-*; do
    # Block ids: base64 of equal-length strings, as Put Block requires.
    id="$(printf 'block-%06d' "$index" | base64)"
    azure_config "$(azure_url "$blob" "comp=block&blockid=${id//=/%3D}")" | curl_with_config --request PUT --upload-file "$part" --output /dev/null ||
      { rm -rf "$parts"; return 1; }
    list+="<Latest>$id</Latest>"
    rm -f "$part"
    index=$((index + 1))
  done
  rm -rf "$parts"
  list+='</BlockList>'
  azure_config "$(azure_url "$blob" "comp=blocklist")" | curl_with_config --request PUT --data-binary "$list" --output /dev/null
}

# store_get <name> <local file>
store_get() {
  local name="$1" file="$2"
  case "$STORE_KIND:$(store_tool)" in
    local:*) cp "$STORE_PATH/$name" "$file" ;;
    s3:aws) aws_cli s3 cp --only-show-errors "s3://$STORE_BUCKET/$STORE_PREFIX$name" "$file" ;;
    s3:curl) s3_curl_config "$(s3_url "$STORE_PREFIX$name")" | curl_with_config --output "$file" ;;
    gcs:gcloud) gcloud storage cp --quiet "gs://$STORE_BUCKET/$STORE_PREFIX$name" "$file" ;;
    gcs:curl) gcs_curl_config "$(gcs_api)/storage/v1/b/$STORE_BUCKET/o/$(gcs_object "$name")?alt=media" | curl_with_config --output "$file" ;;
    azure:curl) azure_config "$(azure_url "$STORE_PREFIX$name")" | curl_with_config --output "$file" ;;
  esac
}

# store_list: the names of the objects in the folder, one a line (not recursive).
store_list() {
  case "$STORE_KIND:$(store_tool)" in
    local:*) find "$STORE_PATH" -mindepth 1 -maxdepth 1 -type f -printf '%f\n' ;;
    s3:aws) aws_cli s3 ls "s3://$STORE_BUCKET/$STORE_PREFIX" | awk '$1 != "PRE" { print $4 }' ;;
    s3:curl)
      # ListObjectsV2 returns up to 1000 keys: far more than any retention keeps.
      s3_curl_config "$(s3_url "")?list-type=2&prefix=$STORE_PREFIX" | curl_with_config --output - | tr '<' '\n' | sed -n 's/^Key>//p' | sed "s|^$STORE_PREFIX||" | grep -v /
      ;;
    gcs:gcloud) gcloud storage ls "gs://$STORE_BUCKET/$STORE_PREFIX" | sed "s|^gs://$STORE_BUCKET/$STORE_PREFIX||" | grep -v -e / -e '^$' ;;
    gcs:curl)
      gcs_curl_config "$(gcs_api)/storage/v1/b/$STORE_BUCKET/o?prefix=$STORE_PREFIX&delimiter=/&fields=items(name)" | curl_with_config --output - |
        sed 's/[,{}]/\n/g' | sed -n 's/.*"name" *: *"\([^"]*\)".*/\1/p' | sed "s|^$STORE_PREFIX||"
      ;;
    azure:curl)
      azure_config "$(azure_endpoint)/$STORE_BUCKET?restype=container&comp=list&prefix=$STORE_PREFIX&delimiter=/&$AZURE_STORAGE_SAS_TOKEN" |
        curl_with_config --output - |
        tr '<' '\n' | sed -n 's/^Name>//p' | sed "s|^$STORE_PREFIX||"
      ;;
  esac
}

# store_delete <name>
store_delete() {
  local name="$1"
  case "$STORE_KIND:$(store_tool)" in
    local:*) rm -f "$STORE_PATH/$name" ;;
    s3:aws) aws_cli s3 rm --only-show-errors "s3://$STORE_BUCKET/$STORE_PREFIX$name" ;;
    s3:curl) s3_curl_config "$(s3_url "$STORE_PREFIX$name")" | curl_with_config --request DELETE --output /dev/null ;;
    gcs:gcloud) gcloud storage rm --quiet "gs://$STORE_BUCKET/$STORE_PREFIX$name" ;;
    gcs:curl) gcs_curl_config "$(gcs_api)/storage/v1/b/$STORE_BUCKET/o/$(gcs_object "$name")" | curl_with_config --request DELETE --output /dev/null ;;
    azure:curl) azure_config "$(azure_url "$STORE_PREFIX$name")" | curl_with_config --request DELETE --output /dev/null ;;
  esac
}

# --- the manifest ----------------------------------------------------------------------------------------------------
# JSON for people and tools; the scripts read back only their own layout (one key a line, row counts one table a line),
# because the PostgreSQL image they run in has no JSON tool.

# manifest_field <file> <key>: the value of a top-level string or number field.
manifest_field() {
  sed -n "s/^  \"$2\": \"\{0,1\}\([^\"]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1" | head -n 1
}

# manifest_row_counts <file>: "<schema>.<table><TAB><rows>" lines, as recorded at dump time.
manifest_row_counts() {
  awk '
    /^  "rowCounts": \{/ { inside = 1; next }
    inside && /^  \}/ { inside = 0 }
    inside && match($0, /^    ".*": [0-9]+,?$/) {
      line = $0
      sub(/^    "/, "", line)
      count = line
      sub(/": [0-9]+,?$/, "", line)
      sub(/^.*": /, "", count)
      sub(/,$/, "", count)
      gsub(/\\"/, "\"", line)
      gsub(/\\\\/, "\\", line)
      printf "%s\t%s\n", line, count
    }
  ' "$1"
}

# dump_row_counts <dump>: "<schema>.<table><TAB><rows>" for every table whose data the dump holds, counted from the
# dump's own data: pg_restore writes each table's rows as a COPY block, one row a line (text format escapes newlines).
dump_row_counts() {
  pg_restore --data-only --file=- "$1" | awk '
    !copying && /^COPY .* FROM stdin;$/ {
      name = $0
      sub(/^COPY /, "", name)
      sub(/ (\(.*\) )?FROM stdin;$/, "", name)
      # public."Patient" -> public.Patient ("" inside quotes is one quote)
      gsub(/""/, "\001", name)
      gsub(/"/, "", name)
      gsub(/\001/, "\"", name)
      copying = 1
      rows = 0
      next
    }
    copying && $0 == "\\." { printf "%s\t%d\n", name, rows; copying = 0; next }
    copying { rows++ }
  '
}

# JSON string body (without the quotes) of a plain value.
json_escape() {
  local value="${1//\\/\\\\}"
  printf '%s' "${value//\"/\\\"}"
}
