/**
 * How the ECS servers verify the restored RDS or Aurora database. Its parameter group forces TLS (rds.force_ssl), and
 * the server certificate is signed by the recovery region's RDS certificate authority, which is not among Node's
 * bundled roots: verification needs AWS's regional bundle
 * (https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html). It cannot be fetched at synth (no
 * network, and Terraform has no data source for it), so the team downloads it in peacetime and names the file in
 * `targets.aws.database.caBundleFile`. Without it the servers still connect, encrypted, but without verifying the
 * certificate: a deliberate default, because refusing to connect would leave the recovered environment down; the
 * plan report and docs/targets/aws.md say so.
 */
import type { AwsTargetConfig } from "../../config/schema";
import { readCaBundle, type DatabaseTls } from "../medplum";

export function awsDatabaseTls(database: AwsTargetConfig["database"]): DatabaseTls {
  if (database.caBundleFile !== undefined) {
    // The endpoint the servers dial is the cluster or instance DNS name, which the RDS certificate carries.
    return { mode: "verify", ca: readCaBundle(database.caBundleFile, "targets.aws.database.caBundleFile") };
  }
  return {
    mode: "encrypt-only",
    reason: "targets.aws.database.caBundleFile is not set; the RDS CA is not in Node's bundled roots (docs/targets/aws.md, Database TLS)",
  };
}
