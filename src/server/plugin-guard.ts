/**
 * The guard around plugin code run inside the tick (issue 9 §3 "Cost per plugin", "faults"): each
 * call is timed into the plugin's cost, and a throw becomes a logged fault instead of ending the
 * tick: an action method fails its action with reason `fault` (the pipeline rolls back what it
 * wrote), a brain or a task is skipped for that tick, an edge admission answers `internal`, and an
 * event handler loses that one call (plugin-dispatch.ts).
 */
import { performance } from "node:perf_hooks";
import { scheduleOf, type ActionKind, type Brain, type Method, type ScheduledTask } from "../core/index.ts";
import type { ActionEdge } from "../plugins/api.ts";
import type { LogLimiter } from "./log-limiter.ts";
import type { DispatchGuard } from "./plugin-dispatch.ts";
import type { PluginCosts } from "./plugin-costs.ts";

export interface Guard {
  kind(pluginId: string, kind: ActionKind): ActionKind;
  task(pluginId: string, task: ScheduledTask): { task: ScheduledTask; stop: () => void };
  brain(pluginId: string, brain: Brain): Brain;
  readonly events: DispatchGuard;
  edge(pluginId: string, kind: string, edge: ActionEdge): ActionEdge;
}

/** Wraps plugin code run inside the tick: timed per plugin, and a throw becomes a logged fault. */
export function createGuard(options: { faults: LogLimiter }, costs: PluginCosts): Guard {
  const fault = (pluginId: string, fields: Record<string, unknown>, error: unknown, what: string) =>
    options.faults.log("error", `plugin-fault:${pluginId}:${what}`, { plugin: pluginId, ...fields, err: error }, `plugin ${pluginId} failed in ${what}; the world keeps ticking`);
  const timed = <T>(pluginId: string, run: () => T): T => {
    const started = performance.now();
    try {
      return run();
    } finally {
      costs.add(pluginId, performance.now() - started);
    }
  };
  return {
    kind(pluginId, kind) {
      // One guard per method the kind hands out (a kind that returns the same method every time gets the same guard).
      const guards = new WeakMap<Method, Method>();
      const guardMethod = (method: Method): Method => {
        let guarded = guards.get(method);
        if (guarded === undefined) {
          guarded = (ctx, action) => {
            const started = performance.now();
            try {
              return method(ctx, action);
            } catch (error) {
              fault(pluginId, { world: ctx.world.id, tick: ctx.tick, action: action.kind, actor: action.actor.id }, error, `action ${action.kind}`);
              return "fault";
            } finally {
              costs.add(pluginId, performance.now() - started);
            }
          };
          guards.set(method, guarded);
        }
        return guarded;
      };
      return {
        name: kind.name,
        payload: kind.payload,
        control(actor, payload) {
          const control = kind.control(actor, payload);
          if (!control.ok) return control;
          const { behaviour, method, dir } = control.value;
          return { ok: true, value: { behaviour, method: guardMethod(method), dir } };
        },
      };
    },
    edge(pluginId, kind, edge) {
      return {
        admit(attempt) {
          try {
            return edge.admit(attempt);
          } catch (error) {
            fault(pluginId, { world: attempt.world.id, action: kind, actor: attempt.actor.id }, error, `admission of ${kind}`);
            return { ok: false, code: "internal", message: `plugin ${pluginId} failed to admit this ${kind}` };
          }
        },
      };
    },
    events: {
      timed: (pluginId, pass) => timed(pluginId, pass),
      fault: (pluginId, world, tick, eventType, error) => fault(pluginId, { world: world.id, tick, event: eventType }, error, `event ${eventType}`),
    },
    task(pluginId, task) {
      let active = true;
      return {
        stop: () => void (active = false),
        task: {
          ...scheduleOf(task),
          name: task.name,
          run(world, tick) {
            if (!active) return;
            try {
              timed(pluginId, () => task.run(world, tick));
            } catch (error) {
              fault(pluginId, { world: world.id, tick, task: task.name }, error, `task ${task.name}`);
            }
          },
        },
      };
    },
    brain(pluginId, brain) {
      return {
        name: brain.name,
        think(world, actor) {
          try {
            timed(pluginId, () => brain.think(world, actor));
          } catch (error) {
            fault(pluginId, { world: world.id, tick: world.tick + 1, ai: brain.name, actor: actor.id }, error, `AI ${brain.name}`);
          }
        },
      };
    },
  };
}
