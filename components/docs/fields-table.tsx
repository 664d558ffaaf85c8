import type { Field } from "./schema";

/** An object's fields: name, type, whether required, and what it means. */
export function FieldsTable({ fields, caption }: { fields: Field[]; caption: string }) {
  if (fields.length === 0) return null;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-xs uppercase tracking-wide text-muted">
        <tr>
          <th scope="col" className="py-1.5 pr-4 font-medium">Field</th>
          <th scope="col" className="py-1.5 pr-4 font-medium">Type</th>
          <th scope="col" className="py-1.5 font-medium">Description</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-neutral-100 dark:divide-neutral-800">
        {fields.flatMap((field) => [
          <Row key={field.name} field={field} />,
          ...field.children.map((child) => <Row key={`${field.name}.${child.name}`} field={child} prefix={`${field.name}.`} />),
        ])}
      </tbody>
    </table>
  );
}

function Row({ field, prefix = "" }: { field: Field; prefix?: string }) {
  return (
    <tr className="align-top">
      <td className="py-1.5 pr-4 font-mono text-xs whitespace-nowrap">
        <span className="text-muted">{prefix}</span>
        {field.name}
        {field.required ? <span className="ml-1 text-[10px] font-sans uppercase text-link">required</span> : null}
      </td>
      <td className="max-w-56 py-1.5 pr-4 font-mono text-xs break-words text-muted">{field.type}</td>
      <td className="py-1.5 text-neutral-700 dark:text-neutral-300">{field.description ? <Inline text={field.description} /> : null}</td>
    </tr>
  );
}

/** Text with `code` spans, as the document writes them. */
export function Inline({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") ? (
          <code key={i} className="rounded bg-neutral-100 px-1 font-mono text-[0.85em] dark:bg-neutral-800">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
