import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Database, MYSQL_VERSION, POSTGRES_VERSION, supportsPerformanceInsights, type DatabaseArgs } from "../../components/base/database";
import { renderProgram, type RenderResult } from "../../src/engine/render";
import { ofType } from "../helpers/render";

const TARGET = { project: "demo", stack: "dev", region: "eu-west-1", accountId: "123456789012" };
const ARGS: DatabaseArgs = {
  identifier: "demo-dev-mlflow",
  databaseName: "mlflow",
  subnetIds: ["subnet-db-a", "subnet-db-b"],
  vpcId: "vpc-1",
  allowedSecurityGroupIds: ["sg-nodes", pulumi.output("sg-cluster")],
  now: new Date("2026-11-28T04:41:59Z"),
};
const SNAPSHOT = "demo-dev-mlflow-final-20261128-0441";
const INSTANCE = "aws:rds/instance:Instance";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

interface Rendered {
  result: RenderResult;
  /** Names of the children created with Pulumi `protect` (the recorder sees only inputs). */
  protectedChildren: string[];
  /** The ignoreChanges option of each child that has one. */
  ignored: Record<string, string[]>;
  outputs: Record<string, unknown>;
}

async function renderDatabase(overrides: Partial<DatabaseArgs> = {}): Promise<Rendered> {
  const protectedChildren: string[] = [];
  const ignored: Record<string, string[]> = {};
  const recordProtect: pulumi.ResourceTransformation = ({ name, opts }) => {
    if (opts.protect) protectedChildren.push(name);
    if (opts.ignoreChanges) ignored[name] = opts.ignoreChanges;
    return undefined;
  };
  const result = await renderProgram(async () => {
    const db = new Database("mlflow-db", { ...ARGS, ...overrides }, { transformations: [recordProtect] });
    const { address, port, endpoint, masterUserSecretArn, databaseName, username, securityGroupId, engine } = db;
    return { address, port, endpoint, masterUserSecretArn, databaseName, username, securityGroupId, engine };
  }, TARGET);
  return { result, protectedChildren, ignored, outputs: result.outputs };
}

