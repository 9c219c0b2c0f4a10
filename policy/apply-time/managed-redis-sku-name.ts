import { literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

const SIZES: Readonly<Record<string, readonly number[]>> = {
  Balanced_B: [0, 1, 3, 5, 10, 20, 50, 100, 150, 250, 350, 500, 700, 1000],
  ComputeOptimized_X: [3, 5, 10, 20, 50, 100, 150, 250, 350, 500, 700],
  MemoryOptimized_M: [10, 20, 50, 100, 150, 250, 350, 500, 700, 1000, 1500, 2000],
  FlashOptimized_A: [250, 500, 700, 1000, 1500, 2000, 4500],
};

/**
 * The SKUs azurerm_managed_redis accepts: validate.PossibleValuesForSkuName, the redisenterprise 2025-07-01 SDK's
 * SKU names without the retired Enterprise_ and EnterpriseFlash_ ones. Any other name fails `terraform plan`.
 */
export const MANAGED_REDIS_SKUS: readonly string[] = Object.entries(SIZES).flatMap(([family, sizes]) => sizes.map((size) => `${family}${size}`));

export const ManagedRedisSkuName: PolicyRule = {
  id: "ManagedRedisSkuName",
  description: "An Azure Managed Redis sku_name is one azurerm accepts.",
  severity: "error",
  appliesTo: ["azurerm_managed_redis"],
  source:
    "hashicorp/terraform-provider-azurerm v4.55.0 internal/services/managedredis/validate/managed_redis_sku.go, PossibleValuesForSkuName (vendor/.../redisenterprise/2025-07-01/redisenterprise/constants.go)",
  check: ({ body }) => {
    const sku = literalString(body.sku_name);
    if (sku === undefined) return NOT_APPLICABLE;
    if (MANAGED_REDIS_SKUS.includes(sku)) return COMPLIANT;
    const family = Object.keys(SIZES).find((prefix) => sku.startsWith(prefix));
    return nonCompliant(
      `sku_name ${JSON.stringify(sku)} is not a Managed Redis SKU azurerm accepts; ${family !== undefined ? `${family} comes in ${SIZES[family]!.map((size) => `${family}${size}`).join(", ")}` : `use one such as Balanced_B5`}`,
    );
  },
};
