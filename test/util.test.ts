import { strict as assert } from "node:assert";
import { closest, editDistance, SUGGEST_MAX_LENGTH } from "../src/util/suggest";
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

describe("suggestions on hostile input", () => {
  const BOUNDED: [string, string, number, number][] = [
    ["mlflow", "mlflow", 0, 0],
    ["kafka", "mlflow", 2, 3],
    ["a".repeat(100_000), "mlflow", 2, 3],
    ["mlfow", "mlflow", 1, 1],
  ];
  for (const [a, b, limit, expected] of BOUNDED) {
    it(`distance of a ${a.length}-character input to "${b}" within ${limit} is ${expected}`, () => assert.equal(editDistance(a, b, limit), expected));
  }
  it("inputs longer than any known name get no suggestion", () => {
    assert.equal(closest(`${"m".repeat(SUGGEST_MAX_LENGTH)}x`, ["mlflow"]), undefined);
    assert.equal(closest("mlflowx", ["mlflow"]), "mlflow");
  });
});
