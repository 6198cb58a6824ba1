/**
 * Priority ranks (0 = highest) from per-node keys: the node with the best key gets rank 0, ties
 * by node index, so every order is a deterministic permutation.
 */
export function ranksFromKeys(keys: ArrayLike<number>, direction: 'ascending' | 'descending'): Int32Array {
  const n = keys.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = direction === 'ascending' ? 1 : -1;
  order.sort((a, b) => sign * (keys[a]! - keys[b]!) || a - b);
  const rank = new Int32Array(n);
  order.forEach((v, r) => (rank[v] = r));
  return rank;
}
