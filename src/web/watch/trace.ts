/**
 * One failed move in words (issue 12 "Explain a failed move"): where it went, who pushed whom and
 * who refused, at what depth, and the guard that stopped it with the rule's source.
 */
import type { MoveExplanation } from "../../core/explain.ts";
import { h } from "../lib/dom.ts";

type ChainEvent = MoveExplanation["chain"][number];

function describeEvent(event: ChainEvent): string {
  switch (event.type) {
    case "pushed":
      return `${event.actorId} pushed ${event.targetId} ${event.dir} (depth ${event.depth})`;
    case "refused":
      return `${event.actorId} refused ${event.byId} (${event.reason})`;
    case "blocked":
      return `${event.actorId} was blocked: ${event.reason} (depth ${event.depth})`;
    case "moved":
      return `${event.actorId} moved`;
    default:
      return event.type;
  }
}

export function describeMove(move: MoveExplanation): HTMLElement {
  const stopped = move.stoppedBy;
  return h(
    "div",
    { className: `trace-move ${move.succeeded ? "" : "failed"}` },
    h("strong", {}, `Tick ${move.tick}: move ${move.dir} failed`),
    move.source === "brain" ? " (its AI's move)" : "",
    stopped ? h("p", {}, `Stopped by ${stopped.actorId}${stopped.refusedId ? `, refusing ${stopped.refusedId}` : ""} at depth ${stopped.depth}: ${stopped.guard}`) : null,
    move.chain.length > 0 ? h("ol", {}, ...move.chain.map((event) => h("li", {}, describeEvent(event)))) : null,
  );
}
