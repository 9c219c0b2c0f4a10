/** The config the cost model reads: `costInputs` with its documented defaults, and the optional monthly budget. */
import { parseRecoveryConfig } from "../../config/load";
import { exampleConfigText } from "./helpers";

const parse = (text: string) => parseRecoveryConfig(text, "x.yaml");
const problems = (text: string) => {
  try {
    parse(text);
    return "";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("costInputs and objectives.monthlyStandbyBudgetUsd", () => {
  it("defaults to the sizes docs/cost.md gives, and no budget", () => {
    const config = parse(exampleConfigText());
    expect(config.costInputs).toEqual({ databaseGiB: 100, binariesGiB: 500, dailyChangeGiB: 5 });
    expect(config.objectives.monthlyStandbyBudgetUsd).toBeUndefined();
  });

  it("reads both from the config", () => {
    const text = exampleConfigText()
      .replace(/rtoMinutes: (\d+)/, "monthlyStandbyBudgetUsd: 250\n  rtoMinutes: $1")
      .replace("\ntargets:\n", "\ncostInputs:\n  databaseGiB: 40\ntargets:\n");
    const config = parse(text);
    expect(config.objectives.monthlyStandbyBudgetUsd).toBe(250);
    expect(config.costInputs).toEqual({ databaseGiB: 40, binariesGiB: 500, dailyChangeGiB: 5 });
  });

  it("names the field, what was found and what was expected", () => {
    expect(problems(exampleConfigText().replace(/rtoMinutes: (\d+)/, "monthlyStandbyBudgetUsd: -5\n  rtoMinutes: $1"))).toContain(
      "objectives.monthlyStandbyBudgetUsd: -5 must be a positive amount of USD",
    );
    const bad = problems(exampleConfigText().replace("\ntargets:\n", "\ncostInputs:\n  databaseGiB: lots\n  dailyChangeGIB: 3\ntargets:\n"));
    expect(bad).toContain('costInputs.databaseGiB: "lots" has the wrong type; expected number');
    expect(bad).toContain("costInputs.dailyChangeGIB: is not a known field; did you mean dailyChangeGiB?");
  });
});
