/**
 * How the Medplum servers connect to PostgreSQL, and its encoding as Medplum's `database.ssl` setting
 * (`MEDPLUM_DATABASE_SSL`, a JSON object).
 *
 * Medplum passes `database.ssl` unchanged to node-postgres's Pool (packages/server/src/database.ts, `initPool`:
 * `ssl: config.ssl`, in 4.3.9 and 5.0.10). node-postgres (packages/pg/lib/connection.js) then asks the server for TLS
 * whenever `ssl` is set, fails when the server refuses it, and hands the object to Node's `tls.connect` after its own
 * `host`; it sets `servername` to the host only when the host is a name, not an IP address. So `ca` replaces Node's
 * bundled Mozilla roots, `rejectUnauthorized` (default true) verifies the chain, and `servername` is the name checked
 * against the certificate when the servers dial an IP address (Cloud SQL's private IP). `require` is Medplum's own flag;
 * node-postgres ignores it, but any `ssl` object already forces TLS.
 */
import { Fn, Token } from "cdktf";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export type DatabaseTls =
  /** A plain connection; only for a database that has no TLS and is reachable only inside a fenced network. */
  | { readonly mode: "off"; readonly reason: string }
  /**
   * TLS with the server certificate verified: against `ca` (PEM; a literal or a Terraform reference) or, without it,
   * against Node's bundled Mozilla roots; and its name against `serverName`, or else the host.
   */
  | { readonly mode: "verify"; readonly ca?: string; readonly serverName?: string }
  /**
   * TLS without verifying the server certificate: encrypted, but a host that can answer on the database's address
   * can pose as it. Only where no CA is known; `reason` says why, and the target's docs say so.
   */
  | { readonly mode: "encrypt-only"; readonly reason: string };

/** Keys of `database.ssl` Medplum declares (MedplumDatabaseSslConfig) plus `servername`, which reaches tls.connect. */
export const DATABASE_SSL_KEYS = ["ca", "key", "cert", "rejectUnauthorized", "require", "servername"] as const;

/** The value of `MEDPLUM_DATABASE_SSL`, or undefined for a plain connection. */
export function databaseSslSetting(tls: DatabaseTls): string | undefined {
  switch (tls.mode) {
    case "off":
      return undefined;
    case "encrypt-only":
      return JSON.stringify({ require: true, rejectUnauthorized: false });
    case "verify": {
      const ssl: Record<string, string | boolean> = { require: true, rejectUnauthorized: true };
      if (tls.ca !== undefined) ssl.ca = tls.ca;
      if (tls.serverName !== undefined) ssl.servername = tls.serverName;
      return jsonSettingValue(ssl);
    }
  }
}

/**
 * A JSON-valued setting (Medplum parses `ssl`, `tls` and, in 5.x, `smtp` with JSON.parse). Values known only at apply
 * time are encoded by Terraform; literal ones here, so the plan shows them plainly.
 */
export function jsonSettingValue(value: Readonly<Record<string, string | boolean>>): string {
  return Object.values(value).some((item) => typeof item === "string" && Token.isUnresolved(item)) ? Fn.jsonencode({ ...value }) : JSON.stringify(value);
}

/**
 * Reads a PEM bundle of CA certificates named in config (relative paths from the directory synth runs in) and
 * returns it normalised; throws a one-line error naming the field when the file is missing or holds no certificate.
 */
export function readCaBundle(path: string, field: string): string {
  let text: string;
  try {
    text = readFileSync(resolve(path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(
      `${field}: ${JSON.stringify(path)} cannot be read (${code}); give the path of a PEM file of CA certificates, relative to the directory synth runs in`,
    );
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${field}: ${JSON.stringify(path)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new Error(`${field}: ${JSON.stringify(path)} certificate ${index + 1} of ${blocks.length} is not a valid X.509 certificate`);
    }
  });
  return `${blocks.join("\n")}\n`;
}
