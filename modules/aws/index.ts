/** The AWS bundle. Being built on branch `aws`; this placeholder keeps main compiling until it lands. */
import type { RecoveryConfig } from "../../config/schema";
import type { RecoveryBundle } from "../contracts";

export function createAwsBundle(_config: RecoveryConfig): RecoveryBundle {
  throw new Error("the AWS bundle has not landed yet");
}
