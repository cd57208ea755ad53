import { strict as assert } from "node:assert";
import { mergeToolEnv } from "../src/tool-env";

describe("mergeToolEnv", () => {
  const cases: { title: string; envs: [string, Record<string, string>][]; expected: Record<string, string> }[] = [
    { title: "no tools: nothing", envs: [], expected: {} },
    {
      title: "distinct names: all of them",
      envs: [["mlflow", { MLFLOW_TRACKING_URI: "http://mlflow.mlflow.svc.cluster.local:5000" }], ["aws-eks", { AWS_REGION: "eu-west-1" }]],
      expected: { MLFLOW_TRACKING_URI: "http://mlflow.mlflow.svc.cluster.local:5000", AWS_REGION: "eu-west-1" },
    },
    {
      title: "one name with the same value from two tools: once",
      envs: [["aws-eks", { AWS_REGION: "eu-west-1" }], ["aws-batch", { AWS_REGION: "eu-west-1", AWS_BATCH_JOB_QUEUE: "q" }]],
      expected: { AWS_REGION: "eu-west-1", AWS_BATCH_JOB_QUEUE: "q" },
    },
  ];
  for (const { title, envs, expected } of cases) it(title, () => assert.deepEqual(mergeToolEnv(envs), expected));

  it("one name with different values: refused, naming both tools and the variable but no value", () => {
    assert.throws(() => mergeToolEnv([["mlflow", { TRACKING_URL: "http://a" }], ["dvc", {}], ["zenml", { TRACKING_URL: "s3cr3t" }]]), {
      message: "tools mlflow and zenml both set the client variable TRACKING_URL, to different values: one tool must name it differently",
    });
  });
});
