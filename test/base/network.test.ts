import { strict as assert } from "node:assert";
import { Network, type NetworkArgs } from "../../components/base/network";
import { planSubnets } from "../../components/base/subnets";
import { renderProgram, type RenderResult } from "../../src/engine/render";
import { named, ofType } from "../helpers/render";

const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const FLOW_LOG_BUCKET = "arn:aws:s3:::demo-dev-flow-logs-abc123";

function renderNetwork(overrides: Partial<NetworkArgs> = {}): Promise<RenderResult> {
  const args: NetworkArgs = { namePrefix: "demo-dev", clusterName: "demo-dev", zones: ZONES, ...overrides };
  const program = async () => {
    const network = new Network("net", args);
    return { natGatewayCount: network.natGatewayCount, privateSubnetIds: network.privateSubnetIds };
  };
  return renderProgram(program, { project: "demo", stack: "dev", region: "eu-west-1", accountId: "123456789012" });
}

/** `type name` of every resource, sorted, without the stack itself. */
function inventory(result: RenderResult): string[] {
  return result.resources
    .filter((resource) => resource.type !== "pulumi:pulumi:Stack")
    .map((resource) => `${resource.type} ${resource.name}`)
    .sort();
}

function countTypes(result: RenderResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of result.resources) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
  return counts;
}

/** The route table each subnet is associated with, by subnet id. */
function tableOfSubnet(result: RenderResult): Map<string, string> {
  const pairs = ofType(result, "aws:ec2/routeTableAssociation:RouteTableAssociation").map(
    (association) => [String(association.inputs.subnetId), String(association.inputs.routeTableId)] as const,
  );
  return new Map(pairs);
}

/** The 0.0.0.0/0 targets of a route table, by its id. */
function defaultRoutesOf(result: RenderResult, routeTableId: string): Record<string, unknown>[] {
  return ofType(result, "aws:ec2/route:Route")
    .filter((route) => route.inputs.routeTableId === routeTableId)
    .map(({ inputs }) => ({
      destinationCidrBlock: inputs.destinationCidrBlock,
      gatewayId: inputs.gatewayId,
      natGatewayId: inputs.natGatewayId,
    }));
}

describe("planSubnets", () => {
  const cases: { cidr: string; zones: number; expected: { private: string; public: string; database: string }[] }[] = [
    {
      cidr: "10.0.0.0/16",
      zones: 3,
      expected: [
        { private: "10.0.0.0/19", public: "10.0.96.0/22", database: "10.0.108.0/22" },
        { private: "10.0.32.0/19", public: "10.0.100.0/22", database: "10.0.112.0/22" },
        { private: "10.0.64.0/19", public: "10.0.104.0/22", database: "10.0.116.0/22" },
      ],
    },
    {
      cidr: "10.0.0.0/20",
      zones: 3,
      expected: [
        { private: "10.0.0.0/23", public: "10.0.6.0/26", database: "10.0.6.192/26" },
        { private: "10.0.2.0/23", public: "10.0.6.64/26", database: "10.0.7.0/26" },
        { private: "10.0.4.0/23", public: "10.0.6.128/26", database: "10.0.7.64/26" },
      ],
    },
    {
      cidr: "172.16.0.0/18",
      zones: 2,
      expected: [
        { private: "172.16.0.0/21", public: "172.16.24.0/24", database: "172.16.27.0/24" },
        { private: "172.16.8.0/21", public: "172.16.25.0/24", database: "172.16.28.0/24" },
      ],
    },
    {
      cidr: "192.168.240.0/20",
      zones: 1,
      expected: [{ private: "192.168.240.0/23", public: "192.168.246.0/26", database: "192.168.246.192/26" }],
    },
  ];
  for (const { cidr, zones, expected } of cases) {
    it(`splits ${cidr} into ${zones} zone(s)`, () => {
      assert.deepEqual(planSubnets(cidr, zones), expected);
    });
  }

  const invalid: { cidr: string; zones: number; message: string }[] = [
    { cidr: "10.0.0/16", zones: 3, message: 'VPC CIDR "10.0.0/16" is not an IPv4 CIDR block like 10.0.0.0/16' },
    { cidr: "10.0.0.256/16", zones: 3, message: 'VPC CIDR "10.0.0.256/16" is not an IPv4 CIDR block like 10.0.0.0/16' },
    { cidr: "10.0.0.0", zones: 3, message: 'VPC CIDR "10.0.0.0" is not an IPv4 CIDR block like 10.0.0.0/16' },
    { cidr: "10.0.0.0/15", zones: 3, message: 'VPC CIDR "10.0.0.0/15" has prefix /15: use /16 to /20' },
    { cidr: "10.0.0.0/21", zones: 3, message: 'VPC CIDR "10.0.0.0/21" has prefix /21: use /16 to /20' },
    { cidr: "10.0.1.0/16", zones: 3, message: 'VPC CIDR "10.0.1.0/16" has host bits set: did you mean 10.0.0.0/16?' },
    { cidr: "10.0.0.0/16", zones: 0, message: "zone count 0 is not allowed: use 1 to 3 availability zones" },
    { cidr: "10.0.0.0/16", zones: 4, message: "zone count 4 is not allowed: use 1 to 3 availability zones" },
  ];
  for (const { cidr, zones, message } of invalid) {
    it(`refuses ${cidr} with ${zones} zone(s): ${message}`, () => {
      assert.throws(() => planSubnets(cidr, zones), { message });
    });
  }
});

