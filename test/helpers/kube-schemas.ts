import { SECRET_PLACEHOLDER, type RenderedResource } from "../../src/engine/render";
import { crdFixture, schemaProblems } from "./crd-schema";

/**
 * Validation of rendered Kubernetes objects against their upstream schemas: Kubernetes' own OpenAPI
 * schemas (the `kubernetes-models` package, generated from kubernetes/kubernetes' swagger) and the
 * CRDs of the controllers platinfra installs (`@kubernetes-models/<project>`, generated from each
 * project's CRDs). Both are ES modules, loaded with a real `import()` (TypeScript would turn the
 * keyword into `require` under CommonJS).
 */
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, unknown>>;

/** Which package holds the schemas of a custom resource's API group. */
const CRD_PACKAGES: Record<string, string> = {
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "karpenter.sh": "@kubernetes-models/karpenter",
  "karpenter.k8s.aws": "@kubernetes-models/karpenter",
  "argoproj.io": "@kubernetes-models/argo-workflows",
};

/**
 * Pulumi types that are not Kubernetes objects themselves (releases, groups of objects), and partial
 * objects (server-side apply patches: their tool's test validates them merged onto what they patch).
 */
const NOT_OBJECTS = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile", "kubernetes:kustomize/v2:Directory", "pulumi:providers:kubernetes", "kubernetes:apps/v1:DeploymentPatch", "kubernetes:core/v1:ServiceAccountPatch"]);

export interface KubernetesObjectType {
  group: string;
  version: string;
  kind: string;
}

/** `kubernetes:apps/v1:Deployment` → apps, v1, Deployment; undefined for what is not a Kubernetes object. */
export function kubernetesObjectType(pulumiType: string): KubernetesObjectType | undefined {
  if (NOT_OBJECTS.has(pulumiType)) return undefined;
  const match = /^kubernetes:(?:(.+)\/)?([^/:]+):([A-Za-z]+)$/.exec(pulumiType);
  if (!match) return undefined;
  return { group: match[1] ?? "core", version: match[2], kind: match[3] };
}

function schemaModule(type: KubernetesObjectType): string | undefined {
  const crdPackage = CRD_PACKAGES[type.group];
  if (crdPackage) return `${crdPackage}/${type.group}/${type.version}/${type.kind}`;
  if (type.group.includes(".") && !type.group.endsWith(".k8s.io")) return undefined;
  return type.group === "core" ? `kubernetes-models/${type.version}/${type.kind}` : `kubernetes-models/${type.group}/${type.version}/${type.kind}`;
}

/** Custom resources whose projects publish no schema package: checked against CRD fixtures (scripts/crd-schema.js). */
const CRD_FIXTURES: Record<string, string> = {
  "ray.io": "kuberay",
  "sparkoperator.k8s.io": "spark-operator",
  "mlops.seldon.io": "seldon",
  "monitoring.coreos.com": "kube-prometheus-stack",
  "apps.wandb.com": "wandb",
};

export type SchemaCheck = { status: "valid" } | { status: "invalid"; problems: string } | { status: "no-schema"; module?: string };

/** Validates one rendered object (its registered inputs) against its upstream schema. */
export async function checkAgainstUpstreamSchema(resource: RenderedResource): Promise<SchemaCheck> {
  const type = kubernetesObjectType(resource.type);
  if (!type) throw new Error(`${resource.type} is not a Kubernetes object type`);
  const fixtureProject = CRD_FIXTURES[type.group];
  if (fixtureProject) return checkAgainstCrdFixture(resource, fixtureProject, type);
  const specifier = schemaModule(type);
  if (!specifier) return { status: "no-schema" };
  let exports: Record<string, unknown>;
  try {
    exports = await importModule(specifier);
  } catch {
    return { status: "no-schema", module: specifier };
  }
  const Model = exports[type.kind] as new (data: unknown) => { validate(): void };
  const { apiVersion: _apiVersion, kind: _kind, ...body } = resource.inputs;
  try {
    new Model(withoutSecretValues(body)).validate();
    return { status: "valid" };
  } catch (error) {
    return { status: "invalid", problems: (error as Error).message };
  }
}

/**
 * The inputs without the properties whose whole value is a Pulumi secret: the render shows those as
 * a placeholder string, whose shape says nothing about the real value (a Secret's `stringData`).
 */
function withoutSecretValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecretValues);
  if (value === null || typeof value !== "object") return value;
  const kept = Object.entries(value).filter(([, field]) => field !== SECRET_PLACEHOLDER);
  return Object.fromEntries(kept.map(([key, field]) => [key, withoutSecretValues(field)]));
}

function checkAgainstCrdFixture(resource: RenderedResource, project: string, type: KubernetesObjectType): SchemaCheck {
  const fixture = crdFixture(project, type.kind);
  if (fixture.group !== type.group || fixture.version !== type.version) return { status: "invalid", problems: `the fixture holds ${fixture.group}/${fixture.version}, not ${type.group}/${type.version}` };
  const { apiVersion: _apiVersion, kind: _kind, metadata: _metadata, ...body } = resource.inputs;
  const problems = schemaProblems(fixture.schema, withoutSecretValues(body));
  return problems.length === 0 ? { status: "valid" } : { status: "invalid", problems: problems.join("; ") };
}
