// What an upload of items reports: bytes as people read them, and the server's per-line
// refusals as rows of a table in line order.
import type { FieldDetail } from '../api/client';

const bytesFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** 1536 → "1.5 KB": powers of 1024, named KB, MB, GB. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? String(v) : bytesFormat.format(v)} ${units[u]}`;
}

export interface LineError {
  /** The line number, or null for a detail that names no line. */
  line: number | null;
  where: string;
  code: string;
  message: string;
}

/** The details of a refused import ({"field": "line 17", …}) as rows, by line number. */
export function lineErrors(details: readonly FieldDetail[]): LineError[] {
  return details
    .map((d) => {
      const m = /^line (\d+)$/.exec(d.field);
      return { line: m ? Number(m[1]) : null, where: d.field, code: d.code, message: d.message ?? d.code };
    })
    .sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

/** The server lists at most this many bad lines. */
export const MAX_REPORTED_LINES = 100;
