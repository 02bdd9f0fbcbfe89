import type { MongoSettings } from "./ProcessorConfig.js";

/** The MongoDB driver options this configuration adds to the URI (pass to `new MongoClient(uri, options)`). */
export interface MongoTlsOptions {
  tls?: true;
  tlsCAFile?: string;
}

export function toMongoClientOptions(mongo: MongoSettings): MongoTlsOptions {
  const options: MongoTlsOptions = {};
  if (mongo.tls) options.tls = true;
  if (mongo.tlsCaFile !== null) options.tlsCAFile = mongo.tlsCaFile;
  return options;
}
