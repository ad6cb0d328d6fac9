/** Names that a plain object resolves through its prototype: request text must never reach them. */
export const INHERITED_NAMES = [
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "prototype",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "Constructor",
  "CONSTRUCTOR",
  "__PROTO__",
  "ToString",
] as const;
