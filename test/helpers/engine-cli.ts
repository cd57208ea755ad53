import * as fs from "node:fs";
import * as path from "node:path";
import { useEngineDependencies } from "../../src/cli/dependencies";
import { useTerminal } from "../../src/cli/terminal";
import { tempDir, withEnv } from "./environment";
import { FakeEngine, FakeTerminal, fakeDependencies } from "./fake-engine";
import { stackWith } from "./tools";

export const EKS_SPEC = stackWith({ orchestrator: ["aws-eks"], experiment_tracker: ["mlflow"] });

/** What each engine-command test gets: a spec file in a fresh home, an in-memory engine, no terminal. */
export interface EngineCliContext {
  dir: string;
  spec: string;
  engine: FakeEngine;
  /** Puts a terminal in place that gives these answers. */
  answer(...answers: (string | Error)[]): FakeTerminal;
}

/** Registers mocha hooks that give every test a fresh `EngineCliContext`. */
export function engineCli(): EngineCliContext {
  const context = {} as EngineCliContext;
  let env: { restore(): void };
  beforeEach(() => {
    context.dir = tempDir();
    context.spec = path.join(context.dir, "stack.yaml");
    fs.writeFileSync(context.spec, EKS_SPEC);
    context.engine = new FakeEngine();
    context.answer = (...answers) => {
      const fake = new FakeTerminal(answers);
      useTerminal(fake);
      return fake;
    };
    useEngineDependencies(fakeDependencies(context.engine));
    useTerminal(new FakeTerminal([], false));
    env = withEnv({ PLATINFRA_HOME: context.dir, PLATINFRA_PASSPHRASE: "test-passphrase", NO_COLOR: undefined });
  });
  afterEach(() => {
    useEngineDependencies(undefined);
    useTerminal(undefined);
    env.restore();
  });
  return context;
}
