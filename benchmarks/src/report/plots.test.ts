import { describe, expect, it } from "vitest";
import { toSvg } from "./plots.js";

describe("toSvg", () => {
  it("renders a Vega-Lite bar chart to SVG without a browser", async () => {
    const svg = await toSvg({
      data: {
        values: [
          { a: "x", b: 3 },
          { a: "y", b: 5 },
        ],
      },
      mark: "bar",
      encoding: { x: { field: "b", type: "quantitative" }, y: { field: "a", type: "nominal" } },
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("</svg>");
  });
});
