// Phoenix channel framing as @supabase/realtime-js speaks it.
//   vsn 1.0.0: text frames, JSON objects {join_ref, ref, topic, event, payload}
//   vsn 2.0.0: text frames, JSON arrays [join_ref, ref, topic, event, payload]
//              plus binary user-broadcast frames:
//                client→server kind 3: [3, len(join_ref), len(ref), len(topic), len(event),
//                  len(meta), encoding, join_ref, ref, topic, event, meta, payload]
//                server→client kind 4: [4, len(topic), len(event), len(meta), encoding,
//                  topic, event, meta, payload]
//              (lengths are uint8 byte counts; encoding 0 = binary, 1 = JSON)

export type Vsn = "1.0.0" | "2.0.0";

export interface PhxMessage {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

export const JSON_ENCODING = 1;
const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;

/** A user broadcast as the client sent it in a binary (kind 3) frame. */
export interface UserBroadcastPush {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  userEvent: string;
  /** Metadata JSON text, "" when none. */
  meta: string;
  encoding: number;
  payload: Buffer;
}

export function parseVsn(value: string | null): Vsn {
  return value && value.startsWith("2.") ? "2.0.0" : "1.0.0";
}

function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

export function decodeText(vsn: Vsn, text: string): PhxMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  // Accept either shape whatever the negotiated version: clients built on the
  // plain JSON encoder send objects even when they asked for 2.0.0.
  if (Array.isArray(data)) {
    const [joinRef, ref, topic, event, payload] = data as unknown[];
    if (typeof topic !== "string" || typeof event !== "string") return null;
    return { join_ref: str(joinRef), ref: str(ref), topic, event, payload };
  }
  if (data && typeof data === "object") {
    const m = data as Record<string, unknown>;
    if (typeof m.topic !== "string" || typeof m.event !== "string") return null;
    return { join_ref: str(m.join_ref), ref: str(m.ref), topic: m.topic, event: m.event, payload: m.payload };
  }
  void vsn;
  return null;
}

export function encodeText(vsn: Vsn, message: PhxMessage): string {
  if (vsn === "2.0.0") {
    return JSON.stringify([message.join_ref, message.ref, message.topic, message.event, message.payload]);
  }
  return JSON.stringify({
    join_ref: message.join_ref,
    ref: message.ref,
    topic: message.topic,
    event: message.event,
    payload: message.payload,
  });
}

export function decodeBinary(buffer: Buffer): UserBroadcastPush | null {
  if (buffer.length < 7 || buffer[0] !== KIND_USER_BROADCAST_PUSH) return null;
  const joinRefSize = buffer[1]!;
  const refSize = buffer[2]!;
  const topicSize = buffer[3]!;
  const eventSize = buffer[4]!;
  const metaSize = buffer[5]!;
  const encoding = buffer[6]!;
  let offset = 7;
  const take = (size: number): string => {
    const value = buffer.toString("utf8", offset, offset + size);
    offset += size;
    return value;
  };
  if (offset + joinRefSize + refSize + topicSize + eventSize + metaSize > buffer.length) return null;
  const joinRef = take(joinRefSize);
  const ref = take(refSize);
  const topic = take(topicSize);
  const userEvent = take(eventSize);
  const meta = take(metaSize);
  return {
    join_ref: joinRef || null,
    ref: ref || null,
    topic,
    userEvent,
    meta,
    encoding,
    payload: buffer.subarray(offset),
  };
}

export function encodeUserBroadcast(topic: string, userEvent: string, encoding: number, payload: Buffer, meta = ""): Buffer {
  const topicBytes = Buffer.from(topic, "utf8");
  const eventBytes = Buffer.from(userEvent, "utf8");
  const metaBytes = Buffer.from(meta, "utf8");
  if (topicBytes.length > 255 || eventBytes.length > 255 || metaBytes.length > 255) {
    throw new Error("broadcast header field longer than 255 bytes");
  }
  const header = Buffer.from([KIND_USER_BROADCAST, topicBytes.length, eventBytes.length, metaBytes.length, encoding]);
  return Buffer.concat([header, topicBytes, eventBytes, metaBytes, payload]);
}
