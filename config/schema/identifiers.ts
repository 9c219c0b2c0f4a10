/**
 * Validators for the identifiers, addresses and URLs the recovery config takes, shared by every target. Each names the
 * vendor's documented rule next to it: a value no cloud accepts must fail here, with its dotted path, rather than at
 * apply time in the middle of a recovery. Messages are read after the value, e.g.
 * `targets.aws.network.cidr: "10.400.0.0/16" has an octet above 255; ...`.
 */
import { z } from "zod";

/**
 * A string checked by `problem`, which answers what is wrong (read after the value) or `undefined`. One issue per
 * value, so one line per bad field. `pattern`, when given, goes to the JSON Schema so editors flag the value too.
 */
export function checkedString(problem: (value: string) => string | undefined, pattern?: RegExp) {
  const schema = z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== undefined) ctx.addIssue({ code: "custom", message });
  });
  return pattern === undefined ? schema : schema.meta({ pattern: pattern.source });
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses and CIDR blocks
// ---------------------------------------------------------------------------------------------------------------

/** zod's own IPv4/IPv6 grammar (octets 0-255 without leading zeros, prefix 0-32 / 0-128). */
const IPV4_CIDR = z.cidrv4();
const IPV6_CIDR = z.cidrv6();
const IPV4_ADDRESS = z.ipv4();
const IPV6_ADDRESS = z.ipv6();

export function isIpv4Address(value: string): boolean {
  return IPV4_ADDRESS.safeParse(value).success;
}

export function isIpv6Address(value: string): boolean {
  return IPV6_ADDRESS.safeParse(value).success;
}

/** The 32-bit value of a dotted-quad address that `isIpv4Address` accepted. */
export function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Why `value` is not a dotted-quad IPv4 address, in words a user can act on; `undefined` when it is one. */
function ipv4AddressProblem(address: string): string | undefined {
  if (isIpv4Address(address)) return undefined;
  const octets = address.split(".");
  if (octets.length !== 4 || octets.some((octet) => !/^\d{1,3}$/.test(octet))) return "is not four dot-separated numbers";
  if (octets.some((octet) => Number(octet) > 255)) return "has an octet above 255";
  return "has an octet with a leading zero (read as octal by some tools, decimal by others)";
}

export interface Ipv4CidrRule {
  /** Smallest prefix length allowed (the widest block). @default 0 */
  readonly minPrefix?: number;
  /** Largest prefix length allowed (the narrowest block). @default 32 */
  readonly maxPrefix?: number;
  readonly example: string;
  /**
   * What the cloud does with host bits set, for the message ("AKS requires the network address"). Every CIDR field
   * here asks for the network address: where the cloud does not refuse host bits it silently uses the enclosing
   * block, which is not what the value says.
   */
  readonly hostBits: string;
  /** Said instead of the prefix range when the block is wider than `minPrefix` allows (allow-lists: why wide is wrong). */
  readonly tooWide?: string;
  /** Refuse the RFC 1918 private ranges, with this reason (a firewall of public addresses). */
  readonly publicOnly?: string;
}

/** RFC 1918 private ranges (https://www.rfc-editor.org/rfc/rfc1918#section-3). */
const PRIVATE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [ipv4ToNumber("10.0.0.0"), 8],
  [ipv4ToNumber("172.16.0.0"), 12],
  [ipv4ToNumber("192.168.0.0"), 16],
];

/** Whether the block starting at `start` with `prefix` lies inside an RFC 1918 private range. */
export function isPrivateIpv4Block(start: number, prefix: number): boolean {
  return PRIVATE_RANGES.some(([network, bits]) => prefix >= bits && Math.floor(start / 2 ** (32 - bits)) === Math.floor(network / 2 ** (32 - bits)));
}

