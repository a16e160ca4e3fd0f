// `npx tsx bench/heapDiff.ts [BEFORE.heapsnapshot] AFTER.heapsnapshot [--retainers NAME]`:
// what grew between two V8 heap snapshots (with one: what is largest in it) (memory.ts writes them with
// VIGIE_BENCH_MEMORY_SNAPSHOTS). Objects are grouped by constructor (closures
// by function name, strings, arrays, code…); the groups whose count or size
// grew most are printed. `--retainers NAME` lists, for the objects of group
// NAME in AFTER, what holds them (the retaining object's group and the edge),
// to find the Map or array that keeps them.
import fs from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Group {
  count: number;
  bytes: number;
}

function readSnapshot(file: string): Snapshot {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
}

/** The group an object counts in: its type, and for objects and closures their name. */
function groupOf(snapshot: Snapshot, node: number): string {
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields.length;
  const type = meta.node_types[0][snapshot.nodes[node * fields + meta.node_fields.indexOf('type')]!];
  const name = snapshot.strings[snapshot.nodes[node * fields + meta.node_fields.indexOf('name')]!];
  if (type === 'object' || type === 'native') return name ?? '(no name)';
  if (type === 'closure') return `${name || '(anonymous)'}()`;
  return `(${type})`;
}

function groups(snapshot: Snapshot): Map<string, Group> {
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields.length;
  const sizeField = meta.node_fields.indexOf('self_size');
  const byGroup = new Map<string, Group>();
  for (let node = 0; node < snapshot.nodes.length / fields; node++) {
    const group = groupOf(snapshot, node);
    const entry = byGroup.get(group) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[node * fields + sizeField]!;
    byGroup.set(group, entry);
  }
  return byGroup;
}

/** For each object of `group`: the group and edge name of what refers to it (weak edges left out). */
function retainers(snapshot: Snapshot, group: string): Map<string, number> {
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const edgeCountField = meta.node_fields.indexOf('edge_count');
  const edgeTypeField = meta.edge_fields.indexOf('type');
  const edgeNameField = meta.edge_fields.indexOf('name_or_index');
  const edgeToField = meta.edge_fields.indexOf('to_node');
  const edgeTypes = meta.edge_types[0];
  const held = new Map<string, number>();
  let edge = 0;
  for (let node = 0; node < snapshot.nodes.length / fields; node++) {
    const edgeCount = snapshot.nodes[node * fields + edgeCountField]!;
    for (let i = 0; i < edgeCount; i++, edge += edgeFields) {
      const type = edgeTypes[snapshot.edges[edge + edgeTypeField]!];
      if (type === 'weak' || type === 'shortcut') continue;
      const to = snapshot.edges[edge + edgeToField]! / fields;
      if (groupOf(snapshot, to) !== group) continue;
      const nameOrIndex = snapshot.edges[edge + edgeNameField];
      const edgeName = type === 'element' || type === 'hidden' ? `[${type}]` : snapshot.strings[nameOrIndex!];
      const key = `${groupOf(snapshot, node)} .${edgeName}`;
      held.set(key, (held.get(key) ?? 0) + 1);
    }
  }
  return held;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

function main() {
  const args = process.argv.slice(2);
  const retainersAt = args.indexOf('--retainers');
  const retainerGroup = retainersAt >= 0 ? args.splice(retainersAt, 2)[1] : undefined;
  const [beforeFile, afterFile] = args.length === 1 ? [undefined, args[0]] : args;
  if (!afterFile || args.length > 2) {
    process.stderr.write('usage: npx tsx bench/heapDiff.ts [BEFORE.heapsnapshot] AFTER.heapsnapshot [--retainers NAME]\n');
    process.exit(2);
  }
  // EPIPE when piped into `head`: not an error.
  process.stdout.on('error', () => process.exit(0));
  const after = readSnapshot(afterFile);
  const before = beforeFile ? groups(readSnapshot(beforeFile)) : new Map<string, Group>();
  const now = groups(after);
  const total = (byGroup: Map<string, Group>) => [...byGroup.values()].reduce((sum, g) => sum + g.bytes, 0);
  process.stdout.write(`total: ${kb(total(before))} → ${kb(total(now))}\n`);
  const rows = [...new Set([...before.keys(), ...now.keys()])].map((group) => {
    const b = before.get(group) ?? { count: 0, bytes: 0 };
    const a = now.get(group) ?? { count: 0, bytes: 0 };
    return { group, count: a.count, countGrowth: a.count - b.count, bytes: a.bytes, bytesGrowth: a.bytes - b.bytes };
  });
  rows.sort((x, y) => y.bytesGrowth - x.bytesGrowth);
  process.stdout.write('\ngrew most (size):\n');
  for (const row of rows.slice(0, 30))
    process.stdout.write(
      `  ${kb(row.bytesGrowth).padStart(12)}  ${String(row.countGrowth).padStart(8)} objects  (now ${row.count}, ${kb(row.bytes)})  ${row.group}\n`,
    );
  rows.sort((x, y) => y.countGrowth - x.countGrowth);
  process.stdout.write('\ngrew most (count):\n');
  for (const row of rows.slice(0, 30))
    process.stdout.write(
      `  ${String(row.countGrowth).padStart(8)} objects  ${kb(row.bytesGrowth).padStart(12)}  (now ${row.count}, ${kb(row.bytes)})  ${row.group}\n`,
    );
  if (retainerGroup) {
    process.stdout.write(`\nwhat holds the ${retainerGroup} objects of ${afterFile}:\n`);
    const held = [...retainers(after, retainerGroup)].sort((x, y) => y[1] - x[1]);
    for (const [holder, count] of held.slice(0, 30)) process.stdout.write(`  ${String(count).padStart(8)}  ${holder}\n`);
  }
}

main();
