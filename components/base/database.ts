import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatinfraError } from "../../src/errors";
import { NAME_LIMITS } from "./naming";

/**
 * Pinned major engine versions. Minor versions are left to RDS's automatic minor upgrades (security
 * fixes): pinning a minor would make the next `up` try to downgrade after AWS upgraded it.
 */
export const POSTGRES_VERSION = "16";
export const MYSQL_VERSION = "8.4";

export type DatabaseEngine = "postgres" | "mysql";

/** The port each engine listens on: the only port the security group opens. */
export const ENGINE_PORTS: Record<DatabaseEngine, number> = { postgres: 5432, mysql: 3306 };

const ENGINE_VERSIONS: Record<DatabaseEngine, string> = { postgres: POSTGRES_VERSION, mysql: MYSQL_VERSION };

/**
 * Instance classes on which RDS refuses Performance Insights (`InvalidParameterCombination`, minutes
 * into a run), per engine: RDS for MySQL (and MariaDB) on the micro and small burstable classes;
 * RDS for PostgreSQL on none. Source: AWS RDS User Guide, "DB engine, Region, and instance class
 * support for Database Insights".
 */
const NO_PERFORMANCE_INSIGHTS: Record<DatabaseEngine, readonly string[]> = {
  postgres: [],
  mysql: ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"],
};

/** Whether RDS accepts Performance Insights for this engine on this instance class. */
export function supportsPerformanceInsights(engine: DatabaseEngine, instanceClass: string): boolean {
  return !NO_PERFORMANCE_INSIGHTS[engine].includes(instanceClass);
}

/** Every optional argument with its default settled, plus the engine's port. */
type Settings = Required<Omit<DatabaseArgs, "identifier" | "databaseName" | "subnetIds" | "vpcId" | "allowedSecurityGroupIds" | "now" | "parameters">> & {
  port: number;
};

export interface DatabaseArgs {
  /** The RDS instance's physical identifier, derived by the caller (see naming.ts) within 63 characters. */
  identifier: string;
  /** The database engine. @default PostgreSQL, which every tool platinfra deploys supports */
  engine?: DatabaseEngine;
  /** The engine version. @default the pinned current minor of the engine (`POSTGRES_VERSION`, `MYSQL_VERSION`) */
  engineVersion?: string;
  /** The database created on the instance, named as the tool expects it. */
  databaseName: string;
  /** The master user. Its password is generated and kept by RDS in Secrets Manager. @default "platinfra" */
  username?: string;
  /** The instance class. @default a small Graviton burstable instance (db.t4g.medium), enough for tool metadata */
  instanceClass?: string;
  /** Storage allocated at creation, in GiB. @default 20 GiB */
  allocatedStorage?: number;
  /** Ceiling of storage autoscaling, in GiB: RDS grows the volume up to it when it fills. @default 100 GiB */
  maxAllocatedStorage?: number;
  /** The isolated database subnets the instance may be placed in (at least two availability zones). */
  subnetIds: pulumi.Input<string[]>;
  /** The VPC of those subnets, where the database's security group lives. */
  vpcId: pulumi.Input<string>;
  /** The security groups admitted on the engine port (the cluster's node and cluster groups): the only sources. */
  allowedSecurityGroupIds: pulumi.Input<string>[];
  /**
   * Refuse deletion, in AWS and in Pulumi (`protect`), and take a final snapshot if it is deleted
   * anyway. Turn off only for throwaway environments. @default protected
   */
  deletionProtection?: boolean;
  /** Days automated backups are kept (point-in-time recovery window). @default 7 days */
  backupRetentionDays?: number;
  /** Keep a synchronous standby in a second availability zone. @default single-AZ, to keep dev cheap */
  multiAz?: boolean;
  /**
   * Past the engine version's standard support: RDS upgrades it (standard) or bills RDS Extended
   * Support (extended). @default standard
   */
  engineLifecycleSupport?: "standard" | "extended";
  /** Apply class and storage changes now (a brief outage) instead of in the next maintenance window. @default false */
  applyImmediately?: boolean;
  /** Take a final snapshot, named with the time of the `up` that allowed deletion, when the database is deleted. @default true */
  finalSnapshot?: boolean;
  /** The clock for the final snapshot's name. @default now */
  now?: Date;
  /**
   * Engine parameters that differ from RDS's defaults, in a parameter group of the instance's own
   * (named after it) — for a tool whose client needs them (e.g. an older authentication plugin).
   * @default none: RDS's default parameter group
   */
  parameters?: Record<string, string>;
}

/**
 * An RDS database as it should be by default: private (isolated subnets, reachable only from the
 * given security groups on the engine port), encrypted, backed up, deletion-protected, and with
 * the master password generated and held by RDS in Secrets Manager, so it never enters Pulumi state.
 */
