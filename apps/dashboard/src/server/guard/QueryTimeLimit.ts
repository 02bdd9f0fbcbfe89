import type { Collection, Db, Document } from "mongodb";

/** Read methods and the position of their options argument (distinct: key, filter, options). */
const READS: Readonly<Record<string, number>> = {
  find: 1,
  findOne: 1,
  countDocuments: 1,
  distinct: 2,
  estimatedDocumentCount: 0,
};

function limitCollection<T extends Document>(collection: Collection<T>, maxTimeMS: number): Collection<T> {
  return new Proxy(collection, {
    get(target, name) {
      const member: unknown = Reflect.get(target, name, target);
      if (typeof member !== "function") return member;
      const at = typeof name === "string" ? READS[name] : undefined;
      if (at === undefined) return member.bind(target);
      return (...args: unknown[]) => {
        const padded = [...args];
        while (padded.length < at) padded.push({});
        // An explicit maxTimeMS (the CSV export's longer one) wins.
        padded[at] = { maxTimeMS, ...(padded[at] as object | undefined) };
        return (member as (...a: unknown[]) => unknown).apply(target, padded);
      };
    },
  });
}

/**
 * The database with `maxTimeMS` on every read (find, findOne, countDocuments, distinct), so no read of the
 * dashboard, present or future, can run without a server-side time limit. MongoDB (and Atlas) stops a read at its
 * `maxTimeMS` with error 50 (MaxTimeMSExpired); the dashboard answers it with a 503 (see `Unavailable.ts`).
 */
export function withQueryTimeLimit(db: Db, maxTimeMS: number): Db {
  return new Proxy(db, {
    get(target, name) {
      if (name === "collection") {
        return (collectionName: string) => limitCollection(target.collection(collectionName), maxTimeMS);
      }
      const member: unknown = Reflect.get(target, name, target);
      return typeof member === "function" ? member.bind(target) : member;
    },
  });
}
