import * as fs from "node:fs";
import * as path from "node:path";

/** platinfra's version, read from its package.json (found from wherever this file was built to). */
function readVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "platinfra" && pkg.version) return pkg.version;
  }
  return "0.0.0";
}

export const VERSION = readVersion();
