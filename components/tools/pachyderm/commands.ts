import { CONSOLE_PORT, CONSOLE_SERVICE, NAMESPACE, PACHD_PORT, PACHD_SERVICE, PACHYDERM_VERSION } from "./values";

/** pachctl's address of a pachd gRPC endpoint. */
export function pachdAddress(host: string, port = PACHD_PORT): string {
  return `grpc://${host}:${port}`;
}

/** The forwards a laptop needs: pachd's gRPC port (pachctl) and, when deployed, the console. */
export function portForwards(withConsole: boolean): string[] {
  const forward = (service: string, port: number) => `kubectl -n ${NAMESPACE} port-forward svc/${service} ${port}:${port}`;
  return [forward(PACHD_SERVICE, PACHD_PORT), ...(withConsole ? [forward(CONSOLE_SERVICE, CONSOLE_PORT)] : [])];
}

/**
 * A pachctl context (what `pachctl config set context <name>` reads on stdin) for pachd through
 * the port-forward. No token: the community edition has no auth.
 */
export function pachctlContext(): string {
  return JSON.stringify({ pachd_address: pachdAddress("localhost") });
}

/**
 * What a user runs first: forward pachd (in the background: both forwards keep running), make and
 * activate the context, and check it with a repository and a file.
 */
export function pachydermCommands(args: { contextName: string; withConsole: boolean }): string[] {
  return [
    // pachd and pachctl should be the same release; 2.11.6's GitHub release carries the pachctl archives.
    `# pachctl ${PACHYDERM_VERSION}: https://github.com/pachyderm/pachyderm/releases/tag/v${PACHYDERM_VERSION}`,
    ...portForwards(args.withConsole).map((forward) => `${forward} &`),
    `pachctl connect ${pachdAddress("localhost")} --alias ${args.contextName}   # creates the context and makes it active`,
    "pachctl version",
    "pachctl create repo example && echo hello | pachctl put file example@master:/hello.txt && pachctl list file example@master",
    // A comment, not `open`: that opens a browser on macOS only.
    ...(args.withConsole ? [`# the console: http://localhost:${CONSOLE_PORT} in a browser, while its port-forward runs`] : []),
  ];
}
