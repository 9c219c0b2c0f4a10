/**
 * The recovery's resource group in the recovery region: created here, or one that already exists (named in config).
 * Everything the stack creates lives in it, so a drill is torn down by destroying the stack, not by hand.
 */
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Construct } from "constructs";

export interface RecoveryResourceGroupProps {
  readonly name: string;
  readonly location: string;
  /** Create the group; false when it exists already (e.g. created with the peacetime vault). */
  readonly create: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export class RecoveryResourceGroup extends Construct {
  /** The group's name; a reference when created here, so resources are ordered after it. */
  readonly name: string;
  readonly location: string;

  constructor(scope: Construct, id: string, props: RecoveryResourceGroupProps) {
    super(scope, id);
    if (!props.create) {
      this.name = props.name;
      this.location = props.location;
      return;
    }
    const group = new ResourceGroup(this, "group", { name: props.name, location: props.location, tags: { ...props.tags } });
    this.name = group.name;
    this.location = props.location;
  }
}
