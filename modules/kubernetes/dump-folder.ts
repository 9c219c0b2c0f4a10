/**
 * How a person reads a dump folder (the standby's DUMP_DESTINATION, the recovery's manifest location), for stack
 * outputs and the plan report. Its own module, free of provider bindings, so the report can name folders too.
 */

/** The fields of a dump folder that name it: dump-store.ts's BackupDestination and the manifest location both fit. */
export type DumpFolderLocation =
  | { readonly kind: "volume"; readonly claimName: string; readonly path?: string }
  | { readonly kind: "s3" | "gcs"; readonly bucket: string; readonly prefix?: string }
  | { readonly kind: "azure-blob"; readonly account: string; readonly container: string; readonly prefix?: string };

export function describeDestination(destination: DumpFolderLocation): string {
  switch (destination.kind) {
    case "volume":
      return `volume ${destination.claimName}${destination.path ? `:${destination.path}` : ""}`;
    case "s3":
      return `s3://${destination.bucket}/${destination.prefix ?? ""}`;
    case "gcs":
      return `gs://${destination.bucket}/${destination.prefix ?? ""}`;
    case "azure-blob":
      return `https://${destination.account}.blob.core.windows.net/${destination.container}/${destination.prefix ?? ""}`;
  }
}
