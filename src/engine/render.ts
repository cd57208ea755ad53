import * as pulumi from "@pulumi/pulumi";
import { PlatinfraError } from "../errors";
import { PlausibleMocks } from "./mocks";

/** One resource as the program registered it. */
export interface RenderedResource {
  urn: string;
  type: string;
  name: string;
  /** The parent's urn, or null for the stack itself. */
  parent: string | null;
  /** The inputs as registered, secret values replaced by "[secret]". */
  inputs: Record<string, unknown>;
  /** The provider reference (`<urn>::<id>`) a custom resource was registered with; not part of the --json contract. */
  provider?: string;
  /** URNs this resource waits for (explicit and through its inputs); not part of the --json contract. */
  dependencies?: string[];
  /** Input paths updates leave alone (the `ignoreChanges` option), when any; not part of the --json contract. */
  ignoreChanges?: string[];
  /** How long create and update may take (the `customTimeouts` option), when set; not part of the --json contract. */
  customTimeouts?: { create: string; update: string };
  /** Replaced by deleting it first (the `deleteBeforeReplace` option), when set; not part of the --json contract. */
  deleteBeforeReplace?: true;
}

export interface RenderResult {
  stack: string;
  resources: RenderedResource[];
  /** Stack outputs, secret values replaced by "[secret]". */
  outputs: Record<string, unknown>;
}

export interface RenderOptions {
  project: string;
  stack: string;
  region: string;
  accountId: string;
}

export const SECRET_PLACEHOLDER = "[secret]";

let running: Promise<unknown> = Promise.resolve();

/**
 * Runs a Pulumi program in-process under the mock runtime and records every resource it registers.
 * Needs no CLI, no cloud and no credentials. Runs are serialized: the mock runtime is global.
 */
export function renderProgram(program: () => Promise<unknown>, options: RenderOptions): Promise<RenderResult> {
  const run = running.then(() => renderOnce(program, options));
  running = run.catch(() => undefined);
  return run;
}

async function renderOnce(program: () => Promise<unknown>, options: RenderOptions): Promise<RenderResult> {
  await pulumi.runtime.setMocks(new PlausibleMocks(options.region, options.accountId), options.project, options.stack, false);
  const resources: RenderedResource[] = [];
  const duplicates: string[] = [];
  const stackOutputs: { value?: Record<string, unknown> } = {};
  recordRegistrations(resources, duplicates, stackOutputs);
  // An error thrown inside an `apply` (a Terraform output that is not there, say) surfaces as an
  // unhandled rejection, and the program's promise then never settles: the first one ends the render.
  let escapedFirst = false;
  let onRejection: (reason: unknown) => void = () => undefined;
  const escaped = new Promise<never>((_, reject) => {
    onRejection = (reason) => {
      escapedFirst = true;
      reject(withoutSerializationPrefix(reason));
    };
  });
  process.on("unhandledRejection", onRejection);
  try {
    await Promise.race([pulumi.runtime.runInPulumiStack(program), escaped]);
  } finally {
    process.off("unhandledRejection", onRejection);
    // After an escaped rejection the program never settles, and disconnecting would wait for the
    // registrations it left unfinished, forever. Any other ending lets the runtime finish its work.
    if (escapedFirst) forgetUnfinishedWork();
    else await pulumi.runtime.disconnect();
  }
  if (duplicates.length > 0) {
    throw new PlatinfraError(
      "DUPLICATE_RESOURCE",
      `the program registered ${duplicates.length} resource name(s) twice: ${duplicates.join(", ")} — every child needs a unique name`,
    );
  }
  return { stack: options.stack, resources, outputs: stackOutputs.value ?? {} };
}

/**
 * The runtime reports promises still pending at exit as a bug in the program; after a failed render
 * they are the expected remains of the failure, and the report would bury the real error. Uses the
 * runtime's internal leak list (not in its typings), so it is optional.
 */
function forgetUnfinishedWork(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises?: () => unknown };
  debuggable.leakedPromises?.();
}

/** Pulumi prefixes the message of an error met while serializing an input with the input's name, once per level. */
function withoutSerializationPrefix(reason: unknown): unknown {
  if (reason instanceof Error) reason.message = reason.message.replace(/^(error serializing property "[^"]*": )+/, "");
  return reason;
}

interface OutputsRequest {
  getUrn(): string;
  getOutputs(): unknown;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getObject(): unknown;
  getProvider(): string;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string } | undefined;
  getDeletebeforereplace(): boolean;
}
type Callback = (error: Error | null, response?: { getUrn(): string }) => void;

/** Wraps the mock monitor so every registration is recorded with its parent and inputs. */
function recordRegistrations(
  resources: RenderedResource[],
  duplicates: string[],
  stackOutputs: { value?: Record<string, unknown> },
): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: Callback): void;
    registerResourceOutputs(request: OutputsRequest, callback: (error: Error | null, response?: unknown) => void): void;
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (request, callback) => {
    if (request.getUrn().split("::")[2] === "pulumi:pulumi:Stack" && request.getOutputs()) {
      const outputs = pulumi.runtime.deserializeProperties(request.getOutputs() as never);
      stackOutputs.value = redactSecrets(outputs) as Record<string, unknown>;
    }
    registerOutputs(request, callback);
  };
  const register = monitor.registerResource.bind(monitor);
  const seen = new Set<string>();
  monitor.registerResource = (request, callback) =>
    register(request, (error, response) => {
      if (!error && response) {
        const urn = response.getUrn();
        if (seen.has(urn)) duplicates.push(urn);
        seen.add(urn);
        resources.push({
          urn,
          type: request.getType(),
          name: request.getName(),
          parent: request.getParent() || null,
          inputs: recordedInputs(request),
          ...(request.getProvider() ? { provider: request.getProvider() } : {}),
          dependencies: request.getDependenciesList(),
          ...(request.getIgnorechangesList().length > 0 ? { ignoreChanges: request.getIgnorechangesList() } : {}),
          ...customTimeouts(request),
          ...(request.getDeletebeforereplace() ? { deleteBeforeReplace: true as const } : {}),
        });
      }
      callback(error, response);
    });
}

function customTimeouts(request: RegisterRequest): Pick<RenderedResource, "customTimeouts"> {
  const timeouts = request.getCustomtimeouts();
  return timeouts && (timeouts.getCreate() || timeouts.getUpdate()) ? { customTimeouts: { create: timeouts.getCreate(), update: timeouts.getUpdate() } } : {};
}

function recordedInputs(request: RegisterRequest): Record<string, unknown> {
  const inputs = redactSecrets(pulumi.runtime.deserializeProperties(request.getObject() as never)) as Record<string, unknown>;
  if (!request.getType().startsWith("pulumi:providers:")) return inputs;
  // Provider inputs travel JSON-encoded; show them as the values they are.
  return Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, parseJsonText(value)]));
}

function parseJsonText(value: unknown): unknown {
  if (typeof value !== "string" || !/^[[{]|^(true|false)$/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Replaces every secret value (as the runtime marks them) with "[secret]". */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return SECRET_PLACEHOLDER;
    if (pulumi.Resource.isInstance(value)) return "[resource]";
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, redactSecrets(item)]));
  }
  return value;
}
