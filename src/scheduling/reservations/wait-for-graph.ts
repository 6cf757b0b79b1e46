/**
 * Deadlock detection on the wait-for graph between owners, in O(V + E).
 *
 * Lock waits are AND-waits (every conflicting holder must go); a pool wait is
 * an OR-wait (any holder of the pool releasing frees a unit). A plain cycle
 * search would report false deadlocks for pools, so we first reduce the graph
 * (owners that will eventually proceed, assuming non-waiting owners finish, are
 * peeled off), then find the strongly connected components of what is left:
 * each non-trivial component is a deadlock.
 */

/** What one waiting owner waits for. Successors absent from the graph are not waiting. */
export interface WaitNode {
  and: ReadonlySet<string>;
  or: readonly (readonly string[])[];
}

/** The deadlocked groups of owners (each a strongly connected component of size ≥ 2). */
export function findDeadlocks(graph: ReadonlyMap<string, WaitNode>): string[][] {
  const andLeft = new Map<string, number>();
  const orLeft = new Map<string, number>();
  const groupDone = new Map<string, boolean[]>();
  const rev = new Map<string, { node: string; group: number }[]>();
  const free: string[] = [];
  const freed = new Set<string>();
  const addRev = (s: string, node: string, group: number) => {
    let list = rev.get(s);
    if (!list) {
      list = [];
      rev.set(s, list);
    }
    list.push({ node, group });
  };
  for (const [n, w] of graph) {
    let a = 0;
    for (const s of w.and) {
      if (s !== n && graph.has(s)) {
        a++;
        addRev(s, n, -1);
      }
    }
    const done = w.or.map((g) => g.length === 0 || g.some((s) => s !== n && !graph.has(s)));
    let o = 0;
    w.or.forEach((g, gi) => {
      if (done[gi]) return;
      o++;
      for (const s of g) if (s !== n) addRev(s, n, gi);
    });
    andLeft.set(n, a);
    orLeft.set(n, o);
    groupDone.set(n, done);
    if (a === 0 && o === 0) {
      free.push(n);
      freed.add(n);
    }
  }
  while (free.length > 0) {
    const f = free.pop()!;
    for (const { node, group } of rev.get(f) ?? []) {
      if (freed.has(node)) continue;
      if (group < 0) andLeft.set(node, andLeft.get(node)! - 1);
      else {
        const done = groupDone.get(node)!;
        if (done[group]) continue;
        done[group] = true;
        orLeft.set(node, orLeft.get(node)! - 1);
      }
      if (andLeft.get(node) === 0 && orLeft.get(node) === 0) {
        freed.add(node);
        free.push(node);
      }
    }
  }
  const residual = [...graph.keys()].filter((n) => !freed.has(n));
  if (residual.length === 0) return [];
  const inResidual = new Set(residual);
  const succ = (n: string): string[] => {
    const w = graph.get(n)!;
    const out: string[] = [];
    for (const s of w.and) if (s !== n && inResidual.has(s)) out.push(s);
    for (const g of w.or) for (const s of g) if (s !== n && inResidual.has(s)) out.push(s);
    return out;
  };
  return stronglyConnected(residual, succ).filter((c) => c.length > 1);
}

/** Tarjan's algorithm, iterative so that long wait chains cannot overflow the stack. */
export function stronglyConnected(
  nodes: readonly string[],
  succ: (n: string) => string[],
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const frames: { node: string; edges: string[]; i: number }[] = [];
    const open = (n: string) => {
      index.set(n, next);
      low.set(n, next);
      next++;
      stack.push(n);
      onStack.add(n);
      frames.push({ node: n, edges: succ(n), i: 0 });
    };
    open(root);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.i < f.edges.length) {
        const s = f.edges[f.i++]!;
        if (!index.has(s)) open(s);
        else if (onStack.has(s)) low.set(f.node, Math.min(low.get(f.node)!, index.get(s)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(f.node)!));
      if (low.get(f.node) === index.get(f.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== f.node);
        out.push(component);
      }
    }
  }
  return out;
}
