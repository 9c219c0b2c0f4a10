/**
 * The synth output folder: when it may be written, and how a new output replaces it.
 *
 * Terraform state is never lost to a synth. Local state lives outside the output folder (providers/backend.ts), and an
 * output folder that still holds a state file (left by an earlier version, or by `errored.tfstate` after a failed
 * state upload) is refused, as is a folder that is not a cdktf output at all. What Terraform keeps per stack folder
 * (`.terraform/`: backend settings, the selected workspace, providers; `.terraform.lock.hcl`) moves into the new output.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { RecoveryConfig, StateBackendConfig } from "../config/schema";
import { defaultLocalStatePath, STATE_FOLDER } from "../providers/backend";

/** Terraform's working files in a stack folder that outlive a synth; none of them is state. */
const TERRAFORM_WORKING_FILES = [".terraform", ".terraform.lock.hcl"] as const;

/**
 * Why `outdir` must not be written, or undefined when it may be: it is absent, empty, or a cdktf output folder that
 * holds no Terraform state.
 */
export function outputFolderRefusal(outdir: string, fromCli: boolean): string | undefined {
  if (!existsSync(outdir)) return undefined;
  const refusing = `refusing to ${fromCli ? "write into" : "replace"} ${display(outdir)}`;
  const elsewhere = fromCli ? "move it away or point CDKTF_OUTDIR (cdktf.json's output) elsewhere" : "move it away";
  if (!statSync(outdir).isDirectory()) return `${refusing}: it exists and is not a folder; ${elsewhere}`;
  if (readdirSync(outdir).length === 0) return undefined;
  if (!isCdktfOutput(outdir)) {
    // Only ever replace (or write into) a folder an earlier synth wrote: anything else at that path is not ours.
    return `${refusing}: it exists and is not a cdktf output folder (no cdktf manifest.json); ${elsewhere}`;
  }
  const states = stateFilesIn(outdir);
  if (states.length === 0) return undefined;
  const [first] = states as [string, ...string[]];
  const more = states.length > 1 ? ` (and ${states.length - 1} more)` : "";
  const why = fromCli ? "where the stacks' backends no longer look" : "and every synth replaces that folder";
  return `${refusing}: it holds Terraform state, ${display(first)}${more}, ${why}; ${howToMove(outdir, first)}`;
}

export function isCdktfOutput(outdir: string): boolean {
  const manifest = join(outdir, "manifest.json");
  if (!existsSync(manifest)) return false;
  try {
    const json = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown; stacks?: unknown };
    return typeof json.version === "string" && json.stacks !== null && typeof json.stacks === "object";
  } catch {
    return false;
  }
}

/**
 * Every state file below `folder`: `*.tfstate` (local state, `terraform.tfstate.d/<workspace>/terraform.tfstate`,
 * `errored.tfstate`) and `*.tfstate.backup`. `.terraform/` is skipped: its `terraform.tfstate` is Terraform's record of
 * the backend settings, not state (internal/command/meta_backend.go in hashicorp/terraform), and it is carried over.
 */
function stateFilesIn(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    const entry = lstatSync(path);
    if (entry.isDirectory()) {
      if (name !== ".terraform") found.push(...stateFilesIn(path));
    } else if (name.endsWith(".tfstate") || name.endsWith(".tfstate.backup")) {
      found.push(path);
    }
  }
  return found;
}

/** The one-line instruction for moving a state file found in the output folder to where the local backend looks now. */
function howToMove(outdir: string, file: string): string {
  const [stacks, stack, ...rest] = relative(outdir, file).split(sep);
  const project = dirname(outdir);
  const stateFolder = display(join(project, STATE_FOLDER));
  let destination: string | undefined;
  if (stacks === "stacks" && stack !== undefined) {
    const name = rest.join("/");
    if (name === `terraform.${stack}.tfstate` || name === "terraform.tfstate") destination = join(project, defaultLocalStatePath(stack));
    else if (rest[0] === "terraform.tfstate.d" && rest.length === 3)
      destination = join(project, `${defaultLocalStatePath(stack)}.d`, rest[1] as string, rest[2] as string);
  }
  const readme = 'README, "Where Terraform state lives"';
  if (destination === undefined) {
    return `move it out of ${display(outdir)} first (an errored.tfstate, left by a failed state upload: \`terraform state push errored.tfstate\` in its stack folder, then delete it; ${readme})`;
  }
  return (
    `local state lives in ${stateFolder}/ now: mkdir -p ${display(dirname(destination))} && mv ${display(file)} ${display(destination)}, ` +
    `then run \`terraform init -migrate-state\` in the stack folder (${readme})`
  );
}

/** A configured local state path that lands inside the output folder would be deleted by the next synth. */
export function stateInsideOutputRefusal(config: RecoveryConfig, outdir: string): string | undefined {
  for (const [target, settings] of Object.entries(config.targets)) {
    const backend = (settings as { backend?: StateBackendConfig } | undefined)?.backend;
    if (backend?.type !== "local" || backend.path === undefined) continue;
    const where = resolve(dirname(outdir), backend.path);
    if (where === outdir || where.startsWith(`${outdir}${sep}`)) {
      return (
        `targets.${target}.backend.path: "${backend.path}" is inside the synth output ${display(outdir)}, which every synth replaces; ` +
        `keep state outside it (relative paths are from ${display(dirname(outdir))}; the default is ${defaultLocalStatePath("<stack>")})`
      );
    }
  }
  return undefined;
}

/** Moves `.terraform/` and the provider lock file of every stack folder the new output still has. */
function carryTerraformWorkingFiles(outdir: string, scratch: string): void {
  const stacks = join(outdir, "stacks");
  if (!existsSync(stacks) || !lstatSync(stacks).isDirectory()) return;
  for (const stack of readdirSync(stacks)) {
    const into = join(scratch, "stacks", stack);
    if (!existsSync(into)) continue;
    for (const name of TERRAFORM_WORKING_FILES) {
      const from = join(stacks, stack, name);
      if (existsSync(from) && !existsSync(join(into, name))) renameSync(from, join(into, name));
    }
  }
}

/** A path as the user would type it: relative to the working folder when inside it. */
export function display(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === "" ? "." : shown.startsWith("..") || isAbsolute(shown) ? path : shown;
}

/**
 * Puts a complete, checked output in place. Run directly, the scratch folder replaces the output folder by two
 * renames, so it holds the complete old output or the complete new one, never a mix. Under the cdktf CLI the output
 * folder is the CLI's own (it runs Terraform there), so the new files are renamed into it one by one instead; the CLI
 * removes stack folders the new manifest no longer names.
 */
export function installOutput(scratch: string, outdir: string, fromCli: boolean): void {
  if (fromCli && existsSync(outdir)) {
    moveInto(scratch, outdir);
    rmSync(scratch, { recursive: true, force: true });
    return;
  }
  carryTerraformWorkingFiles(outdir, scratch);
  const previous = existsSync(outdir) ? `${scratch}-previous` : undefined;
  if (previous) renameSync(outdir, previous);
  renameSync(scratch, outdir);
  if (previous) rmSync(previous, { recursive: true, force: true });
}

/** Every file of `from` renamed to the same place under `into`, folders created as needed, nothing else touched. */
function moveInto(from: string, into: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(into, entry.name);
    if (entry.isDirectory() && existsSync(target) && lstatSync(target).isDirectory()) {
      moveInto(source, target);
    } else {
      if (existsSync(target) && lstatSync(target).isDirectory()) rmSync(target, { recursive: true, force: true });
      renameSync(source, target);
    }
  }
}
