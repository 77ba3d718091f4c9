// The browser side of the live plot's channel (see src/labtrack/widgets/live_channel.py).
// One store per widget model, shared by every view of it, so a re-rendered view shows the
// whole curve at once. Messages are numbered: a gap (or a store that starts empty, after a
// page reload) asks the kernel for a resync, answered with the whole reduced history.
import type { AnyModel } from '@anywidget/types';

import { isSystemMetric } from '../plots/system-metrics';

export interface ITrace {
  run: string;
  key: string;
  count: number;
  steps: Float64Array;
  times: Float64Array;
  values: Float64Array;
  /** Lowest and highest finite-or-infinite value (NaN ignored); ±Infinity when none. */
  low: number;
  high: number;
}

interface ITraceDescriptor {
  run: string;
  key: string;
  n: number;
}

interface IPointsMessage {
  type: 'points' | 'reset';
  seq: number;
  traces: ITraceDescriptor[];
}

export type ApplyOutcome = 'applied' | 'stale' | 'gap';

function traceId(run: string, key: string): string {
  return `${run}\u0000${key}`;
}

function grow(array: Float64Array, needed: number): Float64Array {
  if (needed <= array.length) {
    return array;
  }
  const grown = new Float64Array(Math.max(needed, array.length * 2, 256));
  grown.set(array);
  return grown;
}

/** Columns of one trace in a message buffer: float64 LE steps[n], times[n], values[n]. */
function columns(view: DataView, n: number): Float64Array {
  // Copy: a buffer's byteOffset inside the websocket frame need not be 8-aligned.
  const bytes = new Uint8Array(view.buffer, view.byteOffset, n * 24).slice();
  return new Float64Array(bytes.buffer);
}

export class LiveStore {
  readonly traces = new Map<string, ITrace>();
  lastSeq = 0;
  resyncRequested = false;
  private readonly listeners = new Set<(changedKeys: Set<string>) => void>();

  constructor(private readonly model: AnyModel) {}

  /** `listener` hears the metric keys whose points changed with each message. */
  subscribe(listener: (changedKeys: Set<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  requestResync(): void {
    this.resyncRequested = true;
    this.model.send({ type: 'resync' });
  }

  /** Apply one kernel message; asks for a resync on a gap (and applies the points anyway,
   *  so the plot keeps growing until the resync replaces it). */
  apply(message: IPointsMessage, buffers: DataView[]): ApplyOutcome {
    if (message.type === 'reset') {
      const before = new Set(this.keys());
      this.traces.clear();
      const changed = this.append(message, buffers);
      before.forEach(key => changed.add(key));
      this.lastSeq = message.seq;
      this.resyncRequested = false;
      this.notify(changed);
      return 'applied';
    }
    if (message.seq <= this.lastSeq) {
      return 'stale';
    }
    const gap = message.seq !== this.lastSeq + 1;
    this.lastSeq = message.seq;
    const changed = this.append(message, buffers);
    if (gap && !this.resyncRequested) {
      this.requestResync();
    }
    this.notify(changed);
    return gap ? 'gap' : 'applied';
  }

  /** Append each trace's points; returns the metric keys that changed. */
  private append(message: IPointsMessage, buffers: DataView[]): Set<string> {
    const changed = new Set<string>();
    message.traces.forEach((descriptor, index) => {
      const buffer = buffers[index];
      if (!buffer || descriptor.n === 0) {
        return;
      }
      const id = traceId(descriptor.run, descriptor.key);
      let trace = this.traces.get(id);
      if (!trace) {
        trace = {
          run: descriptor.run,
          key: descriptor.key,
          count: 0,
          steps: new Float64Array(0),
          times: new Float64Array(0),
          values: new Float64Array(0),
          low: Infinity,
          high: -Infinity
        };
        this.traces.set(id, trace);
      }
      const n = descriptor.n;
      const data = columns(buffer, n);
      const needed = trace.count + n;
      trace.steps = grow(trace.steps, needed);
      trace.times = grow(trace.times, needed);
      trace.values = grow(trace.values, needed);
      trace.steps.set(data.subarray(0, n), trace.count);
      trace.times.set(data.subarray(n, 2 * n), trace.count);
      trace.values.set(data.subarray(2 * n, 3 * n), trace.count);
      for (let i = 2 * n; i < 3 * n; i++) {
        const v = data[i];
        if (v < trace.low) {
          trace.low = v;
        }
        if (v > trace.high) {
          trace.high = v;
        }
      }
      trace.count = needed;
      changed.add(descriptor.key);
    });
    return changed;
  }

  private notify(changedKeys: Set<string>): void {
    for (const listener of this.listeners) {
      listener(changedKeys);
    }
  }

  /** The runs' own metric keys in the order they first appeared (MLflow's `system/…`
   *  metrics are the System row's: `systemKeys`). */
  metricKeys(): string[] {
    return this.keys().filter(key => !isSystemMetric(key));
  }

  /** The `system/…` keys (CPU, memory, GPU…) in the order they first appeared. */
  systemKeys(): string[] {
    return this.keys().filter(isSystemMetric);
  }

  private keys(): string[] {
    const keys = new Set<string>();
    for (const trace of this.traces.values()) {
      keys.add(trace.key);
    }
    return [...keys];
  }

  tracesOf(key: string): ITrace[] {
    return [...this.traces.values()].filter(trace => trace.key === key);
  }
}

const STORES = new WeakMap<AnyModel, LiveStore>();

/** The model's store, created (and listening) on first use; a new store asks for the
 *  history, which is how a page reload gets the whole curve back. */
export function storeOf(model: AnyModel): LiveStore {
  let store = STORES.get(model);
  if (!store) {
    const created = new LiveStore(model);
    STORES.set(model, created);
    model.on('msg:custom', (message: IPointsMessage, buffers: DataView[]) => {
      if (message && (message.type === 'points' || message.type === 'reset')) {
        created.apply(message, buffers ?? []);
      }
    });
    created.requestResync();
    store = created;
  }
  return store;
}
