import odatajs from "ts-odatajs";
import { describe, expect, it } from "vitest";
import { metadataXml, serviceDocument } from "./Csdl.js";
import { ENTITY_SETS } from "./EntitySets.js";

interface ParsedProperty {
  name: string;
  type: string;
  nullable?: string;
}
interface ParsedSchema {
  namespace: string;
  entityType: { name: string; key: { propertyRef: { name: string }[] }; property: ParsedProperty[] }[];
  entityContainer: { name: string; entitySet: { name: string; entityType: string }[] };
}

describe("$metadata", () => {
  // Olingo's CSDL parser (the same one the integration test's client uses to read the live document).
  const parsed = odatajs.oData.parseMetadata(metadataXml(ENTITY_SETS)) as {
    version: string;
    dataServices: { schema: ParsedSchema[] };
  };
  const schema = parsed.dataServices.schema[0]!;

  it("is OData 4.0 CSDL with one entity set per spec, keyed by id", () => {
    expect(parsed.version).toBe("4.0");
    expect(schema.entityContainer.entitySet.map((s) => s.name)).toEqual(ENTITY_SETS.map((s) => s.name));
    for (const type of schema.entityType) {
      expect(type.key.propertyRef.map((r) => r.name)).toEqual(["id"]);
    }
  });

  it("declares exactly the whitelisted properties with their types, and no private field", () => {
    for (const set of ENTITY_SETS) {
      const typeName = schema.entityContainer.entitySet.find((s) => s.name === set.name)!.entityType;
      const type = schema.entityType.find((t) => `${schema.namespace}.${t.name}` === typeName)!;
      expect(type.property.map((p) => [p.name, p.type])).toEqual(set.properties.map((p) => [p.name, p.type]));
      expect(type.property.some((p) => p.name.startsWith("_"))).toBe(false);
    }
  });

  it("escapes descriptions", () => {
    expect(metadataXml(ENTITY_SETS)).not.toMatch(/String="[^"]*<[^"]*"/);
  });
});

describe("service document", () => {
  it("lists the entity sets with the context of $metadata", () => {
    expect(serviceDocument("http://h/odata", ENTITY_SETS)).toEqual({
      "@odata.context": "http://h/odata/$metadata",
      value: ENTITY_SETS.map((s) => ({ name: s.name, kind: "EntitySet", url: s.name })),
    });
  });
});
