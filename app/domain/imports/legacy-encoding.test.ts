import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeText } from "./decode-text.ts";
import { decodeLegacyText, gbkScore, singleByteScore } from "./legacy-encoding.ts";
import { parseMt4Statement } from "./mt4-statement/index.ts";

const realFile = (path: string) => new Uint8Array(readFileSync(new URL(`../../../tests/fixtures/real/public/${path}`, import.meta.url)));

// windows-1251: А–я are 0xC0–0xFF, Ё 0xA8, ё 0xB8 (enough for these tests).
function windows1251(text: string): Uint8Array {
  return new Uint8Array(
    [...text].map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (char === "Ё") return 0xa8;
      if (char === "ё") return 0xb8;
      throw new Error(`no windows-1251 byte for ${char}`);
    }),
  );
}
const windows1252 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const mt4Html = (name: string, comment: string) =>
  `<html><head><title>Statement: 1 - ${name}</title></head><body><table><tr><td><b>Account: 1</b></td><td><b>Name: ${name}</b></td></tr>` +
  `<tr><td title="${comment}">41990626</td><td>balance</td></tr></table></body></html>`;

describe("decodeLegacyText", () => {
  it("reads the real Startrader MT4 statement as GBK (code page 936, no charset declared)", () => {
    const result = decodeText(realFile("mt4-startrader-gbk/Statement.htm"));
    expect(result).toMatchObject({ ok: true, encoding: "gbk" });
    if (!result.ok) return;
    expect(result.warnings).toEqual([
      "The HTML file is not UTF-8 and declares no charset; its characters read as GBK (Chinese), so it was read as that.",
    ]);
    const parsed = parseMt4Statement(result.text, { serverTimeZone: "UTC", marginMode: "hedging", accountCurrency: "USD" });
    expect(parsed.account).toMatchObject({ login: "700000700", name: "徐增亮", company: "Startrader Financial Markets Limited" });
    // 96 buy/sell tickets carry a Chinese comment in the file (counted with Python's gbk codec); the most frequent one 25 times.
    expect(parsed.trades.filter((t) => /\p{Script=Han}/u.test(t.comment ?? ""))).toHaveLength(96);
    expect(parsed.trades.filter((t) => t.comment === "#8013 随时更改密码，谨慎_XAUUSD_9[sl]")).toHaveLength(25);
    expect(parsed.trades.find((t) => t.comment === "#8013 随时更改密码，谨慎_XAUUSD_9[sl]")?.closeReason).toBe("sl");
    expect(result.text).not.toContain("\ufffd");
  });

  it("tells Chinese, Cyrillic and Western names apart", () => {
    const gbkName = new Uint8Array([0xd0, 0xec, 0xd4, 0xf6, 0xc1, 0xc1]); // 徐增亮
    expect(decodeLegacyText(gbkName)).toEqual({ encoding: "gbk", text: "徐增亮" });
    for (const text of ["Пополнение счета", "ПОПОЛНЕНИЕ СЧЁТА", "Иванов Пётр", "Вывод средств", "Жуков"]) {
      expect(decodeLegacyText(windows1251(text))).toEqual({ encoding: "windows-1251", text });
    }
    for (const text of [
      "Dépôt effectué",
      "Zürich",
      "Société Générale",
      "Müller Grüße",
      "José Ramón",
      "café",
      "Retirada de fundos (ações)",
      "Transações",
      "Leilões",
    ]) {
      expect(decodeLegacyText(windows1252(text))).toEqual({ encoding: "windows-1252", text });
    }
  });

  it("reads whole MT4-like pages in each code page", () => {
    const russian = decodeText(windows1251(mt4Html("Иванов Пётр", "Пополнение счета")));
    expect(russian).toMatchObject({ ok: true, encoding: "windows-1251" });
    if (russian.ok) expect(russian.text).toContain("Name: Иванов Пётр");
    const western = decodeText(windows1252(mt4Html("François Müller", "Dépôt")));
    expect(western).toMatchObject({ ok: true, encoding: "windows-1252" });
    if (western.ok) expect(western.warnings[0]).toContain("read as windows-1252");
  });

  it("keeps text with nothing telling as windows-1252", () => {
    expect(decodeLegacyText(windows1252("plain ASCII")).encoding).toBe("windows-1252");
    expect(decodeLegacyText(new Uint8Array([...windows1252("Price 10 "), 0x80]))).toEqual({ encoding: "windows-1252", text: "Price 10 €" });
  });

  it("scores the marks of mojibake", () => {
    // 徐增亮's GBK bytes as windows-1252 and windows-1251.
    expect(singleByteScore("ÐìÔöÁÁ")).toBeLessThan(0);
    expect(singleByteScore("РмФцББ")).toBeLessThan(singleByteScore("Пополнение"));
    // An accented letter followed by an ASCII letter is a GBK extension pair, not a common hanzi.
    expect(gbkScore(windows1252("Zürich"))).toBeLessThan(0);
    // A lead byte before a space is not GBK at all.
    expect(gbkScore(windows1252("café au lait"))).toBeNull();
  });
});
