import type { LocalAccess } from "../components/tools/shared/types";

/**
 * The tools' port-forwards with distinct local ports, so that `outputs --env --local` prints
 * commands that can all run at once. Each tool picks its local ports alone (lakeFS and Triton
 * 8000, Airflow and ZenML 8080, Dagster and BentoML 3000); a later tool whose port is taken moves
 * to the next free one, and its settings follow (`localhost:<port>` in its env values). Tools with
 * /etc/hosts entries go first and never move: their clients use the in-cluster URL, whose port is
 * the Service's. Spec order otherwise, so the same stack always gets the same ports.
 */
export function withDistinctLocalPorts(access: Record<string, LocalAccess>): Record<string, LocalAccess> {
  const used = new Set<number>();
  const entries = Object.entries(access);
  const fixedFirst = [...entries.filter(([, tool]) => tool.hosts?.length), ...entries.filter(([, tool]) => !tool.hosts?.length)];
  const moved = fixedFirst.map(([name, tool]): [string, LocalAccess] => [name, movePorts(name, tool, used)]);
  return Object.fromEntries(entries.map(([name]) => [name, moved.find(([movedName]) => movedName === name)![1]]));
}

function movePorts(name: string, tool: LocalAccess, used: Set<number>): LocalAccess {
  const own = new Set(tool.ports.map((port) => port.local));
  const moves = new Map<number, number>();
  const ports = tool.ports.map((port) => {
    let local = port.local;
    while (used.has(local) || (local !== port.local && own.has(local))) local += 1;
    used.add(local);
    if (local === port.local) return port;
    if (tool.hosts?.length) throw new Error(`tool ${name}: local port ${port.local} is taken by another tool's port-forward, and its /etc/hosts URL cannot move`);
    moves.set(port.local, local);
    return { ...port, local };
  });
  if (moves.size === 0) return tool;
  const moved = (value: string) => value.replace(/localhost:(\d+)/g, (whole, port: string) => (moves.has(Number(port)) ? `localhost:${moves.get(Number(port))}` : whole));
  return { ...tool, ports, env: Object.fromEntries(Object.entries(tool.env).map(([key, value]) => [key, moved(value)])) };
}
