/**
 * When a container image reference names one version. Medplum runs its database migrations at start-up and cannot
 * skip minor versions, so a recovery must run exactly the version the backup was taken with; a tag that moves (or no
 * tag, which means `latest`) may start another one. One list for the config, the policy pack and the plan report.
 */

/** Tags registries conventionally move: Docker's `latest`, and the channel names projects publish. */
export const FLOATING_TAGS: ReadonlySet<string> = new Set(["latest", "stable", "main", "master", "beta", "next", "edge", "nightly"]);

/**
 * Undefined when the reference names one version (an @sha256 digest, or a tag that is not a floating one); otherwise
 * why it floats. A Terraform interpolation is not a reference this can read and counts as pinned (config checked it).
 */
export function floatingImageProblem(image: string): string | undefined {
  if (image.includes("${")) return undefined;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon === -1 || colon === lastSegment.length - 1) return "has no tag, which means latest";
  const tag = lastSegment.slice(colon + 1);
  return FLOATING_TAGS.has(tag.toLowerCase()) ? `uses the floating tag "${tag}"` : undefined;
}
