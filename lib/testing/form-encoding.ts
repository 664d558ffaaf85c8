// Stripe's request bodies: application/x-www-form-urlencoded with bracketed keys for nesting
// (`metadata[account_id]=…`, `line_items[0][price_data][currency]=usd`), decoded the way Stripe
// reads them, for the fake Stripe server.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** `a[b][0]` → ["a", "b", "0"]. */
function keyPath(key: string): string[] {
  const head = /^[^[]*/.exec(key)![0];
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
  return [head, ...rest];
}

/** Objects whose keys are exactly 0…n−1 (Stripe's encoded arrays) become arrays. */
function withArrays(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: FormObject = Object.fromEntries(keys.map((k) => [k, withArrays(value[k]!)]));
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isList ? keys.map((k) => converted[k]!) : converted;
}

/** A form body as nested objects and arrays; a key given twice keeps its last value. */
export function decodeForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = keyPath(key);
    let node: FormObject = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      node = typeof next === "object" && !Array.isArray(next) ? next : (node[segment] = {});
    });
  }
  return withArrays(root) as FormObject;
}

/** The string at a path of a decoded form, if there is one. */
export function formString(form: FormValue | undefined, ...path: Array<string | number>): string | undefined {
  let node: FormValue | undefined = form;
  for (const segment of path) {
    if (node === undefined || typeof node === "string") return undefined;
    node = Array.isArray(node) ? node[Number(segment)] : node[String(segment)];
  }
  return typeof node === "string" ? node : undefined;
}
