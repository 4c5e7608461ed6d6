/**
 * Whether a message has one of the overview protocol's shapes (protocol.ts writes them as data). One checker for
 * both sides: the extension host imports it, and so does the overview page (src/overview/webview/, which esbuild
 * bundles into media/overview/overview.js). No imports, no `vscode` here.
 */

/** A shape, as plain data. */
export type Schema =
  | { t: 'str'; max: number }
  | { t: 'int'; min: number; max: number }
  | { t: 'num' }
  | { t: 'bool' }
  | { t: 'enum'; of: readonly string[] }
  | { t: 'arr'; of: Schema; max: number; min?: number }
  | { t: 'obj'; props: Readonly<Record<string, Schema>>; opt?: readonly string[] }
  | { t: 'null'; of: Schema }
  | { t: 'b64'; max: number };
export type ObjSchema = Extract<Schema, { t: 'obj' }>;

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return false;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Whether `v` has shape `s`. Objects must have exactly the listed keys (optional ones may be left out). */
export function conforms(v: unknown, s: Schema): boolean {
  switch (s.t) {
    case 'str':
      return typeof v === 'string' && v.length <= s.max;
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= s.min && v <= s.max;
    case 'num':
      return typeof v === 'number' && Number.isFinite(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'enum':
      return typeof v === 'string' && s.of.includes(v);
    case 'null':
      return v === null || conforms(v, s.of);
    case 'b64':
      return typeof v === 'string' && v.length <= s.max && v.length % 4 === 0 && B64.test(v);
    case 'arr': {
      if (!Array.isArray(v) || v.length > s.max || v.length < (s.min ?? 0)) {
        return false;
      }
      for (let i = 0; i < v.length; i++) {
        if (!conforms(v[i], s.of)) {
          return false;
        }
      }
      return true;
    }
    case 'obj': {
      if (!isPlainObject(v)) {
        return false;
      }
      for (const k of Object.keys(v)) {
        if (!Object.prototype.hasOwnProperty.call(s.props, k)) {
          return false;
        }
      }
      for (const [k, sub] of Object.entries(s.props)) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) {
          if (!s.opt?.includes(k)) {
            return false;
          }
        } else if (!conforms(v[k], sub)) {
          return false;
        }
      }
      return true;
    }
  }
}

export function validate<M>(shapes: Record<string, ObjSchema>, msg: unknown): M | undefined {
  if (!isPlainObject(msg) || typeof msg.type !== 'string' || !Object.prototype.hasOwnProperty.call(shapes, msg.type)) {
    return undefined;
  }
  return conforms(msg, shapes[msg.type]) ? (msg as M) : undefined;
}
