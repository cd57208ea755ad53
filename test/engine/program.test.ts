import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { renderProgram } from "../../src/engine/render";
import { creationOrder, stackProgram } from "../../src/program";
import type { ToolComponentModule } from "../../components/tools/shared/types";
import { up } from "../../src/api";
import type { RecordedCreator } from "../../src/engine/preflight";
import { EXAMPLES } from "../helpers/cli";
import { tempDir, withEnv } from "../helpers/environment";
import { FakeEngine, fakeDependencies } from "../helpers/fake-engine";
import { fakeToolModule } from "../helpers/fake-tool";
import { named, ofType, renderSpec } from "../helpers/render";
import { specOf, VALID_SPEC } from "../helpers/spec-text";

/** The example's shape with test-only tools standing in for the real ones. */
const TWO_TOOLS = VALID_SPEC.replace("[mlflow]", "[mlflow]\n  runtime_engine: [ray]");

const deployableSpec = (text: string) => specOf(text, { allDeployable: true });

describe("the program, under the mock runtime", () => {
  it("creates the platform's providers pinned to the account, with the stack's tags, and one component per tool", async () => {
    const spec = deployableSpec(TWO_TOOLS);
    const modules: Record<string, ToolComponentModule> = { mlflow: fakeToolModule(), ray: fakeToolModule(["mlflow"]) };
    const result = await renderSpec(spec, { loadTool: (name) => modules[name] });
    const ofInterest = result.resources.filter((resource) => /^(pulumi:providers:aws|platinfra:test|platinfra:base:Platform$)/.test(resource.type) || resource.name.endsWith("-data"));
    assert.deepEqual(
      ofInterest.map((resource) => `${resource.type} ${resource.name}`).sort(),
      [
        "aws:s3/bucket:Bucket mlflow-data",
        "aws:s3/bucket:Bucket ray-data",
        "platinfra:base:Platform demo",
        "platinfra:test:FakeTool mlflow",
        "platinfra:test:FakeTool ray",
        "pulumi:providers:aws demo-aws",
        "pulumi:providers:aws demo-aws-mlflow",
        "pulumi:providers:aws demo-aws-ray",
      ],
    );
    assert.deepEqual(named(result, "demo-aws").inputs, {
      allowedAccountIds: ["123456789012"],
      defaultTags: { tags: { "platinfra:stack": "demo", "platinfra:environment": "dev", "managed-by": "platinfra" } },
      region: "eu-west-1",
      skipCredentialsValidation: false,
      skipRegionValidation: true,
    });
    assert.deepEqual((named(result, "demo-aws-ray").inputs.defaultTags as { tags: object }).tags, {
      "platinfra:stack": "demo",
      "platinfra:environment": "dev",
      "managed-by": "platinfra",
      "platinfra:tool": "ray",
    });
  });

  it("exports per-tool outputs, merged client settings, and secret settings as secrets", async () => {
    const spec = deployableSpec(TWO_TOOLS);
    const modules: Record<string, ToolComponentModule> = { mlflow: fakeToolModule(), ray: fakeToolModule(["mlflow"]) };
    const { outputs } = await renderSpec(spec, { loadTool: (name) => modules[name] });
    assert.deepEqual(outputs, {
      stack: "demo",
      environment: "dev",
      region: "eu-west-1",
      accountId: "123456789012",
      clusterName: "demo-dev",
      vpcId: "demo-network-vpc-id",
      kubeconfig: "[secret]",
      tools: {
        mlflow: { bucket: "mlflow-data-a1b2c3", peers: "", roles: "experiment_tracker" },
        ray: { bucket: "ray-data-a1b2c3", peers: "mlflow", roles: "runtime_engine" },
      },
      env: { MLFLOW_BUCKET: "mlflow-data-a1b2c3", RAY_BUCKET: "ray-data-a1b2c3" },
      secretEnv: "[secret]",
      local: {},
    });
  });

  it("creates a tool after the tools it links to, whatever the spec order", () => {
    const spec = deployableSpec(VALID_SPEC.replace("[mlflow]", "[mlflow]\n  runtime_engine: [ray]\n  data_versioning: [dvc]"));
    const modules = new Map<string, ToolComponentModule>([
      ["dvc", fakeToolModule(["ray"])],
      ["mlflow", fakeToolModule()],
      ["ray", fakeToolModule(["mlflow"])],
    ]);
    assert.deepEqual(creationOrder(spec.tools, modules).map((tool) => tool.name), ["mlflow", "ray", "dvc"]);
  });

  it("refuses a spec with a tool that is not deployable, before any resource exists", () => {
    const spec = specOf(VALID_SPEC.replace("[mlflow]", "[mlflow]\n  orchestrator: [azure-aks]"));
    assert.throws(() => stackProgram(spec, { environment: "dev", region: "eu-west-1" }), {
      message: "stack.yaml: this tool is not deployable yet: azure-aks — nothing was deployed",
    });
  });

  it("render reports a child name registered twice", async () => {
    class Twice extends pulumi.ComponentResource {
      constructor(name: string) {
        super("platinfra:test:Twice", name);
      }
    }
    const duplicate = async () => {
      new Twice("same-name");
      new Twice("same-name");
    };
    await assert.rejects(renderProgram(duplicate, { project: "demo", stack: "dev", region: "eu-west-1", accountId: "123456789012" }), {
      message: "the program registered 1 resource name(s) twice: urn:pulumi:dev::demo::pulumi:pulumi:Stack$platinfra:test:Twice::same-name — every child needs a unique name",
    });
  });

  it("render replaces secret inputs with [secret] and records parents by urn", async () => {
    const program = async () => {
      class Parent extends pulumi.ComponentResource {
        constructor(name: string) {
          super("platinfra:test:Parent", name);
        }
      }
      const parent = new Parent("parent");
      class Thing extends pulumi.CustomResource {
        constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
          super("test:index:Thing", name, props, opts);
        }
      }
      new Thing("child", { password: pulumi.secret("hunter2"), plain: "visible" }, { parent });
    };
    const result = await renderProgram(program, { project: "demo", stack: "dev", region: "eu-west-1", accountId: "123456789012" });
    const found = result.resources.find((resource) => resource.name === "child");
    const child = found && { urn: found.urn, type: found.type, name: found.name, parent: found.parent, inputs: found.inputs };
    assert.deepEqual(child, {
      urn: "urn:pulumi:dev::demo::platinfra:test:Parent$test:index:Thing::child",
      type: "test:index:Thing",
      name: "child",
      parent: "urn:pulumi:dev::demo::pulumi:pulumi:Stack$platinfra:test:Parent::parent",
      inputs: { password: "[secret]", plain: "visible" },
    });
    assert.ok(!JSON.stringify(result).includes("hunter2"));
    assert.equal(ofType(result, "pulumi:pulumi:Stack")[0].parent, null);
  });

  describe("up: only the cluster's creator goes without an access entry (EKS made only it admin)", () => {
    const caller = "arn:aws:sts::123456789012:assumed-role/PlatformAdmin/laptop";
    const entry = {
      "role-123456789012-PlatformAdmin": {
        principalArn: "arn:aws:iam::123456789012:role/PlatformAdmin",
        accessPolicies: { "cluster-admin": { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } } },
      },
    };
    const cases: { title: string; recorded: RecordedCreator; notices: string[]; accessEntries: object; clusterTags?: object }[] = [
      {
        title: "first run (no cluster yet): the caller creates it, its admins entry is dropped with a notice, the tag records it",
        recorded: { exists: false },
        notices: [
          "deployment.admins: arn:aws:iam::123456789012:role/PlatformAdmin created the cluster (arn:aws:sts::123456789012:assumed-role/PlatformAdmin/laptop) — EKS makes the cluster's creator an admin itself, so it gets no second access entry",
        ],
        accessEntries: {},
        clusterTags: { "platinfra:creator": "arn:aws:iam::123456789012:role/PlatformAdmin" },
      },
      {
        title: "CI created the cluster, PlatformAdmin runs up later: PlatformAdmin keeps its entry, the tag keeps naming CI",
        recorded: { exists: true, creatorArn: "arn:aws:iam::123456789012:role/ci-deployer" },
        notices: [],
        accessEntries: entry,
        clusterTags: { "platinfra:creator": "arn:aws:iam::123456789012:role/ci-deployer" },
      },
      { title: "a cluster without the tag (creator unknown): every admin keeps its entry, no tag added", recorded: { exists: true }, notices: [], accessEntries: entry },
    ];
    for (const { title, recorded, notices: expected, accessEntries, clusterTags } of cases) {
      it(title, async () => {
        const env = withEnv({ PLATINFRA_HOME: tempDir(), PLATINFRA_PASSPHRASE: "test-passphrase" });
        try {
          const engine = new FakeEngine();
          const asked: unknown[] = [];
          const dependencies = {
            ...fakeDependencies(engine, async () => ({ accountId: "123456789012", callerArn: caller, region: "us-west-2" })),
            recordedCreator: async (_spec: unknown, region: string, clusterName: string) => (asked.push([region, clusterName]), recorded),
          };
          const notices: string[] = [];
          const spec = specOf(fs.readFileSync(path.join(EXAMPLES, "gpu-stack.yaml"), "utf8"));
          await up(spec, { dependencies, yes: true, onNotice: (notice) => notices.push(notice) });
          assert.deepEqual(asked, [["us-west-2", `${spec.name}-dev`]]);
          assert.deepEqual(notices.filter((notice) => notice.startsWith("deployment.admins")), expected);
          const result = await renderProgram(engine.lastProgram!, { project: spec.name, stack: "dev", region: "us-west-2", accountId: "123456789012" });
          const cluster = ofType(result, "eks:index:Cluster")[0].inputs;
          assert.deepEqual(cluster.accessEntries, accessEntries);
          assert.deepEqual(cluster.clusterTags, clusterTags);
        } finally {
          env.restore();
        }
      });
    }
  });
});
