/**
 * One synth of one recovery config: build the stacks, write them into a scratch folder, check exactly the files that
 * were written with the policy pack and the apply-time rules, and only then put them in place. A config is
 * synthesized once; the checks read the same `cdk.tf.json` files Terraform will read.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { RecoveryConfig } from "../config/schema";
import { codeSuppressions, evaluateStackJson, formatPolicyReport, hasBlockingFindings, RECOVERY_PACK, type TerraformJson } from "../policy";
import { buildRecoveryApp, validateRecoveryApp } from "../stacks/app";
import { installOutput, outputFolderRefusal, stateInsideOutputRefusal } from "./output-folder";

export interface SynthesisRequest {
  readonly config: RecoveryConfig;
  /** Where the output goes (cdktf.out, CDKTF_OUTDIR, or cdktf.out.<name> for one of several configs). */
  readonly outdir: string;
  /** The cdktf CLI owns the folder (CDKTF_OUTDIR): the new files are moved into it rather than replacing it. */
  readonly fromCli: boolean;
  /** Hosts no written stack may name: production's, for a drill (config/drill.ts). @default none */
  readonly forbiddenHosts?: readonly string[];
}

export type SynthesisOutcome =
  /** Written; `policy` is the summary to print. */
  | { readonly status: "written"; readonly outdir: string; readonly stacks: readonly string[]; readonly policy: string }
  /** Nothing written: the policy pack found an error, the output folder may not be replaced, or the synth failed. */
  | { readonly status: "refused"; readonly reason: string; readonly policy?: string };

/** The Terraform JSON cdktf wrote into `folder` for each stack, found through the folder's manifest (read once). */
function writtenStacks<S extends { readonly node: { readonly id: string } }>(
  folder: string,
  stacks: readonly S[],
): Array<{ readonly stack: S; readonly json: TerraformJson }> {
  const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string } | undefined> };
  return stacks.map((stack) => {
    const entry = manifest.stacks[stack.node.id];
    if (entry === undefined) throw new Error(`cdktf wrote no ${stack.node.id} into ${folder}/manifest.json`);
    return { stack, json: JSON.parse(readFileSync(join(folder, entry.synthesizedStackPath), "utf8")) as TerraformJson };
  });
}

/** Where in a stack's JSON a string names one of `hosts` (as a whole DNS name, not as a suffix of a longer one). */
export function hostMention(json: unknown, hosts: readonly string[], path = ""): string | undefined {
  if (typeof json === "string") {
    const host = hosts.find((candidate) => new RegExp(`(^|[^A-Za-z0-9.-])${candidate.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9-])`).test(json));
    return host === undefined ? undefined : `${host} at ${path || "(root)"}`;
  }
  if (typeof json !== "object" || json === null) return undefined;
  for (const [key, value] of Object.entries(json)) {
    if (key === "//") continue; // construct metadata, not configuration
    const found = hostMention(value, hosts, path === "" ? key : `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function synthesize({ config, outdir, fromCli, forbiddenHosts = [] }: SynthesisRequest): SynthesisOutcome {
  const target = resolve(outdir);
  const refusal = outputFolderRefusal(target, fromCli) ?? stateInsideOutputRefusal(config, target);
  if (refusal !== undefined) return { status: "refused", reason: refusal };

  // A sibling of the output folder, on the same filesystem, so putting it in place is renames only.
  const scratch = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  let policy: string | undefined;
  try {
    const { app, stacks } = buildRecoveryApp(config, scratch);
    app.synth();
    const invalid = validateRecoveryApp(stacks);
    if (invalid.length > 0) return { status: "refused", reason: `synthesis failed: ${invalid.join("; ")}` };
    const written = writtenStacks(scratch, stacks);
    for (const { stack, json } of written) {
      const mention = forbiddenHosts.length === 0 ? undefined : hostMention(json, forbiddenHosts);
      if (mention !== undefined) {
        return {
          status: "refused",
          reason: `${stack.node.id}: the drill names the production host ${mention}; a drill must not touch production (set the drill's own value in drill.overrides)`,
        };
      }
    }
    const reports = written.map(({ stack, json }) =>
      evaluateStackJson(json, stack.node.id, { suppressions: [...config.policy.suppressions, ...codeSuppressions(stack)] }, RECOVERY_PACK),
    );
    policy = formatPolicyReport(reports);
    if (hasBlockingFindings(reports)) {
      return {
        status: "refused",
        policy,
        reason: "synthesis refused: fix the policy errors above, or suppress them in the config's policy.suppressions with a reason",
      };
    }
    // Checked again at the last moment: a `terraform apply` may have run in the output folder while we synthesized.
    const late = outputFolderRefusal(target, fromCli);
    if (late !== undefined) return { status: "refused", policy, reason: late };
    installOutput(scratch, target, fromCli);
    return { status: "written", outdir: target, stacks: stacks.map((stack) => stack.node.id), policy };
  } catch (error) {
    return { status: "refused", ...(policy !== undefined ? { policy } : {}), reason: `synthesis failed: ${(error as Error).message}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
