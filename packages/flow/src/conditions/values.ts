/**
 * How a resolved value is read as text, a number, a boolean, a date or a list when a router
 * condition or a loop looks at it. Every reader is total: a value that cannot be read as the
 * kind asked for gives `undefined`, never an exception.
 */

/**
 * Text as a condition compares it, written the way a template writes a reference inside text:
 * strings as they are, numbers and booleans with `String`, dates as ISO, objects and arrays as
 * JSON, and null or missing values as ''.
 */
export function readText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value) ?? '';
    } catch {
      // Cycles and BigInts inside objects cannot be written as JSON; step outputs never hold them.
      return '';
    }
  }
  return '';
}

// Plain decimal notation only: no hex/binary/octal, no thousands separators, no `Infinity`.
const decimalNumber = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A finite number, or a string holding one in decimal notation (surrounding spaces ignored). */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!decimalNumber.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/** `true`/`false`, or the strings "true"/"false" in any case (surrounding spaces ignored). */
export function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

// The range of a JavaScript Date, in milliseconds either side of the epoch.
const maxTime = 8.64e15;
const epochMilliseconds = /^-?\d+$/;
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A moment in milliseconds since the epoch, from:
 * - a valid `Date`;
 * - a number, or a string of digits, read as epoch milliseconds (as `Date` and dayjs read them);
 * - an ISO 8601 string `YYYY-MM-DD`, optionally followed by `T` (or a space) and
 *   `HH:mm[:ss[.fraction]]` and an offset (`Z`, `±HH:mm`, `±HHmm`). Without an offset the moment
 *   is read as UTC, so the answer never depends on the server's time zone. Out-of-range parts
 *   (month 13, 30 February, hour 24) make the string invalid rather than rolling over.
 * Anything else (other date formats included) is not a date.
 */
export function readTime(value: unknown): number | undefined {
  if (value instanceof Date) return inRange(value.getTime());
  if (typeof value === 'number') return inRange(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (epochMilliseconds.test(text)) return inRange(Number(text));
  return readIsoTime(text);
}

function inRange(time: number): number | undefined {
  return Number.isFinite(time) && Math.abs(time) <= maxTime ? time : undefined;
}

function readIsoTime(text: string): number | undefined {
  const match = isoDateTime.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const parts = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: Number(fraction.padEnd(3, '0').slice(0, 3)),
  };
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as written.
  date.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  date.setUTCHours(parts.hour, parts.minute, parts.second, parts.millisecond);
  const rolledOver =
    date.getUTCFullYear() !== parts.year ||
    date.getUTCMonth() !== parts.month - 1 ||
    date.getUTCDate() !== parts.day;
  if (rolledOver) return undefined;
  const offset = zoneOffsetMinutes(zone);
  if (offset === undefined) return undefined;
  return inRange(date.getTime() - offset * 60_000);
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * A list: an array as it is, or a string holding a JSON array. Null, missing and '' are the
 * empty list (nothing to look at is not an error). Anything else is not a list.
 */
export function readList(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null || value === '') return [];
  if (typeof value !== 'string') return undefined;
  return parseJsonList(value);
}

export function parseJsonList(text: string): unknown[] | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
