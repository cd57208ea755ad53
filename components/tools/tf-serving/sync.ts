import type { VersionPolicy } from "./params";

/**
 * How a TF Serving pod gets its model. TensorFlow Serving 2.20.0 has no S3 filesystem (its
 * tensorflow_model_server links only the GCS one: tensorflow_serving/model_servers/BUILD), so a
 * sidecar copies the served versions from S3 into the pod's models volume, and writes the server's
 * model config there. TF Serving polls both: the base path for version folders, the config for the
 * model list.
 */

/** The volume's bookkeeping folder: TF Serving ignores children of the base path that are not numbers. */
const STATE = ".platinfra";
/** Where the sidecar writes (the block mounts the models volume there for the sync containers). */
const SYNC_ROOT = "/models";

/** The server's model config, as the server sees it under the volume's mount path. */
export const modelConfigPath = (mountPath: string) => `${mountPath}/${STATE}/models.config`;
/** The server's monitoring config (Prometheus metrics on the REST port), as the server sees it. */
export const monitoringConfigPath = (mountPath: string) => `${mountPath}/${STATE}/monitoring.config`;
/** Where TF Serving serves Prometheus metrics when its monitoring config turns them on (its default path). */
export const METRICS_PATH = "/monitoring/prometheus/metrics";

/** The sidecar's startup check: the server starts once the first sync has written its config. */
export const SYNC_STARTED_COMMAND = ["/bin/sh", "-c", `test -f ${SYNC_ROOT}/${STATE}/models.config`];

/** TF Serving's text-proto model config for one model at `basePath`, serving the versions of `policy`. */
export function modelServerConfig(name: string, basePath: string, policy: VersionPolicy): string {
  return [
    "model_config_list {",
    "  config {",
    `    name: "${name}"`,
    `    base_path: "${basePath}"`,
    '    model_platform: "tensorflow"',
    `    model_version_policy { ${versionPolicyProto(policy)} }`,
    "  }",
    "}",
  ].join("\n");
}

function versionPolicyProto(policy: VersionPolicy): string {
  if (policy.all) return "all {}";
  if (policy.specific) return `specific { ${policy.specific.map((version) => `versions: ${version}`).join(" ")} }`;
  return `latest { num_versions: ${policy.latest ?? 1} }`;
}

/** The same policy for the sidecar: which of the versions in S3 it copies ("latest:N", "all", "specific:3 4"). */
export function versionSelector(policy: VersionPolicy): string {
  if (policy.all) return "all";
  if (policy.specific) return `specific:${policy.specific.join(" ")}`;
  return `latest:${policy.latest ?? 1}`;
}

/** Metrics for Prometheus on the REST port (monitoring_config.proto). */
export const MONITORING_CONFIG = `prometheus_config { enable: true path: "${METRICS_PATH}" }`;
/** A model list without models: the server starts and serves nothing until a version is in place. */
export const EMPTY_MODEL_CONFIG = "model_config_list {}";

/**
 * The sidecar's loop (POSIX sh and coreutils in the AWS CLI image; its settings in the environment:
 * SOURCE `s3://<bucket>/<path>/`, VERSIONS, MODEL_CONFIG, MONITORING_CONFIG, SYNC_INTERVAL_SECONDS).
 *
 * TF Serving loads a numbered folder as soon as it sees it, and a version that fails to load is not
 * retried after its load retries (5, a minute apart) until the server restarts. So a version never
 * appears half-copied: it is downloaded into the staging folder, taken only once a second pass finds
 * nothing new (the upload to S3 has finished) and it holds saved_model.pb, then renamed into the
 * base path whole (a rename within one volume is atomic). Versions are immutable: a folder already
 * in place is not downloaded again. Versions the policy no longer serves are removed from the disk
 * once a served one is in place (the server keeps the old one loaded until the new one is).
 *
 * The server starts (the sidecar's startup probe passes) once the config is written: when a served
 * version is in place, or when the prefix holds no version at all (an empty bucket: the first
 * deployment gives a running server that serves nothing until a version arrives). A prefix that
 * cannot be listed (AWS CLI exit code other than 1, "nothing there") or holds versions of which none
 * is served keeps the pod from starting: a rollout then stops with the old pods serving, instead of
 * replacing them with empty ones. A restarted sidecar finds the config and carries on.
 */
export const SYNC_SCRIPT = `set -u
root=${SYNC_ROOT}
state=$root/${STATE}
staging=$state/staging
mkdir -p "$staging"
publish() {
  printf '%s\\n' "$2" > "$state/$1.tmp" && mv "$state/$1.tmp" "$state/$1"
}
remote_versions() {
  listing=$(aws s3 ls "$SOURCE")
  case $? in 0) ;; 1) return 0 ;; *) return 1 ;; esac
  printf '%s\\n' "$listing" | while read -r kind name; do
    version=\${name%/}
    if [ "$kind" = PRE ]; then case $version in ''|*[!0-9]*) ;; *) echo "$version" ;; esac; fi
  done | sort -n
}
served() {
  case $VERSIONS in
    all) printf '%s\\n' "$1" ;;
    latest:*) printf '%s\\n' "$1" | tail -n "\${VERSIONS#latest:}" ;;
    specific:*) for version in $1; do for wanted in \${VERSIONS#specific:}; do [ "$version" -eq "$wanted" ] && echo "$version"; done; done ;;
  esac
}
take() {
  changes=$(aws s3 sync "$SOURCE$1/" "$staging/$1/" --no-progress) || return 1
  [ -z "$changes" ] || return 1
  [ -f "$staging/$1/saved_model.pb" ] || [ -f "$staging/$1/saved_model.pbtxt" ] || return 1
  mv "$staging/$1" "$root/$1" && echo "version $1 in place"
}
in_place() {
  for dir in "$root"/*; do case \${dir##*/} in ''|*[!0-9]*) ;; *) [ -d "$dir" ] && echo "\${dir##*/}" ;; esac; done
}
any_in_place() {
  for version in $1; do [ -d "$root/$version" ] && return 0; done
  return 1
}
round() {
  listed=no
  remote=$(remote_versions) || { echo "cannot list $SOURCE"; return 0; }
  listed=yes
  wanted=$(served "$remote")
  [ -n "$wanted" ] || [ -z "$remote" ] || echo "none of the versions under $SOURCE ($(echo $remote)) is one that $VERSIONS serves"
  for version in $wanted; do [ -d "$root/$version" ] || take "$version" || true; done
  any_in_place "$wanted" || return 0
  for version in $(in_place); do
    case " $(echo $wanted) " in *" $version "*) ;; *) mv "$root/$version" "$staging/.old-$version" && rm -rf "$staging/.old-$version" && echo "version $version removed" ;; esac
  done
  for dir in "$staging"/*; do
    case " $(echo $wanted) " in *" \${dir##*/} "*) ;; *) rm -rf "$dir" ;; esac
  done
}
config() {
  if [ -n "$(in_place)" ]; then publish models.config "$MODEL_CONFIG"; else publish models.config "${EMPTY_MODEL_CONFIG}"; fi
}
startable() {
  [ -f "$state/models.config" ] || { [ "$listed" = yes ] && { [ -z "$remote" ] || any_in_place "$wanted"; }; }
}
trap 'exit 0' TERM INT
publish monitoring.config "$MONITORING_CONFIG"
round; round
until startable; do sleep 5 & wait $!; round; done
config
while :; do sleep "$SYNC_INTERVAL_SECONDS" & wait $!; round; config; done
`;
