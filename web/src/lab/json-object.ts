// Reading a JSON object the lab typed or pasted, with what is wrong in words.

export type ParsedObject = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** The object `text` holds; `notObject` explains what was expected when it holds something else. */
export function parseJsonObject(text: string, notObject: string): ParsedObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `This is not valid JSON: ${(e as Error).message}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: notObject };
  return { ok: true, value: value as Record<string, unknown> };
}