export class Database extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  /** The instance's host name. */
  readonly address: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** `host:port`. */
  readonly endpoint: pulumi.Output<string>;
  /** The Secrets Manager secret RDS keeps the master credentials in (`username`, `password`). */
  readonly masterUserSecretArn: pulumi.Output<string>;
  readonly databaseName: string;
  readonly username: string;
  /** The database's own security group, for callers adding sources of their own. */
  readonly securityGroupId: pulumi.Output<string>;
  readonly engine: DatabaseEngine;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:Database", name, {}, opts);
    const settings = settleDefaults(args);
    validateDatabaseArgs(args, settings);
    const subnetGroup = this.createSubnetGroup(name, args);
    const securityGroup = this.createSecurityGroup(name, args, settings);
    const parameterGroup = args.parameters ? this.createParameterGroup(name, args, settings, args.parameters) : undefined;
    this.instance = this.createInstance(name, args, settings, { subnetGroup, securityGroup, parameterGroup });
    this.address = this.instance.address;
    this.port = this.instance.port;
    this.endpoint = this.instance.endpoint;
    this.masterUserSecretArn = this.instance.masterUserSecrets.apply((secrets) => firstSecretArn(args.identifier, secrets));
    this.databaseName = args.databaseName;
    this.username = settings.username;
    this.securityGroupId = securityGroup.id;
    this.engine = settings.engine;
    const { address, port, endpoint, masterUserSecretArn } = this;
    announce(args.identifier, settings, this.instance);
    this.registerOutputs({ address, port, endpoint, masterUserSecretArn });
  }

  /** Named after the instance, so the two are found together in the console. */
  private createSubnetGroup(name: string, args: DatabaseArgs): aws.rds.SubnetGroup {
    return new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { name: args.identifier, description: `Isolated subnets of the database ${args.identifier}`, subnetIds: args.subnetIds },
      { parent: this },
    );
  }

  /**
   * The engine's family (e.g. mysql8.4) with these parameters; applied at the next reboot where RDS
   * says so. The name carries the family: a major version move replaces the group (a family cannot
   * change), and the new group is created before the instance leaves the old one, so the names must differ.
   */
  private createParameterGroup(name: string, args: DatabaseArgs, settings: Settings, parameters: Record<string, string>): aws.rds.ParameterGroup {
    const family = `${settings.engine}${settings.engineVersion.split(".").slice(0, 2).join(".")}`;
    return new aws.rds.ParameterGroup(
      `${name}-parameters`,
      {
        name: `${args.identifier}-${family.replace(/\./g, "-")}`,
        family,
        description: `Parameters of the database ${args.identifier}`,
        parameters: Object.entries(parameters).map(([parameter, value]) => ({ name: parameter, value, applyMethod: "pending-reboot" })),
      },
      { parent: this },
    );
  }

  private createInstance(name: string, args: DatabaseArgs, settings: Settings, placement: Placement): aws.rds.Instance {
    return new aws.rds.Instance(
      name,
      {
        identifier: args.identifier,
        engine: settings.engine,
        engineVersion: settings.engineVersion,
        instanceClass: settings.instanceClass,
        allocatedStorage: settings.allocatedStorage,
        maxAllocatedStorage: settings.maxAllocatedStorage,
        storageType: "gp3",
        storageEncrypted: true,
        dbName: args.databaseName,
        username: settings.username,
        // RDS generates the password and keeps it in Secrets Manager: it is never an input, never in state.
        manageMasterUserPassword: true,
        port: settings.port,
        dbSubnetGroupName: placement.subnetGroup.name,
        ...(placement.parameterGroup ? { parameterGroupName: placement.parameterGroup.name } : {}),
        vpcSecurityGroupIds: [placement.securityGroup.id],
        publiclyAccessible: false,
        backupRetentionPeriod: settings.backupRetentionDays,
        ...snapshotSettings(args.identifier, settings, args.now ?? new Date()),
        engineLifecycleSupport: ENGINE_LIFECYCLE_SUPPORT[settings.engineLifecycleSupport],
        applyImmediately: settings.applyImmediately,
        copyTagsToSnapshot: true,
        autoMinorVersionUpgrade: true,
        // Lets RDS act when engineVersion's major changes (a stack made with MySQL 8.0 moving to 8.4);
        // it allows nothing while the major stays the same, and RDS snapshots before a major upgrade.
        allowMajorVersionUpgrade: true,
        multiAz: settings.multiAz,
        performanceInsightsEnabled: supportsPerformanceInsights(settings.engine, settings.instanceClass),
        iamDatabaseAuthenticationEnabled: true,
      },
      {
        parent: this,
        // Data-bearing: Pulumi refuses to delete it too, not only AWS.
        protect: settings.deletionProtection,
        ignoreChanges: [
          // RDS takes the lifecycle support only at create or restore (hashicorp/terraform-provider-aws#44552):
          // a changed value (or one a stack made before it was set) would be an update RDS refuses.
          "engineLifecycleSupport",
          // The snapshot's name carries the time of the `up` that allowed deletion; other runs keep the stored one.
          ...(settings.deletionProtection ? ["finalSnapshotIdentifier"] : []),
        ],
      },
    );
  }

  /** A security group with no inline rules: one ingress rule per admitted group, no egress (RDS needs none). */
  private createSecurityGroup(name: string, args: DatabaseArgs, { engine, port }: Settings): aws.ec2.SecurityGroup {
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: `Access to the ${engine} database ${args.identifier}` },
      { parent: this },
    );
    args.allowedSecurityGroupIds.forEach((sourceId, index) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${engine}-from-${index}`,
        {
          securityGroupId: securityGroup.id,
          referencedSecurityGroupId: sourceId,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          description: `${engine} from an admitted security group`,
        },
        { parent: this },
      );
    });
    return securityGroup;
  }
}

/**
 * What `preview` and `up` should say about this database: when class or storage changes take
 * effect, and, once deletion is allowed, the snapshot `destroy` will leave behind.
 */
function announce(identifier: string, settings: Settings, instance: aws.rds.Instance): void {
  if (pulumi.runtime.isDryRun() && !settings.applyImmediately) {
    pulumi.log.info(`database ${identifier}: instance class and storage changes apply in its next maintenance window — set deployment.databases.apply_immediately: true to apply them now (brief outage)`, instance);
  }
  if (!settings.deletionProtection) {
    const fate = settings.finalSnapshot
      ? instance.finalSnapshotIdentifier.apply((name) => `destroy keeps its final snapshot ${name} (delete it yourself when it is no longer needed)`)
      : pulumi.output("destroy deletes it WITHOUT a final snapshot (deployment.databases.final_snapshot: false)");
    fate.apply((message) => pulumi.log.warn(`database ${identifier} is deletable: ${message}`, instance));
  }
}

interface Placement {
  subnetGroup: aws.rds.SubnetGroup;
  securityGroup: aws.ec2.SecurityGroup;
  parameterGroup?: aws.rds.ParameterGroup;
}

function settleDefaults(args: DatabaseArgs): Settings {
  const engine = args.engine ?? "postgres";
  return {
    engine,
    port: ENGINE_PORTS[engine],
    engineVersion: args.engineVersion ?? ENGINE_VERSIONS[engine],
    username: args.username ?? "platinfra",
    instanceClass: args.instanceClass ?? "db.t4g.medium",
    allocatedStorage: args.allocatedStorage ?? 20,
    maxAllocatedStorage: args.maxAllocatedStorage ?? 100,
    deletionProtection: args.deletionProtection ?? true,
    backupRetentionDays: args.backupRetentionDays ?? 7,
    multiAz: args.multiAz ?? false,
    engineLifecycleSupport: args.engineLifecycleSupport ?? "standard",
    applyImmediately: args.applyImmediately ?? false,
    finalSnapshot: args.finalSnapshot ?? true,
  };
}

/** RDS's names for the two support policies of open-source engines. */
const ENGINE_LIFECYCLE_SUPPORT = {
  standard: "open-source-rds-extended-support-disabled",
  extended: "open-source-rds-extended-support",
} as const;

/**
 * A final snapshot is taken on delete unless the spec opts out, whether or not the database was
 * protected: the documented release path (protection off, `up`, `destroy`) must not lose data.
 */
function snapshotSettings(identifier: string, settings: Settings, now: Date) {
  return {
    deletionProtection: settings.deletionProtection,
    skipFinalSnapshot: !settings.finalSnapshot,
    ...(settings.finalSnapshot ? { finalSnapshotIdentifier: finalSnapshotName(identifier, now) } : {}),
  };
}

/** `<identifier>-final-YYYYMMDD-HHMM` (UTC): unique per release, valid as an RDS snapshot identifier. */
export function finalSnapshotName(identifier: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  return `${identifier}-final-${stamp}`;
}

function firstSecretArn(identifier: string, secrets: aws.types.output.rds.InstanceMasterUserSecret[] | undefined): string {
  const arn = secrets?.[0]?.secretArn;
  if (!arn) throw new PlatinfraError("DATABASE_SECRET_MISSING", `RDS reported no master user secret for ${identifier}`);
  return arn;
}

/** Refuses what AWS would refuse only after minutes of waiting, or a database no one can reach. */
function validateDatabaseArgs(args: DatabaseArgs, settings: Settings): void {
  const problems: string[] = [];
  const max = NAME_LIMITS.rdsIdentifier;
  if (!/^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/.test(args.identifier) || args.identifier.length > max) {
    problems.push(`identifier "${args.identifier}": must be 2-${max} lowercase letters, digits and single hyphens, starting with a letter`);
  }
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(args.databaseName)) {
    problems.push(`databaseName "${args.databaseName}": must be 1-63 letters, digits and underscores, starting with a letter`);
  }
  const { allocatedStorage: allocated, maxAllocatedStorage: ceiling } = settings;
  if (ceiling < allocated) problems.push(`maxAllocatedStorage ${ceiling}: must be at least allocatedStorage (${allocated})`);
  if (args.allowedSecurityGroupIds.length === 0) problems.push("allowedSecurityGroupIds: empty — no one could reach the database");
  if (problems.length > 0) throw new PlatinfraError("DATABASE_INVALID", `database ${args.identifier}: ${problems.join("; ")}`);
}
