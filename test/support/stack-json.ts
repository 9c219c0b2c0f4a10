/**
 * A synthesized stack's `cdk.tf.json`, read for assertions: the resources and data sources of a type, the one of a
 * type, and every block with its type and id.
 */
export type Resource = Record<string, any>;

export interface StackJson {
  readonly json: Record<string, any>;
  readonly text: string;
  resources(type: string): Record<string, Resource>;
  data(type: string): Record<string, Resource>;
  /** The one resource of a type; fails when there is none or several. */
  only(type: string): Resource;
  /** Every resource and data source with its type and id. */
  all(): Array<{ block: "resource" | "data"; type: string; id: string; body: Resource }>;
}

export function stackJson(text: string): StackJson {
  const json = JSON.parse(text) as Record<string, any>;
  const resources = (type: string): Record<string, Resource> => json.resource?.[type] ?? {};
  return {
    json,
    text,
    resources,
    data: (type) => json.data?.[type] ?? {},
    only(type) {
      const found = Object.values(resources(type));
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return found[0]!;
    },
    all: () =>
      (["resource", "data"] as const).flatMap((block) =>
        Object.entries((json[block] ?? {}) as Record<string, Record<string, Resource>>).flatMap(([type, byId]) =>
          Object.entries(byId).map(([id, body]) => ({ block, type, id, body })),
        ),
      ),
  };
}