/** The problem with an IPv4 CIDR block, or `undefined`. */
export function ipv4CidrProblem(value: string, rule: Ipv4CidrRule): string | undefined {
  const { minPrefix = 0, maxPrefix = 32, example } = rule;
  const range = minPrefix === maxPrefix ? `/${minPrefix}` : `between /${minPrefix} and /${maxPrefix}`;
  const [address, prefixText, ...rest] = value.split("/");
  if (address === undefined || prefixText === undefined || rest.length > 0) {
    return isIpv4Address(value)
      ? `is an address without a prefix length; give a CIDR block ${range} such as ${example} (a single address is /32)`
      : `is not an IPv4 CIDR block ${range} such as ${example}`;
  }
  const addressProblem = ipv4AddressProblem(address);
  if (addressProblem !== undefined) return `${addressProblem}; give an IPv4 CIDR block ${range} such as ${example}`;
  if (!/^(0|[1-9]\d?)$/.test(prefixText) || Number(prefixText) > 32)
    return `has prefix length /${prefixText}, which IPv4 does not have (0-32); give a CIDR block ${range} such as ${example}`;
  if (!IPV4_CIDR.safeParse(value).success) return `is not an IPv4 CIDR block ${range} such as ${example}`;
  const prefix = Number(prefixText);
  if (prefix < minPrefix && rule.tooWide !== undefined) return `is a /${prefix}: ${rule.tooWide}`;
  if (prefix < minPrefix || prefix > maxPrefix) return `is a /${prefix}; give a CIDR block ${range} such as ${example}`;
  const size = 2 ** (32 - prefix);
  const start = ipv4ToNumber(address);
  const network = start - (start % size);
  if (network !== start) {
    return `has host bits set: the /${prefix} block containing ${address} starts at ${numberToIpv4(network)}, so write ${numberToIpv4(network)}/${prefix} (${rule.hostBits})`;
  }
  if (rule.publicOnly !== undefined && isPrivateIpv4Block(start, prefix)) return `is a private (RFC 1918) range; ${rule.publicOnly}`;
  return undefined;
}

/** Matches what `ipv4CidrProblem` may accept; for editors (the prefix and host-bit rules are checked in code). */
const IPV4_CIDR_PATTERN = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

export function ipv4Cidr(rule: Ipv4CidrRule) {
  return checkedString((value) => ipv4CidrProblem(value, rule), IPV4_CIDR_PATTERN);
}

/** An IPv4 or IPv6 CIDR block, network address only (Kubernetes NetworkPolicy `ipBlock.cidr`). */
export function ipCidr(example: string, hostBits: string) {
  return checkedString((value) => {
    if (!value.includes(":")) return ipv4CidrProblem(value, { example, hostBits });
    if (!IPV6_CIDR.safeParse(value).success) return `is not an IPv4 or IPv6 CIDR block such as ${example} or 2001:db8::/64`;
    const [address = "", prefixText = "0"] = value.split("/");
    const bits = ipv6ToBigInt(address);
    const hostBitCount = 128n - BigInt(prefixText);
    if (bits % (1n << hostBitCount) !== 0n) return `has host bits set; give the network address of the /${prefixText} block (${hostBits})`;
    return undefined;
  });
}

