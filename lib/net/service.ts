/**
 * Typed registries for what the layers above lib/net keep per node or per network: the RIP daemon
 * of a node, the prefix dictionary every RIP router of a network shares, a node's DNS files. The
 * state lives on its owner and goes away with it, with no module-level side table to look it up.
 *
 * How to use it (the one mechanism for every such side table):
 * ```ts
 * // next to the type it holds, once per kind:
 * export const NODE_DNS = new ServiceKey<NodeDns>('dns');
 * // when it is created (a daemon registers itself in its constructor):
 * node.setService(NODE_DNS, dns);
 * // where it is needed, typed, undefined when the node has none:
 * const dns = node.service(NODE_DNS);
 * // or created on first use with a default:
 * const dns = node.serviceOrCreate(NODE_DNS, () => defaultDns());
 * ```
 * Per network (one prefix dictionary for all RIP routers), the registry `network.shared`, which
 * every node of the network holds as `node.shared`: `node.shared.getOrCreate(KEY, create)`.
 * Entries outlive a halt: a daemon's running state is its own business (`Service.start`/`stop`).
 *
 * Deliberately not in the hot path: a lookup is one Map get, made when a daemon is built or a
 * console asks, never per packet.
 */

/** A kind of state kept in a `ServiceRegistry`; the token's type is the value's type. */
export class ServiceKey<T> {
  /** Never read: it only makes `ServiceKey<A>` and `ServiceKey<B>` different types. */
  declare protected readonly valueType: T;
  constructor(
    /** For messages and debugging only: two keys of one name are still two keys. */
    readonly name: string,
  ) {}
}

/** Values by `ServiceKey`, typed by the key. */
export class ServiceRegistry {
  private readonly entries = new Map<ServiceKey<unknown>, unknown>();

  get<T>(key: ServiceKey<T>): T | undefined {
    return this.entries.get(key) as T | undefined;
  }

  has(key: ServiceKey<unknown>): boolean {
    return this.entries.has(key);
  }

  /** Registers (or replaces) the value of `key`. */
  set<T>(key: ServiceKey<T>, value: T): void {
    this.entries.set(key, value);
  }

  /** The value of `key`, made by `create` on the first call. */
  getOrCreate<T>(key: ServiceKey<T>, create: () => T): T {
    let value = this.entries.get(key) as T | undefined;
    if (value === undefined) {
      value = create();
      this.entries.set(key, value);
    }
    return value;
  }

  delete(key: ServiceKey<unknown>): boolean {
    return this.entries.delete(key);
  }
}
