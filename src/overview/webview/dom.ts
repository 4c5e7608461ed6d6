/** Small DOM helpers for the overview page. Server text only ever goes in as text (textContent), never as HTML. */

/** The page's element with this id (the skeleton in src/overview/html.ts has every id the page uses). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) {
    throw new Error(`The overview page has no element #${id}.`);
  }
  return e as T;
}

/** An element with a class and text (never HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) {
    e.className = cls;
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

/** A button (type=button) with text, a tooltip and an accessible name. */
export function button(cls: string, text: string, title: string, label: string | undefined, onClick: () => void): HTMLButtonElement {
  const b = el('button', cls, text);
  b.type = 'button';
  b.title = title;
  if (label !== undefined) {
    b.setAttribute('aria-label', label);
  }
  b.addEventListener('click', onClick);
  return b;
}

/** Enables or disables the buttons with these ids. */
export function setDisabled(ids: readonly string[], disabled: boolean): void {
  for (const id of ids) {
    byId<HTMLButtonElement>(id).disabled = disabled;
  }
}