function ipv6ToBigInt(address: string): bigint {
  const [head = "", tail] = address.split("::");
  const groups = (text: string) => (text === "" ? [] : text.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return all.reduce((sum, group) => sum * 65536n + BigInt(parseInt(group, 16)), 0n);
}

export function ipv4Address(example: string) {
  return checkedString((value) => {
    const problem = ipv4AddressProblem(value);
    return problem === undefined ? undefined : `${problem}; give an IPv4 address such as ${example}`;
  });
}

/** How much of the address space a CIDR block covers, as a prefix length; for the public-exposure rules. */
export function cidrPrefix(value: string): number | undefined {
  const prefix = /\/(\d{1,3})$/.exec(value)?.[1];
  return prefix === undefined ? undefined : Number(prefix);
}

// ---------------------------------------------------------------------------------------------------------------
// DNS names
// ---------------------------------------------------------------------------------------------------------------

/** One DNS label (RFC 1123 section 2.1): letters, digits and hyphens, at most 63, no hyphen at either end. */
const LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
/** A host name: labels joined by dots, 253 characters at most (RFC 1035 section 2.3.4). */
export const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*$`);

// ---------------------------------------------------------------------------------------------------------------
// URLs: never a credential in clear
// ---------------------------------------------------------------------------------------------------------------

/**
 * Query parameters that carry a credential: API keys and tokens (`key`, `apikey`, `access_key`, `token`, `code` of Azure Functions),
 * signatures of pre-signed URLs (Azure SAS `sig`, S3 `X-Amz-Signature` / `X-Amz-Credential` / `X-Amz-Security-Token`,
 * Cloud Storage `X-Goog-Signature`), passwords.
 */
const CREDENTIAL_PARAMETER = /^(code|sig|sas|auth|pass|pwd|jwt)$|key$|token|secret|passw|signature|credential|authorization/i;

/** Webhook services whose URL path itself is the secret (anyone holding the URL can post). */
const SECRET_PATH_WEBHOOKS: ReadonlyArray<{ host: RegExp; path: RegExp; service: string }> = [
  { host: /^hooks\.slack\.com$/, path: /^\/(services|workflows|triggers)\//, service: "a Slack webhook" },
  { host: /^(discord|discordapp)\.com$/, path: /^\/api\/webhooks\//, service: "a Discord webhook" },
  { host: /(^|\.)webhook\.office\.com$|^outlook\.office(365)?\.com$/, path: /^\/webhook/, service: "a Microsoft Teams incoming webhook" },
  { host: /^events\.(eu\.)?pagerduty\.com$/, path: /^\/integration\//, service: "a PagerDuty integration URL" },
];

/**
 * Why `url` carries a credential, or `undefined`. A URL in the config is written in clear into the synthesized stack,
 * the plan output and the Terraform state, so a secret in it leaks to everyone who can read any of those.
 */
export function urlCredential(url: URL): string | undefined {
  if (url.username !== "" || url.password !== "") return "carries a user name and password (user:password@)";
  for (const name of url.searchParams.keys()) {
    if (CREDENTIAL_PARAMETER.test(name)) return `carries a credential in its query (parameter ${name})`;
  }
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ""));
  for (const name of fragment.keys()) {
    if (CREDENTIAL_PARAMETER.test(name)) return `carries a credential in its fragment (${name})`;
  }
  const secretPath = SECRET_PATH_WEBHOOKS.find((webhook) => webhook.host.test(url.hostname) && webhook.path.test(url.pathname));
  if (secretPath !== undefined) return `is ${secretPath.service}, whose path is itself the secret`;
  return undefined;
}

export interface UrlRule {
  /** Accepted schemes, with the colon: `https:`. */
  readonly schemes: readonly string[];
  readonly example: string;
  /** What to do instead of putting a credential in the URL, read after "; ". */
  readonly instead: string;
  /** Further checks on the parsed URL (host, path); answers the problem or `undefined`. */
  readonly check?: (url: URL) => string | undefined;
}

/** The problem with a URL: not parseable, wrong scheme, a credential in it, or what `rule.check` says. */
export function urlProblem(value: string, rule: UrlRule): string | undefined {
  const schemes = rule.schemes.map((scheme) => `${scheme}//`).join(" or ");
  let url: URL;
  try {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new TypeError("no scheme");
    url = new URL(value);
  } catch {
    return `is not a URL; give a ${schemes} URL such as ${rule.example}`;
  }
  if (/\s/.test(value)) return `contains white space; give a ${schemes} URL such as ${rule.example}`;
  if (!rule.schemes.includes(url.protocol)) return `is a ${url.protocol}// URL; give a ${schemes} URL such as ${rule.example}`;
  const credential = urlCredential(url);
  if (credential !== undefined)
    return `${credential}, which would be written in clear into the synthesized stack, the plan and the Terraform state; ${rule.instead}`;
  if (url.hostname === "") return `has no host; give a ${schemes} URL such as ${rule.example}`;
  return rule.check?.(url);
}

