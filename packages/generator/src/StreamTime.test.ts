import { describe, expect, it } from "vitest";
import { StreamTime } from "./StreamTime.js";

describe("StreamTime", () => {
  const window = 300_000;
  const grace = 60_000;

  it("puts the first event of a key in order", () => {
    expect(new StreamTime(window, grace).observe("k", 5)).toBe("in_order");
  });

  it("tells out-of-order from late by window end + grace of the key's stream time", () => {
    const st = new StreamTime(window, grace);
    st.observe("k", 299_000);
    expect(st.classify("k", 299_000)).toBe("in_order");
    expect(st.classify("k", 10_000)).toBe("out_of_order");
    st.observe("k", 359_999);
    expect(st.classify("k", 10_000)).toBe("out_of_order");
    st.observe("k", 360_000);
    expect(st.classify("k", 10_000)).toBe("late");
    expect(st.classify("k", 300_000)).toBe("out_of_order");
    expect(st.classify("other", 10_000)).toBe("in_order");
  });

  it("never moves a key's stream time backwards", () => {
    const st = new StreamTime(window, grace);
    st.observe("k", 1000);
    st.observe("k", 500);
    expect(st.get("k")).toBe(1000);
  });
});
