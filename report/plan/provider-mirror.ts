/**
 * Where the offline plan finds its providers: a filesystem mirror (`<root>/<host>/<namespace>/<type>/...`, packed or
 * unpacked), passed to `terraform init -plugin-dir`. Only the places Terraform itself documents, plus the project's own
 * default, are looked at, in this order (the first that holds a provider wins, and the result names it):
 *
 * 1. `TF_PLUGIN_DIR` (this project's variable; docs/ci.md);
 * 2. every `provider_installation { filesystem_mirror { path = "..." } }` of the CLI configuration Terraform would read:
 *    the file `TF_CLI_CONFIG_FILE` (or the legacy `TERRAFORM_CONFIG`) names, else `~/.terraformrc` and the
 *    `~/.terraform.d/*.tfrc` / `*.tfrc.json` files (Terraform's internal/command/cliconfig/cliconfig.go, LoadConfig:
 *    the directory is skipped when the file is overridden);
 * 3. `/opt/tf-plugins`, the mirror root docs/ci.md and the machine image use;
 * 4. the implied local mirror directories of a Unix-like host (developer.hashicorp.com/terraform/cli/config/config-file,
 *    "Implied Local Mirror Directories"): `~/.terraform.d/plugins`, then `terraform/plugins` under `$XDG_DATA_HOME`
 *    (default `~/.local/share`) and each of `$XDG_DATA_DIRS` (default `/usr/local/share:/usr/share`).
 *
 * Nothing searches the file system: an unlisted mirror is given with TF_PLUGIN_DIR or --plugin-dir. A
 * `terraform.d/plugins` folder inside the working directory (Terraform's fifth implied place) is not looked for:
 * the plan works in a scratch copy, and a stack folder written by `cdktf synth` never holds one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { readStackConfiguration, type StackConfiguration } from "./stack-folder";
import { TerraformPlanError } from "./types";

export interface ProviderMirror {
  /** The mirror root, for `terraform init -plugin-dir`. */
  readonly dir: string;
  /** Which documented place named it, e.g. `TF_PLUGIN_DIR` or `filesystem_mirror in /root/.terraformrc`. */
  readonly foundBy: string;
}

/** The documented places, in the order they are tried; each names itself. Exported for the tests and docs/ci.md. */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): ProviderMirror[] {
  const home = env.HOME || homedir();
  const candidates: ProviderMirror[] = [];
  if (env.TF_PLUGIN_DIR) candidates.push({ dir: env.TF_PLUGIN_DIR, foundBy: "TF_PLUGIN_DIR" });
  for (const file of cliConfigFiles(env, home)) {
    for (const dir of filesystemMirrorPaths(file)) candidates.push({ dir, foundBy: `provider_installation.filesystem_mirror in ${file}` });
  }
  candidates.push({ dir: "/opt/tf-plugins", foundBy: "the default mirror root /opt/tf-plugins" });
  candidates.push({ dir: join(home, ".terraform.d", "plugins"), foundBy: "Terraform's implied local mirror ~/.terraform.d/plugins" });
  const dataHome = env.XDG_DATA_HOME || join(home, ".local", "share");
  const dataDirs = (env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").filter((dir) => dir !== "");
  for (const dir of [dataHome, ...dataDirs]) {
    candidates.push({ dir: join(dir, "terraform", "plugins"), foundBy: `Terraform's implied local mirror under the XDG data directory ${dir}` });
  }
  return candidates;
}

/** The first documented place that holds at least one provider, or undefined. TF_PLUGIN_DIR is taken as given. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): ProviderMirror | undefined {
  const candidates = mirrorCandidates(env);
  if (env.TF_PLUGIN_DIR) return candidates[0];
  return candidates.find((candidate) => listMirror(candidate.dir).length > 0);
}

/** The provider mirror root (see findProviderMirror); a promise, as callers written for the former file-system search expect. */
export async function findPluginDir(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return findProviderMirror(env)?.dir;
}

/** The CLI configuration files Terraform reads, in its order (cliconfig.go: the main file, then the config directory's). */
function cliConfigFiles(env: NodeJS.ProcessEnv, home: string): string[] {
  const override = env.TF_CLI_CONFIG_FILE || env.TERRAFORM_CONFIG;
  if (override) return existsSync(override) ? [override] : [];
  const files = [join(home, ".terraformrc")].filter((file) => existsSync(file));
  const configDir = join(home, ".terraform.d");
  const inDir = isDirectory(configDir)
    ? readdirSync(configDir)
        .filter((name) => name.endsWith(".tfrc") || name.endsWith(".tfrc.json"))
        .sort()
    : [];
  return [...files, ...inDir.map((name) => join(configDir, name))];
}

/**
 * The `path` of every `filesystem_mirror` block of a CLI configuration file, HCL or JSON. Not an HCL parser: it reads
 * the one block shape Terraform documents (`filesystem_mirror { path = "..." include = [...] }`), after dropping comments.
 */
export function filesystemMirrorPaths(file: string): string[] {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".json")) {
    const json = JSON.parse(text) as { provider_installation?: unknown };
    const installations = [json.provider_installation ?? []].flat() as Array<{ filesystem_mirror?: unknown }>;
    return installations
      .flatMap((installation) => [installation.filesystem_mirror ?? []].flat() as Array<{ path?: string }>)
      .flatMap((mirror) => (mirror.path ? [mirror.path] : []));
  }
  const code = withoutComments(text);
  const paths: string[] = [];
  for (const block of code.matchAll(/\bfilesystem_mirror\s*\{([^{}]*)\}/g)) {
    const path = /\bpath\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(block[1]!)?.[1];
    if (path !== undefined) paths.push(JSON.parse(`"${path}"`) as string);
  }
  return paths;
}

