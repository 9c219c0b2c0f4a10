/**
 * standby-azure per tier: what it reads and attaches to on the primary, what it creates in the recovery region, the
 * watches, the policy pass, and the recovery of the same config adopting what a pilot-light or warm standby keeps.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRecoveryConfig } from "../../../config/load";
import { evaluateStackJson, RECOVERY_PACK } from "../../../policy";
import { App } from "cdktf";
import { createAzureStandbyBundle } from "../../../modules/azure/standby";
import { buildRecoveryApp, validateRecoveryApp } from "../../../stacks/app";
import { StandbyStack } from "../../../stacks/standby-stack";
import { synthAzure } from "../../azure/support";
import {
  PRIMARY_ACCOUNT_ID,
  PRIMARY_SERVER_ID,
  PRIMARY_VAULT_ID,
  REPLICA_SERVER_ID,
  STANDBY_GROUP,
  STANDING_NETWORK,
  synthApp,
  synthStandbyAzure,
  tierConfig,
  tierProblems,
  type Resource,
  type Tier,
} from "./helpers";

const TIERS: readonly Tier[] = ["backup-restore", "pilot-light", "warm-standby"];
const standby = Object.fromEntries(TIERS.map((tier) => [tier, synthStandbyAzure(tierConfig(tier))])) as Record<Tier, ReturnType<typeof synthStandbyAzure>>;
const recovery = Object.fromEntries(TIERS.map((tier) => [tier, synthAzure(tierConfig(tier))])) as Record<Tier, ReturnType<typeof synthAzure>>;
const errorsOf = (json: unknown, stackName: string) =>
  evaluateStackJson(json as never, stackName, { suppressions: [] }, RECOVERY_PACK)
    .findings.filter((finding) => finding.severity === "error")
    .map((finding) => `${finding.ruleId} ${finding.address}`);
const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;
const idOf = (byId: Record<string, Resource>, pick: (resource: Resource) => boolean): string => {
  const found = Object.entries(byId).filter(([, resource]) => pick(resource));
  if (found.length !== 1) throw new Error(`expected one match, found ${found.length}`);
  return found[0]![0];
};

describe.each(TIERS)("tier %s", (tier) => {
  it("synthesizes standby-azure and its recovery with no policy or apply-time error", () => {
    expect(errorsOf(standby[tier].json, "standby-azure")).toEqual([]);
    expect(errorsOf(recovery[tier].json, "recovery-azure")).toEqual([]);
  });

  it("only reads on the primary's side: nothing is created with the primary provider", () => {
    const all = Object.values(standby[tier].json.resource as Record<string, Record<string, Resource>>).flatMap((byId) => Object.values(byId));
    expect(all.filter((resource) => resource.provider === "azurerm.primary")).toEqual([]);
    expect(standby[tier].data("azurerm_postgresql_flexible_server")).toEqual({
      [Object.keys(standby[tier].data("azurerm_postgresql_flexible_server"))[0]!]: expect.objectContaining({ provider: "azurerm.primary" }),
    });
    expect(standby[tier].resources("azurerm_postgresql_flexible_server_configuration")).toEqual({});
  });

  it("outputs the tier", () => {
    expect(standby[tier].json.output.standby_tier.value).toBe(tier);
  });
});

describe("backup-restore: the primary's geo-backups, binaries and secrets", () => {
  const stack = standby["backup-restore"];

  it("checks the primary server at plan time: its region, major version and backup retention", () => {
    const server = Object.values(stack.data("azurerm_postgresql_flexible_server"))[0];
    expect(server).toMatchObject({ name: "medplum-prod-pg", resource_group_name: "medplum-prod" });
    expect(server!.lifecycle.postcondition.map((check: Resource) => check.condition)).toEqual([
      '${self.location == "eastus"}',
      '${self.version == "16"}',
      "${self.backup_retention_days >= 7}",
    ]);
    expect(stack.json.output.recovery_point_destination.value).toBe("geo-redundant backups of medplum-prod-pg in westus");
    expect(stack.json.output.continuous_backup.value).toBe(PRIMARY_SERVER_ID);
  });

  it("reads the primary's geo-redundancy through Resource Manager, deploying nothing, and fails the apply unless it is Enabled", () => {
    const check = stack.only("azurerm_resource_group_template_deployment");
    expect(check).toMatchObject({
      name: "medplum-dr-primary-geo-backup-check",
      deployment_mode: "Incremental",
      resource_group_name: expect.stringContaining("azurerm_resource_group."),
    });
    expect(check.provider).toBeUndefined();
    const template = JSON.parse(check.template_content);
    expect(template.resources).toEqual([]);
    expect(template.outputs.geoRedundantBackup).toEqual({
      type: "string",
      value: "[reference(parameters('serverId'), '2022-12-01').backup.geoRedundantBackup]",
    });
    expect(JSON.parse(check.parameters_content)).toEqual({ serverId: { value: PRIMARY_SERVER_ID } });
    expect(check.lifecycle.postcondition).toEqual([
      {
        condition: '${jsondecode(self.output_content).geoRedundantBackup.value == "Enabled"}',
        error_message: expect.stringMatching(
          /^targets\.azure\.standby\.database\.primaryServerId: the primary server's backups are not geo-redundant .* use tier warm-standby/,
        ),
      },
    ]);
  });

  it("replicates every blob of the primary container into a locked-down replica in the recovery region", () => {
    const account = stack.only("azurerm_storage_account");
    expect(account).toMatchObject({ name: "medplumdrbinaries", location: "westus", resource_group_name: expect.stringContaining("azurerm_resource_group.") });
    expect(account.blob_properties.versioning_enabled).toBe(true);
    expect(account).toMatchObject({ public_network_access_enabled: false, shared_access_key_enabled: false, min_tls_version: "TLS1_2" });
    expect(account.lifecycle.prevent_destroy).toBe(true);
    const replication = stack.only("azurerm_storage_object_replication");
    const accountId = Object.keys(stack.resources("azurerm_storage_account"))[0]!;
    expect(replication.source_storage_account_id).toBe(PRIMARY_ACCOUNT_ID);
    expect(replication.destination_storage_account_id).toBe(ref("azurerm_storage_account", accountId, "id"));
    expect(replication.rules).toEqual([expect.objectContaining({ source_container_name: "binaries", copy_blobs_created_after: "Everything" })]);
    expect(stack.only("azurerm_storage_container").name).toBe("binaries");
  });

  it("fails the plan where Azure would refuse the replication: an account kind or a hierarchical namespace it does not support", () => {
    const account = Object.values(stack.data("azurerm_storage_account"))[0]!;
    expect(account).toMatchObject({ provider: "azurerm.primary", name: "medplumbinaries", resource_group_name: "medplum-prod" });
    expect(account.lifecycle.postcondition.map((check: Resource) => check.condition)).toEqual([
      '${contains(["StorageV2", "BlockBlobStorage"], self.account_kind)}',
      "${!self.is_hns_enabled}",
    ]);
  });

  it("creates the recovery vault and copies each named secret from the primary vault by reference, never a literal", () => {
    const vault = stack.only("azurerm_key_vault");
    expect(vault).toMatchObject({ name: "medplum-dr-kv", location: "westus", purge_protection_enabled: true, rbac_authorization_enabled: true });
    expect(vault.network_acls).toMatchObject({ default_action: "Deny", ip_rules: ["203.0.113.0/24"] });
    const reads = stack.data("azurerm_key_vault_secret");
    const copies = Object.values(stack.resources("azurerm_key_vault_secret"));
    expect(copies.map((copy) => copy.name)).toEqual(["medplum-database-password"]);
    const readId = idOf(reads, (read) => read.name === "medplum-database-password");
    expect(reads[readId]).toMatchObject({ provider: "azurerm.primary", key_vault_id: PRIMARY_VAULT_ID });
    expect(copies[0]!.value).toBe(ref("data.azurerm_key_vault_secret", readId, "value"));
    expect(stack.json.output.secrets_in_recovery_location.value).toBe("https://medplum-dr-kv.vault.azure.net/secrets/medplum-database-password");
  });

  it("copies the ingress certificate into the recovery vault, where the recovery's add-on reads it", () => {
    const certificate = stack.only("azurerm_key_vault_certificate");
    expect(certificate.name).toBe("api-medplum");
    expect(certificate.certificate.contents).toMatch(/^\$\{data\.azurerm_key_vault_secret\.certificate_ingress_primary_[0-9A-F]+\.value\}$/);
    expect(stack.json.output.certificate_id.value).toMatch(/azurerm_key_vault_certificate\..*\.versionless_id/);
  });

  it("creates the vault empty when no primary vault is named", () => {
    const empty = synthStandbyAzure(tierConfig("backup-restore", { secrets: { keyVaultName: "medplum-dr-kv" } }));
    expect(empty.resources("azurerm_key_vault_secret")).toEqual({});
    expect(empty.resources("azurerm_key_vault_certificate")).toEqual({});
    expect(empty.json.output.certificate_id.value).toBe("none");
  });

  it("keeps nothing standing", () => {
    for (const type of ["azurerm_virtual_network", "azurerm_kubernetes_cluster", "azurerm_postgresql_flexible_server"])
      expect(stack.resources(type)).toEqual({});
    expect(stack.json.output.standing_infrastructure.value).toBe("");
    expect(stack.json.output.database_replica.value).toBe("none");
  });

  it("watches the primary's health check and object replication falling behind the RPO objective", () => {
    const test = stack.only("azurerm_application_insights_standard_web_test");
    expect(test.request.url).toBe("https://api.medplum.example.com/healthcheck");
    const alerts = Object.values(stack.resources("azurerm_monitor_metric_alert"));
    const replicationId = Object.keys(stack.resources("azurerm_storage_object_replication"))[0]!;
    const behind = alerts.find((alert) => alert.criteria?.[0]?.metric_name === "PendingOperationsForReplication")!;
    expect(behind.scopes).toEqual([ref("azurerm_storage_object_replication", replicationId, "source_object_replication_id")]);
    // The example's RPO objective is 15 minutes.
    expect(behind).toMatchObject({
      window_size: "PT15M",
      criteria: [expect.objectContaining({ aggregation: "Minimum", operator: "GreaterThan", threshold: 0 })],
    });
    expect(alerts.some((alert) => alert.criteria?.[0]?.metric_name === "physical_replication_delay_in_seconds")).toBe(false);
  });
});

describe("pilot-light: the standing VNet and cluster, adopted by the recovery", () => {
  const stack = standby["pilot-light"];
  const adopting = recovery["pilot-light"];

  it("builds the VNet, subnets and private DNS zones the recovery's network mode existing names", () => {
    expect(stack.only("azurerm_virtual_network")).toMatchObject({ name: "medplum-dr-vnet", address_space: ["10.50.0.0/16"] });
    const subnets = Object.values(stack.resources("azurerm_subnet")).map((subnet) => [subnet.name, subnet.address_prefixes[0]]);
    expect(subnets.sort()).toEqual(
      [
        ["medplum-dr-aks", "10.50.0.0/20"],
        [STANDING_NETWORK.postgresSubnet.id.split("/").pop(), STANDING_NETWORK.postgresSubnet.cidr],
        [STANDING_NETWORK.privateEndpointSubnet.id.split("/").pop(), STANDING_NETWORK.privateEndpointSubnet.cidr],
      ].sort(),
    );
    expect(
      Object.values(stack.resources("azurerm_private_dns_zone"))
        .map((zone) => zone.name)
        .sort(),
    ).toEqual(
      Object.values(STANDING_NETWORK.privateDnsZoneIds)
        .map((id) => id.split("/").pop())
        .sort(),
    );
  });

  it("keeps the AKS cluster standing, with the grants the recovery would make", () => {
    const cluster = stack.only("azurerm_kubernetes_cluster");
    expect(cluster).toMatchObject({ name: "medplum-dr-aks", local_account_disabled: true, workload_identity_enabled: true });
    const roles = Object.values(stack.resources("azurerm_role_assignment")).map((role) => role.role_definition_name);
    expect(roles).toEqual(expect.arrayContaining(["Network Contributor", "Key Vault Certificate User"]));
    expect(stack.json.output.standing_infrastructure.value).toBe("VNet medplum-dr-vnet (subnets, private DNS zones),AKS cluster medplum-dr-aks");
  });

  it("the recovery creates no VNet and no cluster: it reads the standing cluster and talks to it", () => {
    for (const type of ["azurerm_virtual_network", "azurerm_subnet", "azurerm_private_dns_zone", "azurerm_kubernetes_cluster"])
      expect(adopting.resources(type)).toEqual({});
    const clusters = adopting.json.data.azurerm_kubernetes_cluster as Record<string, Resource>;
    const [clusterId, cluster] = Object.entries(clusters)[0]!;
    expect(Object.keys(clusters)).toHaveLength(1);
    expect(cluster).toMatchObject({ name: "medplum-dr-aks", resource_group_name: STANDBY_GROUP });
    expect(adopting.json.provider.kubernetes[0].host).toBe(`\${data.azurerm_kubernetes_cluster.${clusterId}.kube_config[0].host}`);
    expect(adopting.only("azurerm_federated_identity_credential").issuer).toBe(ref("data.azurerm_kubernetes_cluster", clusterId, "oidc_issuer_url"));
    // The add-on's certificate grant is standby's; the recovery makes none for a cluster it did not create.
    expect(Object.values(adopting.resources("azurerm_role_assignment")).map((role) => role.role_definition_name)).not.toContain("Key Vault Certificate User");
  });

  it("keeps the recovery's own addresses for everything it still creates", () => {
    expect(adopting.address("azurerm_postgresql_flexible_server", "database/restore")).toBe(
      "azurerm_postgresql_flexible_server.database_restore_flexible_server_193D29DD",
    );
    expect(adopting.address("azurerm_managed_redis", "cache/redis")).toBe("azurerm_managed_redis.cache_redis_58FFD8AB");
  });
});

describe("warm-standby: a read replica the recovery promotes", () => {
  const stack = standby["warm-standby"];
  const promoting = recovery["warm-standby"];

  it("does not require geo-redundant backups of the primary: the replica is what it recovers from", () => {
    expect(stack.resources("azurerm_resource_group_template_deployment")).toEqual({});
    expect(Object.keys(standby["pilot-light"].resources("azurerm_resource_group_template_deployment"))).toHaveLength(1);
  });

  it("creates a cross-region read replica of the primary in the standing VNet, never destroyed by Terraform", () => {
    const replica = stack.only("azurerm_postgresql_flexible_server");
    expect(replica).toMatchObject({
      name: "medplum-dr-pg-replica",
      location: "westus",
      create_mode: "Replica",
      source_server_id: PRIMARY_SERVER_ID,
      public_network_access_enabled: false,
    });
    expect(replica.replication_role).toBeUndefined();
    expect(replica.delegated_subnet_id).toMatch(/^\$\{azurerm_subnet\.standing_recoveryRegion_vnet_postgres_/);
    expect(replica.lifecycle.prevent_destroy).toBe(true);
    expect(stack.json.output.database_replica.value).toBe(
      ref("azurerm_postgresql_flexible_server", Object.keys(stack.resources("azurerm_postgresql_flexible_server"))[0]!, "id"),
    );
  });

  it("alerts when the replica lags past the RPO objective", () => {
    const lag = Object.values(stack.resources("azurerm_monitor_metric_alert")).find(
      (alert) => alert.criteria?.[0]?.metric_name === "physical_replication_delay_in_seconds",
    )!;
    expect(lag.criteria[0]).toMatchObject({ aggregation: "Maximum", operator: "GreaterThan", threshold: 15 * 60 });
    expect(lag.scopes).toEqual([ref("azurerm_postgresql_flexible_server", Object.keys(stack.resources("azurerm_postgresql_flexible_server"))[0]!, "id")]);
  });

  it("the recovery imports exactly that replica and promotes it", () => {
    const address = promoting.address("azurerm_postgresql_flexible_server", "database/restore");
    expect(promoting.json.import).toContainEqual({ to: address, id: REPLICA_SERVER_ID });
    expect(promoting.only("azurerm_postgresql_flexible_server")).toMatchObject({
      name: "medplum-dr-pg-replica",
      resource_group_name: STANDBY_GROUP,
      create_mode: "Replica",
      replication_role: "None",
    });
  });
});

describe("the app", () => {
  it("builds standby-azure beside recovery-azure when the target has a standby section (once stack-names knows it)", () => {
    let stacks: Record<string, unknown> | undefined;
    try {
      stacks = synthApp(tierConfig("backup-restore"), buildRecoveryApp);
    } catch (error) {
      // modules/stack-names.ts names standby-azure in STANDBY_STACK_NAMES; until then the app refuses the section by name.
      expect(String(error)).toMatch(/^Error: targets\.azure\.standby: is set, but no standby stack is built for azure yet/);
      return;
    }
    expect(Object.keys(stacks)).toEqual(["recovery-azure", "standby-azure"]);
  });

  it("declares a provider for every resource and data source (cdktf's own check)", () => {
    for (const tier of TIERS) {
      const stack = new StandbyStack(new App({ outdir: "unused", skipValidation: true }), "standby-azure", {
        bundle: createAzureStandbyBundle(tierConfig(tier)),
      });
      expect(validateRecoveryApp([stack])).toEqual([]);
    }
  });

  it("synthesizes the same JSON twice", () => {
    expect(synthStandbyAzure(tierConfig("warm-standby")).text).toBe(stack("warm-standby"));
  });
});

function stack(tier: Tier): string {
  return standby[tier].text;
}

describe("configs refused with the field named", () => {
  const cases: Array<{ name: string; problems: () => string[]; line: RegExp }> = [
    {
      name: "pilot-light without a standing network range",
      problems: () => tierProblems("pilot-light", { network: undefined }),
      line: /^targets\.azure\.standby\.network: \(not set\) is required by tier pilot-light, which keeps the recovery VNet standing/,
    },
    {
      name: "pilot-light with a recovery that would create its own VNet",
      problems: () => tierProblems("pilot-light", {}, { network: { mode: "new", cidr: "10.60.0.0/16" } }),
      line: /^targets\.azure\.network\.mode: "new" would create a second VNet, but standby tier pilot-light keeps one standing; use mode "existing"/,
    },
    {
      name: "warm-standby with a recovery that geo-restores instead of promoting",
      problems: () =>
        tierProblems("warm-standby", {}, { database: { restore: { mode: "geo-restore", sourceServerId: PRIMARY_SERVER_ID, time: "2026-11-22T08:00:00Z" } } }),
      line: /^targets\.azure\.database\.restore\.mode: "geo-restore" does not promote the replica medplum-dr-pg-replica standby tier warm-standby keeps for it; use mode "replica-promotion"/,
    },
    {
      name: "warm-standby promoting another server than the standby's replica",
      problems: () =>
        tierProblems(
          "warm-standby",
          {},
          {
            database: {
              restore: {
                mode: "replica-promotion",
                replicaServerId: REPLICA_SERVER_ID.replace("medplum-dr-pg-replica", "someone-else"),
                sourceServerId: PRIMARY_SERVER_ID,
              },
            },
          },
        ),
      line: /^targets\.azure\.database\.restore\.replicaServerId: .* names medplum-dr-standby-rg\/someone-else, not the replica standby-azure keeps \(medplum-dr-standby-rg\/medplum-dr-pg-replica\)/,
    },
    {
      name: "a recovery vault of the standby vault's name created again",
      problems: () => tierProblems("backup-restore", {}, { secrets: { keyVault: { mode: "new", name: "medplum-dr-kv" } } }),
      line: /^targets\.azure\.secrets\.keyVault\.name: "medplum-dr-kv" is targets\.azure\.standby\.secrets\.keyVaultName, which standby-azure creates/,
    },
    {
      name: "a standby state shared with the recovery's",
      problems: () => {
        const backend = { type: "azurerm", resourceGroupName: "dr-state", storageAccountName: "acmedrstate", containerName: "tfstate", key: "medplum.tfstate" };
        return tierProblems("backup-restore", { backend }, { backend });
      },
      line: /^targets\.azure\.standby\.backend: .* is the recovery's state \(targets\.azure\.backend\) too; give standby-azure a state of its own/,
    },
    { name: "a tier that is not one", problems: () => tierProblems("backup-restore", { tier: "cold" }), line: /^targets\.azure\.standby\.tier: "cold" / },
  ];

  it.each(cases)("$name", ({ problems, line }) => {
    const found = problems();
    expect(
      found.some((problem) => line.test(problem)),
      `problems were:\n${found.join("\n")}`,
    ).toBe(true);
  });

  it("accepts each tier's paired config", () => {
    for (const tier of TIERS) expect(tierProblems(tier)).toEqual([]);
  });
});

describe("examples/azure-standby-warm.yaml", () => {
  const path = join(__dirname, "..", "..", "..", "examples", "azure-standby-warm.yaml");
  const config = parseRecoveryConfig(readFileSync(path, "utf8"), path);

  it("is a warm standby whose recovery promotes the standby's replica and adopts its cluster, with no policy error", () => {
    const standbyStack = synthStandbyAzure(config);
    const recoveryStack = synthAzure(config);
    expect(standbyStack.json.output.standby_tier.value).toBe("warm-standby");
    expect(errorsOf(standbyStack.json, "standby-azure")).toEqual([]);
    expect(errorsOf(recoveryStack.json, "recovery-azure")).toEqual([]);
    const replica = standbyStack.only("azurerm_postgresql_flexible_server");
    expect(Object.values(standbyStack.resources("azurerm_resource_group")).map((group) => group.name)).toEqual([STANDBY_GROUP]);
    expect(recoveryStack.json.import).toContainEqual({
      to: expect.any(String),
      id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${STANDBY_GROUP}/providers/Microsoft.DBforPostgreSQL/flexibleServers/${replica.name}`,
    });
    expect(recoveryStack.resources("azurerm_kubernetes_cluster")).toEqual({});
  });
});
