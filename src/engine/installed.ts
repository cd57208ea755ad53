import * as http from "node:http";
import * as https from "node:https";

/** Controllers an existing cluster may already run, which platinfra then uses instead of installing its own. */
export interface InstalledControllers {
  externalSecrets: boolean;
  loadBalancerController: boolean;
  karpenter: boolean;
}

/** The CRD each controller installs: its presence is how platinfra recognizes the controller, whoever installed it. */
export const CONTROLLER_CRDS: Record<keyof InstalledControllers, string> = {
  externalSecrets: "externalsecrets.external-secrets.io",
  loadBalancerController: "targetgroupbindings.elbv2.k8s.aws",
  karpenter: "nodepools.karpenter.sh",
};

/** A GET against the cluster's API server: status and parsed body. */
export type KubeGet = (path: string) => Promise<{ status: number; body: any }>;

export interface Detection {
  installed: InstalledControllers;
  /** Installed, but not in a version platinfra's resources work with. */
  problems: string[];
}

/**
 * Which controllers the cluster already has. An External Secrets Operator counts only when it
 * serves the `external-secrets.io/v1` API platinfra's SecretStores use (ESO 0.16 and later).
 */
export async function detectInstalled(get: KubeGet): Promise<Detection> {
  const problems: string[] = [];
  const crd = async (name: string) => {
    const answer = await get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new Error(`reading CustomResourceDefinition ${name}: HTTP ${answer.status}`);
    return answer.body as { spec?: { versions?: { name: string; served: boolean }[] } };
  };
  const eso = await crd(CONTROLLER_CRDS.externalSecrets);
  const esoV1 = Boolean(eso?.spec?.versions?.some((version) => version.name === "v1" && version.served));
  if (eso && !esoV1) {
    problems.push(
      "the cluster runs an External Secrets Operator without the external-secrets.io/v1 API platinfra's SecretStores use — upgrade it to 0.16 or later (or uninstall it and let platinfra install its own)",
    );
  }
  return {
    installed: {
      externalSecrets: esoV1,
      loadBalancerController: Boolean(await crd(CONTROLLER_CRDS.loadBalancerController)),
      karpenter: Boolean(await crd(CONTROLLER_CRDS.karpenter)),
    },
    problems,
  };
}

/** A `KubeGet` for an API server with its CA (base64 PEM, as EKS gives it) and a bearer token. */
export function kubeGetter(endpoint: string, certificateAuthority: string, token: string): KubeGet {
  const base = new URL(endpoint);
  const client = base.protocol === "http:" ? http : https;
  const ca = Buffer.from(certificateAuthority, "base64").toString("utf8");
  return (path) =>
    new Promise((resolve, reject) => {
      const request = client.request(
        new URL(path, base),
        { method: "GET", headers: { Authorization: `Bearer ${token}`, Accept: "application/json" }, ...(client === https ? { ca } : {}), timeout: 30_000 },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => {
            try {
              resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no answer from ${base.origin} within 30 s`)));
      request.on("error", reject);
      request.end();
    });
}
