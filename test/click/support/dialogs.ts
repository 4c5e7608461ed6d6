/**
 * The web workbench's file dialogs, answered as a person answers them: VS Code in a browser shows its simple file
 * dialog (a quick input holding a path, the folder's entries listed under it) for Save As and Open. A person keeps
 * the folder it proposes, deletes the file name it proposes (if any) and types theirs, then presses Enter.
 */
import type { ClickWindow } from './window';

/**
 * Waits for the simple file dialog titled `title` (its start) to propose `proposed` (a folder ending in "/", or a
 * file's path), replaces the file name it proposes with `name` (in the folder it proposes), and presses Enter.
 */
export async function answerFileDialog(win: ClickWindow, title: string, proposed: string, name: string): Promise<void> {
  await win.waitForQuickInput(`the file dialog "${title}" to propose ${proposed}`, (q) => q.title.startsWith(title) && q.value === proposed, 30_000).catch(async (e: Error) => {
    throw new Error(`${e.message}; it holds ${JSON.stringify((await win.quickInput())?.value)}`);
  });
  const folder = proposed.slice(0, proposed.lastIndexOf('/') + 1);
  const proposedName = proposed.slice(folder.length);
  await win.press('End');
  for (let i = 0; i < proposedName.length; i++) {
    await win.press('Backspace');
  }
  await win.type(name);
  // the dialog completes a name typed with an entry it lists, the completion selected after what was typed
  const typed = await win.waitForQuickInput(`the file dialog to hold ${folder}${name}`, (q) => q.value.startsWith(folder + name), 10_000).catch(async (e: Error) => {
    throw new Error(`${e.message}; it holds ${JSON.stringify((await win.quickInput())?.value)}`);
  });
  if (typed.value !== folder + name) {
    await win.press('Delete');
    await win.waitForQuickInput(`the file dialog to hold ${folder}${name} only`, (q) => q.value === folder + name, 10_000);
  }
  await win.press('Enter');
  await win.waitFor(`the file dialog "${title}" to close`, async () => {
    const q = await win.quickInput();
    return !q || !q.title.startsWith(title);
  }, 30_000);
}
