/** A ResourceList of YAML items (each a document's text) and an optional functionConfig text. */
export function resourceList(items: string[], config?: string): string;
