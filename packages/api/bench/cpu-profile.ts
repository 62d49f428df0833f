/**
 * Self time of a V8 CPU profile (the inspector's `Profiler.stop`), by package — ours
 * (`@atrium/*`), each library in node_modules, Node's own internals, garbage collection — and by
 * function, per unit of work (a turn, a request). `npm run profile:chat` and `bench:pages` print it.
 */
type Node = { id: number; callFrame: { url: string; functionName: string } };

function packageOf(node: Node): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName === '(garbage collector)' ? '(gc)' : functionName === '(idle)' || functionName === '(program)' ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ours = /\/packages\/([^/]+)\//.exec(url);
  return ours ? `@atrium/${ours[1]}` : url;
}

/** Prints the busy time (idle left out) as a total, per `unit`, then the top packages and functions. */
export function printSelfTime(profileText: string, { units, unit, title, topFunctions = 30 }: { units: number; unit: string; title: string; topFunctions?: number }) {
  const profile = JSON.parse(profileText) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const node = byNode.get(id)!;
    const where = packageOf(node);
    const micros = profile.timeDeltas[index] ?? 0;
    byPackage.set(where, (byPackage.get(where) ?? 0) + micros);
    if (where === '(idle)') return;
    // The functions with the most self time, so a package's share can be traced to its callers' code.
    const { functionName, url } = node.callFrame;
    const key = `${functionName || '(anonymous)'}  ${where}${url && !url.includes('/node_modules/') ? ' ' + url.replace(/^.*\/packages\//, '') : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  });
  const busy = [...byPackage].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]);
  const total = busy.reduce((sum, [, micros]) => sum + micros, 0);
  const line = (name: string, micros: number) =>
    `  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000 / units).toFixed(3).padStart(8)} ms/${unit}  ${name}`;
  console.log(`${title}: ${(total / 1000).toFixed(0)} ms, ${(total / 1000 / units).toFixed(2)} ms per ${unit}`);
  console.log('self time by package:');
  for (const [name, micros] of busy.slice(0, 25)) console.log(line(name, micros));
  console.log('self time by function:');
  for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, topFunctions)) console.log(line(name, micros));
}
