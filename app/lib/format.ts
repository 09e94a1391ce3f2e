// Display formatting shared by server and browser. Amounts arrive as decimal
// strings and are shown exactly (no float rounding of the stored figure beyond
// the currency's display precision); times are shown in the user's zone.

// Intl formatters are costly to create (a page of trades formats hundreds of
// figures, and toLocaleString with options builds a new one on every call):
// each is made once per process and reused.
const moneyFormats = new Map<string, { format: Intl.NumberFormat; suffix: string }>();

/** The currency's formatter, and the " USC" suffix for a currency Intl does not know. */
function moneyFormat(currency: string): { format: Intl.NumberFormat; suffix: string } {
  let money = moneyFormats.get(currency);
  if (!money) {
    try {
      money = {
        format: new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }),
        suffix: "",
      };
    } catch {
      // Non-ISO account currencies (e.g. "USC", "USDT") fall back to a suffix.
      money = { format: new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }), suffix: ` ${currency}` };
    }
    moneyFormats.set(currency, money);
  }
  return money;
}

/** "$1,434.86", "-$22.35"; `signed` adds "+" to gains. Accepts decimal strings. */
export function formatMoney(amount: string | number | null | undefined, currency: string, { signed = false } = {}): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const value = typeof amount === "number" ? amount : Number(amount);
  if (!Number.isFinite(value)) return String(amount);
  const { format, suffix } = moneyFormat(currency);
  const text = format.format(value) + suffix;
  return signed && value > 0 ? `+${text}` : text;
}

const decimalFormats = new Map<number, Intl.NumberFormat>();

function decimalFormat(maximumFractionDigits: number): Intl.NumberFormat {
  let format = decimalFormats.get(maximumFractionDigits);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { maximumFractionDigits, minimumFractionDigits: 0 });
    decimalFormats.set(maximumFractionDigits, format);
  }
  return format;
}

export function formatDecimal(value: string | number | null | undefined, maximumFractionDigits = 2, { signed = false } = {}): string {
  if (value === null || value === undefined || value === "") return "—";
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number)) return String(value);
  const text = decimalFormat(maximumFractionDigits).format(number);
  return signed && number > 0 ? `+${text}` : text;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timeZone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withSeconds}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      ...(withSeconds ? { second: "2-digit" } : {}),
      hourCycle: "h23",
    });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** "2025-04-15 17:11" in the user's time zone. */
export function formatDateTime(at: Date | string | null | undefined, timeZone: string, { seconds = false } = {}): string {
  if (!at) return "—";
  const date = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return "—";
  return dateTimeFormat(timeZone, seconds).format(date).replace(",", "");
}

/** "2 d 3 h", "4 h 12 m", "35 s". */
export function formatDuration(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined || !Number.isFinite(milliseconds) || milliseconds < 0) return "—";
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} m`;
  const hours = Math.floor(minutes / 60);
  // One format past a day ("1 d 9 h", never "33 h 31 m").
  if (hours < 24) return `${hours} h ${minutes % 60} m`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "1 trade", "2 trades", "1,234 journal entries": the count with the word that fits it. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}
