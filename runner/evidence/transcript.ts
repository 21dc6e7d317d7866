/**
 * The scenario's wire log. It redacts and truncates on the way in, so only masked, bounded text is
 * ever held: no reporter can leak a secret or be flooded by a 5 MB body.
 */
import { FirstAndLatest } from './first-and-latest.js';
import { Redactor } from './redact.js';
import type { HttpExchangeEntry, NoteEntry, TranscriptEntry, WsEventEntry } from './transcript-types.js';

export const DEFAULT_TRANSCRIPT_TEXT_LIMIT = 64 * 1024;
/** A server flooding frames must not exhaust memory: past this many entries, entries are counted, not kept. */
export const DEFAULT_TRANSCRIPT_ENTRY_LIMIT = 20_000;
/**
 * Received frames kept per transcript, in bytes (each entry also counts ENTRY_OVERHEAD_BYTES): the
 * first half and the latest half, with a note counting what a flood in between cost. Frames are
 * the one thing a server can send without limit; HTTP exchanges follow the scenario's steps.
 */
export const DEFAULT_TRANSCRIPT_FRAME_BYTES = 256 * 1024;
const ENTRY_OVERHEAD_BYTES = 256;

export interface TranscriptOptions {
  redactor?: Redactor;
  /** Bodies and frames longer than this (UTF-8 bytes) are cut, with "…[truncated N bytes]". */
  maxTextBytes?: number;
  /** Entries kept at most; the rest are only counted (omittedEntries), after one note saying so. */
  maxEntries?: number;
  /** Bytes of received frames kept (the first and the latest); the rest are counted in a note. */
  maxFrameBytes?: number;
  /** Clock, replaceable in tests. */
  now?: () => number;
}

export type HttpExchangeInput = Omit<HttpExchangeEntry, 'kind' | 'seq' | 'step'>;
export type WsEventInput = Omit<WsEventEntry, 'kind' | 'seq' | 'step' | 'at'> & { at?: string };

export type TimelineEntry = TranscriptEntry & {
  /** Milliseconds since the earliest entry. */
  sinceStartMs: number;
  /** Milliseconds since the entry before it in the timeline. */
  sincePreviousMs: number;
};

export interface TruncatedText {
  text: string;
  truncated: boolean;
  droppedBytes: number;
}

/** Cut to at most maxBytes of UTF-8 without splitting a character; the marker is appended. */
export function truncateText(text: string, maxBytes: number): TruncatedText {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: false, droppedBytes: 0 };
  let cut = Math.max(0, maxBytes);
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--; // back off to a character boundary
  const droppedBytes = bytes.length - cut;
  return { text: `${bytes.subarray(0, cut).toString('utf8')}…[truncated ${droppedBytes} bytes]`, truncated: true, droppedBytes };
}

export class Transcript {
  readonly redactor: Redactor;
  private readonly maxTextBytes: number;
  private readonly maxEntries: number;
  private omitted = 0;
  private lastSeq = 0;
  private readonly now: () => number;
  private readonly list: TranscriptEntry[] = [];
  private readonly receivedFrames: FirstAndLatest<WsEventEntry>;
  private readonly maxFrameBytes: number;
  /** Where the first dropped frame stood, for the note that takes its place. */
  private firstDropped: { seq: number; at: string; step?: number } | undefined;
  private readonly dropped = { frames: 0, bytes: 0 };
  private step: number | undefined;

