import { literalString } from "../json";
import { COMPLIANT, nonCompliant, type PolicyRule } from "../types";

const RECORD_TYPES: Readonly<Record<string, string>> = { azurerm_dns_a_record: "A", azurerm_dns_cname_record: "CNAME" };

/** `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/dnsZones/<zone>/<TYPE>/<name>`, parsed. */
function parseRecordSetId(id: string): { resourceGroup: string; zone: string; type: string; name: string } | undefined {
  const match = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/dnsZones\/([^/]+)\/([^/]+)\/([^/]+)$/i.exec(id);
  if (match === null) return undefined;
  const [, resourceGroup, zone, type, name] = match as unknown as [string, string, string, string, string];
  return { resourceGroup, zone, type, name };
}

/**
 * In a real disaster the api record already exists (the primary's), and azurerm refuses to create a record set that
 * exists (resourceDnsARecordCreateUpdate / resourceDnsCNameRecordCreate return tf.ImportAsExistsError: "needs to be
 * imported"). The record is adopted with an `import` block whose id is that record set's, of the same type (the
 * importer accepts only its own record type). Where config says the record does not exist yet, the module suppresses
 * this rule with that reason. Cloud DNS needs nothing: google_dns_record_set's create replaces a same-type record set.
 */
export const DnsRecordAdopted: PolicyRule = {
  id: "DnsRecordAdopted",
  description: "Azure DNS A and CNAME records the recovery switches are adopted with an import block of the same record set.",
  severity: "error",
  appliesTo: Object.keys(RECORD_TYPES),
  source:
    "hashicorp/terraform-provider-azurerm v4.55.0 internal/services/dns/dns_a_record_resource.go and dns_cname_record_resource.go (create: tf.ImportAsExistsError; Importer: recordsets.ParseRecordTypeID, own record type only)",
  check: ({ type, address, body }, stack) => {
    const expectedType = RECORD_TYPES[type]!;
    const ids = stack.importIds(address);
    if (ids.length === 0) {
      return nonCompliant(
        `no import block adopts ${expectedType} record "${literalString(body.name) ?? "?"}"; the primary's record exists in a real disaster and azurerm refuses to create it: add importFrom with its record set id, or say in config that the record is new`,
      );
    }
    for (const id of ids) {
      const literal = literalString(id);
      if (literal === undefined) continue;
      const parsed = parseRecordSetId(literal);
      if (parsed === undefined)
        return nonCompliant(
          `the import id ${JSON.stringify(literal)} is not an Azure DNS record set id (/subscriptions/.../dnsZones/<zone>/${expectedType}/<name>); use the record's own id`,
        );
      const mismatches = [
        ...(parsed.type.toUpperCase() !== expectedType ? [`record type ${parsed.type} (this resource imports ${expectedType} only)`] : []),
        ...(literalString(body.name) !== undefined && parsed.name !== body.name ? [`name ${parsed.name}, not ${String(body.name)}`] : []),
        ...(literalString(body.zone_name) !== undefined && parsed.zone.toLowerCase() !== String(body.zone_name).toLowerCase()
          ? [`zone ${parsed.zone}, not ${String(body.zone_name)}`]
          : []),
        ...(literalString(body.resource_group_name) !== undefined && parsed.resourceGroup.toLowerCase() !== String(body.resource_group_name).toLowerCase()
          ? [`resource group ${parsed.resourceGroup}, not ${String(body.resource_group_name)}`]
          : []),
      ];
      if (mismatches.length > 0) return nonCompliant(`the import id names ${mismatches.join(", ")}; import this resource's own record set`);
    }
    return COMPLIANT;
  },
};
