/**
 * Area of interest (issue 4): each client's @colyseus/schema StateView holds the actors within the
 * world's `interestRadius` of its own actor (Euclidean, in cells), plus its own actor with the
 * owner tag that reveals its raw stats. A radius of 0 means everyone sees everything.
 * Hysteresis: an actor enters a view within the radius and leaves it only beyond radius +
 * {@link LEAVE_MARGIN}, so actors pacing along the edge do not churn in and out every tick.
 *
 * Work per tick is proportional to what moved, never to clients × actors:
 * - an observer whose own actor moved re-queries the world's spatial hash around itself;
 * - every other moved actor is checked only against the observers near its old and new cells,
 *   found through a second, small spatial hash of observers.
 * Runs before the tick's positions are mirrored, so the synced state still holds the old cells.
 */
import type { Client } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import type { Actor, TickResult, World } from "../src/core/index.ts";
import { createSpatialHash, forEachNear, insertItem, moveItem, removeItem, withinRadius, type SpatialHash } from "../src/core/spatial-hash.ts";
import { OWNER_TAG, type ActorState, type WorldState } from "./schema.ts";

/** Cells beyond the radius an actor may go before it leaves a view it is in. */
export const LEAVE_MARGIN = 2;

interface Observer {
  readonly actorId: string;
  readonly view: StateView;
  readonly visible: Set<string>;
  x: number;
  y: number;
}

export class InterestManager {
  private readonly observers = new Map<string, Observer>();
  private readonly index: SpatialHash<Observer>;

  constructor(
    private readonly world: World,
    private readonly state: WorldState,
    /** Cells; 0 = unlimited. */
    readonly radius: number,
  ) {
    this.index = createSpatialHash<Observer>(world.grid.width, world.grid.height);
  }

  /** Gives `client` a view of its own actor (with the owner tag) and of everything around it. */
  attach(client: Client, actor: Actor): void {
    const own = this.state.actors.get(actor.id)!;
    const view = new StateView();
    view.add(own);
    view.add(own, OWNER_TAG);
    const observer: Observer = { actorId: actor.id, view, visible: new Set([actor.id]), x: actor.x, y: actor.y };
    this.observers.set(actor.id, observer);
    insertItem(this.index, observer, actor.x, actor.y);
    this.refresh(observer);
    client.view = view;
  }

  detach(actorId: string): void {
    const observer = this.observers.get(actorId);
    if (!observer) return;
    removeItem(this.index, observer, observer.x, observer.y);
    this.observers.delete(actorId);
    observer.view.dispose?.();
  }

  /** A new actor appeared: the observers that can see its cell get it. */
  actorAdded(actor: Actor): void {
    const state = this.state.actors.get(actor.id);
    if (!state) return;
    this.forObserversNear(actor.x, actor.y, (observer) => {
      if (observer.actorId !== actor.id && this.sees(observer, actor.x, actor.y)) this.show(observer, actor.id, state);
    });
  }

  /** An actor left the world: forget it (the map deletion reaches every view that had it). */
  actorRemoved(actorId: string): void {
    for (const observer of this.observers.values()) observer.visible.delete(actorId);
  }

  /** Updates every view for a tick's moves and respawns. Call before mirroring the new positions. */
  update(result: TickResult): void {
    if (this.radius === 0) return; // everyone already sees everyone
    for (const event of result.events) {
      if (event.type !== "moved" && event.type !== "respawned") continue;
      const state = this.state.actors.get(event.actorId);
      if (!state) continue;
      this.actorMoved(event.actorId, state, state.x, state.y, event.x, event.y);
    }
  }

  private actorMoved(actorId: string, state: ActorState, fromX: number, fromY: number, x: number, y: number): void {
    const own = this.observers.get(actorId);
    if (own) {
      moveItem(this.index, own, own.x, own.y, x, y);
      own.x = x;
      own.y = y;
      this.refresh(own);
    }
    const check = (observer: Observer): void => {
      if (observer.actorId === actorId) return;
      if (!observer.visible.has(actorId)) {
        if (this.sees(observer, x, y)) this.show(observer, actorId, state);
      } else if (!this.keeps(observer, x, y)) this.hide(observer, actorId, state);
    };
    // One pass when the actor stepped one cell (radius + 1 around the new cell covers both);
    // two for a jump (a respawn).
    const step = Math.abs(x - fromX) + Math.abs(y - fromY);
    if (step <= 1) forEachNear(this.index, x, y, this.radius + LEAVE_MARGIN + 1, check);
    else {
      this.forObserversNear(x, y, check);
      this.forObserversNear(fromX, fromY, check);
    }
  }

  /** Recomputes an observer's whole visible set from the world's spatial hash. */
  private refresh(observer: Observer): void {
    const next = new Set<string>([observer.actorId]);
    const collect = (actor: Actor): void => {
      const stays = observer.visible.has(actor.id) ? this.keeps(observer, actor.x, actor.y) : this.sees(observer, actor.x, actor.y);
      if (stays) next.add(actor.id);
    };
    if (this.radius === 0) for (const actor of this.world.order) next.add(actor.id);
    else forEachNear(this.world.spatial, observer.x, observer.y, this.radius + LEAVE_MARGIN, collect);
    for (const id of next) if (!observer.visible.has(id)) this.show(observer, id, this.state.actors.get(id));
    for (const id of [...observer.visible]) if (!next.has(id)) this.hide(observer, id, this.state.actors.get(id));
  }

  /** Close enough to enter the observer's view. */
  private sees(observer: Observer, x: number, y: number): boolean {
    return this.radius === 0 || withinRadius(observer.x, observer.y, x, y, this.radius);
  }

  /** Close enough to stay in the observer's view once in it. */
  private keeps(observer: Observer, x: number, y: number): boolean {
    return this.radius === 0 || withinRadius(observer.x, observer.y, x, y, this.radius + LEAVE_MARGIN);
  }

  private forObserversNear(x: number, y: number, visit: (observer: Observer) => void): void {
    if (this.radius === 0) for (const observer of this.observers.values()) visit(observer);
    else forEachNear(this.index, x, y, this.radius + LEAVE_MARGIN, visit);
  }

  private show(observer: Observer, id: string, state: ActorState | undefined): void {
    if (!state) return;
    observer.visible.add(id);
    observer.view.add(state);
  }

  private hide(observer: Observer, id: string, state: ActorState | undefined): void {
    observer.visible.delete(id);
    if (state) observer.view.remove(state);
  }
}
