/**
 * How external-dns decides whether it may change a record, read in its source (public repository
 * kubernetes-sigs/external-dns, tag v0.22.0 and main, read 2026-12-01):
 *
 * - Ownership is per controller, not per object: the TXT registry stores `heritage=external-dns,
 *   external-dns/owner=<id>,external-dns/resource=ingress/<namespace>/<name>` (endpoint/labels.go) in a TXT record
 *   named after the managed one with the record type as prefix, `a-<host>` or `cname-<host>` without `--txt-prefix`
 *   or `--txt-suffix` (registry/mapper/mapper.go `ToTXTName`). `<id>` is the controller flag `--txt-owner-id`,
 *   `default` when not given (pkg/apis/externaldns/types.go). No annotation on a source object sets or overrides it
 *   (source/annotations/annotations.go lists them all: hostname, ttl, target, set-identifier, controller, ...).
 * - The planner drops every update and delete of a record whose owner label is missing or another id
 *   (plan/plan.go, `endpoint.FilterEndpointsByOwnerID`), and skips creating a name that exists under another owner
 *   (`IsOwnedBy`); both only at debug level ("Skipping endpoint ... because owner id does not match" / "because of
 *   missing owner label"). A record made by hand or by Terraform has no registry TXT, so it has no owner and is never
 *   changed: the switch silently does not happen.
 * - Taking over is done on the controller or by hand: `--migrate-from-txt-owner=<old id>` (from v0.20.0) rewrites
 *   records of the old owner to `--txt-owner-id` (github.com/kubernetes-sigs/external-dns docs/registry/txt.md, "OwnerID migration", with its warning about
 *   zones shared with other clusters); or delete the old record and its registry TXT so the controller creates both;
 *   or rewrite the owner in the registry TXT.
 */

export const EXTERNAL_DNS_HOSTNAME_ANNOTATION = "external-dns.alpha.kubernetes.io/hostname";
export const EXTERNAL_DNS_TTL_ANNOTATION = "external-dns.alpha.kubernetes.io/ttl";

/** `--txt-owner-id` when the controller runs without it. */
export const EXTERNAL_DNS_DEFAULT_OWNER_ID = "default";

/**
 * Not read by external-dns: the owner id the recovery expects the cluster's external-dns to run with, on the Ingress
 * for the operator (`kubectl get ingress -o yaml`) and for the plan report's warning.
 */
export const EXPECTED_OWNER_ANNOTATION = "medplum-dr/external-dns-owner-id";

/** Names of the registry TXT record that says who owns `host`: for an A record and for a CNAME (no prefix or suffix flag). */
export function registryTxtNames(host: string): readonly [string, string] {
  return [`a-${host}`, `cname-${host}`];
}
