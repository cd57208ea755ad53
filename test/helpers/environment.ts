import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function tempDir(prefix = "platinfra-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Sets environment variables for one test; `restore()` puts the previous values back. */
export function withEnv(values: Record<string, string | undefined>): { restore(): void } {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return { restore: () => apply(previous) };
}

/** The folders of the test doubles (fake `pulumi`, fake `aws`), for PATH. */
export const FAKE_BIN = {
  pulumi: path.resolve(__dirname, "../../../test/fixtures/fake-pulumi"),
  aws: path.resolve(__dirname, "../../../test/fixtures/fake-aws"),
};

/** A PATH with node (for the doubles' shebang) and the given folders, without any real pulumi/aws. */
export function isolatedPath(...dirs: string[]): string {
  return [...dirs, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter);
}
