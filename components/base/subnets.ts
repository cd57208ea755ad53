import { PlatinfraError } from "../../src/errors";

/** The three subnets of one availability zone, as CIDR blocks. */
export interface ZoneSubnets {
  /** Nodes and pods: the large block, reaching the internet through a NAT gateway. */
  private: string;
  /** Load balancers and NAT gateways. */
  public: string;
  /** Databases: isolated, no route to the internet. */
  database: string;
}

/** VPC prefixes the plan fits: /16 leaves room to spare, /20 is the smallest that still holds three zones. */
export const VPC_PREFIX_RANGE = { min: 16, max: 20 } as const;
export const MAX_ZONES = 3;

/**
 * Splits a VPC's CIDR into per-zone subnets. Private subnets take the first three blocks of
 * prefix p+3 (three eighths of the VPC); public, then database, subnets take the next /(p+6)
 * blocks right after them. The layout never depends on the zone count, so adding a zone later
 * never moves an existing subnet.
 */
export function planSubnets(vpcCidr: string, zoneCount: number): ZoneSubnets[] {
  const { base, prefix } = parseVpcCidr(vpcCidr);
  if (!Number.isInteger(zoneCount) || zoneCount < 1 || zoneCount > MAX_ZONES) {
    const message = `zone count ${zoneCount} is not allowed: use 1 to ${MAX_ZONES} availability zones`;
    throw new PlatinfraError("NETWORK_ZONES_INVALID", message);
  }
  const privateSize = 2 ** (32 - prefix - 3);
  const smallSize = 2 ** (32 - prefix - 6);
  const smallStart = base + MAX_ZONES * privateSize;
  return Array.from({ length: zoneCount }, (_, zone) => ({
    private: cidr(base + zone * privateSize, prefix + 3),
    public: cidr(smallStart + zone * smallSize, prefix + 6),
    database: cidr(smallStart + (MAX_ZONES + zone) * smallSize, prefix + 6),
  }));
}

/** The network address (as an unsigned 32-bit number) and prefix of an IPv4 CIDR, validated. */
export function parseVpcCidr(text: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  if (!match || octets.some((octet) => octet > 255)) {
    throw new PlatinfraError("NETWORK_CIDR_INVALID", `VPC CIDR "${text}" is not an IPv4 CIDR block like 10.0.0.0/16`);
  }
  const prefix = Number(match[5]);
  if (prefix < VPC_PREFIX_RANGE.min || prefix > VPC_PREFIX_RANGE.max) {
    throw new PlatinfraError(
      "NETWORK_CIDR_INVALID",
      `VPC CIDR "${text}" has prefix /${prefix}: use /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max}`,
    );
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const hostBits = address % 2 ** (32 - prefix);
  if (hostBits !== 0) {
    const network = cidr(address - hostBits, prefix);
    throw new PlatinfraError("NETWORK_CIDR_INVALID", `VPC CIDR "${text}" has host bits set: did you mean ${network}?`);
  }
  return { base: address, prefix };
}

/** `a.b.c.d/prefix` from an unsigned 32-bit address. */
function cidr(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}
