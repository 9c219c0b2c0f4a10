/** What every synth runs over each stack: the HIPAA-aligned pack, then the apply-time rules (docs/policy.md). */
import { APPLY_TIME_PACK } from "./apply-time-pack";
import { HIPAA_PACK } from "./pack";
import type { PackEntry } from "./types";

export const RECOVERY_PACK: readonly PackEntry[] = [...HIPAA_PACK, ...APPLY_TIME_PACK];
