/**
 * Gzips `bytes` with the runtime's `CompressionStream`, or returns `undefined` where the runtime
 * has none (the Vercel edge VM), in which case the caller sends the body uncompressed.
 */
export async function gzipBody(bytes: Uint8Array): Promise<Uint8Array | undefined> {
  if (typeof CompressionStream !== 'function') return undefined;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
