/**
 * recovery-aws's constructs (network, load balancer, roles, parameter groups) take no `provider`: recovery-aws has one
 * default provider. Every provider of standby-aws is aliased, so what those constructs create in a standby tier gets
 * the recovery provider here, through the typed `provider` property cdktf gives every resource and data source.
 */
import { TerraformDataSource, TerraformResource, type TerraformProvider } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Gives every resource and data source under `scope` the provider, for constructs that have no `provider` prop.
 * Addresses do not depend on the provider, so a later `provider` prop on those constructs changes no address.
 */
export function inRecoveryRegion(scope: IConstruct, provider: TerraformProvider): void {
  for (const node of scope.node.findAll()) {
    if (node instanceof TerraformResource || node instanceof TerraformDataSource) node.provider = provider;
  }
}