describe("Network, under the mock runtime", () => {
  let single: RenderResult;
  let perAz: RenderResult;
  before(async () => {
    single = await renderNetwork();
    perAz = await renderNetwork({ nat: "per_az" });
  });

  it("creates exactly these resources with a single NAT gateway, all children of the component", () => {
    assert.deepEqual(inventory(single), [
      "aws:ec2/eip:Eip net-nat-eip-0",
      "aws:ec2/internetGateway:InternetGateway net-igw",
      "aws:ec2/natGateway:NatGateway net-nat-0",
      "aws:ec2/route:Route net-private-internet-0",
      "aws:ec2/route:Route net-private-internet-1",
      "aws:ec2/route:Route net-private-internet-2",
      "aws:ec2/route:Route net-public-internet",
      "aws:ec2/routeTable:RouteTable net-database-routes",
      "aws:ec2/routeTable:RouteTable net-private-0-routes",
      "aws:ec2/routeTable:RouteTable net-private-1-routes",
      "aws:ec2/routeTable:RouteTable net-private-2-routes",
      "aws:ec2/routeTable:RouteTable net-public-routes",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-database-0-association",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-database-1-association",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-database-2-association",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-private-0-association",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-private-1-association",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-private-2-association",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-public-0-association",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-public-1-association",
      "aws:ec2/routeTableAssociation:RouteTableAssociation net-public-2-association",
      "aws:ec2/subnet:Subnet net-database-0",
      "aws:ec2/subnet:Subnet net-database-1",
      "aws:ec2/subnet:Subnet net-database-2",
      "aws:ec2/subnet:Subnet net-private-0",
      "aws:ec2/subnet:Subnet net-private-1",
      "aws:ec2/subnet:Subnet net-private-2",
      "aws:ec2/subnet:Subnet net-public-0",
      "aws:ec2/subnet:Subnet net-public-1",
      "aws:ec2/subnet:Subnet net-public-2",
      "aws:ec2/vpc:Vpc net-vpc",
      "aws:ec2/vpcEndpoint:VpcEndpoint net-s3-endpoint",
      "platinfra:base:Network net",
    ]);
    const component = named(single, "net").urn;
    for (const resource of single.resources.filter((resource) => resource.type.startsWith("aws:"))) {
      assert.equal(resource.parent, component, `${resource.name} is not a child of the Network`);
    }
    assert.deepEqual(single.outputs, {
      natGatewayCount: 1,
      privateSubnetIds: ["net-private-0-id", "net-private-1-id", "net-private-2-id"],
    });
  });

  it("creates one Elastic IP and NAT gateway per zone with per_az NAT", () => {
    const counts = countTypes(perAz);
    assert.deepEqual(counts, {
      "pulumi:pulumi:Stack": 1,
      "platinfra:base:Network": 1,
      "aws:ec2/vpc:Vpc": 1,
      "aws:ec2/internetGateway:InternetGateway": 1,
      "aws:ec2/subnet:Subnet": 9,
      "aws:ec2/eip:Eip": 3,
      "aws:ec2/natGateway:NatGateway": 3,
      "aws:ec2/routeTable:RouteTable": 5,
      "aws:ec2/route:Route": 4,
      "aws:ec2/routeTableAssociation:RouteTableAssociation": 9,
      "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
    });
    assert.equal(perAz.outputs.natGatewayCount, 3);
  });

  it("turns DNS support and hostnames on in the VPC, with the default CIDR and the Name tag", () => {
    assert.deepEqual(named(single, "net-vpc").inputs, {
      cidrBlock: "10.0.0.0/16",
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: "demo-dev" },
    });
    assert.deepEqual(named(single, "net-igw").inputs, { vpcId: "net-vpc-id", tags: { Name: "demo-dev" } });
  });

  it("places each subnet in its zone with the planned CIDR", () => {
    const placed = ofType(single, "aws:ec2/subnet:Subnet")
      .map((subnet) => `${subnet.name} ${subnet.inputs.availabilityZone} ${subnet.inputs.cidrBlock} ${subnet.inputs.vpcId}`)
      .sort();
    assert.deepEqual(placed, [
      "net-database-0 eu-west-1a 10.0.108.0/22 net-vpc-id",
      "net-database-1 eu-west-1b 10.0.112.0/22 net-vpc-id",
      "net-database-2 eu-west-1c 10.0.116.0/22 net-vpc-id",
      "net-private-0 eu-west-1a 10.0.0.0/19 net-vpc-id",
      "net-private-1 eu-west-1b 10.0.32.0/19 net-vpc-id",
      "net-private-2 eu-west-1c 10.0.64.0/19 net-vpc-id",
      "net-public-0 eu-west-1a 10.0.96.0/22 net-vpc-id",
      "net-public-1 eu-west-1b 10.0.100.0/22 net-vpc-id",
      "net-public-2 eu-west-1c 10.0.104.0/22 net-vpc-id",
    ]);
  });

  it("tags public and private subnets for the load balancer controller, database subnets with Name only", () => {
    assert.deepEqual(named(single, "net-public-1").inputs.tags, {
      Name: "demo-dev-public-eu-west-1b",
      "kubernetes.io/role/elb": "1",
      "kubernetes.io/cluster/demo-dev": "shared",
    });
    assert.equal(named(single, "net-public-1").inputs.mapPublicIpOnLaunch, false);
    assert.deepEqual(named(single, "net-private-2").inputs.tags, {
      Name: "demo-dev-private-eu-west-1c",
      "kubernetes.io/role/internal-elb": "1",
      "kubernetes.io/cluster/demo-dev": "shared",
    });
    assert.deepEqual(named(single, "net-database-0").inputs.tags, { Name: "demo-dev-database-eu-west-1a" });
  });

  it("puts the single NAT gateway, with a VPC Elastic IP, in the first public subnet", () => {
    assert.deepEqual(named(single, "net-nat-eip-0").inputs, { domain: "vpc", tags: { Name: "demo-dev-nat-eu-west-1a" } });
    assert.deepEqual(named(single, "net-nat-0").inputs, {
      allocationId: "net-nat-eip-0-id",
      subnetId: "net-public-0-id",
      tags: { Name: "demo-dev-nat-eu-west-1a" },
    });
  });

  it("routes every public subnet to the internet gateway through one table", () => {
    const tables = tableOfSubnet(single);
    for (const zone of [0, 1, 2]) assert.equal(tables.get(`net-public-${zone}-id`), "net-public-routes-id");
    assert.deepEqual(defaultRoutesOf(single, "net-public-routes-id"), [
      { destinationCidrBlock: "0.0.0.0/0", gatewayId: "net-igw-id", natGatewayId: undefined },
    ]);
  });

  it("routes every zone's private subnet to the single NAT gateway", () => {
    const tables = tableOfSubnet(single);
    for (const zone of [0, 1, 2]) {
      assert.equal(tables.get(`net-private-${zone}-id`), `net-private-${zone}-routes-id`);
      assert.deepEqual(defaultRoutesOf(single, `net-private-${zone}-routes-id`), [
        { destinationCidrBlock: "0.0.0.0/0", gatewayId: undefined, natGatewayId: "net-nat-0-id" },
      ]);
    }
  });

  it("with per_az NAT, routes each zone's private subnet to its own zone's NAT gateway", () => {
    const tables = tableOfSubnet(perAz);
    for (const zone of [0, 1, 2]) {
      assert.deepEqual(named(perAz, `net-nat-${zone}`).inputs, {
        allocationId: `net-nat-eip-${zone}-id`,
        subnetId: `net-public-${zone}-id`,
        tags: { Name: `demo-dev-nat-${ZONES[zone]}` },
      });
      const table = tables.get(`net-private-${zone}-id`);
      assert.equal(table, `net-private-${zone}-routes-id`);
      assert.deepEqual(defaultRoutesOf(perAz, table ?? ""), [
        { destinationCidrBlock: "0.0.0.0/0", gatewayId: undefined, natGatewayId: `net-nat-${zone}-id` },
      ]);
    }
  });

  it("gives database subnets a table with no route at all: no NAT, no internet gateway", () => {
    const tables = tableOfSubnet(single);
    for (const zone of [0, 1, 2]) assert.equal(tables.get(`net-database-${zone}-id`), "net-database-routes-id");
    assert.deepEqual(defaultRoutesOf(single, "net-database-routes-id"), []);
    assert.deepEqual(named(single, "net-database-routes").inputs, { vpcId: "net-vpc-id", tags: { Name: "demo-dev-database" } });
  });

  it("attaches a Gateway S3 endpoint to the private and database route tables only", () => {
    assert.deepEqual(named(single, "net-s3-endpoint").inputs, {
      vpcId: "net-vpc-id",
      serviceName: "com.amazonaws.eu-west-1.s3",
      vpcEndpointType: "Gateway",
      routeTableIds: [
        "net-private-0-routes-id",
        "net-private-1-routes-id",
        "net-private-2-routes-id",
        "net-database-routes-id",
      ],
      tags: { Name: "demo-dev-s3" },
    });
  });

  it("creates no flow log unless asked", () => {
    assert.deepEqual(ofType(single, "aws:ec2/flowLog:FlowLog"), []);
    assert.deepEqual(ofType(perAz, "aws:ec2/flowLog:FlowLog"), []);
  });

  it("delivers all traffic's flow logs to the given S3 bucket when asked", async () => {
    const result = await renderNetwork({ flowLogs: { bucketArn: FLOW_LOG_BUCKET } });
    const flowLogs = ofType(result, "aws:ec2/flowLog:FlowLog");
    assert.deepEqual(
      flowLogs.map(({ name, inputs }) => ({ name, inputs })),
      [
        {
          name: "net-flow-log",
          inputs: {
            vpcId: "net-vpc-id",
            logDestination: FLOW_LOG_BUCKET,
            logDestinationType: "s3",
            trafficType: "ALL",
            tags: { Name: "demo-dev" },
          },
        },
      ],
    );
  });

  it("with two zones, creates six subnets in those zones", async () => {
    const result = await renderNetwork({ zones: ["eu-west-1a", "eu-west-1b"] });
    const subnets = ofType(result, "aws:ec2/subnet:Subnet").map((subnet) => `${subnet.name} ${subnet.inputs.availabilityZone}`);
    assert.deepEqual(subnets.sort(), [
      "net-database-0 eu-west-1a",
      "net-database-1 eu-west-1b",
      "net-private-0 eu-west-1a",
      "net-private-1 eu-west-1b",
      "net-public-0 eu-west-1a",
      "net-public-1 eu-west-1b",
    ]);
    assert.equal(ofType(result, "aws:ec2/routeTable:RouteTable").length, 4);
    assert.equal(ofType(result, "aws:ec2/routeTableAssociation:RouteTableAssociation").length, 6);
  });

  it("uses at most three zones when given more", async () => {
    const result = await renderNetwork({ zones: [...ZONES, "eu-west-1d"], nat: "per_az" });
    assert.equal(ofType(result, "aws:ec2/subnet:Subnet").length, 9);
    assert.equal(ofType(result, "aws:ec2/natGateway:NatGateway").length, 3);
    assert.ok(!JSON.stringify(result.resources).includes("eu-west-1d"));
  });

  it("uses a given CIDR for the VPC and its subnets", async () => {
    const result = await renderNetwork({ cidr: "10.20.0.0/20", zones: ["eu-west-1a"] });
    assert.equal(named(result, "net-vpc").inputs.cidrBlock, "10.20.0.0/20");
    assert.deepEqual(
      ofType(result, "aws:ec2/subnet:Subnet").map((subnet) => `${subnet.name} ${subnet.inputs.cidrBlock}`).sort(),
      ["net-database-0 10.20.6.192/26", "net-private-0 10.20.0.0/23", "net-public-0 10.20.6.0/26"],
    );
  });

  it("refuses an empty zone list", async () => {
    await assert.rejects(renderNetwork({ zones: [] }), {
      message: "network net: no availability zones given — the region must offer at least one",
    });
  });

  it("refuses a malformed CIDR", async () => {
    await assert.rejects(renderNetwork({ cidr: "10.0.0.0/24" }), {
      message: 'VPC CIDR "10.0.0.0/24" has prefix /24: use /16 to /20',
    });
  });
});
