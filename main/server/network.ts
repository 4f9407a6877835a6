import os from 'node:os';

/**
 * The IPv4 addresses of this computer that phones in the room could reach (Wi-Fi, Ethernet,
 * a hotspot), best guess first. Loopback is listed last so a lone laptop still works.
 */
export function lanAddresses(): string[] {
  const found: { address: string; name: string }[] = [];
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? [])
      if (a.family === 'IPv4' && !a.internal) found.push({ address: a.address, name });
  }
  // Private ranges first: a classroom network is almost always one of them.
  const rank = (ip: string) => (/^(192\.168\.|10\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip) ? 0 : 1);
  found.sort((x, y) => rank(x.address) - rank(y.address));
  return [...found.map((f) => f.address), '127.0.0.1'];
}

/**
 * lanAddresses(), asked of the system at most once per `ttlMs`. Every phone's handshake checks its
 * Host against this list and every console view shows it; reading the interfaces is a system call
 * (~0.2 ms) that a room joining at once would otherwise make thousands of times a second.
 * A laptop that moves to another network is seen within `ttlMs`.
 */
export function cachedLanAddresses(ttlMs = 2000, now: () => number = Date.now): () => string[] {
  let at = -Infinity;
  let list: string[] = [];
  return () => {
    const t = now();
    if (t - at >= ttlMs) {
      list = lanAddresses();
      at = t;
    }
    return list;
  };
}
