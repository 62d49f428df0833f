/**
 * `npm run bench:ab-turn`: two servers side by side, each turn's CPU from its own counters, turns
 * alternated between them, so a change's effect on a turn's CPU is read against the same moment
 * of a busy machine (one server, then the other, measured minutes apart, moves by more than a
 * change saves). Server A is started with `AB_A_ENV` (space-separated `NAME=value`) and node
 * flags `AB_A_FLAGS` (production's when unset), server B with `AB_B_ENV` and `AB_B_FLAGS`. TURNS
 * students per server each ask a first question (not measured), then a follow-up of CHUNKS
 * chunks (measured, after-work included). Prints each side's median and mean, and the median of
 * the paired differences (B − A, each pair measured back to back, which side first alternating).
 * PostgreSQL when TEST_DATABASE_URL is set, else PGlite.
 */
import { startBenchChild, startBenchServer } from './children';
import { askAsStudent, type BenchStudents } from './web-send';

const TURNS = Number(process.env.TURNS ?? 100);
const CHUNKS = Number(process.env.CHUNKS ?? 1);
const WARM_UP = 10;

const stub = await startBenchChild('stub.process.ts', {});
await stub.call({ type: 'reply', reply: { text: Array.from({ length: CHUNKS }, (_, i) => `w${i} `) } });

/** A server started with the side's environment and node flags (the env is read when it is forked). */
async function startSide(side: 'A' | 'B') {
  const env = Object.fromEntries(
    (process.env[`AB_${side}_ENV`] ?? '')
      .split(' ')
      .filter(Boolean)
      .map((pair) => pair.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const flags = process.env[`AB_${side}_FLAGS`];
  if (flags !== undefined) process.env.BENCH_SERVER_NODE_FLAGS = flags;
  else delete process.env.BENCH_SERVER_NODE_FLAGS;
  try {
    const server = await startBenchServer(stub.url);
    const students = await server.call<BenchStudents>({ type: 'users', count: TURNS + WARM_UP, prefix: `ab${side}` });
    return {
      server,
      students,
      label: [process.env[`AB_${side}_ENV`], flags].filter(Boolean).join(' ') || 'as production',
    };
  } finally {
    process.env = saved;
  }
}
const sides = [await startSide('A'), await startSide('B')];

type Stats = { cpuMicros: number };

/** One follow-up on a side: its CPU with its after-work, in ms. */
async function measured(side: (typeof sides)[number], i: number) {
  const { server, students } = side;
  const token = students.tokens[i]!;
  const preset = students.presets[i]!;
  const conversationId = await askAsStudent(server.url, token, null, preset);
  await server.call({ type: 'drain' });
  const before = await server.call<Stats>({ type: 'stats' });
  await askAsStudent(server.url, token, conversationId, preset);
  await server.call({ type: 'drain' });
  const after = await server.call<Stats>({ type: 'stats' });
  return (after.cpuMicros - before.cpuMicros) / 1000;
}

const cpu: [number[], number[]] = [[], []];
for (let i = 0; i < TURNS + WARM_UP; i++) {
  const order = i % 2 === 0 ? [0, 1] : [1, 0];
  const pair: number[] = [];
  for (const s of order) pair[s] = await measured(sides[s]!, i);
  if (i < WARM_UP) continue;
  cpu[0].push(pair[0]!);
  cpu[1].push(pair[1]!);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
console.log(
  `${sides[0]!.server.database === 'postgresql' ? 'PostgreSQL' : 'PGlite'}, ${TURNS} follow-ups of ${CHUNKS} chunks per side (after ${WARM_UP} warm-up), server CPU per turn with its after-work:`,
);
for (const [s, side] of sides.entries())
  console.log(
    `  ${'AB'[s]} (${side.label}): median ${median(cpu[s]!).toFixed(2)} ms, mean ${mean(cpu[s]!).toFixed(2)} ms`,
  );
const differences = cpu[1].map((b, i) => b - cpu[0][i]!);
console.log(
  `  B − A, paired: median ${median(differences).toFixed(2)} ms, mean ${mean(differences).toFixed(2)} ms; B / A of the medians ${(median(cpu[1]) / median(cpu[0])).toFixed(3)}`,
);

await Promise.all([...sides.map((side) => side.server.close()), stub.close()]);
process.exit(0);