  constructor(options: TranscriptOptions = {}) {
    this.redactor = options.redactor ?? new Redactor();
    this.maxTextBytes = options.maxTextBytes ?? DEFAULT_TRANSCRIPT_TEXT_LIMIT;
    this.maxEntries = options.maxEntries ?? DEFAULT_TRANSCRIPT_ENTRY_LIMIT;
    this.now = options.now ?? Date.now;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_TRANSCRIPT_FRAME_BYTES;
    this.receivedFrames = new FirstAndLatest(this.maxFrameBytes);
    if (!Number.isInteger(this.maxTextBytes) || this.maxTextBytes < 0) {
      throw new RangeError(`Transcript maxTextBytes must be a non-negative integer, got ${options.maxTextBytes}`);
    }
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError(`Transcript maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
  }

  /** Entries recorded from now on carry this (1-based) scenario step index; undefined for none. */
  setStep(step: number | undefined): void {
    this.step = step;
  }

  currentStep(): number | undefined {
    return this.step;
  }

  recordHttp(input: HttpExchangeInput): HttpExchangeEntry {
    // Headers first: masking Authorization registers the credential, so the URL and bodies below
    // are redacted with it too (an access_token query parameter, an echoed header).
    const requestHeaders = this.redactor.redactHeaders(input.request.headers);
    const responseHeaders = input.response ? this.redactor.redactHeaders(input.response.headers) : undefined;
    const entry: HttpExchangeEntry = {
      kind: 'http',
      seq: this.nextSeq(),
      ...this.stepField(),
      startedAt: input.startedAt,
      durationMs: input.durationMs,
      request: {
        method: input.request.method,
        url: this.redactor.redactText(input.request.url),
        headers: requestHeaders,
        ...this.bodyField(input.request.body),
      },
      ...(input.response && responseHeaders ? { response: this.redactResponse(input.response, responseHeaders) } : {}),
      ...(input.error !== undefined ? { error: this.redactor.redactText(input.error) } : {}),
    };
    this.keep(entry);
    return entry;
  }

  recordWs(input: WsEventInput): WsEventEntry {
    const { at, data, url, error, closeReason, ...rest } = input;
    const entry: WsEventEntry = {
      kind: 'ws',
      seq: this.nextSeq(),
      ...this.stepField(),
      at: at ?? this.isoNow(),
      ...rest,
      ...(url !== undefined ? { url: this.redactor.redactText(url) } : {}),
      ...(data !== undefined ? { data: this.boundedText(data).text } : {}),
      ...(closeReason !== undefined ? { closeReason: this.redactor.redactText(closeReason) } : {}),
      ...(error !== undefined ? { error: this.redactor.redactText(error) } : {}),
    };
    if (entry.event === 'frame' && entry.direction === 'received') this.keepFrame(entry);
    else this.keep(entry);
    return entry;
  }

  note(text: string): NoteEntry {
    const entry: NoteEntry = { kind: 'note', seq: this.nextSeq(), ...this.stepField(), at: this.isoNow(), text: this.boundedText(text).text };
    this.keep(entry);
    return entry;
  }

  /** How many entries arrived after the limit and were not kept. */
  get omittedEntries(): number {
    return this.omitted;
  }

  /** Received frames not kept (between the first and the latest), and their bytes. */
  get omittedFrames(): { frames: number; bytes: number } {
    return { ...this.dropped };
  }

  /** Kept entries in seq order; where frames were dropped, a note says how many. */
  entries(): readonly TranscriptEntry[] {
    const frames = this.receivedFrames.items();
    if (frames.length === 0 && !this.firstDropped) return this.list;
    return [...this.list, ...frames, ...this.omissionNote()].sort((a, b) => a.seq - b.seq);
  }

  /** Entries in time order (ties by seq), with gaps in ms: what happened when, at a glance. */
  toTimeline(): TimelineEntry[] {
    const ordered = [...this.list].sort((a, b) => entryTime(a) - entryTime(b) || a.seq - b.seq);
    const start = ordered.length > 0 ? entryTime(ordered[0]) : 0;
    return ordered.map((entry, position) => ({
      ...entry,
      sinceStartMs: entryTime(entry) - start,
      sincePreviousMs: position === 0 ? 0 : entryTime(entry) - entryTime(ordered[position - 1]),
    }));
  }

  /** Redact first, then truncate: cutting first could leave half a secret that no longer matches. */
  boundedText(text: string): TruncatedText {
    return truncateText(this.redactor.redactText(text), this.maxTextBytes);
  }

  private redactResponse(
    response: NonNullable<HttpExchangeEntry['response']>,
    redactedHeaders: Record<string, string>,
  ): NonNullable<HttpExchangeEntry['response']> {
    const body = response.body === undefined ? undefined : this.boundedText(response.body);
    const truncated = (response.bodyTruncated ?? false) || (body?.truncated ?? false);
    return {
      status: response.status,
      headers: redactedHeaders,
      ...(body ? { body: body.text } : {}),
      ...(truncated ? { bodyTruncated: true } : {}),
    };
  }

  private bodyField(body: string | undefined): { body?: string } {
    return body === undefined ? {} : { body: this.boundedText(body).text };
  }

  private keepFrame(entry: WsEventEntry): void {
    const dropped = this.receivedFrames.add(entry, (entry.data?.length ?? 0) + ENTRY_OVERHEAD_BYTES);
    for (const frame of dropped) {
      this.dropped.frames++;
      this.dropped.bytes += Buffer.byteLength(frame.data ?? '', 'utf8');
    }
    const first = dropped[0];
    if (first && !this.firstDropped) this.firstDropped = { seq: first.seq, at: first.at, ...(first.step !== undefined ? { step: first.step } : {}) };
  }

  private omissionNote(): NoteEntry[] {
    if (!this.firstDropped) return [];
    const { frames, bytes } = this.dropped;
    const text =
      `${frames} frames / ${bytes} bytes not kept: past ${this.maxFrameBytes} bytes of received frames, ` +
      'the transcript keeps the first frames and the latest ones';
    return [{ kind: 'note', ...this.firstDropped, text }];
  }

  private keep(entry: TranscriptEntry): void {
    if (this.list.length < this.maxEntries) {
      this.list.push(entry);
      return;
    }
    if (this.omitted === 0) {
      this.list.push({
        kind: 'note',
        seq: entry.seq,
        ...this.stepField(),
        at: this.isoNow(),
        text: `transcript limit of ${this.maxEntries} entries reached: later entries are counted, not kept`,
      });
    }
    this.omitted++;
  }

  private stepField(): { step?: number } {
    return this.step === undefined ? {} : { step: this.step };
  }

  private nextSeq(): number {
    return ++this.lastSeq;
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}

function entryTime(entry: TranscriptEntry): number {
  const instant = entry.kind === 'http' ? entry.startedAt : entry.at;
  const parsed = Date.parse(instant);
  return Number.isNaN(parsed) ? 0 : parsed;
}
