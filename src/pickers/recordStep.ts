/**
 * The record step of CollectionPicker: a quick pick of a collection's record ids with a snippet of each document,
 * fetched a page at a time. "Load more…" fetches the next page into the same open pick (keeping what was typed),
 * so typing filters over everything loaded so far, ids and snippets alike.
 */
import * as vscode from 'vscode';
import { describeError } from '../chroma';
import type { GetResult } from '../chroma';
import { BACK, untilSettled } from '../platform/quickInput';
import type { StepInfo, StepResult } from '../platform/quickInput';
import { displayLine, escapeIcons, formatCount, hasLoneSurrogate, notificationText } from '../util/text';

/** Records fetched per page: enough to find one by typing, little to wait for. */
export const RECORD_PAGE_SIZE = 100;

interface RecordItem extends vscode.QuickPickItem {
  recordId?: string;
}

function recordItems(page: GetResult): RecordItem[] {
  const items: RecordItem[] = [];
  page.ids.forEach((id, i) => {
    // Chroma cannot address an id with a lone surrogate (the tree shows those as errors): nothing to pick.
    if (typeof id !== 'string' || hasLoneSurrogate(id)) {
      return;
    }
    const doc = page.documents?.[i];
    items.push({ label: escapeIcons(displayLine(id, 120)) || ' ', description: typeof doc === 'string' ? escapeIcons(displayLine(doc, 100)) : '(no document)', recordId: id });
  });
  return items;
}

/**
 * Asks for one record of a collection: resolves to its full id, BACK, or undefined when the user cancels. Throws
 * when the first page cannot be fetched; a failed later page is shown and the pick stays open.
 */
export async function recordStep(
  info: StepInfo & { placeholder: string; empty: string },
  fetchPage: (offset: number, limit: number) => Promise<GetResult>,
): Promise<StepResult<string>> {
  const first = await fetchPage(0, RECORD_PAGE_SIZE);
  if (first.ids.length === 0) {
    void vscode.window.showInformationMessage(notificationText(info.empty));
    return undefined;
  }
  let offset = first.ids.length;
  let exhausted = first.ids.length < RECORD_PAGE_SIZE;
  let records = recordItems(first);
  const more: RecordItem = { label: '$(ellipsis) Load more…', alwaysShow: true };

  const pick = vscode.window.createQuickPick<RecordItem>();
  pick.title = info.title;
  pick.placeholder = info.placeholder;
  pick.matchOnDescription = true;
  pick.ignoreFocusOut = true;
  pick.buttons = info.back ? [vscode.QuickInputButtons.Back] : [];
  const show = (active?: RecordItem) => {
    more.description = `${formatCount(offset)} loaded`;
    pick.items = exhausted ? records : [...records, more];
    pick.activeItems = [active ?? records[0] ?? more];
  };
  show();
  let closed = false;

  const loadMore = async () => {
    pick.busy = true;
    pick.enabled = false;
    try {
      const page = await fetchPage(offset, RECORD_PAGE_SIZE);
      if (closed) {
        return;
      }
      const added = recordItems(page);
      offset += page.ids.length;
      exhausted = page.ids.length < RECORD_PAGE_SIZE;
      records = [...records, ...added];
      show(added[0]);
    } catch (e) {
      void vscode.window.showErrorMessage(notificationText(`Could not load more records: ${describeError(e)}`));
    } finally {
      if (!closed) {
        pick.busy = false;
        pick.enabled = true;
      }
    }
  };

  return untilSettled<StepResult<string>>(
    pick,
    undefined,
    (finish) => [
      pick.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK)),
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen === more) {
          void loadMore();
        } else if (chosen?.recordId !== undefined) {
          finish(chosen.recordId);
        }
      }),
    ],
    () => {
      closed = true;
    },
  );
}
