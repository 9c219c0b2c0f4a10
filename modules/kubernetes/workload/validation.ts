/**
 * Checks on MedplumWorkloadProps, as a table of rules. Each message names the prop, quotes the value received and
 * says what would be accepted. Every failing rule is reported at once.
 */
import { Token } from "cdktf";
import type { MedplumWorkloadProps } from "./index";
import { MEDPLUM_VARIABLES, unknownMedplumVariables } from "../../medplum";
import { REQUIRED_SECRET_VARIABLES, SENSITIVE_MEDPLUM_VARIABLES, SENSITIVE_NAME_PATTERN } from "./configuration";
import type { NetworkPeer } from "./network-policy";

interface PropRule {
  readonly problems: (props: MedplumWorkloadProps, ownEnvironment: ReadonlySet<string>) => string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const CIDR = /^([0-9]{1,3}\.){3}[0-9]{1,3}\/([0-9]|[12][0-9]|3[0-2])$|^[0-9a-fA-F:]+\/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$/;
const quote = (value: unknown) => JSON.stringify(value);
const isLiteral = (value: string) => !Token.isUnresolved(value);
/** A whole-string Terraform expression such as `${data.google_secret_manager_secret_version.x.secret_data}`. */
const TERRAFORM_REFERENCE = /^\$\{(data|var|local|module|[a-z][a-z0-9]*_[a-z0-9_]+)\.[^{}]+\}$/;
const isReference = (value: string) => !isLiteral(value) || TERRAFORM_REFERENCE.test(value);

const peerProblems = (prop: string, peers: readonly NetworkPeer[] | undefined, required: boolean): string[] => {
  if (peers === undefined) return [];
  const problems: string[] = [];
  if (required && peers.length === 0) problems.push(`${prop}: is empty; name at least one peer, or the servers cannot reach it`);
  peers.forEach((peer, index) => {
    if ("cidr" in peer && isLiteral(peer.cidr) && !CIDR.test(peer.cidr)) {
      problems.push(`${prop}[${index}].cidr: ${quote(peer.cidr)} is not a CIDR such as 10.0.0.0/16`);
    }
  });
  return problems;
};

const V = MEDPLUM_VARIABLES;

const RULES: readonly PropRule[] = [
  {
    problems: (props) => {
      const missing: string[] = REQUIRED_SECRET_VARIABLES.filter((name) => props.secretEnvironment[name] === undefined);
      if (typeof props.database.username !== "string" && props.secretEnvironment[V.databaseUsername] === undefined) missing.unshift(V.databaseUsername);
      if (props.config.medplum.smtp !== undefined && props.secretEnvironment[V.smtpPassword] === undefined) missing.push(V.smtpPassword);
      return missing.map(
        (name) =>
          `secretEnvironment.${name}: is missing; name the Kubernetes Secret and key holding it ({ secretName, key }), the server cannot start without it`,
      );
    },
  },
  {
    problems: (props) => {
      const problems: string[] = [];
      if (props.config.medplum.smtp === undefined && props.secretEnvironment[V.smtpPassword] !== undefined) {
        problems.push(`secretEnvironment.${V.smtpPassword}: is given, but medplum.smtp is not set, so Medplum would get an SMTP password and no server`);
      }
      // Medplum signs CloudFront URLs only with both (packages/server/src/cloud/aws/storage.ts, getPresignedUrl).
      const keyParts = [V.signingKey, V.signingKeyId].filter((name) => props.secretEnvironment[name] !== undefined);
      if (keyParts.length === 1 || (keyParts.length === 0 && props.secretEnvironment[V.signingKeyPassphrase] !== undefined)) {
        problems.push(
          `secretEnvironment: gives ${[...keyParts, ...(props.secretEnvironment[V.signingKeyPassphrase] !== undefined ? [V.signingKeyPassphrase] : [])].join(", ")} but not both ${V.signingKey} and ${V.signingKeyId}; give the signing key settings together or not at all`,
        );
      }
      return problems;
    },
  },
  {
    problems: (props) =>
      props.storage.medplumBinaryStorage.startsWith("s3:") && props.awsRegion === undefined
        ? [
            `awsRegion: is not set, but binary storage is ${props.storage.medplumBinaryStorage}; Medplum's S3 client takes its region from ${V.awsRegion}, not AWS_REGION, and would address the bucket in us-east-1`,
          ]
        : [],
  },
  {
    problems: (props, ownEnvironment) =>
      unknownMedplumVariables(
        [...ownEnvironment, ...Object.keys(props.extraEnvironment ?? {}), ...Object.keys(props.secretEnvironment)],
        props.config.medplum.image,
      ),
  },
  {
    problems: (props) =>
      Object.entries(props.secretEnvironment).flatMap(([name, reference]) => [
        ...(ENV_NAME.test(name) ? [] : [`secretEnvironment: ${quote(name)} is not an environment variable name`]),
        ...(isLiteral(reference.secretName) && !DNS_SUBDOMAIN.test(reference.secretName)
          ? [`secretEnvironment.${name}.secretName: ${quote(reference.secretName)} is not a Kubernetes object name (lower-case letters, digits, '-' and '.')`]
          : []),
        ...(isLiteral(reference.key) && !SECRET_KEY.test(reference.key)
          ? [`secretEnvironment.${name}.key: ${quote(reference.key)} is not a Secret data key (letters, digits, '-', '_' and '.')`]
          : []),
      ]),
  },
  {
    problems: (props, ownEnvironment) =>
      Object.keys(props.extraEnvironment ?? {}).flatMap((name) => {
        if (!ENV_NAME.test(name)) return [`extraEnvironment: ${quote(name)} is not an environment variable name`];
        if ((SENSITIVE_MEDPLUM_VARIABLES as readonly string[]).includes(name) || SENSITIVE_NAME_PATTERN.test(name)) {
          return [`extraEnvironment.${name}: looks sensitive and would land in a ConfigMap in clear; pass it in secretEnvironment as { secretName, key }`];
        }
        if (ownEnvironment.has(name)) return [`extraEnvironment.${name}: is set by the workload itself from config and the contracts; change it there`];
        if (props.secretEnvironment[name] !== undefined) return [`extraEnvironment.${name}: is also in secretEnvironment; give it in one place`];
        return [];
      }),
  },
  {
    problems: (props) =>
      (props.secretsToCreate ?? []).flatMap((secret) =>
        Object.entries(secret.data).flatMap(([key, value]) =>
          !isReference(value)
            ? [
                `secretsToCreate.${secret.id}.data.${key}: is a literal value, which would sit in clear in the synthesized JSON; pass a Terraform reference (e.g. a secret manager data source's secret_data) or reference an existing Secret through secretEnvironment`,
              ]
            : [],
        ),
      ),
  },
  {
    problems: (props) => {
      const referenced = new Set(Object.values(props.secretEnvironment).map((reference) => reference.secretName));
      const names = (props.secretsToCreate ?? []).map((secret) => secret.name);
      return names.flatMap((name, index) => [
        ...(names.indexOf(name) !== index ? [`secretsToCreate: ${quote(name)} is given twice`] : []),
        ...(!referenced.has(name) ? [`secretsToCreate: ${quote(name)} is created but no secretEnvironment entry reads it`] : []),
      ]);
    },
  },
  {
    problems: (props) => {
      if (props.ingress === null) return [];
      const tls = props.ingress.tls;
      if (tls.mode === "cert-manager" && tls.issuerName.trim() === "") return ["ingress.tls.issuerName: is empty; name the cert-manager (Cluster)Issuer"];
      if (tls.mode === "existing-secret" && tls.secretName.trim() === "") return ["ingress.tls.secretName: is empty; name the kubernetes.io/tls Secret"];
      if (tls.mode === "cloud-managed" && Object.keys(tls.annotations).length === 0) {
        return [
          "ingress.tls.annotations: is empty; name the cloud certificate (e.g. ingress.gcp.kubernetes.io/pre-shared-cert), or the Ingress would serve no TLS",
        ];
      }
      return [];
    },
  },
  {
    problems: (props) => {
      const ttl = props.ingress?.externalDns?.ttlSeconds;
      return ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1 || ttl > 86400)
        ? [`ingress.externalDns.ttlSeconds: ${quote(ttl)} is not a whole number of seconds between 1 and 86400`]
        : [];
    },
  },
  {
    problems: (props) => {
      const target = props.targetCpuUtilizationPercent;
      return target !== undefined && (!Number.isInteger(target) || target < 10 || target > 100)
        ? [`targetCpuUtilizationPercent: ${quote(target)} is not a whole percentage between 10 and 100`]
        : [];
    },
  },
  {
    problems: (props) => {
      const budget = props.disruptionBudget;
      if (budget === undefined) return [];
      const value = "minAvailable" in budget ? budget.minAvailable : budget.maxUnavailable;
      const problems = !Number.isInteger(value) || value < 0 ? [`disruptionBudget: ${quote(budget)} is not a whole number of pods`] : [];
      if ("minAvailable" in budget && budget.minAvailable >= props.config.medplum.server.count) {
        problems.push(
          `disruptionBudget.minAvailable: ${budget.minAvailable} is not below medplum.server.count (${props.config.medplum.server.count}), so no node could ever be drained; lower it or use maxUnavailable`,
        );
      }
      return problems;
    },
  },
  {
    problems: (props) => [
      ...peerProblems("networkPolicy.ingressFrom", props.networkPolicy.ingressFrom, true),
      ...peerProblems("networkPolicy.database", props.networkPolicy.database, true),
      ...peerProblems("networkPolicy.cache", props.networkPolicy.cache, true),
      ...peerProblems("networkPolicy.dns", props.networkPolicy.dns, true),
      ...peerProblems("networkPolicy.https", props.networkPolicy.https, false),
    ],
  },
];

export class MedplumWorkloadPropsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`MedplumWorkload: ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "MedplumWorkloadPropsError";
  }
}

/** Throws one error listing every problem; returns quietly when the props are usable. */
export function validateWorkloadProps(props: MedplumWorkloadProps, ownEnvironment: ReadonlySet<string>): void {
  const problems = RULES.flatMap((rule) => rule.problems(props, ownEnvironment));
  if (problems.length > 0) throw new MedplumWorkloadPropsError(problems);
}
