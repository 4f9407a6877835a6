import os from 'node:os';

/**
 * The IPv4 addresses of this computer that phones in the room could reach (Wi-Fi, Ethernet,
 * a hotspot), best guess first. Loopback is listed last so a lone laptop still works.
 */
export function lanAddresses(): string[] {
  const found: { address: string; name: string }[] = [];
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) found.push({ address: a.address, name });
  }
  // Private ranges first: a classroom network is almost always one of them.
  const rank = (ip: string) => (/^(192\.168\.|10\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip) ? 0 : 1);
  found.sort((x, y) => rank(x.address) - rank(y.address));
  return [...found.map((f) => f.address), '127.0.0.1'];
}
