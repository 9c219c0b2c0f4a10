/**
 * How long AKS supports each Kubernetes minor version. AKS creates no cluster on a version it has removed, so a
 * recovery pinned to one fails at apply time, in the middle of a disaster.
 *
 * Source: "Supported Kubernetes versions in AKS", section "AKS Kubernetes release calendar and upcoming versions",
 * https://learn.microsoft.com/azure/aks/supported-kubernetes-versions (public source MicrosoftDocs/azure-aks-docs,
 * articles/aks/supported-kubernetes-versions.md, ms.date 2026-08-05), read 2026-12-01. Confirmed there:
 *   - 1.32 to 1.37: GA month, end of life and LTS end of life, in both the release calendar and the LTS table;
 *   - 1.29 to 1.31: only in the LTS table (they have left the release calendar); 1.30 and 1.31 carry exact
 *     end-of-life days (Aug 22, 2025 and Nov 1, 2025).
 * Not confirmed: anything about 1.38 and later (not announced when read), and the "platform support" window, which the
 * page gives only as "until 1.(n+4) GA". Per the page, an end of life given as a month is that month's last day.
 *
 * The recovery stack does not enable long-term support (it needs the Premium tier and `support_plan =
 * AKSLongTermSupport`), so the end of life that matters is the community one; the LTS date is kept for the message.
 */

export interface AksVersionSupport {
  /** Kubernetes major.minor, e.g. "1.35". */
  readonly version: string;
  /** The month AKS made it generally available (YYYY-MM). */
  readonly ga: string;
  /** Last day of community support on AKS (YYYY-MM-DD). */
  readonly endOfLife: string;
  /** Last day of long-term support, for clusters that enable it (YYYY-MM-DD). */
  readonly ltsEndOfLife: string;
}

export const AKS_VERSIONS_SOURCE = {
  url: "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions",
  file: "MicrosoftDocs/azure-aks-docs: articles/aks/supported-kubernetes-versions.md (ms.date 2026-08-05)",
  read: "2026-12-01",
} as const;

export const AKS_VERSIONS: readonly AksVersionSupport[] = [
  { version: "1.29", ga: "2024-03", endOfLife: "2025-03-31", ltsEndOfLife: "2026-04-30" },
  { version: "1.30", ga: "2024-07", endOfLife: "2025-08-22", ltsEndOfLife: "2026-07-31" },
  { version: "1.31", ga: "2024-11", endOfLife: "2025-11-01", ltsEndOfLife: "2026-11-30" },
  { version: "1.32", ga: "2025-04", endOfLife: "2026-03-31", ltsEndOfLife: "2027-03-31" },
  { version: "1.33", ga: "2025-06", endOfLife: "2026-07-31", ltsEndOfLife: "2027-07-31" },
  { version: "1.34", ga: "2025-11", endOfLife: "2026-11-30", ltsEndOfLife: "2027-11-30" },
  { version: "1.35", ga: "2026-03", endOfLife: "2027-03-31", ltsEndOfLife: "2028-03-31" },
  { version: "1.36", ga: "2026-06", endOfLife: "2027-06-30", ltsEndOfLife: "2028-06-30" },
  { version: "1.37", ga: "2026-10", endOfLife: "2027-10-31", ltsEndOfLife: "2028-10-31" },
];

export type AksSupportStatus =
  | { readonly status: "supported"; readonly support: AksVersionSupport }
  | { readonly status: "past-end-of-life"; readonly support: AksVersionSupport }
  /** Older than every row: out of support before the table begins. */
  | { readonly status: "older-than-table"; readonly oldest: AksVersionSupport }
  /** Newer than every row, or not a major.minor version: the table cannot say. */
  | { readonly status: "unknown" };

/** Where `version` (major.minor, optionally with a patch) stands on `now`, by the table above. */
export function aksSupportStatus(version: string, now: Date): AksSupportStatus {
  const minor = /^1\.(\d+)(\.\d+)?$/.exec(version)?.[1];
  if (minor === undefined) return { status: "unknown" };
  const row = AKS_VERSIONS.find((candidate) => candidate.version === `1.${Number(minor)}`);
  if (row === undefined) {
    const oldest = AKS_VERSIONS[0] as AksVersionSupport;
    return Number(minor) < Number(oldest.version.split(".")[1]) ? { status: "older-than-table", oldest } : { status: "unknown" };
  }
  // Support lasts through the whole of the end-of-life day (UTC).
  const end = Date.parse(`${row.endOfLife}T23:59:59.999Z`);
  return now.getTime() > end ? { status: "past-end-of-life", support: row } : { status: "supported", support: row };
}

/** The supported versions on `now`, oldest first. */
export function supportedAksVersions(now: Date): string[] {
  return AKS_VERSIONS.filter((row) => aksSupportStatus(row.version, now).status === "supported").map((row) => row.version);
}
