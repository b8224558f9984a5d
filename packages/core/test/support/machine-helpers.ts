// Helpers for transition()-level machine tests.
import type { AnyStateMachine } from "xstate";

/** A returned action as `type` or `type(params.type[/params.subject])`, for compact assertions. */
export function actionName(a: { type: string; params?: unknown }): string {
  const p = a.params as { type?: string; subject?: string } | undefined;
  if (!p || p.type === undefined) return a.type;
  return p.subject === undefined ? `${a.type}(${p.type})` : `${a.type}(${p.type}/${p.subject})`;
}

/** Names of every action in order. */
export function actionNames(actions: readonly { type: string; params?: unknown }[]): string[] {
  return actions.map(actionName);
}

/**
 * The same machine with every listed (assign) action replaced by a no-op custom action, so that
 * `transition()` returns it by name: lets a test see the full, ordered list of named actions of a
 * transition, including the ones that only update context.
 */
export function withVisibleActions<M extends AnyStateMachine>(machine: M, names: readonly string[]): M {
  const actions: Record<string, () => void> = {};
  for (const n of names) actions[n] = () => {};
  return machine.provide({ actions } as never) as M;
}
