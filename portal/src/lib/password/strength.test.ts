import { describe, expect, it } from "vitest";
import { passwordStrength } from "./strength";

describe("password strength", () => {
  it("rates by length and variety", () => {
    expect(passwordStrength("").score).toBe(0);
    expect(passwordStrength("abc").score).toBe(0);
    expect(passwordStrength("correct horse battery staple").score).toBe(4);
    expect(passwordStrength("Tr0ub4dor&3x!").score).toBeGreaterThanOrEqual(3);
  });

  it("takes off for common words, sequences and repeats", () => {
    expect(passwordStrength("password12345").score).toBeLessThanOrEqual(1);
    expect(passwordStrength("aaaaaaaaaaaaaaaa").score).toBe(0);
    expect(passwordStrength("abcdefghijklmnop").score).toBeLessThanOrEqual(1);
    expect(passwordStrength("password12345").warnings).toContain("Avoid common passwords and words.");
  });

  it("takes off for the user's own name or email", () => {
    const plain = passwordStrength("carolmonroe1984!");
    const personal = passwordStrength("carolmonroe1984!", ["carol@contoso.example", "Carol Monroe"]);
    expect(personal.score).toBeLessThan(plain.score);
    expect(personal.warnings).toContain("Avoid your name or email address.");
  });

  it("asks for twelve characters", () => {
    expect(passwordStrength("Xy7#kq").warnings).toContain("Use at least 12 characters.");
    expect(passwordStrength("Xy7#kqWm2$pL").warnings).not.toContain("Use at least 12 characters.");
  });
});
