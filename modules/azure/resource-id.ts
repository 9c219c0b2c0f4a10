/** Parts of an Azure resource id (`/subscriptions/<s>/resourceGroups/<rg>/providers/<ns>/<type>/<name>`). */
export interface ResourceIdParts {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly name: string;
}

export function parseResourceId(id: string): ResourceIdParts {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)$/i.exec(id);
  if (match === null) throw new Error(`${JSON.stringify(id)} is not an Azure resource id`);
  return { subscriptionId: match[1]!, resourceGroupName: match[2]!, name: match[3]! };
}
