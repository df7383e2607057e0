import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The house's layers (issue 19): db/ knows nothing of main/, main/services/ nothing of
// sync, the engine or the transports, and no folder reaches back to one that reaches it.
// Read from the sources' own imports (type-only imports are no dependency at run time).

const root = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** main/services/leads.ts → main/services; main/tenants.ts → main/tenants. */
const folderOf = (file: string) => {
  const parts = file.replace(/\.(ts|tsx|js)$/, '').split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts.join('/');
};

function folderGraph(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of [...sources('main'), ...sources('db')]) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(/^import (?!type )[^;]*?from\s+'(\.[^']+)'/gm)) {
      const target = path.normalize(path.join(path.dirname(file), m[1]!));
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

/** The folders that reach themselves again through their imports. */
function circles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        part.push(w);
        if (w === v) break;
      }
      if (part.length > 1) found.push(part.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the layers of the house', () => {
  const edges = folderGraph();

  it('has no circle between folders', () => {
    // The graph is the real one: the services read the schema, the engine runs dispatch.
    expect([...edges.get('main/services')!]).toContain('db/schema');
    expect([...edges.get('main/engine')!]).toContain('main/api');
    expect(circles(edges)).toEqual([]);
  });

  it('keeps db/ below main/, and the services below sync, the engine and the transports', () => {
    const reaches = (from: (f: string) => boolean, to: (f: string) => boolean) =>
      [...edges].flatMap(([f, ts]) => (from(f) ? [...ts].filter(to).map((t) => `${f} → ${t}`) : []));
    expect(reaches((f) => f.startsWith('db'), (t) => t.startsWith('main'))).toEqual([]);
    expect(reaches((f) => f === 'main/services', (t) => ['main/sync', 'main/engine', 'main/http', 'main/electron', 'main/api', 'main/cli'].includes(t))).toEqual([]);
    expect(reaches((f) => f === 'main/domain', (t) => t.startsWith('main/') && t !== 'main/domain')).toEqual([]);
  });

  it('finds a circle when there is one (the check itself)', () => {
    expect(circles(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]))).toEqual([['a', 'b', 'c']]);
  });
});
