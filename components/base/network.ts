import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatinfraError } from "../../src/errors";
import { DISCOVERY_TAG } from "./node-pools";
import { MAX_ZONES, planSubnets, type ZoneSubnets } from "./subnets";

export interface NetworkArgs {
  /** The stack's name prefix (`aws-mlops-stack-dev`): every `Name` tag starts with it. */
  namePrefix: string;
  /** The EKS cluster that will use the subnets: tagged so its load balancer controller finds them. */
  clusterName: string;
  /** The VPC's IPv4 block, /16 to /20. @default 10.0.0.0/16, room for every tool with space to spare */
  cidr?: string;
  /**
   * NAT gateways for the private subnets: `single` is one, in the first zone (cheaper, but that
   * zone's outage cuts every zone's egress); `per_az` is one per zone, each zone egressing locally.
   * @default a single NAT gateway
   */
  nat?: "single" | "per_az";
  /**
   * Availability zone names, resolved by the caller (`aws.getAvailabilityZones`); the first three
   * are used, one public, private and database subnet in each.
   */
  zones: string[];
  /** Deliver the VPC's flow logs (all traffic) to this S3 bucket. @default no flow logs */
  flowLogs?: { bucketArn: pulumi.Input<string> };
  /** Tag the private subnets `karpenter.sh/discovery: <cluster>`, where Karpenter launches nodes. @default untagged */
  karpenterDiscovery?: boolean;
}

const DEFAULT_CIDR = "10.0.0.0/16";
const ANYWHERE = "0.0.0.0/0";

/** The subnets of every zone, by tier. */
type Subnets = Record<keyof ZoneSubnets, aws.ec2.Subnet[]>;

/** Where a 0.0.0.0/0 route goes: the internet gateway or a NAT gateway. */
type RouteTarget = { gatewayId: pulumi.Input<string> } | { natGatewayId: pulumi.Input<string> };

/** What every helper needs: the child name root, the `Name` tag root, the zones and the VPC. */
interface Scope {
  name: string;
  namePrefix: string;
  zones: string[];
  vpc: aws.ec2.Vpc;
}

