// Reading the OpenAPI document for the docs page: resolve references, name a schema's type,
// list an object's fields. Pure, server-side (the page is a server component).

export type Json = { [key: string]: unknown };
export type Schema = Json & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  default?: unknown;
  example?: unknown;
  additionalProperties?: Schema | boolean;
};

export type Field = { name: string; type: string; required: boolean; description?: string; children: Field[] };

export function resolve<T = Schema>(document: Json, node: unknown): T {
  let current = node as Schema | undefined;
  for (let i = 0; current?.$ref && i < 10; i++) {
    current = current.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((at, part) => (at as Json | undefined)?.[part], document) as Schema | undefined;
  }
  return (current ?? {}) as T;
}

const refName = (ref: string) => ref.split("/").pop() ?? ref;

/** A short, readable type: `string`, `"queued" | "processing"`, `Job[]`, `integer | null`. */
export function typeName(document: Json, schema: Schema | undefined): string {
  if (!schema) return "any";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map((variant) => typeName(document, variant)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const named = types.map((type) => (type === "array" ? `${typeName(document, schema.items)}[]` : type));
  return named.join(" | ") || "object";
}

/** The fields of an object schema, with those of nested objects one level down. */
export function fieldsOf(document: Json, node: Schema | undefined, depth = 0): Field[] {
  const schema = resolve(document, node);
  const properties = schema.properties ?? {};
  return Object.entries(properties).map(([name, property]) => {
    const resolved = resolve(document, property);
    const nested = resolved.type === "object" || (Array.isArray(resolved.type) && resolved.type.includes("object")) ? resolved : undefined;
    return {
      name,
      type: typeName(document, property),
      required: schema.required?.includes(name) ?? false,
      description: property.description ?? resolved.description,
      children: nested && depth < 1 && !property.$ref ? fieldsOf(document, nested, depth + 1) : [],
    };
  });
}

/** Variants of a union schema (pricing modes), each with its fields. */
export function variantsOf(document: Json, node: Schema | undefined): Schema[] {
  const schema = resolve(document, node);
  return (schema.oneOf ?? schema.anyOf ?? []).map((variant) => resolve(document, variant));
}
