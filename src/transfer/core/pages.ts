/**
 * Reading a collection's records page by page for export and copy: by offset (everything, or a filter's matches) or
 * by chosen ids (kept in the order chosen), each page fetched while the one before is being handled, with page sizes
 * that adapt to the server (adaptive.ts). No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import type { Collection, GetResult, Include } from '../../chroma/types';
import type { AdaptiveLimits } from './adaptive';
import type { Selection } from './format';

/** Pages requested at once: the server prepares the next while the one before travels and is written. */
const READ_AHEAD = 2;

/** Where reading starts: at `offset` (paged) or at `idIndex` of the chosen ids. */
export interface PagePosition {
  offset: number;
  idIndex: number;
}

/** Pages of records in export order, each fetched while the one before is being written. */
export async function* pages(
  client: ChromaClient,
  collection: Collection,
  selection: Selection | undefined,
  start: PagePosition,
  limits: AdaptiveLimits,
  include: Exclude<Include, 'distances'>[],
  signal?: AbortSignal,
): AsyncGenerator<GetResult, void, undefined> {
  const ids = selection?.ids;
  const fetchAt = async (pos: number): Promise<{ page: GetResult; asked: number }> => {
    for (;;) {
      const asked = limits.pageSize;
      try {
        if (ids) {
          const chunk = ids.slice(pos, pos + asked);
          const got = await client.get(collection, { ids: chunk, where: selection?.where, whereDocument: selection?.whereDocument, include }, { signal });
          return { page: inOrder(got, chunk), asked };
        }
        const page = await client.get(collection, { where: selection?.where, whereDocument: selection?.whereDocument, limit: asked, offset: pos, include }, { signal });
        return { page, asked };
      } catch (e) {
        if (!limits.learnFromRead(e, asked)) {
          throw e;
        }
      }
    }
  };
  const end = ids ? ids.length : Infinity;
  // Reads ahead: up to READ_AHEAD requests in flight, at the positions full pages would start at. A page that comes
  // back at another size (a limit learnt meanwhile) drops the read-ahead, which is planned again from there.
  let queue: Array<{ pos: number; result: Promise<{ page: GetResult; asked: number }> }> = [];
  let planAt = ids ? start.idIndex : start.offset;
  const plan = () => {
    while (queue.length < READ_AHEAD && planAt < end) {
      const result = fetchAt(planAt);
      // a failure is awaited when its turn comes; until then it must not count as unhandled
      result.catch(() => undefined);
      queue.push({ pos: planAt, result });
      planAt += limits.pageSize;
    }
  };
  plan();
  while (queue.length > 0) {
    const head = queue.shift()!;
    const { page, asked } = await head.result;
    // by ids a page covers `asked` ids whatever exists; by offset a short page is the last
    const nextPos = head.pos + (ids ? asked : page.ids.length);
    const more = ids ? nextPos < end : page.ids.length === asked;
    if (!more) {
      queue = [];
    } else if (queue[0]?.pos !== nextPos) {
      queue = [];
      planAt = nextPos;
    }
    if (more) {
      plan();
    }
    if (page.ids.length > 0) {
      yield page;
    }
  }
}

/** A get by ids answers in the server's order: put it in the order the ids were chosen. */
function inOrder(page: GetResult, ids: readonly string[]): GetResult {
  const at = new Map(page.ids.map((id, i) => [id, i]));
  const order = ids.filter((id) => at.has(id)).map((id) => at.get(id)!);
  if (order.every((v, i) => v === i)) {
    return page;
  }
  const pick = <T>(xs: T[] | null): T[] | null => (xs ? order.map((i) => xs[i]) : null);
  return { ...page, ids: order.map((i) => page.ids[i]), embeddings: pick(page.embeddings), documents: pick(page.documents), metadatas: pick(page.metadatas), uris: pick(page.uris) };
}