/**
 * The stack's VPC: per zone a public subnet (load balancers, NAT), a private subnet (nodes, pods)
 * egressing through NAT, and an isolated database subnet with no internet route; an S3 gateway
 * endpoint so S3 traffic skips the NAT; optional flow logs to S3. Opens nothing: no security groups.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly databaseSubnetIds: pulumi.Output<string[]>;
  /** How many NAT gateways (and Elastic IPs) the network holds: 1, or one per zone. */
  readonly natGatewayCount: number;
  /** The private subnets' routes to the internet (via NAT): nodes must not boot before these exist. */
  readonly egressReady: pulumi.Resource[] = [];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:Network", name, {}, opts);
    if (args.zones.length === 0) {
      const message = `network ${name}: no availability zones given — the region must offer at least one`;
      throw new PlatinfraError("NETWORK_ZONES_INVALID", message);
    }
    const zones = args.zones.slice(0, MAX_ZONES);
    const cidr = args.cidr ?? DEFAULT_CIDR;
    const natCount = (args.nat ?? "single") === "single" ? 1 : zones.length;
    const plan = planSubnets(cidr, zones.length);
    const nameTag = { Name: args.namePrefix };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: nameTag },
      { parent: this },
    );
    const scope: Scope = { name, namePrefix: args.namePrefix, zones, vpc };
    const gateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: nameTag },
      { parent: this },
    );
    const subnets = this.createSubnets(scope, args.clusterName, plan, args.karpenterDiscovery ?? false);
    const natGateways = this.createNatGateways(scope, gateway, subnets.public.slice(0, natCount));
    const isolatedRouteTables = this.createRouteTables(scope, gateway, subnets, natGateways);
    this.createS3Endpoint(scope, isolatedRouteTables);
    if (args.flowLogs) {
      const destination = { logDestination: args.flowLogs.bucketArn, logDestinationType: "s3" };
      new aws.ec2.FlowLog(
        `${name}-flow-log`,
        { vpcId: vpc.id, ...destination, trafficType: "ALL", tags: nameTag },
        { parent: this },
      );
    }

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.publicSubnetIds = pulumi.all(subnets.public.map((subnet) => subnet.id));
    this.privateSubnetIds = pulumi.all(subnets.private.map((subnet) => subnet.id));
    this.databaseSubnetIds = pulumi.all(subnets.database.map((subnet) => subnet.id));
    this.natGatewayCount = natGateways.length;
    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      databaseSubnetIds: this.databaseSubnetIds,
    });
  }

  /** One subnet per tier and zone; public and private ones carry the load balancer controller's tags. */
  private createSubnets(scope: Scope, clusterName: string, plan: ZoneSubnets[], karpenterDiscovery: boolean): Subnets {
    const { name, namePrefix, zones, vpc } = scope;
    const cluster = { [`kubernetes.io/cluster/${clusterName}`]: "shared" };
    const discovery: Record<string, string> = karpenterDiscovery ? { [DISCOVERY_TAG]: clusterName } : {};
    const subnet = (tier: keyof Subnets, zone: number, tags: Record<string, string>) =>
      new aws.ec2.Subnet(
        `${name}-${tier}-${zone}`,
        {
          vpcId: vpc.id,
          availabilityZone: zones[zone],
          cidrBlock: plan[zone][tier],
          ...(tier === "public" ? { mapPublicIpOnLaunch: false } : {}),
          tags: { Name: `${namePrefix}-${tier}-${zones[zone]}`, ...tags },
        },
        { parent: this },
      );
    return {
      public: zones.map((_, zone) => subnet("public", zone, { "kubernetes.io/role/elb": "1", ...cluster })),
      private: zones.map((_, zone) =>
        subnet("private", zone, { "kubernetes.io/role/internal-elb": "1", ...cluster, ...discovery }),
      ),
      database: zones.map((_, zone) => subnet("database", zone, {})),
    };
  }

  /** A NAT gateway with its Elastic IP in each of the given public subnets (zone order). */
  private createNatGateways(
    scope: Scope,
    gateway: aws.ec2.InternetGateway,
    publicSubnets: aws.ec2.Subnet[],
  ): aws.ec2.NatGateway[] {
    return publicSubnets.map((subnet, zone) => {
      const tags = { Name: `${scope.namePrefix}-nat-${scope.zones[zone]}` };
      const eipName = `${scope.name}-nat-eip-${zone}`;
      const eip = new aws.ec2.Eip(eipName, { domain: "vpc", tags }, { parent: this });
      // A VPC Elastic IP's id is its allocation id (as in the provider's own examples). AWS
      // recommends creating the internet gateway first, or the NAT may come up with no way out.
      return new aws.ec2.NatGateway(
        `${scope.name}-nat-${zone}`,
        { allocationId: eip.id, subnetId: subnet.id, tags },
        { parent: this, dependsOn: [gateway] },
      );
    });
  }

  /**
   * Public subnets share one table routing to the internet gateway; each private subnet gets its
   * zone's table routing to its NAT (or the single one); database subnets share a table with only
   * the VPC's local route. Routes are separate resources so each can be checked on its own.
   * Returns the private and database tables, the ones the S3 endpoint serves.
   */
  private createRouteTables(
    scope: Scope,
    gateway: aws.ec2.InternetGateway,
    subnets: Subnets,
    natGateways: aws.ec2.NatGateway[],
  ): aws.ec2.RouteTable[] {
    const { name, namePrefix, zones, vpc } = scope;
    const table = (suffix: string, nameTag: string) =>
      new aws.ec2.RouteTable(
        `${name}-${suffix}-routes`,
        { vpcId: vpc.id, tags: { Name: nameTag } },
        { parent: this },
      );
    const route = (suffix: string, routeTable: aws.ec2.RouteTable, target: RouteTarget) =>
      new aws.ec2.Route(
        `${name}-${suffix}`,
        { routeTableId: routeTable.id, destinationCidrBlock: ANYWHERE, ...target },
        { parent: this },
      );
    const associate = (tier: keyof Subnets, routeTable: (zone: number) => aws.ec2.RouteTable) =>
      subnets[tier].forEach((subnet, zone) => {
        const association = { subnetId: subnet.id, routeTableId: routeTable(zone).id };
        const associationName = `${name}-${tier}-${zone}-association`;
        const created = new aws.ec2.RouteTableAssociation(associationName, association, { parent: this });
        if (tier === "private") this.egressReady.push(created);
      });

    const publicTable = table("public", `${namePrefix}-public`);
    route("public-internet", publicTable, { gatewayId: gateway.id });
    associate("public", () => publicTable);

    const privateTables = zones.map((zoneName, zone) => {
      const privateTable = table(`private-${zone}`, `${namePrefix}-private-${zoneName}`);
      const natGateway = natGateways[Math.min(zone, natGateways.length - 1)];
      this.egressReady.push(route(`private-internet-${zone}`, privateTable, { natGatewayId: natGateway.id }));
      return privateTable;
    });
    associate("private", (zone) => privateTables[zone]);

    const databaseTable = table("database", `${namePrefix}-database`);
    associate("database", () => databaseTable);
    return [...privateTables, databaseTable];
  }

  /** S3 traffic from private and database subnets goes through a free gateway endpoint, not the NAT. */
  private createS3Endpoint(scope: Scope, routeTables: aws.ec2.RouteTable[]): aws.ec2.VpcEndpoint {
    const region = aws.getRegionOutput({}, { parent: this }).region;
    return new aws.ec2.VpcEndpoint(
      `${scope.name}-s3-endpoint`,
      {
        vpcId: scope.vpc.id,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: routeTables.map((routeTable) => routeTable.id),
        tags: { Name: `${scope.namePrefix}-s3` },
      },
      { parent: this },
    );
  }
}
