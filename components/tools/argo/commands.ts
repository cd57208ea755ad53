import { NAMESPACE, PORT, SERVER_SERVICE, SUBMITTER_TOKEN_SECRET, WORKFLOWS_NAMESPACE, WORKFLOW_SERVICE_ACCOUNT, ARGO_VERSION } from "./values";

/** The submitter's token, read from its service-account-token Secret (never in Pulumi state). */
export const TOKEN_COMMAND = `kubectl -n ${WORKFLOWS_NAMESPACE} get secret ${SUBMITTER_TOKEN_SECRET} -o jsonpath='{.data.token}' | base64 -d`;
export const HELLO_WORLD = `https://raw.githubusercontent.com/argoproj/argo-workflows/${ARGO_VERSION}/examples/hello-world.yaml`;

/** ARGO_SERVER as the argo CLI wants it: host:port, no scheme. */
export function argoServer(exposedHost: string | undefined): string {
  return exposedHost ? `${exposedHost}:443` : `localhost:${PORT}`;
}

/**
 * What a user runs: the port-forward when not exposed, the token (also what the UI's login box
 * takes, with "Bearer "), and a workflow submitted with the workflow service account (IRSA for
 * the artifact bucket).
 */
export function argoCommands(exposedHost: string | undefined): string[] {
  return [
    ...(exposedHost ? [] : [`kubectl -n ${NAMESPACE} port-forward svc/${SERVER_SERVICE} ${PORT}:${PORT}`]),
    `export ARGO_TOKEN="Bearer $(${TOKEN_COMMAND})"   # also the UI's login: paste the whole "Bearer …" value`,
    `eval "$(platinfra outputs stack.yaml --env${exposedHost ? "" : " --local"})"   # ARGO_SERVER, ARGO_SECURE, ARGO_HTTP1, ARGO_NAMESPACE`,
    `argo submit -n ${WORKFLOWS_NAMESPACE} --serviceaccount ${WORKFLOW_SERVICE_ACCOUNT} --watch ${HELLO_WORLD}`,
  ];
}
