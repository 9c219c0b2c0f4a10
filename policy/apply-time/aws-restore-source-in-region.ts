import { at, blocks, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule, type PolicySubject, type StackIndex } from "../types";
import { AWS_DATABASE_RESOURCE_TYPES } from "../../facts/database-types";

/** The region of the aws provider configuration the resource uses (its `provider` alias, or the default one). */
function providerRegion(subject: PolicySubject, stack: StackIndex): string | undefined {
  const alias = /^aws\.(.+)$/.exec(literalString(subject.body.provider) ?? "")?.[1];
  const configurations = blocks(stack.json.provider?.aws);
  const configuration = configurations.find((candidate) => (alias === undefined ? candidate.alias === undefined : candidate.alias === alias));
  return literalString(configuration?.region);
}

/** The region of an RDS ARN (`arn:aws:rds:<region>:<account>:...`); undefined for a plain identifier or a reference. */
function arnRegion(value: unknown): string | undefined {
  return /^arn:aws[\w-]*:rds:([a-z0-9-]+):/.exec(literalString(value) ?? "")?.[1];
}

/**
 * RDS restores only from what is in the region it is called in: a snapshot (or cluster snapshot) is copied into the
 * recovery region first (CopyDBSnapshot / CopyDBClusterSnapshot, or an AWS Backup copy), and a point-in-time restore
 * across regions reads the automated backups replicated into the recovery region
 * (`source_db_instance_automated_backups_arn`). An ARN naming another region than the provider's cannot be restored.
 */
export const AwsRestoreSourceInRegion: PolicyRule = {
  id: "AwsRestoreSourceInRegion",
  description: "RDS and Aurora restore sources given as ARNs are in the provider's (recovery) region.",
  severity: "error",
  appliesTo: AWS_DATABASE_RESOURCE_TYPES,
  source:
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceFromDBSnapshot.html, API_RestoreDBClusterFromSnapshot.html, API_CopyDBSnapshot.html (copy across regions first), https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html",
  check: (subject, stack) => {
    const { body } = subject;
    const sources: Array<[string, unknown]> = [
      ["snapshot_identifier", body.snapshot_identifier],
      ["restore_to_point_in_time.source_db_instance_automated_backups_arn", at(body, "restore_to_point_in_time", "source_db_instance_automated_backups_arn")],
    ];
    const given = sources.filter(([, value]) => arnRegion(value) !== undefined);
    const region = providerRegion(subject, stack);
    if (given.length === 0 || region === undefined) return NOT_APPLICABLE;
    const elsewhere = given.filter(([, value]) => arnRegion(value) !== region);
    return elsewhere.length === 0
      ? COMPLIANT
      : nonCompliant(
          `${elsewhere.map(([attribute, value]) => `${attribute} is in ${arnRegion(value)}`).join("; ")}, not the provider's region ${region}; copy the snapshot (or replicate the automated backups) into ${region} and name that copy`,
        );
  },
};
