import { azureConfig, synthAzure } from "./support";

describe("monitoring the recovered environment", () => {
  const stack = synthAzure(
    azureConfig({ alerts: { emails: ["oncall@medplum.example.com"], webhooks: [{ name: "pager", uri: "https://pager.example.com/hook" }] } }),
  );
  const alerts = Object.values(stack.resources("azurerm_monitor_metric_alert"));
  const criteria = (metric: string) => alerts.find((alert) => alert.criteria?.[0]?.metric_name === metric);

  it("notifies the configured e-mails and webhooks", () => {
    const group = stack.only("azurerm_monitor_action_group");
    expect(group.email_receiver).toEqual([{ name: "email-1", email_address: "oncall@medplum.example.com", use_common_alert_schema: true }]);
    expect(group.webhook_receiver).toEqual([{ name: "pager", service_uri: "https://pager.example.com/hook", use_common_alert_schema: true }]);
    expect(group.short_name.length).toBeLessThanOrEqual(12);
    expect(stack.json.output.alert_destination.value).toMatch(/azurerm_monitor_action_group\..*\.id/);
  });

  it("alerts on PostgreSQL CPU and storage", () => {
    expect(criteria("cpu_percent")?.criteria[0]).toMatchObject({
      metric_namespace: "Microsoft.DBforPostgreSQL/flexibleServers",
      operator: "GreaterThan",
      threshold: 80,
    });
    expect(criteria("storage_percent")?.criteria[0].threshold).toBe(85);
    expect(criteria("cpu_percent")?.scopes[0]).toMatch(/azurerm_postgresql_flexible_server\..*\.id/);
  });

  it("alerts when AKS nodes are not Ready", () => {
    const nodes = criteria("kube_node_status_condition");
    expect(nodes?.scopes[0]).toMatch(/azurerm_kubernetes_cluster\..*\.id/);
    expect(nodes?.criteria[0].dimension).toContainEqual({ name: "condition", operator: "Include", values: ["Ready"] });
  });

  it("tests https://<api host>/healthcheck from several locations and alerts when two fail", () => {
    const test = stack.only("azurerm_application_insights_standard_web_test");
    expect(test.request.url).toBe("https://api.medplum.example.com/healthcheck");
    expect(test.validation_rules).toMatchObject({ expected_status_code: 200, ssl_check_enabled: true });
    expect(test.geo_locations.length).toBeGreaterThanOrEqual(3);
    const availability = alerts.find((alert) => alert.application_insights_web_test_location_availability_criteria !== undefined);
    expect(availability?.application_insights_web_test_location_availability_criteria.failed_location_count).toBe(2);
    for (const alert of alerts) expect(alert.action[0].action_group_id).toMatch(/azurerm_monitor_action_group\./);
  });

  it("keeps logs in a workspace with the configured retention, including PostgreSQL's", () => {
    expect(stack.only("azurerm_log_analytics_workspace").retention_in_days).toBe(365);
    const diagnostics = stack.only("azurerm_monitor_diagnostic_setting");
    expect(diagnostics.enabled_log).toEqual([{ category: "PostgreSQLLogs" }]);
    expect(diagnostics.target_resource_id).toMatch(/azurerm_postgresql_flexible_server\./);
    expect(stack.only("azurerm_application_insights").workspace_id).toMatch(/azurerm_log_analytics_workspace\./);
  });
});
