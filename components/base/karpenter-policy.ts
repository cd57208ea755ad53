import type { PolicyStatement } from "./policies";

/**
 * The Karpenter controller's permissions, as Karpenter documents them for v1.x (the controller
 * policies of website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 * in aws/karpenter-provider-aws at v1.14.1: node lifecycle, IAM integration, EKS integration,
 * interruption, zonal shift, resource discovery). Every mutation is limited to this cluster: EC2
 * resources tagged `kubernetes.io/cluster/<name>: owned` (and a NodePool), instance profiles tagged
 * for this cluster and region, the one node role to pass, the one interruption queue. Reads are
 * limited to this region.
 */
export interface KarpenterPolicyScope {
  partition: string;
  region: string;
  accountId: string;
  clusterName: string;
  /** The node role Karpenter's instances run as: the only role it may pass. */
  nodeRoleArn: string;
  /** The interruption queue it reads. */
  queueArn: string;
}

const EC2_ACTIONS_ON_CREATED = ["RunInstances", "CreateFleet", "CreateLaunchTemplate"];

export function karpenterControllerStatements(scope: KarpenterPolicyScope): PolicyStatement[] {
  const { partition, region, accountId, clusterName } = scope;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:*:${resource}/*`;
  const instanceProfiles = `arn:${partition}:iam::${accountId}:instance-profile/*`;
  const clusterArn = `arn:${partition}:eks:${region}:${accountId}:cluster/${clusterName}`;
  const clusterTag = `kubernetes.io/cluster/${clusterName}`;
  const createdResources = ["fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request"].map(ec2);
  const ownedWithPool = { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } };
  const requestedForCluster = { [`aws:RequestTag/${clusterTag}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": clusterName };
  const profileOwned = { [`aws:ResourceTag/${clusterTag}`]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": region };
  const profileRequested = { ...requestedForCluster, "aws:RequestTag/topology.kubernetes.io/region": region };
  return [
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Resource: [
        `arn:${partition}:ec2:${region}::image/*`,
        `arn:${partition}:ec2:${region}::snapshot/*`,
        ...["security-group", "subnet", "capacity-reservation", "placement-group"].map(ec2),
      ],
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
    },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Resource: ec2("launch-template"),
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Condition: ownedWithPool,
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Resource: createdResources,
      Action: EC2_ACTIONS_ON_CREATED.map((action) => `ec2:${action}`),
      Condition: { StringEquals: requestedForCluster, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Resource: createdResources,
      Action: ["ec2:CreateTags"],
      Condition: {
        StringEquals: { ...requestedForCluster, "ec2:CreateAction": EC2_ACTIONS_ON_CREATED },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Resource: ec2("instance"),
      Action: ["ec2:CreateTags"],
      Condition: {
        ...ownedWithPool,
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": clusterName },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Resource: [ec2("instance"), ec2("launch-template")],
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Condition: ownedWithPool,
    },
    {
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Resource: scope.nodeRoleArn,
      Action: ["iam:PassRole"],
      Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
    },
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: ["iam:CreateInstanceProfile"],
      Condition: { StringEquals: profileRequested, StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
    },
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: ["iam:TagInstanceProfile"],
      Condition: {
        StringEquals: { ...profileOwned, ...profileRequested },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Resource: instanceProfiles,
      Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      Condition: { StringEquals: profileOwned, StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
    },
    { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: clusterArn, Action: ["eks:DescribeCluster"] },
    {
      Sid: "AllowInterruptionQueueActions",
      Effect: "Allow",
      Resource: scope.queueArn,
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
    },
    {
      Sid: "AllowZonalShiftStatusReadOnly",
      Effect: "Allow",
      Resource: "*",
      Action: ["arc-zonal-shift:GetManagedResource"],
      Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
    },
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Resource: "*",
      Action: [
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      Condition: { StringEquals: { "aws:RequestedRegion": region } },
    },
    { Sid: "AllowSSMReadActions", Effect: "Allow", Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`, Action: ["ssm:GetParameter"] },
    { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: ["pricing:GetProducts"] },
    { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: ["iam:ListInstanceProfiles"] },
    { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: instanceProfiles, Action: ["iam:GetInstanceProfile"] },
  ];
}

/**
 * Who may send to the interruption queue: EventBridge (and SQS itself, as documented); nobody
 * over plain HTTP.
 */
export function interruptionQueuePolicy(queueArn: string) {
  return {
    Version: "2012-10-17",
    Id: "EC2InterruptionPolicy",
    Statement: [
      { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: queueArn },
      { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ],
  };
}

/** The EC2 and Health events Karpenter acts on (drains before the instance goes), by rule suffix. */
export const INTERRUPTION_EVENTS: Record<string, { source: string; detailType: string }> = {
  "scheduled-change": { source: "aws.health", detailType: "AWS Health Event" },
  "spot-interruption": { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  "instance-state-change": { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  "capacity-reservation-interruption": { source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
};