export function url(rule: UrlRule) {
  return checkedString((value) => urlProblem(value, rule));
}

// ---------------------------------------------------------------------------------------------------------------
// Container images
// ---------------------------------------------------------------------------------------------------------------

export interface ImageReference {
  /** Registry host (with port), when given. */
  readonly domain?: string;
  /** Repository path without the registry: `medplum/medplum-server`. */
  readonly path: string;
  readonly tag?: string;
  /** `sha256:<64 hex>`. */
  readonly digest?: string;
}

/**
 * The grammar of distribution/reference (https://github.com/distribution/reference/blob/main/reference.go, the
 * grammar in the package comment), which Docker, containerd and Kubernetes use: `[domain[:port]/]path[:tag][@digest]`,
 * path components of lower-case letters and digits joined by `.`, `_`, `__` or runs of `-`; a tag of at most 128 word
 * characters, dots and hyphens; the whole name at most 255 characters.
 */
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(localhost|([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:]+\])(:\d+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function parseImageReference(reference: string): ImageReference | undefined {
  const [nameAndTag = "", digest, ...extra] = reference.split("@");
  if (extra.length > 0 || (digest !== undefined && !DIGEST.test(digest))) return undefined;
  const slash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.lastIndexOf(":");
  const tag = colon > slash ? nameAndTag.slice(colon + 1) : undefined;
  const name = tag === undefined ? nameAndTag : nameAndTag.slice(0, colon);
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  if (name.length === 0 || name.length > 255) return undefined;
  const components = name.split("/");
  // The first component is a registry when it looks like a host: a dot, a port, or `localhost` (the reference rule).
  const first = components[0] ?? "";
  const domain = components.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost") ? first : undefined;
  const pathComponents = domain === undefined ? components : components.slice(1);
  if (domain !== undefined && !DOMAIN.test(domain)) return undefined;
  if (pathComponents.length === 0 || !pathComponents.every((component) => PATH_COMPONENT.test(component))) return undefined;
  return {
    ...(domain === undefined ? {} : { domain }),
    path: pathComponents.join("/"),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// AWS
// ---------------------------------------------------------------------------------------------------------------

/** Region codes (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html), GovCloud and ISO included. */
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/** Account ids are 12 digits (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html). */
export const AWS_ACCOUNT_ID = /^\d{12}$/;
/** Partitions (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html): aws, aws-cn, aws-us-gov, aws-iso... */
const AWS_PARTITION = /^aws(-[a-z]+)*$/;

export interface ArnRule {
  /** The service namespace: `rds`, `secretsmanager`. */
  readonly service: string;
  /** What the ARN names, for the message: "an RDS DB snapshot". */
  readonly what: string;
  /** The resource part (after the account), whole. */
  readonly resource: RegExp;
  /** How the resource part is formed, for the message: "snapshot:<identifier>". */
  readonly resourceForm: string;
  readonly example: string;
}

/**
 * The problem with an ARN, part by part (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html):
 * `arn:<partition>:<service>:<region>:<account>:<resource>`. Every ARN here is regional and in an account.
 */
export function arnProblem(value: string, rule: ArnRule): string | undefined {
  const form = `arn:<partition>:${rule.service}:<region>:<account>:${rule.resourceForm}`;
  const wrong = (detail: string) => `is not ${rule.what} ARN${detail === "" ? "" : `: ${detail}`}; expected ${form}, such as ${rule.example}`;
  const parts = value.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return wrong("");
  const [, partition = "", service = "", region = "", account = ""] = parts;
  const resource = parts.slice(5).join(":");
  if (!AWS_PARTITION.test(partition)) return wrong(`partition "${partition}" is not an AWS partition`);
  if (service !== rule.service) return wrong(service === "" ? "it names no service" : `it is a ${service} ARN`);
  if (!AWS_REGION.test(region)) return wrong(region === "" ? "it has no region" : `region "${region}" is not a region code`);
  if (!AWS_ACCOUNT_ID.test(account)) return wrong(`account "${account}" is not a 12-digit account id`);
  if (!rule.resource.test(resource)) return wrong(`resource "${resource.length > 60 ? `${resource.slice(0, 57)}...` : resource}" is not ${rule.resourceForm}`);
  return undefined;
}

export function arn(rule: ArnRule) {
  return checkedString((value) => arnProblem(value, rule));
}

/**
 * RDS snapshot identifiers (CreateDBSnapshot / CreateDBClusterSnapshot:
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSnapshot.html): 1-255 letters, digits and
 * hyphens, starting with a letter, no two hyphens in a row, no hyphen at the end. Automated snapshots carry an `rds:`
 * prefix and AWS Backup recovery points an `awsbackup:` one
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-rds.html).
 */
export const RDS_SNAPSHOT_IDENTIFIER = /^((rds|awsbackup):)?(?=.{1,255}$)[A-Za-z](-?[A-Za-z0-9])*$/;

/**
 * S3 general purpose bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 * `undefined` when valid.
 */
export function s3BucketNameProblem(name: string): string | undefined {
  const rule = "S3 bucket names are 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit";
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters long; ${rule}`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return `is not an S3 bucket name; ${rule}`;
  if (name.includes("..")) return "has two dots in a row, which S3 bucket names may not";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "is formatted as an IP address, which S3 bucket names may not be";
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((reserved) => name.startsWith(reserved));
  if (prefix !== undefined) return `starts with "${prefix}", which S3 reserves`;
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined) return `ends with "${suffix}", which S3 reserves`;
  return undefined;
}

export const s3BucketName = checkedString(s3BucketNameProblem, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);

// ---------------------------------------------------------------------------------------------------------------
// Google Cloud
// ---------------------------------------------------------------------------------------------------------------

/**
 * Project ids (https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin): 6-30
 * lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, and never containing
 * "google" (nor "null", "undefined" or "ssl", which the console refuses).
 */
export function gcpProjectIdProblem(value: string): string | undefined {
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(value)) {
    return "is not a Google Cloud project id (6-30 lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen) such as acme-medplum-prod";
  }
  const restricted = ["google", "null", "undefined", "ssl"].find((word) => value.includes(word));
  return restricted === undefined ? undefined : `contains "${restricted}", which Google Cloud project ids may not`;
}

export const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/**
 * Cloud Storage bucket names (https://cloud.google.com/storage/docs/buckets#naming): 3-63 characters (up to 222 with
 * dots, each dot-separated part at most 63) of lower-case letters, digits, hyphens, underscores and dots, starting and
 * ending with a letter or digit; not an IP address; not starting with "goog" nor containing "google".
 */
export function gcsBucketNameProblem(name: string): string | undefined {
  const rule = "Cloud Storage bucket names are 3-63 lower-case letters, digits, hyphens, underscores and dots, starting and ending with a letter or digit";
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name)) return `is not a Cloud Storage bucket name; ${rule}`;
  const max = name.includes(".") ? 222 : 63;
  if (name.length < 3 || name.length > max) return `is ${name.length} characters long; ${rule} (222 with dots)`;
  if (name.split(".").some((part) => part.length === 0 || part.length > 63))
    return "has an empty or longer than 63 characters dot-separated part, which Cloud Storage bucket names may not";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "is formatted as an IP address, which Cloud Storage bucket names may not be";
  if (name.startsWith("goog") || name.includes("google") || name.includes("g00gle"))
    return 'starts with "goog" or contains "google", which Cloud Storage reserves';
  return undefined;
}

export const gcsBucketName = checkedString(gcsBucketNameProblem, /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/);

// ---------------------------------------------------------------------------------------------------------------
// Azure
// ---------------------------------------------------------------------------------------------------------------

/** Subscription, tenant and object ids are GUIDs (https://learn.microsoft.com/azure/azure-portal/get-subscription-tenant-id). */
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Resource group names (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftresources):
 * 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period.
 */
export const AZURE_RESOURCE_GROUP = /^(?=.{1,90}$)[-\p{L}\p{N}_.()]*[-\p{L}\p{N}_()]$/u;

/** Name rules per resource type, from https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules. */
export const AZURE_NAMES = {
  /** Microsoft.DBforPostgreSQL/flexibleServers: 3-63 lower-case letters, digits and hyphens, no hyphen at either end. */
  flexibleServer: { pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, rule: "3-63 lower-case letters, digits and hyphens, no hyphen at either end" },
  /** Microsoft.Storage/storageAccounts: 3-24 lower-case letters and digits. */
  storageAccount: { pattern: /^[a-z0-9]{3,24}$/, rule: "3-24 lower-case letters and digits" },
  /** Microsoft.KeyVault/vaults: 3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--". */
  keyVault: {
    pattern: /^(?=.{3,24}$)[a-zA-Z](-?[a-zA-Z0-9])+$/,
    rule: "3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no two hyphens in a row",
  },
  /** Microsoft.ManagedIdentity/userAssignedIdentities: 3-128 letters, digits, hyphens and underscores, starting with a letter or digit. */
  userAssignedIdentity: {
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/,
    rule: "3-128 letters, digits, hyphens and underscores, starting with a letter or digit",
  },
  /** Microsoft.Network/virtualNetworks and .../subnets: 1-80 (vnet 2-64) word characters, periods and hyphens, starting with one, ending with a word character. */
  virtualNetwork: {
    pattern: /^[a-zA-Z0-9][\w.-]{0,62}\w$/,
    rule: "2-64 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore",
  },
  subnet: {
    pattern: /^[a-zA-Z0-9]([\w.-]{0,78}\w)?$/,
    rule: "1-80 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore",
  },
  /** Microsoft.Network/privateDnsZones: a DNS name of 2 to 34 labels, 1-63 characters each. */
  privateDnsZone: {
    pattern: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.){1,33}[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i,
    rule: "a DNS zone name such as privatelink.postgres.database.azure.com",
  },
} as const;

export interface AzureResourceIdRule {
  /** `Microsoft.DBforPostgreSQL` */
  readonly provider: string;
  /** Resource type, with the child type after a slash for child resources: `virtualNetworks/subnets`. */
  readonly type: string;
  /** The name rule of each name segment, parent first. */
  readonly names: ReadonlyArray<{ readonly pattern: RegExp; readonly rule: string }>;
  readonly example: string;
}

/**
 * The problem with an Azure resource id (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules):
 * `/subscriptions/<GUID>/resourceGroups/<group>/providers/<namespace>/<type>/<name>[/<child type>/<child name>]`.
 * The fixed words are case-insensitive, as in Azure.
 */
export function azureResourceIdProblem(value: string, rule: AzureResourceIdRule): string | undefined {
  const types = rule.type.split("/");
  const form = `/subscriptions/<GUID>/resourceGroups/<group>/providers/${rule.provider}/${types.map((type, index) => `${type}/<name${index === 0 ? "" : ` ${index + 1}`}>`).join("/")}`;
  const wrong = (detail: string) =>
    `is not a ${rule.provider}/${rule.type} resource id${detail === "" ? "" : `: ${detail}`}; expected ${form}, such as ${rule.example}`;
  const segments = value.split("/");
  const [, subscriptions = "", subscription = "", resourceGroups = "", group = "", providers = "", namespace = ""] = segments;
  if (
    segments[0] !== "" ||
    subscriptions.toLowerCase() !== "subscriptions" ||
    resourceGroups.toLowerCase() !== "resourcegroups" ||
    providers.toLowerCase() !== "providers"
  )
    return wrong("");
  if (!GUID.test(subscription)) return wrong(`subscription "${subscription}" is not a GUID`);
  if (!AZURE_RESOURCE_GROUP.test(group))
    return wrong(`resource group "${group}" is not a resource group name (1-90 letters, digits, _ - . ( ), not ending with a period)`);
  if (namespace.toLowerCase() !== rule.provider.toLowerCase()) return wrong(`it names a ${namespace}/${segments[7] ?? ""} resource`);
  if (segments.length !== 7 + types.length * 2) return wrong(`it has ${segments.length - 1} path segments, not ${6 + types.length * 2}`);
  for (const [index, type] of types.entries()) {
    const actualType = segments[7 + index * 2] ?? "";
    const name = segments[8 + index * 2] ?? "";
    if (actualType.toLowerCase() !== type.toLowerCase()) return wrong(`it names a ${namespace}/${actualType} resource`);
    const nameRule = rule.names[index];
    if (nameRule !== undefined && !nameRule.pattern.test(name)) return wrong(`${type} name "${name}" is not ${nameRule.rule}`);
  }
  return undefined;
}

export function azureResourceId(rule: AzureResourceIdRule) {
  return checkedString((value) => azureResourceIdProblem(value, rule), /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+$/i);
}

/**
 * Key Vault object identifiers (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers):
 * `https://<vault>.vault.azure.net/<keys|secrets|certificates>/<name>[/<version>]`; names are 1-127 letters, digits
 * and hyphens, versions 32 hex characters.
 */
export function keyVaultObjectId(kind: "keys" | "certificates", example: string) {
  const pattern = new RegExp(
    `^https://(?=[a-zA-Z0-9-]{3,24}\\.)[a-zA-Z](-?[a-zA-Z0-9])+\\.vault\\.azure\\.net/${kind}/[0-9a-zA-Z-]{1,127}(/[0-9a-fA-F]{32})?$`,
  );
  const what = kind === "keys" ? "Key Vault key id" : "Key Vault certificate id";
  return z.string().regex(pattern, `is not a ${what} (https://<vault>.vault.azure.net/${kind}/<name>, optionally /<32-hex version>) such as ${example}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/)
// ---------------------------------------------------------------------------------------------------------------

/** RFC 1123 label: namespaces, Services, most object names. */
export const K8S_DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain: Secret, ConfigMap, StorageClass, IngressClass and issuer names; labels joined by dots, 253 at most. */
export const K8S_DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Label and annotation keys (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set):
 * an optional DNS-subdomain prefix and a slash, then a name of at most 63 letters, digits, `-`, `_` and `.`, starting
 * and ending with a letter or digit.
 */
export function qualifiedNameProblem(key: string): string | undefined {
  const rule =
    "an optional DNS-subdomain prefix and '/', then 1-63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, such as app.kubernetes.io/name";
  const parts = key.split("/");
  if (parts.length > 2) return `has more than one '/'; a label or annotation key is ${rule}`;
  const name = parts[parts.length - 1] ?? "";
  const prefix = parts.length === 2 ? parts[0] : undefined;
  if (prefix !== undefined && !K8S_DNS_SUBDOMAIN.test(prefix))
    return `has prefix "${prefix}", which is not a DNS subdomain; a label or annotation key is ${rule}`;
  if (!/^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) return `is not a label or annotation key; a key is ${rule}`;
  return undefined;
}

/**
 * Where a team's own Redis answers: a host name or an IPv4 address, no scheme, no port. `example` shows one of the
 * cloud's own forms in the message.
 */
export function redisHost(example: string) {
  return checkedString((host) =>
    (HOST_NAME.test(host) && !/^[\d.]+$/.test(host)) || isIpv4Address(host)
      ? undefined
      : `is not a host name or IPv4 address; give where the Redis answers, such as ${example} (no scheme, no port)`,
  );
}
