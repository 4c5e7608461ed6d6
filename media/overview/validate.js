// @ts-check
/**
 * The webview's half of the message check: every message from the extension host is tested against the shapes in
 * src/overview/core/protocol.ts (SCHEMA, which the panel puts into the page as JSON) before the page acts on it.
 * The same rules as `conforms` there; test/unit/overview/protocol.test.ts runs both on the same messages.
 */
(function (root) {
  'use strict';
  const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

  /** @param {unknown} v @returns {v is Record<string, unknown>} */
  function isPlainObject(v) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      return false;
    }
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
  }

  const has = (/** @type {object} */ o, /** @type {string} */ k) => Object.prototype.hasOwnProperty.call(o, k);

  /**
   * @param {unknown} v
   * @param {any} s a shape from SCHEMA
   * @returns {boolean}
   */
  function conforms(v, s) {
    switch (s && s.t) {
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
        if (!Array.isArray(v) || v.length > s.max || v.length < (s.min || 0)) {
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
          if (!has(s.props, k)) {
            return false;
          }
        }
        for (const k of Object.keys(s.props)) {
          if (!has(v, k)) {
            if (!(s.opt || []).includes(k)) {
              return false;
            }
          } else if (!conforms(v[k], s.props[k])) {
            return false;
          }
        }
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * The message if it has one of the shapes in `shapes` (keyed by type), else undefined.
   * @param {Record<string, any>} shapes
   * @param {unknown} msg
   */
  function validate(shapes, msg) {
    if (!isPlainObject(msg) || typeof msg.type !== 'string' || !has(shapes, msg.type)) {
      return undefined;
    }
    return conforms(msg, shapes[msg.type]) ? msg : undefined;
  }

  const api = { conforms, validate };
  // @ts-ignore: CommonJS when the unit tests load this file in Node
  if (typeof module === 'object' && module.exports) {
    // @ts-ignore
    module.exports = api;
  } else {
    root.overviewValidate = api;
  }
})(/** @type {any} */ (globalThis));
