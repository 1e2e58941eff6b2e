// Deterministic randomness for the model: one seed gives the same uids, pod names and node hashes
// on every run, so a simulation (and a failing test) can be replayed exactly.

// The alphabet Kubernetes uses for generated names and pod-template hashes (no vowels, no 0/1/3,
// so no words and no look-alikes): k8s.io/apimachinery/pkg/util/rand.
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1): mulberry32, small and good enough for names and jitter. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** What `rand.String(n)` gives Kubernetes: generated name suffixes (`mdm-7d9f8c6b5-x2k8q`). */
  safeString(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += SAFE_ALPHABET.charAt(this.int(SAFE_ALPHABET.length));
    return out;
  }

  /** A version-4 UUID, as the API server assigns to `metadata.uid`. */
  uuid(): string {
    let hex = '';
    for (let i = 0; i < 4; i++) hex += this.int(0x100000000).toString(16).padStart(8, '0');
    const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** FNV-1a, 32 bits: the hash Kubernetes uses for pod-template hashes. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * `rand.SafeEncodeString(fmt.Sprint(hash))`, as the Deployment controller names its ReplicaSet:
 * every decimal digit of the hash mapped through the safe alphabet (`7d9f8c6b5`).
 */
export function safeEncodeHash(hash: number): string {
  const digits = String(hash >>> 0);
  let out = '';
  for (let i = 0; i < digits.length; i++) out += SAFE_ALPHABET.charAt(digits.charCodeAt(i) % SAFE_ALPHABET.length);
  return out;
}
