/**
 * Comparing the running server's version with the one `medplum.image` pins. The recovery must run the exact version the
 * backup was taken with (the server migrates at start-up and cannot skip minor versions), so a mismatch fails verify.
 */

export type PinnedVersion = { readonly kind: "tag"; readonly version: string } | { readonly kind: "digest"; readonly digest: string };

/** `medplum/medplum-server:5.0.10` -> 5.0.10 (a leading `v` dropped); `...@sha256:<hex>` -> a digest, not comparable. */
export function pinnedVersion(image: string): PinnedVersion {
  const digest = /@(sha256:[a-f0-9]{64})$/.exec(image);
  if (digest) return { kind: "digest", digest: digest[1] as string };
  const tag = /:([A-Za-z0-9_][A-Za-z0-9._-]{0,127})$/.exec(image)?.[1];
  if (tag === undefined) throw new Error(`medplum.image: ${JSON.stringify(image)} has no tag; the config loader should have refused it`);
  return { kind: "tag", version: tag.replace(/^v(?=\d)/, "") };
}

/**
 * Medplum reports `MEDPLUM_VERSION`, built as `<package.json version>-<git short hash>` (packages/core/esbuild.mjs:
 * `packageJson.version + '-' + gitHash`, the hash being `git rev-parse --short=7` or `unknown`), e.g. `5.0.10-3b9c1e2`.
 * The release part is what an image tag names.
 */
export function releaseOf(serverVersion: string): string {
  return serverVersion.replace(/-(?:[0-9a-f]{7,40}|unknown)$/, "");
}
