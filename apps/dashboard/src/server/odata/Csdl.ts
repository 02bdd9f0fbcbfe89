import type { EntitySetSpec } from "./EntitySets.js";
import { KEY_PROPERTY } from "./EntitySets.js";

/** Namespace of the feed's schema in `$metadata`. */
export const NAMESPACE = "Gametel";
export const CONTAINER = "Insights";

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const description = (text: string, indent: string) =>
  `${indent}<Annotation Term="Org.OData.Core.V1.Description" String="${escapeXml(text)}"/>`;

function entityType(set: EntitySetSpec): string {
  const properties = set.properties.map((p) =>
    [
      `      <Property Name="${p.name}" Type="${p.type}" Nullable="${p.nullable ? "true" : "false"}">`,
      description(p.description, "        "),
      "      </Property>",
    ].join("\n"),
  );
  return [
    `    <EntityType Name="${set.entityType}">`,
    `      <Key><PropertyRef Name="${KEY_PROPERTY}"/></Key>`,
    ...properties,
    "    </EntityType>",
  ].join("\n");
}

/**
 * The CSDL XML of `$metadata` (OData v4.0): one entity type per set, keyed by `id`, with descriptions; Capabilities
 * annotations say the sets are read-only, not expandable or searchable, and which $filter functions exist.
 */
export function metadataXml(sets: readonly EntitySetSpec[]): string {
  const entitySets = sets.map((set) =>
    [
      `      <EntitySet Name="${set.name}" EntityType="${NAMESPACE}.${set.entityType}">`,
      description(set.description, "        "),
      `        <Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions"><Record><PropertyValue Property="Insertable" Bool="false"/></Record></Annotation>`,
      `        <Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions"><Record><PropertyValue Property="Updatable" Bool="false"/></Record></Annotation>`,
      `        <Annotation Term="Org.OData.Capabilities.V1.DeleteRestrictions"><Record><PropertyValue Property="Deletable" Bool="false"/></Record></Annotation>`,
      `        <Annotation Term="Org.OData.Capabilities.V1.ExpandRestrictions"><Record><PropertyValue Property="Expandable" Bool="false"/></Record></Annotation>`,
      `        <Annotation Term="Org.OData.Capabilities.V1.SearchRestrictions"><Record><PropertyValue Property="Searchable" Bool="false"/></Record></Annotation>`,
      "      </EntitySet>",
    ].join("\n"),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">',
    '    <edmx:Include Namespace="Org.OData.Core.V1"/>',
    "  </edmx:Reference>",
    '  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml">',
    '    <edmx:Include Namespace="Org.OData.Capabilities.V1"/>',
    "  </edmx:Reference>",
    "  <edmx:DataServices>",
    `    <Schema Namespace="${NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
    // Everything inside the Schema element, two more spaces in.
    ...[
      ...sets.map(entityType),
      `    <EntityContainer Name="${CONTAINER}">`,
      ...entitySets,
      // Clients that fold queries (Power Query) send only these functions in $filter.
      '      <Annotation Term="Org.OData.Capabilities.V1.FilterFunctions">',
      "        <Collection><String>contains</String><String>startswith</String><String>endswith</String></Collection>",
      "      </Annotation>",
      "    </EntityContainer>",
    ]
      .join("\n")
      .split("\n")
      .map((line) => `  ${line}`),
    "    </Schema>",
    "  </edmx:DataServices>",
    "</edmx:Edmx>",
    "",
  ].join("\n");
}

/** The service document (JSON): the entity sets a client such as Power BI's navigator lists. */
export function serviceDocument(serviceRoot: string, sets: readonly EntitySetSpec[]) {
  return {
    "@odata.context": `${serviceRoot}/$metadata`,
    value: sets.map((set) => ({ name: set.name, kind: "EntitySet", url: set.name })),
  };
}
