/**
 * The api host's record has one owner. With standby-aws's failover pair (targets.aws.standby.failoverRecords) the
 * recovery writes no record at all: Route 53 refuses a plain record beside a failover pair, and a second SECONDARY
 * would send users to whichever of the two it picks.
 */
import { deriveDrillConfig } from "../../config/drill";
import { problemsOf, standbyConfig, standbyDocument } from "../standby/helpers";
import { synthAws } from "./helpers";

const failoverRecords = { primaryDnsName: "medplum-prod-alb-1.us-east-1.elb.amazonaws.com", primaryZoneId: "Z35SXDOTRQ7X7K" };
const pair = { tier: "pilot-light", failoverRecords };
const standbyRouting = { targets: { aws: { dns: { routing: { mode: "standby-failover" } } } } };

describe("routing through standby-aws's failover pair", () => {
  it("writes no api record and no health check of the recovery's own", () => {
    const stack = synthAws(standbyConfig(pair, standbyRouting));
    expect(stack.resources("aws_route53_record")).toEqual({});
    expect(stack.resources("aws_route53_health_check")).toEqual({});
    expect(stack.json.output.traffic_routing.value).toMatch(/failover pair kept by standby-aws/);
    expect(stack.json.output.api_url.value).toBe("https://api.medplum.example.com/");
  });

  it("is refused when the recovery would write a record beside the pair, and without a pair", () => {
    expect(problemsOf(standbyDocument(pair))).toEqual([
      expect.stringMatching(
        /^targets\.aws\.dns\.routing\.mode: "cut-over" writes a record for the api host that standby-aws's failover pair .* owns; use mode "standby-failover"$/,
      ),
    ]);
    expect(problemsOf(standbyDocument({}, standbyRouting))).toEqual([
      expect.stringMatching(/^targets\.aws\.dns\.routing\.mode: "standby-failover" needs the failover pair of targets\.aws\.standby\.failoverRecords/),
    ]);
  });

  it("falls back to a cut-over in a drill, which builds no standby", () => {
    // The example's drill section gives the drill its own zone and hosts, and no routing of its own.
    const document = standbyDocument(pair, standbyRouting) as { drill: { overrides: { targets: Record<string, unknown> } } };
    document.drill.overrides.targets = { aws: document.drill.overrides.targets.aws };
    const drill = deriveDrillConfig(document, "drill test", { expiresOn: "2026-12-31" }).config;
    expect(drill.targets.aws!.standby).toBeUndefined();
    expect(drill.targets.aws!.dns.routing).toEqual({ mode: "cut-over" });
  });
});
