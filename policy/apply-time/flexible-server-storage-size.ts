import { literalNumber, literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/**
 * `storage_mb` takes only the sizes in validation.IntInSlice, and a `storage_tier` given with it must be one of that
 * size's tiers (CustomizeDiff over validate.InitializeFlexibleServerStorageTierDefaults), both in azurerm 4.55.0.
 */
export const FLEXIBLE_SERVER_STORAGE_TIERS: Readonly<Record<number, readonly string[]>> = {
  32768: ["P4", "P6", "P10", "P15", "P20", "P30", "P40", "P50"],
  65536: ["P6", "P10", "P15", "P20", "P30", "P40", "P50"],
  131072: ["P10", "P15", "P20", "P30", "P40", "P50"],
  262144: ["P15", "P20", "P30", "P40", "P50"],
  524288: ["P20", "P30", "P40", "P50"],
  1048576: ["P30", "P40", "P50"],
  2097152: ["P40", "P50"],
  4193280: ["P50"],
  4194304: ["P50"],
  8388608: ["P60", "P70", "P80"],
  16777216: ["P70", "P80"],
  33553408: ["P80"],
};

export const FlexibleServerStorageSize: PolicyRule = {
  id: "FlexibleServerStorageSize",
  description: "A Flexible Server storage_mb is a size azurerm accepts, and storage_tier one of that size's tiers.",
  severity: "error",
  appliesTo: ["azurerm_postgresql_flexible_server"],
  source:
    "hashicorp/terraform-provider-azurerm v4.55.0 internal/services/postgres/postgresql_flexible_server_resource.go (storage_mb validation.IntInSlice; CustomizeDiff storage tier check) and validate/flexible_server_storage_tier.go",
  check: ({ body }) => {
    const size = literalNumber(body.storage_mb);
    if (size === undefined) return NOT_APPLICABLE;
    const tiers = FLEXIBLE_SERVER_STORAGE_TIERS[size];
    if (tiers === undefined)
      return nonCompliant(`storage_mb ${size} is not a size azurerm accepts; use one of ${Object.keys(FLEXIBLE_SERVER_STORAGE_TIERS).join(", ")}`);
    const tier = literalString(body.storage_tier);
    return tier === undefined || tiers.includes(tier)
      ? COMPLIANT
      : nonCompliant(`storage_tier ${tier} is not valid for storage_mb ${size}; use one of ${tiers.join(", ")}, or leave it unset`);
  },
};
