import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { jarIsCurrent } from "./kstreamsJar.js";

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe("jarIsCurrent", () => {
  let project = "";
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  function maven(): { jar: string; source: string; pom: string } {
    project = mkdtempSync(join(tmpdir(), "gametel-kstreams-jar-"));
    mkdirSync(join(project, "src", "main", "java"), { recursive: true });
    mkdirSync(join(project, "target"));
    const source = join(project, "src", "main", "java", "App.java");
    const pom = join(project, "pom.xml");
    writeFileSync(source, "class App {}");
    writeFileSync(pom, "<project/>");
    at(source, 1_000);
    at(pom, 1_000);
    return { jar: join(project, "target", "app.jar"), source, pom };
  }

  it("is false when the jar is missing", () => {
    const { jar } = maven();
    expect(jarIsCurrent(jar, project)).toBe(false);
  });

  it("is true when the jar is newer than every source and the pom", () => {
    const { jar } = maven();
    writeFileSync(jar, "jar");
    at(jar, 2_000);
    expect(jarIsCurrent(jar, project)).toBe(true);
  });

  it("is false when a source file, however deep, or the pom changed after the jar", () => {
    const { jar, source, pom } = maven();
    writeFileSync(jar, "jar");
    at(jar, 2_000);
    at(source, 3_000);
    expect(jarIsCurrent(jar, project)).toBe(false);
    at(source, 1_000);
    at(pom, 3_000);
    expect(jarIsCurrent(jar, project)).toBe(false);
  });
});
