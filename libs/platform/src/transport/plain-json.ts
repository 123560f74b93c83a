/**
 * Throws unless `value` is plain JSON: what RabbitMQ would deliver unchanged. Dates, class instances, Maps,
 * NaN or functions would arrive as something else on the other side of a process boundary, so a payload holding
 * one works in one process and breaks split. The in-process transport hands objects over without copying them;
 * with TRANSPORT_ASSERT_JSON (the one-process end-to-end runs) it checks each one with this instead.
 */
export function assertPlainJson(value: unknown, where: string, path = '$'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw new TypeError(`${where}: ${path} is ${value}, which JSON cannot carry`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertPlainJson(item, where, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null && !isObjectPrototypeOfAnotherRealm(proto)) {
      throw new TypeError(`${where}: ${path} is a ${proto?.constructor?.name ?? 'non-plain object'}, not plain JSON`);
    }
    for (const [key, field] of Object.entries(value)) {
      // An absent optional field: JSON drops it, and so does the other side's reading of it.
      if (field !== undefined) assertPlainJson(field, where, `${path}.${key}`);
    }
    return;
  }
  throw new TypeError(`${where}: ${path} is a ${typeof value}, not plain JSON`);
}

/**
 * A plain object made in another realm (a vm context, as under jest, receiving what a MessagePort cloned) has that
 * realm's Object.prototype: an object whose own prototype is null and whose constructor is named Object.
 */
function isObjectPrototypeOfAnotherRealm(proto: object): boolean {
  return Object.getPrototypeOf(proto) === null && (proto as { constructor?: { name?: string } }).constructor?.name === 'Object';
}