function inputsOf(result: RenderResult, type: string, name: string): Record<string, unknown> {
  const found = ofType(result, type).find((resource) => resource.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found.inputs;
}

/** Every key anywhere in a value, to prove a property is absent at any depth. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => [key, ...allKeys(item)]);
  return [];
}

describe("Database", () => {
  let postgres: Rendered;
  let instance: Record<string, unknown>;
  before(async () => {
    postgres = await renderDatabase();
    instance = inputsOf(postgres.result, INSTANCE, "mlflow-db");
  });

  it("creates a subnet group, a security group, one ingress rule per admitted group and the instance", () => {
    assert.deepEqual(postgres.result.resources.map((resource) => `${resource.type} ${resource.name}`).sort(), [
      "aws:ec2/securityGroup:SecurityGroup mlflow-db-sg",
      "aws:rds/instance:Instance mlflow-db",
      "aws:rds/subnetGroup:SubnetGroup mlflow-db-subnets",
      `${INGRESS} mlflow-db-postgres-from-0`,
      `${INGRESS} mlflow-db-postgres-from-1`,
      "platinfra:base:Database mlflow-db",
      "pulumi:pulumi:Stack demo-dev",
    ]);
    const component = postgres.result.resources.find((resource) => resource.type === "platinfra:base:Database");
    const children = postgres.result.resources.filter((resource) => resource.parent === component?.urn);
    assert.equal(children.length, 5);
  });

  it("is not publicly accessible", () => {
    assert.equal(instance.publiclyAccessible, false);
  });

  it("encrypts its gp3 storage, which autoscales from 20 to 100 GiB", () => {
    assert.deepEqual(
      { storageEncrypted: instance.storageEncrypted, storageType: instance.storageType, allocated: instance.allocatedStorage, max: instance.maxAllocatedStorage },
      { storageEncrypted: true, storageType: "gp3", allocated: 20, max: 100 },
    );
  });

  it("lets RDS manage the master password: no password input anywhere", () => {
    assert.equal(instance.manageMasterUserPassword, true);
    assert.equal(instance.username, "platinfra");
    assert.ok(!allKeys(postgres.result.resources.map((resource) => resource.inputs)).includes("password"));
  });

  it("is placed in the given subnets", () => {
    assert.deepEqual(inputsOf(postgres.result, "aws:rds/subnetGroup:SubnetGroup", "mlflow-db-subnets").subnetIds, ["subnet-db-a", "subnet-db-b"]);
    assert.equal(instance.dbSubnetGroupName, "demo-dev-mlflow");
  });

  it("admits only the given security groups, on the engine port, and nothing from 0.0.0.0/0", () => {
    const group = inputsOf(postgres.result, "aws:ec2/securityGroup:SecurityGroup", "mlflow-db-sg");
    assert.deepEqual(Object.keys(group).sort(), ["description", "vpcId"]);
    assert.equal(group.vpcId, "vpc-1");
    assert.deepEqual(instance.vpcSecurityGroupIds, ["mlflow-db-sg-id"]);
    const rules = ofType(postgres.result, INGRESS).map(({ inputs }) => {
      const { securityGroupId, referencedSecurityGroupId, ipProtocol, fromPort, toPort } = inputs;
      return [securityGroupId, referencedSecurityGroupId, ipProtocol, fromPort, toPort];
    });
    assert.deepEqual(rules.sort(), [
      ["mlflow-db-sg-id", "sg-cluster", "tcp", 5432, 5432],
      ["mlflow-db-sg-id", "sg-nodes", "tcp", 5432, 5432],
    ]);
    assert.ok(ofType(postgres.result, INGRESS).every(({ inputs }) => !("cidrIpv4" in inputs) && !("cidrIpv6" in inputs)));
    assert.ok(!JSON.stringify(postgres.result.resources).includes("0.0.0.0/0"));
    assert.equal(ofType(postgres.result, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 0);
  });

  it("is deletion-protected by default: in AWS, in Pulumi, and with a timestamped final snapshot whose stored name other runs keep", () => {
    assert.deepEqual(
      { deletionProtection: instance.deletionProtection, skip: instance.skipFinalSnapshot, final: instance.finalSnapshotIdentifier },
      { deletionProtection: true, skip: false, final: SNAPSHOT },
    );
    assert.deepEqual(postgres.protectedChildren, ["mlflow-db"]);
    assert.deepEqual(postgres.ignored, { "mlflow-db": ["engineLifecycleSupport", "finalSnapshotIdentifier"] });
  });

  it("the release path (protection off): still a final snapshot, named at this up, and deletable", async () => {
    const { result, protectedChildren, ignored } = await renderDatabase({ deletionProtection: false, now: new Date("2027-01-05T23:07:00Z") });
    const inputs = inputsOf(result, INSTANCE, "mlflow-db");
    assert.deepEqual(
      { deletionProtection: inputs.deletionProtection, skip: inputs.skipFinalSnapshot, final: inputs.finalSnapshotIdentifier },
      { deletionProtection: false, skip: false, final: "demo-dev-mlflow-final-20270105-2307" },
    );
    assert.deepEqual(protectedChildren, []);
    assert.deepEqual(ignored, { "mlflow-db": ["engineLifecycleSupport"] });
  });

  it("opting out of the final snapshot skips it", async () => {
    const { result } = await renderDatabase({ deletionProtection: false, finalSnapshot: false });
    const inputs = inputsOf(result, INSTANCE, "mlflow-db");
    assert.deepEqual({ skip: inputs.skipFinalSnapshot, final: inputs.finalSnapshotIdentifier }, { skip: true, final: undefined });
  });

  it("standard support (no RDS Extended Support charges) and maintenance-window changes by default; extended and immediate when asked", async () => {
    assert.deepEqual(
      { lifecycle: instance.engineLifecycleSupport, now: instance.applyImmediately },
      { lifecycle: "open-source-rds-extended-support-disabled", now: false },
    );
    const { result } = await renderDatabase({ engineLifecycleSupport: "extended", applyImmediately: true });
    const inputs = inputsOf(result, INSTANCE, "mlflow-db");
    assert.deepEqual({ lifecycle: inputs.engineLifecycleSupport, now: inputs.applyImmediately }, { lifecycle: "open-source-rds-extended-support", now: true });
  });

  it("an existing instance: a major engine upgrade (MySQL 8.0 → 8.4) is allowed; its lifecycle support, settable only at create or restore, is never updated", async () => {
    assert.equal(instance.allowMajorVersionUpgrade, true);
    const { result, ignored } = await renderDatabase({ engine: "mysql" });
    assert.equal(inputsOf(result, INSTANCE, "mlflow-db").allowMajorVersionUpgrade, true);
    assert.deepEqual(ignored["mlflow-db"], ["engineLifecycleSupport", "finalSnapshotIdentifier"]);
  });

  it("keeps backups 7 days by default, or as asked", async () => {
    assert.equal(instance.backupRetentionPeriod, 7);
    const { result } = await renderDatabase({ backupRetentionDays: 14 });
    assert.equal(inputsOf(result, INSTANCE, "mlflow-db").backupRetentionPeriod, 14);
  });

  it("runs the pinned postgres with IAM auth, Performance Insights and minor upgrades on", () => {
    assert.deepEqual(
      [instance.engine, instance.engineVersion, instance.port, instance.dbName, instance.identifier, instance.instanceClass, instance.multiAz],
      ["postgres", POSTGRES_VERSION, 5432, "mlflow", "demo-dev-mlflow", "db.t4g.medium", false],
    );
    assert.deepEqual(
      [instance.iamDatabaseAuthenticationEnabled, instance.performanceInsightsEnabled, instance.autoMinorVersionUpgrade, instance.copyTagsToSnapshot],
      [true, true, true, true],
    );
  });

  it("exposes the endpoint, the master secret ARN and its settings as outputs", () => {
    assert.deepEqual(postgres.outputs, {
      address: "mlflow-db.abcdefghij.eu-west-1.rds.amazonaws.com",
      port: 5432,
      endpoint: "mlflow-db.abcdefghij.eu-west-1.rds.amazonaws.com:5432",
      masterUserSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-mlflow-db-AbCdEf",
      databaseName: "mlflow",
      username: "platinfra",
      securityGroupId: "mlflow-db-sg-id",
      engine: "postgres",
    });
  });

  it("MySQL is 8.4 (in RDS standard support; 8.0 left it on 2026-07-31)", () => {
    assert.equal(MYSQL_VERSION, "8.4");
    assert.equal(POSTGRES_VERSION, "16");
  });

  // AWS RDS User Guide, "Amazon RDS DB engine, Region, and instance class support for Database Insights":
  // RDS for MySQL and MariaDB refuse it on db.t2/t3/t4g micro and small; RDS for PostgreSQL has no class restriction.
  const PERFORMANCE_INSIGHTS: [DatabaseArgs["engine"] & string, string, boolean][] = [
    ["mysql", "db.t2.micro", false],
    ["mysql", "db.t2.small", false],
    ["mysql", "db.t3.micro", false],
    ["mysql", "db.t3.small", false],
    ["mysql", "db.t4g.micro", false],
    ["mysql", "db.t4g.small", false],
    ["mysql", "db.t4g.medium", true],
    ["mysql", "db.t3.large", true],
    ["mysql", "db.m7g.large", true],
    ["postgres", "db.t4g.micro", true],
    ["postgres", "db.t4g.small", true],
    ["postgres", "db.t3.micro", true],
    ["postgres", "db.m7g.large", true],
  ];
  for (const [engine, instanceClass, supported] of PERFORMANCE_INSIGHTS) {
    it(`Performance Insights on ${engine} ${instanceClass}: ${supported ? "on" : "off (RDS would refuse it)"}`, () => {
      assert.equal(supportsPerformanceInsights(engine, instanceClass), supported);
    });
  }

  it("the instance asks for Performance Insights only where the engine and class support it", async () => {
    const small = inputsOf((await renderDatabase({ engine: "mysql", instanceClass: "db.t4g.small" })).result, INSTANCE, "mlflow-db");
    assert.equal(small.performanceInsightsEnabled, false);
    const medium = inputsOf((await renderDatabase({ engine: "mysql", instanceClass: "db.t4g.medium" })).result, INSTANCE, "mlflow-db");
    assert.equal(medium.performanceInsightsEnabled, true);
    const postgresSmall = inputsOf((await renderDatabase({ instanceClass: "db.t4g.small" })).result, INSTANCE, "mlflow-db");
    assert.equal(postgresSmall.performanceInsightsEnabled, true);
  });

  it("the mysql variant listens and admits on 3306", async () => {
    const { result } = await renderDatabase({ engine: "mysql" });
    const inputs = inputsOf(result, INSTANCE, "mlflow-db");
    assert.deepEqual([inputs.engine, inputs.engineVersion, inputs.port], ["mysql", MYSQL_VERSION, 3306]);
    const rules = ofType(result, INGRESS);
    assert.deepEqual(rules.map((rule) => rule.name).sort(), ["mlflow-db-mysql-from-0", "mlflow-db-mysql-from-1"]);
    assert.ok(rules.every((rule) => rule.inputs.fromPort === 3306 && rule.inputs.toPort === 3306));
  });

  it("RDS's default parameter group unless parameters are given; then a group of its own, the engine's family, applied at reboot where RDS says so", async () => {
    assert.equal(instance.parameterGroupName, undefined);
    assert.equal(ofType(postgres.result, "aws:rds/parameterGroup:ParameterGroup").length, 0);
    // The name carries the family: a major version move creates the new group beside the old one.
    for (const [engine, engineVersion, family, groupName] of [
      ["mysql", undefined, "mysql8.4", "demo-dev-mlflow-mysql8-4"],
      ["mysql", "8.0.40", "mysql8.0", "demo-dev-mlflow-mysql8-0"],
      ["postgres", undefined, "postgres16", "demo-dev-mlflow-postgres16"],
    ] as const) {
      const { result } = await renderDatabase({ engine, ...(engineVersion ? { engineVersion } : {}), parameters: { some_parameter: "on" } });
      const group = inputsOf(result, "aws:rds/parameterGroup:ParameterGroup", "mlflow-db-parameters");
      assert.deepEqual(group, {
        name: groupName,
        family,
        description: "Parameters of the database demo-dev-mlflow",
        parameters: [{ name: "some_parameter", value: "on", applyMethod: "pending-reboot" }],
      });
      assert.equal(inputsOf(result, INSTANCE, "mlflow-db").parameterGroupName, groupName);
    }
  });

  it("refuses arguments AWS would refuse, and a database no one can reach", async () => {
    const bad = { identifier: "Bad_Name", allowedSecurityGroupIds: [], maxAllocatedStorage: 10 };
    await assert.rejects(renderDatabase(bad), {
      message:
        'database Bad_Name: identifier "Bad_Name": must be 2-63 lowercase letters, digits and single hyphens, starting with a letter; ' +
        "maxAllocatedStorage 10: must be at least allocatedStorage (20); allowedSecurityGroupIds: empty — no one could reach the database",
    });
  });
});
