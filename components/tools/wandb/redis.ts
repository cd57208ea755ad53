import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { awsName } from "../../base/naming";
import type { ToolScope } from "../shared/scope";

/** ElastiCache for Redis OSS 7.1: the version W&B's own AWS module runs (terraform-aws-wandb v8.0.0 modules/redis); W&B requires Redis 7.x. */
export const REDIS_VERSION = "7.1";
export const REDIS_PORT = 6379;
/** Replication group IDs: at most 40 characters. */
const REPLICATION_GROUP_ID_LIMIT = 40;

export interface RedisSettings {
  node_type: string;
  replicas: number;
}

/**
 * W&B's Redis (cache and task queue) on ElastiCache, not the chart's in-cluster one (its image is
 * the frozen bitnamilegacy/redis): in the isolated database subnets, reachable only from the
 * cluster, encrypted at rest and in transit, with an AUTH token (a generated Pulumi secret).
 * With replicas, Multi-AZ with automatic failover.
 */
export function createRedis(scope: ToolScope, settings: RedisSettings, authToken: pulumi.Input<string>): { host: pulumi.Output<string>; port: number } {
  const { platform } = scope.context;
  const id = awsName([platform.namePrefix, scope.name], REPLICATION_GROUP_ID_LIMIT);
  const subnets = new aws.elasticache.SubnetGroup(`${scope.name}-redis-subnets`, { name: id, description: `Isolated subnets of ${id}`, subnetIds: platform.network.databaseSubnetIds }, { parent: scope.parent });
  const securityGroup = new aws.ec2.SecurityGroup(`${scope.name}-redis-sg`, { vpcId: platform.network.vpcId, description: `Access to the Redis of ${id}` }, { parent: scope.parent });
  [platform.cluster.securityGroupId, ...(platform.cluster.nodeSecurityGroupIds ?? [])].forEach((sourceId, index) => {
    new aws.vpc.SecurityGroupIngressRule(
      `${scope.name}-redis-from-${index}`,
      { securityGroupId: securityGroup.id, referencedSecurityGroupId: sourceId, ipProtocol: "tcp", fromPort: REDIS_PORT, toPort: REDIS_PORT, description: "redis from the cluster" },
      { parent: scope.parent },
    );
  });
  const failover = settings.replicas > 0;
  const group = new aws.elasticache.ReplicationGroup(
    `${scope.name}-redis`,
    {
      replicationGroupId: id,
      description: `W&B cache and task queue of ${platform.namePrefix}`,
      engine: "redis",
      engineVersion: REDIS_VERSION,
      nodeType: settings.node_type,
      numCacheClusters: 1 + settings.replicas,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: REDIS_PORT,
      subnetGroupName: subnets.name,
      securityGroupIds: [securityGroup.id],
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      authToken,
      snapshotRetentionLimit: 1,
      applyImmediately: platform.deployment.databases.applyImmediately,
    },
    { parent: scope.parent },
  );
  return { host: group.primaryEndpointAddress, port: REDIS_PORT };
}
