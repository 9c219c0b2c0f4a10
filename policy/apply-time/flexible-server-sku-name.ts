import { literalString } from "../json";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE, type PolicyRule } from "../types";

/** validate.FlexibleServerSkuName in azurerm 4.55.0, verbatim: the SKUs the provider accepts at plan time. */
export const FLEXIBLE_SERVER_SKU_NAME =
  /^((B_Standard_B((1|2|4|8|12|16|20)ms|2s))|(GP_Standard_D(((2|4|8|16|32|48|64)s_v3)|((2|4|8|16|32|48|64)ds_v4)|((2|4|8|16|32|48|64|96)ds_v5)|((2|4|8|16|32|48|64|96)ads_v5)))|(MO_Standard_E((((2|4|8|16|20|32|48|64)s)_v3)|((2|4|6|8|16|20|32|48|64)ds_v4)|((2|4|8|16|20|32|48|64|96)ds_v5)|((2|4|8|16|32|48|64|96)ads_v5))))$/;

/** The provider validates `sku_name` against a fixed pattern; anything else fails `terraform plan`. */
export const FlexibleServerSkuName: PolicyRule = {
  id: "FlexibleServerSkuName",
  description: "A Flexible Server sku_name is one azurerm's validation accepts.",
  severity: "error",
  appliesTo: ["azurerm_postgresql_flexible_server"],
  source: "hashicorp/terraform-provider-azurerm v4.55.0 internal/services/postgres/validate/flexible_server_sku_name.go, FlexibleServerSkuName",
  check: ({ body }) => {
    const sku = literalString(body.sku_name);
    if (sku === undefined) return NOT_APPLICABLE;
    return FLEXIBLE_SERVER_SKU_NAME.test(sku)
      ? COMPLIANT
      : nonCompliant(
          `sku_name ${JSON.stringify(sku)} is not a SKU azurerm accepts; use one such as GP_Standard_D4ds_v5, MO_Standard_E4ds_v5 or B_Standard_B2ms`,
        );
  },
};
