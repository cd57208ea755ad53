import { strict as assert } from "node:assert";
import { closest, editDistance } from "../src/util/suggest";
import { renderTable } from "../src/cli/table";

describe("suggestions", () => {
  const DISTANCES: [string, string, number][] = [
    ["mlflow", "mlflow", 0],
    ["mlfow", "mlflow", 1],
    ["mlfolw", "mlflow", 1],
    ["tpye", "type", 1],
    ["kafka", "mlflow", 5],
  ];
  for (const [a, b, distance] of DISTANCES) {
    it(`distance("${a}", "${b}") = ${distance}`, () => assert.equal(editDistance(a, b), distance));
  }
  it("suggests only close candidates", () => {
    assert.equal(closest("regon", ["name", "region", "profile"]), "region");
    assert.equal(closest("zzz", ["name", "region"]), undefined);
  });
});

describe("tables", () => {
  it("pads every column but the last", () => {
    assert.equal(renderTable(["A", "BB"], [["xyz", "1"], ["q", "22"]]), "A    BB\nxyz  1\nq    22");
  });
});
