/**
 * Steps of a multi-step QuickPick/InputBox wizard, with a Back button: each step resolves to its answer, BACK, or
 * undefined when the user cancels (Escape or focus lost).
 */
import * as vscode from 'vscode';

export const BACK = Symbol('back');
/** A step that does not apply this time: the wizard moves on in the direction it was going. */
export const SKIP = Symbol('skip');
export type StepResult<T> = T | typeof BACK | typeof SKIP | undefined;

export interface StepInfo {
  title: string;
  step?: number;
  totalSteps?: number;
  /** Show a Back button (default: on every step after the first). */
  back?: boolean;
}

/**
 * Shows `input` until it settles, once: `wire` gets `finish`, which resolves with its first value only, then
 * disposes the listeners `wire` returned and the input (`onSettle` runs first). Hiding the input finishes with
 * `hidden`. The one "finish once" of the quick inputs.
 */
export function untilSettled<T>(
  input: vscode.QuickInput,
  hidden: T,
  wire: (finish: (value: T) => void) => vscode.Disposable[],
  onSettle?: () => void,
): Promise<T> {
  return new Promise<T>((resolve) => {
    let done = false;
    const finish = (value: T) => {
      if (!done) {
        done = true;
        onSettle?.();
        resolve(value);
        disposables.forEach((d) => d.dispose());
        input.dispose();
      }
    };
    const disposables = [input.onDidHide(() => finish(hidden)), ...wire(finish)];
    input.show();
  });
}

function showInput<T, I extends vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox>(
  input: I,
  info: StepInfo,
  wire: (input: I, resolve: (value: StepResult<T>) => void) => vscode.Disposable[],
): Promise<StepResult<T>> {
  input.title = info.title;
  input.step = info.step;
  input.totalSteps = info.totalSteps;
  input.ignoreFocusOut = true;
  input.buttons = (info.back ?? (info.step ?? 1) > 1) ? [vscode.QuickInputButtons.Back] : [];
  return untilSettled<StepResult<T>>(input, undefined, (finish) => [
    input.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK)),
    ...wire(input, finish),
  ]);
}

export function inputStep(
  info: StepInfo,
  opts: { value?: string; prompt: string; placeholder?: string; password?: boolean; validate?: (v: string) => string | undefined },
): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  box.value = opts.value ?? '';
  box.prompt = opts.prompt;
  box.placeholder = opts.placeholder;
  box.password = opts.password ?? false;
  return showInput<string, vscode.InputBox>(box, info, (input, finish) => [
    input.onDidChangeValue((v) => {
      input.validationMessage = opts.validate?.(v);
    }),
    input.onDidAccept(() => {
      const problem = opts.validate?.(input.value);
      if (problem) {
        input.validationMessage = problem;
        return;
      }
      finish(input.value);
    }),
  ]);
}

export function pickStep<T extends vscode.QuickPickItem>(
  info: StepInfo,
  opts: { items: readonly T[]; placeholder?: string; active?: T },
): Promise<StepResult<T>> {
  const pick = vscode.window.createQuickPick<T>();
  pick.items = opts.items;
  pick.placeholder = opts.placeholder;
  if (opts.active) {
    pick.activeItems = [opts.active];
  }
  return showInput<T, vscode.QuickPick<vscode.QuickPickItem>>(pick as unknown as vscode.QuickPick<vscode.QuickPickItem>, info, (_input, finish) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) {
        finish(chosen);
      }
    }),
  ]);
}

/** Several items picked (check boxes; items with `picked` start checked): resolves to the checked items. */
export function pickManyStep<T extends vscode.QuickPickItem>(info: StepInfo, opts: { items: readonly T[]; placeholder?: string }): Promise<StepResult<readonly T[]>> {
  const pick = vscode.window.createQuickPick<T>();
  pick.canSelectMany = true;
  pick.items = opts.items;
  pick.selectedItems = opts.items.filter((i) => i.picked);
  pick.placeholder = opts.placeholder;
  return showInput<readonly T[], vscode.QuickPick<vscode.QuickPickItem>>(pick as unknown as vscode.QuickPick<vscode.QuickPickItem>, info, (_input, finish) => [
    pick.onDidAccept(() => finish([...pick.selectedItems])),
  ]);
}

/**
 * A QuickPick whose typed value is itself an answer: the first item always reads "<verb> <value>" and follows
 * what is typed; `extra` items are fixed choices below it. Resolves to the typed value or the chosen extra item.
 */
export function typedOrPickStep<T extends vscode.QuickPickItem>(
  info: StepInfo,
  opts: { value: string; placeholder?: string; itemFor: (value: string) => vscode.QuickPickItem; extra: readonly T[]; validate: (v: string) => string | undefined },
): Promise<StepResult<{ typed: string } | { picked: T }>> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.placeholder = opts.placeholder;
  pick.value = opts.value;
  // alwaysShow: what is typed is a URL, not a filter; the fixed choices must stay visible while typing.
  const typedItem = (): vscode.QuickPickItem => ({ ...opts.itemFor(pick.value.trim()), alwaysShow: true });
  for (const e of opts.extra) {
    e.alwaysShow = true;
  }
  const refresh = () => {
    pick.items = [typedItem(), ...opts.extra];
  };
  refresh();
  return showInput<{ typed: string } | { picked: T }, vscode.QuickPick<vscode.QuickPickItem>>(pick, info, (input, finish) => [
    input.onDidChangeValue(refresh),
    input.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      const extra = opts.extra.find((e) => e === chosen);
      if (extra) {
        finish({ picked: extra });
        return;
      }
      const value = pick.value.trim();
      const problem = opts.validate(value);
      if (problem) {
        void vscode.window.showWarningMessage(problem);
        return;
      }
      finish({ typed: value });
    }),
  ]);
}

/** Runs wizard steps in order; a step returning BACK goes to the one before. False when cancelled. */
export async function runSteps(steps: ReadonlyArray<() => Promise<StepResult<unknown>>>): Promise<boolean> {
  let i = 0;
  let direction = 1;
  while (i < steps.length) {
    const result = await steps[i]();
    if (result === undefined) {
      return false;
    }
    if (result !== SKIP) {
      direction = result === BACK ? -1 : 1;
    }
    i = Math.max(0, i + direction);
    if (i === 0 && direction === -1) {
      direction = 1;
    }
  }
  return true;
}
