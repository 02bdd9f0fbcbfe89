import { defineConfig, type Options } from "tsup";

type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];

// @datadog/sketches-js is bundled so that dist/ is plain ESM for browsers: the library lazily requires a
// protobuf module (and the undeclared `protobufjs`) only for toProto/fromProto, which this package never
// calls; browser bundlers would still try to resolve it, so it is replaced by a stub that throws if used.
const stubSketchProto: EsbuildPlugin = {
  name: "stub-sketch-proto",
  setup(build) {
    build.onResolve({ filter: /\/proto\/compiled$/ }, (args) =>
      args.importer.includes("@datadog") ? { path: args.path, namespace: "sketch-proto-stub" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "sketch-proto-stub" }, () => ({
      contents:
        'module.exports = new Proxy({}, { get() { throw new Error("DDSketch protobuf serialisation is not part of @gametel/core"); } });',
      loader: "js",
    }));
  },
};

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  noExternal: ["@datadog/sketches-js"],
  esbuildPlugins: [stubSketchProto],
  banner: { js: "/*! @gametel/core bundles @datadog/sketches-js 2.1.1, Apache-2.0, (c) Datadog, Inc. */" },
});
