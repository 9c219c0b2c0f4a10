/**
 * The recovery-plan workflow's structure, read as GitHub reads it (YAML): least privilege per job and per mode, every
 * output and script it refers to exists, and the matrix plans each stack. actionlint (scripts/lint-workflows.sh)
 * checks the expressions and the shell; these check what actionlint cannot know is intended.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  steps: Step[];
}

const ROOT = join(__dirname, "../..");
const text = readFileSync(join(ROOT, ".github/workflows/recovery-plan.yml"), "utf8");
const workflow = parse(text) as { permissions: unknown; jobs: Record<string, Job> };
const jobs = Object.entries(workflow.jobs);
const jobText = (job: Job) => JSON.stringify(job);

describe("recovery-plan.yml permissions", () => {
  it("grants nothing at the top level, so each job states its own", () => {
    expect(workflow.permissions).toEqual({});
    expect(jobs.filter(([, job]) => job.permissions === undefined).map(([name]) => name)).toEqual([]);
  });

  it("lets only the online plan job mint an OIDC token", () => {
    expect(jobs.filter(([, job]) => job.permissions?.["id-token"] === "write").map(([name]) => name)).toEqual(["plan-online"]);
    expect(workflow.jobs["plan-online"]!.if).toMatch(/vars\.TF_PLUGIN_DIR == ''/);
    expect(workflow.jobs["plan-offline"]!.if).toMatch(/vars\.TF_PLUGIN_DIR != ''/);
  });

  it("gives the only write token to a job that runs none of the repository's code", () => {
    const writers = jobs.filter(([, job]) => Object.values(job.permissions ?? {}).includes("write") && job.permissions?.["id-token"] !== "write");
    expect(writers.map(([name]) => name)).toEqual(["comment"]);
    const comment = workflow.jobs.comment!;
    expect(comment.permissions).toEqual({ "pull-requests": "write" });
    expect(comment.steps.filter((step) => step.run !== undefined || /actions\/checkout/.test(step.uses ?? ""))).toEqual([]);
    // A fork's token cannot comment; the job is skipped there and the summary carries the report.
    expect(comment.if).toMatch(/head\.repo\.full_name == github\.repository/);
  });

  it("gives every other job read access to the contents only", () => {
    for (const name of ["synth", "plan-offline", "review"]) expect(workflow.jobs[name]!.permissions).toEqual({ contents: "read" });
  });
});

describe("recovery-plan.yml wiring", () => {
  it("plans each stack in its own job of a matrix that does not stop at the first failure", () => {
    for (const name of ["plan-online", "plan-offline"]) {
      const job = workflow.jobs[name]!;
      expect(job.strategy).toEqual({ "fail-fast": false, matrix: { stack: "${{ fromJSON(needs.synth.outputs.stacks) }}" } });
    }
  });

  it("refers only to outputs that the named job or step declares", () => {
    const problems: string[] = [];
    for (const [name, job] of jobs) {
      const needs = [job.needs ?? []].flat();
      for (const [, other, output] of jobText(job).matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (!needs.includes(other!)) problems.push(`${name}: needs.${other} is not in needs`);
        else if (workflow.jobs[other!]?.outputs?.[output!] === undefined) problems.push(`${name}: ${other} declares no output ${output}`);
      }
      const ids = new Set(job.steps.map((step) => step.id).filter(Boolean));
      for (const [, id] of jobText(job).matchAll(/steps\.([\w-]+)\.(?:outputs|outcome)/g)) if (!ids.has(id)) problems.push(`${name}: no step with id ${id}`);
    }
    expect(problems).toEqual([]);
  });

  it("runs scripts that exist and are executable", () => {
    const scripts = [...text.matchAll(/(?:^|\s)(scripts\/[\w./-]+\.(?:sh|ts|mjs))/gm)].map((match) => match[1]!);
    expect(scripts).toEqual(expect.arrayContaining(["scripts/ci/plan-stack.sh", "scripts/ci/review.ts"]));
    for (const script of scripts.filter((file) => file.endsWith(".sh"))) expect(() => accessSync(join(ROOT, script), constants.X_OK)).not.toThrow();
  });

  it("caches the providers by what decides their versions, and always writes the job summary through the review", () => {
    const cache = workflow.jobs["plan-online"]!.steps.find((step) => /actions\/cache@/.test(step.uses ?? ""))!;
    expect(cache.with).toMatchObject({
      path: "~/.terraform.d/plugin-cache",
      key: expect.stringContaining("hashFiles('package-lock.json', 'locks/*.terraform.lock.hcl')"),
    });
    const review = workflow.jobs.review!;
    expect(review.if).toBe("always() && needs.synth.result == 'success'");
    expect(review.steps.find((step) => step.id === "review")?.run).toContain("scripts/ci/review.ts");
    expect(review.steps.find((step) => step.id === "mermaid")?.run).toContain("npm run render:mermaid");
  });
});
