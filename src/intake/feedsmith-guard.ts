// feedsmith (3.0.1) reads any object with a truthy `length` as an array (`Array.from(value)`): an item
// with an element or key named `length` holding 1000000000 built a billion-slot array and killed the
// process (heap out of memory is not an exception: every poll of that feed crashed the worker again), and
// a small one silently turned the item into empty slots. regwire reads no field named `length`.
const LENGTH_ELEMENT = /<(\/?)length(?=[\s/>])/gi;

/**
 * A feed document made safe for feedsmith: elements named `length` (any case: its XML parser lower-cases
 * names) renamed in XML; keys named `length` renamed in a JSON feed, which is returned parsed (feedsmith
 * takes the object). Text that is not valid JSON is returned as is, for feedsmith to report. Pure.
 */
export function defuseArrayLikes(text: string): string | Record<string, unknown> {
  if (!text.startsWith('{')) return text.replace(LENGTH_ELEMENT, '<$1regwire-length');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  if (!isPlainObject(json)) return text;
  // Iterative: a hostile document may nest deeper than the call stack.
  const pending: unknown[] = [json];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (Array.isArray(value)) {
      pending.push(...value.filter((v) => typeof v === 'object' && v !== null));
    } else if (isPlainObject(value)) {
      if (Object.hasOwn(value, 'length')) {
        value['regwire-length'] = value.length;
        delete value.length;
      }
      for (const child of Object.values(value))
        if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return json;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
