import mittModule, { type Emitter, type EventType } from "mitt";

// mitt ships CommonJS whose types declare an ES default export; under NodeNext the runtime value of
// the default import is the factory itself. One cast here keeps the rest of the code typed.
const mitt = ((mittModule as unknown as { default?: unknown }).default ?? mittModule) as unknown as <E extends Record<EventType, unknown>>() => Emitter<E>;

/** Create a typed mitt emitter. */
export function createEmitter<E extends Record<EventType, unknown>>(): Emitter<E> {
  return mitt<E>();
}
