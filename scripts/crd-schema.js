// Writes test/fixtures/crds/<project>/<kind>.json: the structural schema of a published CRD
// (Karpenter's NodePool and EC2NodeClass, KubeRay's RayCluster…), so tests can check that the objects
// platinfra renders would be accepted by the API server: every key known, required keys present,
// enums, types, patterns and bounds respected. The tests only read the committed fixtures.
//
// Usage: node scripts/crd-schema.js <project> <repository> <tag> <folder> <crd.yaml> [<crd.yaml> ...]
//   e.g. git -C <clone of aws/karpenter-provider-aws> show v1.14.1:pkg/apis/crds/karpenter.sh_nodepools.yaml > /tmp/nodepools.yaml
//        node scripts/crd-schema.js karpenter aws/karpenter-provider-aws v1.14.1 pkg/apis/crds /tmp/nodepools.yaml
//
// Fixture format:
//   source    repository, tag and path of the CRD (<folder>/<file name> at that tag)
//   group, kind, version   the served and stored version's identity
//   schema    its openAPIV3Schema without descriptions, `status` and CEL rules: only the
//             structural keywords listed in KEPT (CEL rules, x-kubernetes-validations, need a CEL
//             evaluator; the tests check the few that concern platinfra's objects by hand)
const fs = require("node:fs");
const path = require("node:path");

const FIXTURES = path.resolve(__dirname, "..", "test", "fixtures", "crds");
const KEPT = new Set([
  "type",
  "properties",
  "required",
  "enum",
  "pattern",
  "items",
  "additionalProperties",
  "anyOf",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "maxProperties",
  "x-kubernetes-int-or-string",
]);

/** The schema with only the structural keywords, recursively (property names are kept as they are). */
function structural(schema) {
  const out = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!KEPT.has(keyword)) continue;
    if (keyword === "properties") {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, structural(sub)]));
    } else if (keyword === "items" || (keyword === "additionalProperties" && typeof value === "object")) {
      out[keyword] = structural(value);
    } else if (keyword === "anyOf") {
      out.anyOf = value.map(structural);
    } else {
      out[keyword] = value;
    }
  }
  return out;
}

function buildFixture(file, { repository, tag, folder }) {
  const YAML = require("yaml");
  const crd = YAML.parse(fs.readFileSync(file, "utf8"));
  if (crd?.kind !== "CustomResourceDefinition") throw new Error(`${file}: not a CustomResourceDefinition`);
  const version = crd.spec.versions.find((candidate) => candidate.served && candidate.storage);
  if (!version) throw new Error(`${file}: no version is both served and stored`);
  const schema = structural(version.schema.openAPIV3Schema);
  delete schema.properties.status;
  return {
    source: `${repository}@${tag}:${folder}/${path.basename(file)}`,
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    version: version.name,
    schema,
  };
}

function main([project, repository, tag, folder, ...files]) {
  if (!project || !/^[\w.-]+\/[\w.-]+$/.test(repository ?? "") || !/^([a-z][\w-]*-)?v?\d+\.\d+\.\d+$/.test(tag ?? "") || !folder || files.length === 0) {
    console.error("usage: node scripts/crd-schema.js <project> <owner/repository> <tag, e.g. v1.14.1 or kube-prometheus-stack-88.5.3> <folder of the CRDs> <crd.yaml> [...]");
    return 1;
  }
  const outDir = path.join(FIXTURES, project);
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of files) {
    const fixture = buildFixture(file, { repository, tag, folder });
    const out = path.join(outDir, `${fixture.kind}.json`);
    fs.writeFileSync(out, `${JSON.stringify(fixture, null, 2)}\n`);
    console.log(`${fixture.kind} ${fixture.group}/${fixture.version} from ${fixture.source} -> ${path.relative(process.cwd(), out)}`);
  }
  return 0;
}

module.exports = { buildFixture, structural };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`crd-schema: ${error.message}`);
    process.exitCode = 1;
  }
}
