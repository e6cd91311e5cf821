/**
 * Seeded randomness. One root generator per run; every component (a RIP process, a resolver, a
 * link) forks its own stream by name, so adding a component or drawing one more number in one place
 * does not shift every other component's numbers. Same seed, same names ⇒ same streams.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32-style
 * hashing of the seed and the stream name.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  static fromSeed(seed: number): Rng {
    const s = hashString(`seed:${seed}`);
    return new Rng(s, mix(s ^ 0x9e3779b9), mix(s + 0x6d2b79f5), 1);
  }

  /** An independent stream for a named component (e.g. `rip/r1`, `resolver/xenial3`). */
  fork(name: string): Rng {
    const h = hashString(name);
    return new Rng(this.a ^ h, this.b ^ mix(h), this.c ^ mix(h + 1), (this.d ^ mix(h + 2)) | 1);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}
