/**
 * The tools' client settings merged into one set of environment variables (`outputs --env`). Two
 * tools giving one variable different values would leave the user with whichever came last,
 * pointing one tool's client at the other: that is refused, naming both tools and the variable
 * (never the values, which may be secrets). The same value from several tools (AWS_REGION) is one.
 */
export function mergeToolEnv(envs: [tool: string, env: Record<string, string>][]): Record<string, string> {
  const merged: Record<string, string> = {};
  const setBy: Record<string, string> = {};
  for (const [tool, env] of envs) {
    for (const [name, value] of Object.entries(env)) {
      if (name in merged && merged[name] !== value) {
        throw new Error(`tools ${setBy[name]} and ${tool} both set the client variable ${name}, to different values: one tool must name it differently`);
      }
      merged[name] = value;
      setBy[name] ??= tool;
    }
  }
  return merged;
}
