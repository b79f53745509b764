// Which process of a sharded deployment holds a sandbox. The balancer in front (deploy/) computes
// the same sum with its own converters, `crc32,mod(<count>)`, so the balancer and the processes
// agree on every id without talking to each other. The default sandbox is always shard 0's: adding
// a shard moves other ids, never the default and its data.
import { crc32 } from 'node:zlib';
import { DEFAULT_SANDBOX_ID } from './sandbox-id';

export interface Shard { index: number; count: number }

/** The shard of a sandbox id: 0 for the default, else CRC-32 (IEEE, as zlib and HAProxy compute it) modulo the count. */
export function shardOf(sandboxId: string, shardCount: number): number {
  return sandboxId === DEFAULT_SANDBOX_ID ? 0 : crc32(sandboxId) % shardCount;
}

export function holds(shard: Shard, sandboxId: string): boolean {
  return shard.count === 1 || shardOf(sandboxId, shard.count) === shard.index;
}