/** HCL with `#`, `//` and `/* *\/` comments blanked, strings kept (a path may hold `#`). */
function withoutComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = /^"(?:[^"\\\n]|\\.)*"?/.exec(text.slice(i))![0];
      out += end;
      i += end.length - 1;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 1;
      out += " ";
    } else out += c;
  }
  return out;
}

/**
 * The providers a stack needs that the mirror does not hold (as `registry.terraform.io/<namespace>/<type>`); empty when
 * the mirror can serve the stack. Lets callers skip a plan that cannot work offline instead of failing it.
 */
export function providersMissingFromMirror(stackDir: string, pluginDir: string): string[] {
  const held = listMirror(pluginDir);
  return readStackConfiguration(resolve(stackDir))
    .requiredProviders.map((provider) => normalizeSource(provider.source))
    .filter((source) => !held.includes(source));
}

/** Fails before init, with a message naming what is missing, when the mirror cannot serve every provider. */
export function checkMirrorHoldsProviders(pluginDir: string, configuration: StackConfiguration): void {
  const held = listMirror(pluginDir);
  const missing = configuration.requiredProviders.filter((provider) => !held.includes(normalizeSource(provider.source)));
  if (missing.length > 0) {
    throw new TerraformPlanError(
      `provider mirror ${pluginDir} lacks ${missing.map((p) => normalizeSource(p.source)).join(", ")} (it holds ${held.join(", ") || "nothing"}); ` +
        "add those providers to the mirror (terraform providers mirror) or plan online",
    );
  }
}

function normalizeSource(source: string): string {
  // cdktf writes prebuilt providers as a bare type ("aws"), which Terraform reads as hashicorp/<type>.
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  return parts.length === 3 ? parts.join("/") : `registry.terraform.io/${parts.join("/")}`;
}

function isDirectory(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

/** `<host>/<namespace>/<type>` of every provider the mirror holds. */
function listMirror(pluginDir: string): string[] {
  const held: string[] = [];
  const safeDirs = (dir: string) => (isDirectory(dir) ? readdirSync(dir) : []);
  for (const host of safeDirs(pluginDir)) {
    for (const namespace of safeDirs(join(pluginDir, host))) {
      for (const type of safeDirs(join(pluginDir, host, namespace))) held.push(`${host}/${namespace}/${type}`.toLowerCase());
    }
  }
  return held;
}
