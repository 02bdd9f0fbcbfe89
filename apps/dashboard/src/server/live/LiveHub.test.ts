import { afterEach, describe, expect, it, vi } from "vitest";
import type { View } from "../api/Views.js";
import { LiveClientLimitError, LiveHub, LiveHubFullError } from "./LiveHub.js";

function counterView(): View & { value: number; loads: number } {
  const view = {
    name: "counter",
    value: 0,
    loads: 0,
    parse: () => ({}),
    load: () => {
      view.loads += 1;
      return Promise.resolve({ value: view.value });
    },
  };
  return view;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("LiveHub", () => {
  afterEach(() => vi.useRealTimers());

  it("sends the data at once, then only when it changed, reading once per poll for all listeners", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const hub = new LiveHub({ pollMs: 1000 });
    const view = counterView();
    const a: string[] = [];
    const b: string[] = [];
    const stopA = hub.subscribe(view, {}, (json) => a.push(json));
    await flush();
    const stopB = hub.subscribe(view, {}, (json) => b.push(json));
    expect(a).toEqual(['{"value":0}']);
    expect(b).toEqual(['{"value":0}']);
    expect(hub.size).toBe(1);

    vi.advanceTimersByTime(1000);
    await flush();
    expect(a).toHaveLength(1); // unchanged: nothing sent
    view.value = 1;
    vi.advanceTimersByTime(1000);
    await flush();
    expect(a).toEqual(['{"value":0}', '{"value":1}']);
    expect(b).toEqual(['{"value":0}', '{"value":1}']);
    expect(view.loads).toBe(3); // first read + two polls, shared by both listeners

    stopA();
    stopB();
    expect(hub.size).toBe(0);
    vi.advanceTimersByTime(5000);
    await flush();
    expect(view.loads).toBe(3); // nobody watches: no reads
    hub.close();
  });

  it("keeps parameters apart and refuses more views than allowed", async () => {
    const hub = new LiveHub({ pollMs: 60_000, maxViews: 2 });
    const view = counterView();
    hub.subscribe(view, { a: "1" }, () => undefined);
    hub.subscribe(view, { a: "2" }, () => undefined);
    hub.subscribe(view, { a: "1" }, () => undefined);
    expect(hub.size).toBe(2);
    expect(() => hub.subscribe(view, { a: "3" }, () => undefined)).toThrow(LiveHubFullError);
    await flush();
    hub.close();
  });

  it("reports a failing read and keeps going", async () => {
    const errors: string[] = [];
    const hub = new LiveHub({ pollMs: 60_000, onError: (name) => errors.push(name) });
    const view: View = { name: "broken", parse: () => ({}), load: () => Promise.reject(new Error("down")) };
    const got: string[] = [];
    hub.subscribe(view, {}, (json) => got.push(json));
    await flush();
    expect(errors).toEqual(["broken"]);
    expect(got).toEqual([]);
    hub.close();
  });
});

describe("LiveHub under many clients", () => {
  const subscriber = (client: string, shed: string[]) => ({ client, shed: () => shed.push(client) });

  it("refuses a client more streams than its share", async () => {
    const hub = new LiveHub({ pollMs: 60_000, maxStreamsPerClient: 2 });
    const view = counterView();
    const shed: string[] = [];
    hub.subscribe(view, { q: "1" }, () => undefined, subscriber("a", shed));
    const stop = hub.subscribe(view, { q: "2" }, () => undefined, subscriber("a", shed));
    expect(() => hub.subscribe(view, { q: "3" }, () => undefined, subscriber("a", shed))).toThrow(
      LiveClientLimitError,
    );
    expect(hub.subscribe(view, { q: "3" }, () => undefined, subscriber("b", shed))).toBeTypeOf("function");
    stop();
    expect(hub.streamsOf("a")).toBe(1);
    expect(hub.subscribe(view, { q: "4" }, () => undefined, subscriber("a", shed))).toBeTypeOf("function");
    await flush();
    hub.close();
  });

  it("sheds the heaviest client's oldest stream to let a new user in, down to an equal share", async () => {
    const hub = new LiveHub({ pollMs: 60_000, maxViews: 4, maxStreamsPerClient: 10 });
    const view = counterView();
    const shed: string[] = [];
    for (const q of ["1", "2", "3"]) hub.subscribe(view, { q }, () => undefined, subscriber("heavy", shed));
    hub.subscribe(view, { q: "4" }, () => undefined, subscriber("light", shed));
    expect(hub.size).toBe(4);
    const got: string[] = [];
    hub.subscribe(view, { q: "new" }, (json) => got.push(json), subscriber("newcomer", shed));
    expect(shed).toEqual(["heavy"]);
    expect(hub.streamsOf("heavy")).toBe(2);
    expect(hub.size).toBe(4);
    await flush();
    expect(got).toEqual(['{"value":0}']);
    // heavy 2, light 1, newcomer 1: shedding stops where nobody holds more than the asker would.
    expect(() => hub.subscribe(view, { q: "x" }, () => undefined, subscriber("light", shed))).toThrow(
      LiveHubFullError,
    );
    expect(shed).toEqual(["heavy"]);
    hub.close();
  });
});
