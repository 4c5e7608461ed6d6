/**
 * Answers the real QuickPick/InputBox steps of a command from a test: it sees every quick input the extension
 * creates (by wrapping window.createQuickPick/createInputBox), waits until one is shown, sets its value or active
 * item like a user typing or arrowing, and accepts it with VS Code's own "accept" command.
 */
import * as vscode from 'vscode';

type AnyInput = vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox;

export class QuickInputDriver implements vscode.Disposable {
  private readonly shown: AnyInput[] = [];
  private consumed = 0;
  private readonly restore: () => void;

  constructor() {
    const w = vscode.window as unknown as Record<string, unknown>;
    const createQuickPick = vscode.window.createQuickPick;
    const createInputBox = vscode.window.createInputBox;
    const track = <T extends AnyInput>(input: T): T => {
      const show = input.show.bind(input);
      input.show = () => {
        this.shown.push(input);
        show();
      };
      return input;
    };
    w.createQuickPick = () => track(createQuickPick.call(vscode.window));
    w.createInputBox = () => track(createInputBox.call(vscode.window));
    this.restore = () => {
      w.createQuickPick = createQuickPick;
      w.createInputBox = createInputBox;
    };
  }

  /** The next quick input the extension shows. */
  async next(timeoutMs = 30_000): Promise<AnyInput> {
    const deadline = Date.now() + timeoutMs;
    while (this.shown.length <= this.consumed) {
      if (Date.now() > deadline) {
        throw new Error('no quick input was shown');
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const input = this.shown[this.consumed++];
    await new Promise((r) => setTimeout(r, 150));
    return input;
  }

  private static async accept(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }

  /** Types `value` (or keeps the prefilled one) into the next InputBox and presses Enter. Returns its title/prompt. */
  async input(value?: string): Promise<{ prompt?: string; value: string }> {
    const box = (await this.next()) as vscode.InputBox;
    if (!('password' in box)) {
      throw new Error('expected an input box, got a quick pick');
    }
    if (value !== undefined) {
      box.value = value;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seen = { prompt: box.prompt, value: box.value };
    await QuickInputDriver.accept();
    return seen;
  }

  /**
   * In the next QuickPick: optionally types `value`, then makes the item whose label matches `label` active (or
   * keeps the active one) and presses Enter. Returns the labels it offered.
   */
  /** `itemsFollowValue`: the step changes its items as the value is typed; wait (bounded) until they changed. */
  async pick(opts: { value?: string; label?: RegExp; itemsFollowValue?: boolean } = {}): Promise<{ labels: string[]; placeholder?: string; title?: string }> {
    const pick = (await this.next()) as vscode.QuickPick<vscode.QuickPickItem>;
    if (!('items' in pick)) {
      throw new Error('expected a quick pick, got an input box');
    }
    if (opts.value !== undefined) {
      // The step answers the typed value by changing its items (round trips to the workbench): wait for that,
      // bounded, instead of a fixed pause that a busy machine outlasts.
      const before = JSON.stringify(pick.items.map((i) => i.label));
      pick.value = opts.value;
      const deadline = Date.now() + (opts.itemsFollowValue ? 5_000 : 0);
      await new Promise((r) => setTimeout(r, 150));
      while (Date.now() < deadline && JSON.stringify(pick.items.map((i) => i.label)) === before) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const labels = pick.items.map((i) => i.label);
    if (opts.label) {
      const item = pick.items.find((i) => opts.label!.test(i.label));
      if (!item) {
        throw new Error(`no item matches ${String(opts.label)} in: ${labels.join(' | ')}`);
      }
      pick.activeItems = [item];
      await new Promise((r) => setTimeout(r, 100));
    }
    const seen = { labels, placeholder: pick.placeholder, title: pick.title };
    await QuickInputDriver.accept();
    return seen;
  }

  /** Presses the Back button of the next quick input (it must have one). Returns its title and what it held. */
  async back(): Promise<{ title?: string; value: string }> {
    const input = await this.next();
    if (!input.buttons.includes(vscode.QuickInputButtons.Back)) {
      throw new Error(`"${input.title ?? ''}" has no Back button`);
    }
    const seen = { title: input.title, value: input.value };
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
    return seen;
  }

  dispose(): void {
    this.restore();
  }
}

/**
 * Lets property changes made to a quick input from the extension host reach the workbench: the host sends them on
 * a 0 ms timer (ExtHostQuickInput.update), so once a timer set after them has fired they are on their way, ahead
 * of any command sent next.
 */
export function quickInputSent(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The text of an input box's validation message, if it shows one. */
export function validationText(box: vscode.InputBox): string | undefined {
  const m = box.validationMessage;
  return (typeof m === 'string' ? m : m?.message) || undefined;
}

/** Puts `value` into an input box and presses Enter, as a person who typed it would. */
export async function enterValue(box: vscode.InputBox, value: string): Promise<void> {
  box.value = value;
  await quickInputSent();
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

/**
 * Enter on a value the extension refuses: answers the validation message it shows in reply, waited for (the old
 * one is cleared first, so the message read is the answer to this value), never a fixed pause.
 */
export async function enterRefused(box: vscode.InputBox, value: string, ms = 30_000): Promise<string> {
  box.validationMessage = undefined;
  await enterValue(box, value);
  const deadline = Date.now() + ms;
  for (;;) {
    const text = validationText(box);
    if (text) {
      return text;
    }
    if (Date.now() > deadline) {
      throw new Error(`no validation message after Enter on "${value}"`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
