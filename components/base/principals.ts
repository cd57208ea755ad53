/**
 * IAM principal ARNs as EKS access entries see them. Pure functions, no Pulumi: the engine uses
 * them to word its notice before the program runs, the cluster to build its access entries.
 */

/** An IAM role or user, split into the parts that identify it. */
export interface IamPrincipal {
  partition: string;
  account: string;
  kind: "role" | "user";
  /** The name without its path: role and user names are unique within an account, whatever the path. */
  name: string;
  /** The principal's IAM ARN, path kept when the input had one. */
  arn: string;
}

const IAM_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):(role|user)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const ASSUMED_ROLE_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[^/]+$/;

/**
 * The IAM role or user behind an ARN. STS reports a role's session as
 * `arn:aws:sts::<account>:assumed-role/<role>/<session>`, without the role's path; the session is
 * reduced to `arn:aws:iam::<account>:role/<role>`. Anything else (the root user, a federated user)
 * is no IAM role or user: undefined.
 */
export function iamPrincipal(arn: string): IamPrincipal | undefined {
  const iam = IAM_ARN.exec(arn);
  if (iam) return { partition: iam[1], account: iam[2], kind: iam[3] as "role" | "user", name: iam[4], arn };
  const session = ASSUMED_ROLE_ARN.exec(arn);
  if (session) {
    const [, partition, account, name] = session;
    return { partition, account, kind: "role", name, arn: `arn:${partition}:iam::${account}:role/${name}` };
  }
  return undefined;
}

/** Whether two principals are the same IAM identity: the same account, kind and name, whatever the paths. */
export function samePrincipal(a: IamPrincipal, b: IamPrincipal): boolean {
  return a.partition === b.partition && a.account === b.account && a.kind === b.kind && a.name === b.name;
}

/**
 * The access-entry key of a principal (`role-123456789012-PlatformAdmin`): derived from the
 * identity, so reordering `admins` changes nothing and two spellings of one role (with and
 * without its path) cannot become two entries for one principal.
 */
export function accessEntryKey(principal: IamPrincipal): string {
  return `${principal.kind}-${principal.account}-${principal.name}`;
}

/** The cluster's tag recording who created it: EKS makes that identity (and only it) admin without an access entry. */
export const CREATOR_TAG = "platinfra:creator";

/** The admins who get an access entry, and those left out because the cluster's creator already has one. */
export interface AdminSelection {
  admins: IamPrincipal[];
  /** Entries of `admins` naming the cluster's creator: EKS made it cluster-admin when it created the cluster. */
  creator: string[];
}

/**
 * The spec's admins, once each, without the cluster's creator: EKS gives the identity that
 * creates a cluster an access entry of its own (`bootstrapClusterCreatorAdminPermissions`, at
 * CreateCluster only), and a second entry for the same principal fails with ResourceInUseException.
 * Anyone else — also whoever deploys later — keeps an entry: without it they have no access.
 * `creatorArn`: the creator (an STS or IAM ARN). @default unknown: every admin gets an entry
 */
export function selectAdmins(admins: string[], creatorArn?: string): AdminSelection {
  const caller = creatorArn ? iamPrincipal(creatorArn) : undefined;
  const selected: IamPrincipal[] = [];
  const creator: string[] = [];
  for (const arn of admins) {
    const principal = iamPrincipal(arn);
    if (!principal) throw new Error(`deployment.admins: "${arn}" is not an IAM role or user ARN`);
    if (caller && samePrincipal(principal, caller)) creator.push(arn);
    else if (!selected.some((other) => samePrincipal(other, principal))) selected.push(principal);
  }
  return { admins: selected, creator };
}
