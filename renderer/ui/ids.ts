/**
 * Random ids for messages. Phones load the page over plain http on the LAN, which is not a secure
 * context, so crypto.randomUUID is missing there; getRandomValues works everywhere.
 */
export function newId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
