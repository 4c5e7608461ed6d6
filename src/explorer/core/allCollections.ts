/** Every collection of a database, for Find Collection…, fetched in parallel pages. No `vscode` here. */
import type { ChromaClient } from '../../chroma/client';
import { ChromaUnexpectedResponseError } from '../../chroma/errors';
import type { Collection, Scope } from '../../chroma/types';

/** Collections per request, and requests at once, when Find Collection… fetches every name. */
const NAME_PAGE_SIZE = 1_000;
const NAME_FETCHES = 3;

/**
 * Every collection, NAME_PAGE_SIZE per request and NAME_FETCHES requests at once (the server answers pages in
 * parallel), in the server's order. A server that ignores `offset` (every page the same) is an error, not a
 * list without end.
 */
export async function fetchAllCollections(client: ChromaClient, scope: Scope, onPage?: (soFar: readonly Collection[]) => void, signal?: AbortSignal): Promise<Collection[]> {
  const pages: Collection[][] = [];
  let next = 0;
  let end = Infinity;
  // the pages in order up to the first still missing
  const soFar = () => {
    const out: Collection[] = [];
    for (let i = 0; i < pages.length && pages[i]; i++) {
      out.push(...pages[i]);
    }
    return out;
  };
  const worker = async () => {
    while (next * NAME_PAGE_SIZE < end) {
      const index = next++;
      const page = await client.listCollections({ scope, limit: NAME_PAGE_SIZE, offset: index * NAME_PAGE_SIZE, signal });
      if (index > 0 && page.length > 0 && pages[0]?.[0]?.id === page[0].id) {
        throw new ChromaUnexpectedResponseError(
          `Chroma answered every page of collections with the first one: it ignores paging, so the list cannot be read to its end.`,
          { operation: 'GET …/collections' },
        );
      }
      pages[index] = page;
      if (page.length < NAME_PAGE_SIZE) {
        end = Math.min(end, index * NAME_PAGE_SIZE + page.length);
      }
      onPage?.(soFar());
    }
  };
  await Promise.all(Array.from({ length: NAME_FETCHES }, worker));
  return pages.flat();
}
