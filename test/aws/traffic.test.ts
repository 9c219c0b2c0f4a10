import { synthAws } from "./helpers";

describe("traffic: Route 53", () => {
  it("cut-over points a plain alias record for the api host at the recovery load balancer", () => {
    const stack = synthAws();
    const record = stack.only("aws_route53_record");
    expect(record).toEqual(
      expect.objectContaining({
        zone_id: "Z0123456789EXAMPLE",
        name: "api.medplum.example.com",
        type: "A",
        alias: { name: stack.ref("aws_lb", "application", "dns_name"), zone_id: stack.ref("aws_lb", "application", "zone_id"), evaluate_target_health: true },
      }),
    );
    expect(record.allow_overwrite).toBe(true);
    expect(record).not.toHaveProperty("set_identifier");
    expect(record).not.toHaveProperty("failover_routing_policy");
    expect(stack.resources("aws_route53_health_check")).toEqual({});
    expect(stack.json.output.api_url.value).toBe("https://api.medplum.example.com/");
  });

  it("switches users over only after the servers are steady behind the load balancer", () => {
    const stack = synthAws();
    expect(stack.only("aws_route53_record").depends_on).toEqual([stack.address("aws_ecs_service", "application")]);
  });

  describe("failover", () => {
    const stack = synthAws({ targets: { aws: { dns: { routing: { mode: "failover", setIdentifier: "usw2-recovery" } } } } });

    it("creates the SECONDARY half of the failover pair, tied to a health check", () => {
      expect(stack.only("aws_route53_record")).toMatchObject({
        name: "api.medplum.example.com",
        type: "A",
        set_identifier: "usw2-recovery",
        failover_routing_policy: { type: "SECONDARY" },
        health_check_id: stack.ref("aws_route53_health_check", "traffic", "id"),
        alias: { evaluate_target_health: true },
      });
    });

    it("checks /healthcheck over HTTPS on the recovery load balancer itself, not on the api name that still points at the primary", () => {
      expect(stack.only("aws_route53_health_check")).toMatchObject({
        type: "HTTPS",
        port: 443,
        resource_path: "/healthcheck",
        fqdn: stack.ref("aws_lb", "application", "dns_name"),
        request_interval: 30,
        failure_threshold: 3,
      });
    });

    it("describes the routing in the outputs", () => {
      expect(stack.json.output.traffic_routing.value).toMatch(/failover SECONDARY/);
    });
  });
});
