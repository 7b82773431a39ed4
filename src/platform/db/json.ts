/** Serialises a value for a jsonb parameter (both drivers accept the text form). */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
