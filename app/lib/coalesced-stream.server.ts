// React's server renderer writes a page in 2 kB pieces, and Remix hands each
// piece to the response on its own and flushes it: through the compression
// middleware that is one compressor flush and one socket write per 2 kB (the
// largest single cost of rendering a 50-row trade list). This stream joins
// what arrives in one turn of the event loop into one chunk. What React sends
// later (a Suspense boundary's content) still leaves as soon as it is written.
import { Transform, type TransformCallback } from "node:stream";

export function createCoalescedStream(): Transform {
  let pending: Buffer[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  const release = (stream: Transform) => {
    scheduled = null;
    if (pending.length === 0) return;
    const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = [];
    stream.push(chunk);
  };
  return new Transform({
    // A byte stream: Node hands every written string or Uint8Array over as a Buffer.
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      pending.push(chunk);
      scheduled ??= setImmediate(release, this);
      callback();
    },
    flush(callback: TransformCallback) {
      if (scheduled) clearImmediate(scheduled);
      release(this);
      callback();
    },
  });
}
