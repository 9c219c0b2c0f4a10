/**
 * IPv4 subnet arithmetic at synth time, so subnet ranges are literal in the synthesized JSON (readable in review and
 * usable in NetworkPolicies) rather than `cidrsubnet()` expressions.
 */

function toNumber(address: string): number {
  return address.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Like Terraform's cidrsubnet(prefix, newbits, netnum). */
export function cidrSubnet(prefix: string, newBits: number, netNum: number): string {
  const [address, lengthText] = prefix.split("/") as [string, string];
  const length = Number(lengthText) + newBits;
  if (length > 32 || netNum >= 2 ** newBits) throw new Error(`cidrSubnet: ${prefix} has no subnet ${netNum} of /${length}`);
  const base = toNumber(address) - (toNumber(address) % 2 ** (32 - Number(lengthText)));
  return `${toAddress(base + netNum * 2 ** (32 - length))}/${length}`;
}
