import { describe, expect, it } from "vitest";
import { DEFAULT_PASSWORD_OPTIONS, generatePassphrase, generatePassword, normalizePasswordOptions } from "./generator";

describe("password generator", () => {
  it("defaults to 14 characters of upper, lower and digits with at least one digit", () => {
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword();
      expect(pw).toHaveLength(14);
      expect(pw).toMatch(/^[A-Za-z0-9]+$/);
      expect(pw).toMatch(/[0-9]/);
      expect(pw).toMatch(/[A-Z]/);
      expect(pw).toMatch(/[a-z]/);
    }
  });

  it("honours minimum specials and avoids ambiguous characters", () => {
    const options = { ...DEFAULT_PASSWORD_OPTIONS, special: true, minSpecial: 3, minNumbers: 2, avoidAmbiguous: true, length: 20 };
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword(options);
      expect(pw).toHaveLength(20);
      expect(pw.replace(/[^!@#$%^&*]/g, "").length).toBeGreaterThanOrEqual(3);
      expect(pw.replace(/[^0-9]/g, "").length).toBeGreaterThanOrEqual(2);
      expect(pw).not.toMatch(/[IOl01]/);
    }
  });

  it("clamps out-of-range options and never runs without a character set", () => {
    const o = normalizePasswordOptions({ ...DEFAULT_PASSWORD_OPTIONS, length: 1000, uppercase: false, lowercase: false, numbers: false });
    expect(o.length).toBe(128);
    expect(o.lowercase).toBe(true);
    expect(generatePassword({ ...DEFAULT_PASSWORD_OPTIONS, length: 2 })).toHaveLength(5);
  });

  it("makes passphrases from the given words", () => {
    const words = ["alpha", "bravo", "charlie"];
    const phrase = generatePassphrase(words, { words: 4, separator: "_", capitalize: true, includeNumber: true });
    const parts = phrase.split("_");
    expect(parts).toHaveLength(4);
    for (const part of parts) expect(part).toMatch(/^(Alpha|Bravo|Charlie)\d?$/);
    expect(phrase).toMatch(/\d/);
  });
});
