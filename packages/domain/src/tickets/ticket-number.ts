import { formatDayNumber, getLocalDayNumber, parseDayNumber } from '../calendar/time-zone.ts';

// Human-readable work-order numbers: prefix + local date yyyymmdd + 6-digit daily sequence,
// e.g. GD20261127000123 (工单). The sequence comes from the database (ticket_number_counters,
// one row per prefix and local day); these functions only format and parse.

/** Prefix of work orders (工单). Incidents use another two-letter prefix (see INCIDENT_NUMBER_PREFIX). */
export const TICKET_NUMBER_PREFIX = 'GD';
/** Default zone in which the date part of a number is read. */
export const TICKET_NUMBER_TIME_ZONE = 'Asia/Shanghai';
export const TICKET_NUMBER_SEQUENCE_DIGITS = 6;
/** The largest daily sequence that fits the format; the counter refuses to go beyond. */
export const MAX_TICKET_NUMBER_SEQUENCE = 999_999;

export type TicketNumberOptions = {
  /** IANA zone whose local date goes into the number; default Asia/Shanghai. */
  timeZone?: string;
  /** Two capital letters; default 'GD'. */
  prefix?: string;
};

export type TicketNumberParts = {
  prefix: string;
  /** Local date 'YYYY-MM-DD'. */
  date: string;
  /** 1..999999 */
  sequence: number;
};

const PREFIX_PATTERN = /^[A-Z]{2}$/;
const NUMBER_PATTERN = /^([A-Z]{2})(\d{4})(\d{2})(\d{2})(\d{6})$/;

function checkPrefix(prefix: string): string {
  if (!PREFIX_PATTERN.test(prefix)) throw new RangeError(`Ticket number prefix must be two capital letters, got ${prefix}`);
  return prefix;
}

/**
 * The local date 'YYYY-MM-DD' a number taken at `at` belongs to: the key of the daily counter row,
 * so the sequence restarts at local midnight of the zone, not at UTC midnight.
 */
export function getTicketNumberDate(at: Date, timeZone: string = TICKET_NUMBER_TIME_ZONE): string {
  return formatDayNumber(getLocalDayNumber(at.getTime(), timeZone));
}

/**
 * The number of the `sequence`-th order of local date `date` ('YYYY-MM-DD').
 * Throws RangeError for a bad date, prefix or a sequence outside 1..999999.
 */
export function formatTicketNumberForDate(date: string, sequence: number, prefix: string = TICKET_NUMBER_PREFIX): string {
  if (Number.isNaN(parseDayNumber(date))) throw new RangeError(`Invalid date ${date}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_TICKET_NUMBER_SEQUENCE) {
    throw new RangeError(`Ticket number sequence must be an integer within 1..${MAX_TICKET_NUMBER_SEQUENCE}, got ${sequence}`);
  }
  return `${checkPrefix(prefix)}${date.replaceAll('-', '')}${String(sequence).padStart(TICKET_NUMBER_SEQUENCE_DIGITS, '0')}`;
}

/**
 * The number of the `sequence`-th order taken on the local day of `at`, e.g.
 * `formatTicketNumber(new Date('2026-11-26T16:30:00Z'), 123)` → 'GD20261127000123' (00:30 in Shanghai).
 */
export function formatTicketNumber(at: Date, sequence: number, options: TicketNumberOptions = {}): string {
  const date = getTicketNumberDate(at, options.timeZone ?? TICKET_NUMBER_TIME_ZONE);
  return formatTicketNumberForDate(date, sequence, options.prefix ?? TICKET_NUMBER_PREFIX);
}

/**
 * Parts of a well-formed number, or null: exact format, real calendar date, sequence ≥ 1, and the
 * expected prefix when one is given. Strict: use `normalizeTicketNumber` on typed input first.
 */
export function parseTicketNumber(value: string, prefix?: string): TicketNumberParts | null {
  const m = NUMBER_PATTERN.exec(value);
  if (m === null) return null;
  if (prefix !== undefined && m[1] !== prefix) return null;
  const date = `${m[2]}-${m[3]}-${m[4]}`;
  const sequence = Number(m[5]);
  if (Number.isNaN(parseDayNumber(date)) || sequence < 1) return null;
  return { prefix: m[1], date, sequence };
}

/** True for a well-formed number (with `prefix` when given). */
export function isTicketNumber(value: string, prefix?: string): boolean {
  return parseTicketNumber(value, prefix) !== null;
}

/** What a person typed into a search box, as a number to look up: trimmed, no inner spaces, upper case. */
export function normalizeTicketNumber(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/**
 * Well-formed numbers mentioned in free text (a chat message, an email subject), in order of
 * appearance and without repeats. Digits glued to longer digit runs are not taken.
 */
export function findTicketNumbersInText(text: string, prefix: string = TICKET_NUMBER_PREFIX): string[] {
  const found: string[] = [];
  const pattern = /(?<![A-Za-z0-9])([A-Za-z]{2}\d{14})(?!\d)/g;
  for (const m of text.matchAll(pattern)) {
    const candidate = m[1].toUpperCase();
    if (isTicketNumber(candidate, prefix) && !found.includes(candidate)) found.push(candidate);
  }
  return found;
}
