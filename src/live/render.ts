import { type Actor, oversees } from '../dialogue/actor';
import type { Directory } from '../dialogue/directory';
import { canSee, seesMembersContent, type Visible } from '../dialogue/visibility';
import { eventFrame } from './protocol';
import { itemOf, type LogEntry, visibleOf } from './topics';
import type { ItemView, ViewResolver } from './views';
import type { TextFrame } from './wire';

type VisibilityClass = 'all' | 'dialogue';

/**
 * Turns events into `event` frames for recipients, with every expensive step done once: the event's JSON
 * once per event, an item's view (as JSON) once per item, and the frame once per (topic, event, visibility
 * class), whatever the number of sockets. Visibility is decided per recipient with the one rule
 * (`canSee`), against the directory as it is now, so that an entity removed from a group stops receiving at
 * once. A renderer lives for one published batch or one catch-up page: its caches are never older than the
 * events it renders.
 *
 * In catch-up (`latestVersion` given), an event that a later event of the same item supersedes carries
 * `view: null`, and the item's latest event carries the view: the current view describes the state after
 * that event only, and repeating it with every old event would multiply a catch-up's bytes by the size
 * of a view (a proposal with fifty comments, fifty times).
 */
export class Renderer {
  private readonly decisions = new Map<string, boolean>();
  private readonly views = new Map<string, ItemView | null>();
  private readonly frames = new Map<string, TextFrame>();
  private lastActor: Actor | undefined;
  private lastGroupId: string | undefined;
  private lastVisibility: string | undefined;
  private lastDecision = false;

  constructor(
    private readonly directory: Directory,
    private readonly resolver: ViewResolver,
    private readonly latestVersion?: (streamId: string) => number,
  ) {}

  /**
   * The frame of `event` on `topic` for `actor`, or undefined when the actor may not see it. `json` is the
   * stored event's JSON, serialised once by the caller (catch-up takes it from the stored text).
   */
  render(topic: string, event: LogEntry, json: string, actor: Actor): TextFrame | undefined {
    if (!this.visibleTo(topic, event, actor)) return undefined;
    const visibilityClass: VisibilityClass = seesMembersContent(actor) ? 'all' : 'dialogue';
    const key = `${event.position}|${topic}|${visibilityClass}`;
    let frame = this.frames.get(key);
    if (!frame) {
      frame = eventFrame(topic, event.position, json, this.viewJsonOf(event, actor));
      if (this.latestVersion === undefined) this.frames.set(key, frame);
    }
    return frame;
  }

  /**
   * The JSON of the `view` that `render` would put in the frame of `event` on `topic` for `actor`, or
   * undefined when the actor may not see the event: catch-up assembles its frames itself (see `FrameBatch`).
   */
  viewOf(topic: string, event: LogEntry, actor: Actor): string | undefined {
    if (!this.visibleTo(topic, event, actor)) return undefined;
    return this.viewJsonOf(event, actor);
  }

  private visibleTo(topic: string, event: LogEntry, actor: Actor): boolean {
    const visible = visibleOf(event);
    if (visible) return this.sees(actor, visible);
    // Events that belong to no group travel on `log` (auditors only) and on an edition's topic (every token),
    // where a declaration's draft names its paragraphs' sources: only to who may see every one of them.
    return topic === 'log' || (topic.startsWith('edition:') && this.seesSources(actor, event.data.paragraphs));
  }

  private seesSources(actor: Actor, paragraphs: unknown): boolean {
    if (!Array.isArray(paragraphs)) return true;
    return paragraphs.every((paragraph: { sourceProposalId?: unknown }) => {
      const source = paragraph.sourceProposalId;
      if (typeof source !== 'string') return true;
      const facts = this.resolver.facts('proposal', source);
      return facts !== undefined && this.sees(actor, facts);
    });
  }

  /** `canSee`, memoised per kind of recipient: entity and kind, or overseer. */
  sees(actor: Actor, item: Visible): boolean {
    // Catch-up asks for one actor, mostly about one group and visibility in a row: the last answer first.
    if (actor === this.lastActor && item.groupId === this.lastGroupId && item.visibility === this.lastVisibility)
      return this.lastDecision;
    const who = recipientKind(actor);
    const key = `${who}|${item.groupId}|${item.visibility}`;
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = canSee(this.directory, actor, item);
      this.decisions.set(key, decision);
    }
    this.lastActor = actor;
    this.lastGroupId = item.groupId;
    this.lastVisibility = item.visibility;
    this.lastDecision = decision;
    return decision;
  }

  private viewJsonOf(event: LogEntry, actor: Actor): string {
    const item = itemOf(event);
    // An edition's view differs by caller (its agenda): its events carry none, the page reads it by REST.
    if (!item || item.kind === 'edition') return 'null';
    if (this.latestVersion && event.version < this.latestVersion(event.streamId)) return 'null';
    const itemKey = `${item.kind}:${item.id}`;
    let view = this.views.get(itemKey);
    if (view === undefined) {
      view = this.resolver.view(item.kind, item.id);
      this.views.set(itemKey, view);
    }
    if (view === null) return 'null';
    const visibility = view.visibility === 'members' ? 'members' : 'dialogue';
    // The view passes the same rule as the event: a members-only view never reaches an observer.
    if (!this.sees(actor, { groupId: view.groupId, visibility })) return 'null';
    return view.json;
  }
}

/**
 * What a recipient's frames depend on besides topic and event: overseer, or entity and entity kind.
 * Visibility is decided, and fan-out renders, once per kind.
 */
export function recipientKind(actor: Actor): string {
  return oversees(actor) ? 'overseer' : `${actor.entityId ?? ''}:${actor.entityKind ?? ''}`;
}
