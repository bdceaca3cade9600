import { readFileSync } from "node:fs";
import openapiTS, { COMMENT_HEADER, astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";

// schema.d.ts is generated from openapi.json (`npm run api:types`); openapi.json from the services by
// portal/scripts/dump_openapi.py, whose freshness tests/unit/gateway/test_portal_api_schema.py checks.
describe("the generated API types", () => {
  it("match the committed OpenAPI document", async () => {
    const document = JSON.parse(readFileSync(new URL("./openapi.json", import.meta.url), "utf8"));
    const expected = COMMENT_HEADER + astToString(await openapiTS(document, { silent: true }));
    const committed = readFileSync(new URL("./schema.d.ts", import.meta.url), "utf8");
    expect(committed === expected, "schema.d.ts is stale: run `npm run api:types` in portal/").toBe(true);
  }, 60_000);
});
