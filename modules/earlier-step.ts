/**
 * Bundles keep cloud details of earlier steps (a VPC, a key, a cluster) for later ones. RecoveryStack runs the steps in
 * order, so a detail that is still missing when a later step asks for it is a programming error, reported by name.
 */
export function fromEarlierStep<T>(value: T | undefined, bundle: string, step: string): T {
  if (value === undefined) throw new Error(`the ${bundle} bundle's ${step} step has not run yet; RecoveryStack runs the steps in order`);
  return value;
}
