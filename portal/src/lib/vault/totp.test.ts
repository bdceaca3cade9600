import { describe, expect, it } from "vitest";
import { base32Decode, formatCode, parseTotp, secondsLeft, totpCode } from "./totp";

// RFC 6238 appendix B: the ASCII secret "12345678901234567890" (SHA-1), 8 digits.
const RFC_SECRET_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP", () => {
  it("decodes base32, ignoring spaces and case", () => {
    expect(new TextDecoder().decode(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"))).toBe("12345678901234567890");
  });

  it("matches the RFC 6238 SHA-1 vectors", async () => {
    const params = parseTotp(`otpauth://totp/x?secret=${RFC_SECRET_B32}&digits=8`);
    expect(params).not.toBeNull();
    expect(await totpCode(params!, 59)).toBe("94287082");
    expect(await totpCode(params!, 1111111109)).toBe("07081804");
    expect(await totpCode(params!, 2000000000)).toBe("69279037");
  });

  it("reads a bare secret as SHA-1, 6 digits, 30 s", async () => {
    const params = parseTotp(RFC_SECRET_B32)!;
    expect(params).toMatchObject({ algorithm: "SHA-1", digits: 6, period: 30 });
    expect(await totpCode(params, 59)).toBe("287082");
    expect(secondsLeft(params, 59)).toBe(1);
  });

  it("reads otpauth algorithm and period, steam codes, and refuses an empty secret", async () => {
    expect(parseTotp("otpauth://totp/a?secret=GEZDGNBV&algorithm=SHA256&period=60&digits=12")).toMatchObject({
      algorithm: "SHA-256",
      period: 60,
      digits: 10,
    });
    const steam = parseTotp(`steam://${RFC_SECRET_B32}`)!;
    expect(await totpCode(steam, 59)).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
    expect(parseTotp("otpauth://totp/a")).toBeNull();
    expect(parseTotp("")).toBeNull();
  });

  it("splits a code in two halves", () => {
    expect(formatCode("123456")).toBe("123 456");
    expect(formatCode("12345")).toBe("12 345");
    expect(formatCode("1234")).toBe("1234");
  });
});
