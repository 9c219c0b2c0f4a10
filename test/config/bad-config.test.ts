import { parseRecoveryConfig, RecoveryConfigError } from "../../config/load";
import { BAD_CONFIG_CASES, EXAMPLE_CONFIG_TEXT, exampleWith } from "./bad-config-cases";

const EXAMPLE = EXAMPLE_CONFIG_TEXT;

function problemsOf(text: string): string[] {
  try {
    parseRecoveryConfig(text, "test.yaml");
  } catch (error) {
    if (error instanceof RecoveryConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("the bundled example config", () => {
  it("validates", () => {
    expect(problemsOf(EXAMPLE)).toEqual([]);
  });
});

describe("a malformed config is rejected with the field's dotted path, the value received and what was expected", () => {
  const cases = BAD_CONFIG_CASES;

  it.each(cases)("$name", ({ edit, line }) => {
    const problems = problemsOf(exampleWith(edit));
    expect(problems).toEqual([expect.stringMatching(line)]);
  });

  it("reports every problem of a config at once, one line each", () => {
    // Problems in unrelated fields, including cross-field ones inside objects that also have field errors.
    const independent = cases.filter((c) =>
      [
        "a floating image tag",
        "an unknown key",
        "a missing required field",
        "a wrong type",
        "a snapshot left behind in the lost region",
        "an availability zone outside the recovery region",
        "a server size Fargate cannot run",
        "a baseUrl that is not the api host",
        "an old PostgreSQL",
        "a short suppression reason",
      ].includes(c.name),
    );
    expect(independent).toHaveLength(10);
    const problems = problemsOf(exampleWith((doc) => independent.forEach(({ edit }) => edit(doc))));
    expect(problems).toHaveLength(independent.length);
    for (const { line } of independent) expect(problems).toContainEqual(expect.stringMatching(line));
  });

  it("names the YAML line of a syntax error", () => {
    expect(problemsOf("environment: [unclosed\n")).toEqual([expect.stringMatching(/^\(yaml line \d+, column \d+\): /)]);
  });

  it("rejects a duplicated key rather than silently keeping the last one", () => {
    expect(problemsOf(`${EXAMPLE}\nenvironment: other\n`)).toEqual([expect.stringMatching(/^\(yaml line \d+, column \d+\): .*[Mm]ap keys must be unique/)]);
  });
});
