/**
 * Files of the project that the synthesized Terraform embeds (the restore and dump scripts), found from wherever the
 * code runs: the TypeScript sources under `modules/`, or the JavaScript bundle the build writes to `dist/`. Both
 * live inside the project folder, whose package.json names the project.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PROJECT_NAME = "medplum-dr";
let root: string | undefined;

/** The project folder: the nearest folder above this file whose package.json is this project's. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  for (let folder = __dirname; ; folder = dirname(folder)) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === PROJECT_NAME) {
      root = folder;
      return folder;
    }
    if (dirname(folder) === folder) throw new Error(`no package.json of ${PROJECT_NAME} above ${__dirname}; run from the project's own folder`);
  }
}

/** A path inside the project folder, e.g. `projectFile("modules", "kubernetes", "scripts", "restore-medplum-db.sh")`. */
export function projectFile(...segments: string[]): string {
  return join(projectRoot(), ...segments);
}
