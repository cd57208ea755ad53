import { strict as assert } from "node:assert";
import type { LocalAccess } from "../components/tools/shared/types";
import { withDistinctLocalPorts } from "../src/local-ports";

const tool = (ports: [number, number][], env: Record<string, string>, hosts?: string[]): LocalAccess => ({
  namespace: "ns",
  service: "svc",
  ports: ports.map(([local, remote]) => ({ local, remote })),
  env,
  ...(hosts ? { hosts } : {}),
});

describe("withDistinctLocalPorts", () => {
  const cases: { title: string; access: Record<string, LocalAccess>; expected: Record<string, LocalAccess> }[] = [
    {
      title: "leaves distinct ports alone",
      access: { a: tool([[8000, 8000]], { A_URL: "http://localhost:8000/api" }), b: tool([[3000, 80]], { B_URL: "http://localhost:3000" }) },
      expected: { a: tool([[8000, 8000]], { A_URL: "http://localhost:8000/api" }), b: tool([[3000, 80]], { B_URL: "http://localhost:3000" }) },
    },
    {
      title: "moves a later tool to the next free port and rewrites its settings",
      access: { lakefs: tool([[8000, 8000]], { L: "http://localhost:8000/api/v1" }), triton: tool([[8000, 8000], [8001, 8001]], { T: "localhost:8000", G: "localhost:8001" }) },
      expected: { lakefs: tool([[8000, 8000]], { L: "http://localhost:8000/api/v1" }), triton: tool([[8002, 8000], [8001, 8001]], { T: "localhost:8002", G: "localhost:8001" }) },
    },
    {
      title: "a tool with /etc/hosts entries keeps its port even when listed later",
      access: { airflow: tool([[8080, 8080]], { A: "http://localhost:8080" }), zenml: tool([[8080, 8080]], { Z: "http://zenml.zenml.svc.cluster.local:8080" }, ["zenml.zenml.svc.cluster.local"]) },
      expected: { airflow: tool([[8081, 8080]], { A: "http://localhost:8081" }), zenml: tool([[8080, 8080]], { Z: "http://zenml.zenml.svc.cluster.local:8080" }, ["zenml.zenml.svc.cluster.local"]) },
    },
    {
      title: "rewrites only the moved port, not a longer number that starts with it",
      access: { a: tool([[800, 800]], {}), b: tool([[800, 800]], { B: "localhost:8000 localhost:800" }) },
      expected: { a: tool([[800, 800]], {}), b: tool([[801, 800]], { B: "localhost:8000 localhost:801" }) },
    },
  ];
  for (const { title, access, expected } of cases) {
    it(title, () => {
      const result = withDistinctLocalPorts(access);
      assert.deepEqual(result, expected);
      assert.deepEqual(Object.keys(result), Object.keys(access));
    });
  }

  it("refuses to move a tool whose clients use its in-cluster URL through /etc/hosts", () => {
    const fixed = (host: string) => tool([[8080, 8080]], {}, [host]);
    assert.throws(() => withDistinctLocalPorts({ a: fixed("a.svc"), b: fixed("b.svc") }), {
      message: "tool b: local port 8080 is taken by another tool's port-forward, and its /etc/hosts URL cannot move",
    });
  });
});
