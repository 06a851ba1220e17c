// Money as people read and type it. Amounts are integer minor units of an ISO 4217 currency;
// they are turned into decimal text by integer arithmetic and formatted from that text, so no
// amount passes through floating point.

/** ISO 4217 currencies whose minor unit is not a hundredth (the rest have two digits). */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Digits after the decimal point in `currency`'s amounts. */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** `minor` units as exact decimal text in the currency's major unit ("-12.05"). */
export function minorToDecimal(minor: number, currency: string): string {
  const e = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(minor))).padStart(e + 1, '0');
  return e === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -e)}.${digits.slice(-e)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    const e = currencyExponent(currency);
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: e, maximumFractionDigits: e });
    formatters.set(key, f);
  }
  return f;
}

/** An amount of `minor` units in `currency`, formatted for the reader ("$1,234.50"). */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  try {
    // A decimal string is formatted exactly (Intl.NumberFormat v3).
    return formatter(currency, locale).format(minorToDecimal(minor, currency) as unknown as number);
  } catch {
    return `${minorToDecimal(minor, currency)} ${currency}`;
  }
}

/** An hourly rate ("$100.00 an hour"). */
export function formatRate(hourlyMinor: number, currency: string, locale?: string): string {
  return `${formatMoney(hourlyMinor, currency, locale)} an hour`;
}

/** What the person typed as an amount ("12.5", "1,234.50", "12,50"), in minor units; null when
 * it is not an amount in this currency (too many decimals, a sign, letters). */
export function parseMoney(text: string, currency: string): number | null {
  const e = currencyExponent(currency);
  let t = text.trim().replace(/\s/g, '');
  if (t === '') return null;
  // A comma followed by exactly three digits and no point is a thousands separator when the
  // currency has other than three decimals; otherwise a comma is the decimal separator.
  if (t.includes('.')) t = t.replace(/,/g, '');
  else if (/^\d{1,3}(,\d{3})+$/.test(t) && e !== 3) t = t.replace(/,/g, '');
  else t = t.replace(',', '.');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > e) return null;
  const minor = Number(m[1]) * 10 ** e + Number(frac.padEnd(e, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** An amount that may be negative ("-12.50", "−12,50", "+3"), in minor units; null when it is
 * not an amount in this currency. */
export function parseSignedMoney(text: string, currency: string): number | null {
  const t = text.trim();
  const negative = t.startsWith('-') || t.startsWith('\u2212');
  const minor = parseMoney(/^[-+\u2212]/.test(t) ? t.slice(1) : t, currency);
  if (minor === null) return null;
  return negative && minor !== 0 ? -minor : minor;
}

/** Minor units as the text a form field starts with ("12.50"); "" for none. */
export function moneyInput(minor: number | null, currency: string): string {
  return minor === null ? '' : minorToDecimal(minor, currency);
}

/** A markup in basis points as a percentage ("25%", "12.5%"). */
export function formatBasisPoints(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const rest = Math.abs(bp % 100);
  return rest === 0 ? `${whole}%` : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}%`;
}

/** A percentage as typed ("25", "12.5") in basis points; null when it is not one. */
export function parseBasisPoints(text: string): number | null {
  const m = /^(\d+)(?:[.,](\d{0,2}))?$/.exec(text.trim().replace(/%$/, '').trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Basis points as the text a percentage field starts with. */
export function basisPointsInput(bp: number | null): string {
  return bp === null ? '' : formatBasisPoints(bp).replace('%', '');
}

/** Well-formed ISO 4217 code: three capital letters. */
export function isCurrencyCode(text: string): boolean {
  return /^[A-Z]{3}$/.test(text);
}
